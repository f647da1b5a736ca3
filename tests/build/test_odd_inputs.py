"""Big and odd inputs build (issue 8): 5,000 questions, a 1 MB module, astral CJK, emoji and RTL texts.

The scenario (tests/odd_inputs.py) is built once per run by the ``odd_site`` fixture.  Sizes and
build time are not asserted (machines differ); README's performance table has the measurements.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from generator.load import load_quiz
from generator.render import quiz_version
from generator.seal import seed_text, unseal

from ..odd_inputs import BIG_COUNT, EMOJI, ODD, RARE, big_quiz, huge_module, odd_quiz

DATA = re.compile(r'<script type="application/json" data-quiz-data>(.*?)</script>', re.S)
TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".txt", ".svg"}


def page(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def shown(site, path: str) -> str:
    """The page's text as a reader gets it: entities decoded."""
    return html.unescape(page(site, path))


def opened(site, path: str, quiz_id: str, source: str, tmp_path) -> dict[str, dict]:
    """Each question's sealed answer and explanation, opened as quiz.js opens them."""
    file = tmp_path / f"{quiz_id}.yaml"
    file.write_text(source, encoding="utf-8")
    quiz, problems = load_quiz(file)
    assert quiz is not None, problems
    data = json.loads(DATA.search(page(site, path)).group(1))
    version = quiz_version(quiz)
    return {qid: unseal(sealed, seed_text(quiz_id, qid, version)) for qid, sealed in data["sealed"].items()}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_five_thousand_questions(odd_site, prefix, tmp_path):
    """All 5,000 questions are on the quiz page, numbered, each with its sealed answer; the list counts them."""
    text = page(odd_site, f"{prefix}quizzes/big.html")
    ids = re.findall(r'data-question-id="([^"]+)"', text)
    assert len(ids) == BIG_COUNT and len(set(ids)) == BIG_COUNT
    assert ids[0] == "q01" and ids[-1] == f"q{BIG_COUNT}"
    prompt = "第5000道题的题干" if not prefix else "Prompt of question 5000"
    assert prompt in text
    key = opened(odd_site, f"{prefix}quizzes/big.html", "big", big_quiz(), tmp_path)
    assert len(key) == BIG_COUNT
    assert key["q4999"]["a"] == ["A", "C"]  # question_bank: 4999 is multiple, odd: [A, C]
    summary = "5000 题" if not prefix else "5000 questions"
    assert summary in shown(odd_site, f"{prefix}quizzes/index.html")
    # Not a timing: a guard against markup that grows faster than the questions (1.2 KB each today).
    assert len(text.encode("utf-8")) < BIG_COUNT * 2000


@pytest.mark.parametrize("language, prefix", [("zh", ""), ("en", "en/")])
def test_one_megabyte_module(odd_site, language, prefix):
    """Every section of the 1 MB module reaches the page, in order, the last one included."""
    source = huge_module(language)
    assert len(source.encode("utf-8")) >= 1_000_000
    headings = re.findall(r"^## (.+)$", source, re.M)
    text = shown(odd_site, f"{prefix}modules/huge.html")
    found = re.findall(r"<h2 id=\"[^\"]*\">(.+?)</h2>", text)
    assert found == headings
    assert text.count("admonition warning") == len(headings)
    assert RARE in text and EMOJI in text


# Where each odd text must appear, as written: (key of ODD, pages in zh, pages in en).
PLACES = [
    (
        "title_zh",
        ["quizzes/odd.html", "quizzes/index.html", "index.html", "posters/odd.html", "posters/index.html"],
        [],
    ),
    ("title_en", [], ["en/quizzes/odd.html", "en/quizzes/index.html", "en/index.html", "en/posters/odd.html"]),
    ("prompt_zh", ["quizzes/odd.html", "modules/odd.html"], []),
    ("prompt_en", [], ["en/quizzes/odd.html", "en/modules/odd.html"]),
    ("option_a", ["quizzes/odd.html"], ["en/quizzes/odd.html"]),
    ("option_b", ["quizzes/odd.html"], ["en/quizzes/odd.html"]),
    ("option_c", ["quizzes/odd.html"], ["en/quizzes/odd.html"]),
    ("long_rtl", ["quizzes/odd.html", "modules/odd.html"], ["en/quizzes/odd.html"]),
    ("emoji_run", ["quizzes/odd.html"], ["en/quizzes/odd.html"]),
    ("theme_zh", ["index.html", "modules/odd.html", "quizzes/big.html", "posters/home.html"], []),
    ("theme_en", [], ["en/index.html", "en/modules/huge.html", "en/quizzes/odd.html", "en/posters/home.html"]),
    ("organiser_zh", ["index.html"], []),
    ("organiser_en", [], ["en/index.html"]),
    ("activity_zh", ["index.html"], []),
    ("activity_en", [], ["en/index.html"]),
    ("place_zh", ["index.html"], []),
    ("place_en", [], ["en/index.html"]),
]


@pytest.mark.parametrize("key, zh_pages, en_pages", PLACES, ids=[p[0] for p in PLACES])
def test_odd_texts_reach_their_pages_intact(odd_site, key, zh_pages, en_pages):
    """Astral CJK, emoji (ZWJ sequences, flags, skin tones, keycaps), Arabic and Hebrew:
    the same code points on the page."""
    for path in zh_pages + en_pages:
        assert ODD[key] in shown(odd_site, path), f"{key} on {path}"


def test_odd_explanation_opens_intact(odd_site, tmp_path):
    """The sealed explanation (XOR over UTF-8 bytes) gives back the astral and RTL text unchanged."""
    for prefix in ("", "en/"):
        key = opened(odd_site, f"{prefix}quizzes/odd.html", "odd", odd_quiz(), tmp_path)
        assert key["rtl"]["a"] == ["A"]
        assert ODD["explanation"] in html.unescape(key["rtl"]["e"])


_SURROGATE_ESCAPE = re.compile(
    r"\\u(d[89ab][0-9a-f]{2})(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}", re.I
)
_CHAR_REF = re.compile(r"&#(x[0-9a-f]+|\d+);", re.I)


def test_every_file_is_clean_utf8(odd_site):
    """No file of the site has bytes that are not UTF-8, a U+FFFD, a lone surrogate escape or a surrogate entity."""
    assert all(len(ch.encode("utf-8")) == 4 for ch in RARE), "the rare characters are outside the BMP"
    checked = 0
    for file in odd_site.rglob("*"):
        if file.suffix not in TEXT_SUFFIXES:
            continue
        text = file.read_bytes().decode("utf-8")  # strict: raises on mangled bytes
        name = file.relative_to(odd_site).as_posix()
        assert "\ufffd" not in text, name
        assert not _SURROGATE_ESCAPE.search(text), name
        refs = [int(n[1:], 16) if n[0] in "xX" else int(n) for n in _CHAR_REF.findall(text)]
        assert not [n for n in refs if 0xD800 <= n <= 0xDFFF], name
        checked += 1
    assert checked > 20
    for prefix, language in (("", "zh"), ("en/", "en")):
        index = json.loads(page(odd_site, f"{prefix}search/search_index.json"))
        words = "".join(doc["title"] + doc["text"] for doc in index["docs"]).replace(
            "\u200b", ""
        )  # jieba's word breaks
        for key in ("theme", "organiser", "place"):
            assert ODD[f"{key}_{language}"] in words, f"{key} in the {language} search index"
