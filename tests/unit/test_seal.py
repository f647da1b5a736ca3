"""Sealed answers: they open again with the right seed and read as nothing without it."""

from __future__ import annotations

import base64

from generator.seal import fnv1a, seal, seed_text, unseal


def test_round_trip():
    """What is sealed opens again, Chinese text included."""
    payload = {"a": ["A", "C"], "e": "<p>119 是火警电话。</p>"}
    sealed = seal(payload, seed_text("fire", "q1", "v1"))
    assert unseal(sealed, seed_text("fire", "q1", "v1")) == payload


def test_sealed_text_is_not_readable():
    """Neither the base64 nor its decoded bytes show the answer or the explanation."""
    sealed = seal({"a": ["B"], "e": "火警电话 fire number"}, "fire/q1/v1")
    raw = base64.b64decode(sealed)
    assert b'"a"' not in raw and "火警".encode() not in raw and b"fire" not in raw


def test_same_answer_seals_differently_per_question():
    """Two questions with the same answer do not share a sealed value, so equal blobs reveal nothing."""
    payload = {"a": ["B"], "e": ""}
    assert seal(payload, "quiz/q1/v") != seal(payload, "quiz/q2/v")


def test_fnv1a_matches_the_reference():
    """32-bit FNV-1a, as quiz.js computes it (reference values of the algorithm)."""
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
