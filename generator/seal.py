"""Answers and explanations, sealed so that they cannot be read from the page by eye.

Scoring happens in the browser, so the browser must be able to recover the answers;
this is obfuscation, not encryption.  What it stops: reading the answer key or the
explanations in the page source, in "find in page", in a saved copy of the page, or in
the search index.  What it cannot stop: someone who reads quiz.js and runs the same
steps, or who watches the script in the browser's developer tools.

Each question's payload (its answer and explanation HTML) is UTF-8 JSON XORed with an
xorshift32 keystream seeded from the quiz id, the question id and the quiz version, then
base64-encoded.  ``crypto.subtle`` is not used: it does not exist on plain ``http://``
or ``file://``, where the site must work.  quiz.js holds the same few lines in reverse.
"""

from __future__ import annotations

import base64
import json

MASK = 0xFFFFFFFF


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; quiz.js computes the same."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & MASK
    return value


def keystream(seed: int):
    """xorshift32 bytes; a zero seed would give only zeros, so it becomes 1."""
    state = seed & MASK or 1
    while True:
        state ^= (state << 13) & MASK
        state ^= state >> 17
        state ^= (state << 5) & MASK
        yield state & 0xFF


def seal(payload: dict, seed_text: str) -> str:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    stream = keystream(fnv1a(seed_text))
    return base64.b64encode(bytes(byte ^ next(stream) for byte in data)).decode("ascii")


def unseal(sealed: str, seed_text: str) -> dict:
    """The reverse of :func:`seal`, for tests and tools."""
    stream = keystream(fnv1a(seed_text))
    data = bytes(byte ^ next(stream) for byte in base64.b64decode(sealed))
    return json.loads(data.decode("utf-8"))


def seed_text(quiz_id: str, question_id: str, version: str) -> str:
    return f"{quiz_id}/{question_id}/{version}"
