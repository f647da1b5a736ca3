"""Exports: GIFT that Moodle's grammar parses to the same answers, and a paper exam for A4."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from generator.exports import to_gift, to_paper
from generator.load import load_quiz

from ..conftest import GOOD_QUIZ, ROOT

NODE_TOOLS = ROOT / "tests" / "js"  # gift-pegjs 1.0.2 there: the PEG grammar of GIFT used by Moodle-compatible tools


@pytest.fixture(scope="module")
def gift_parse():
    """Parse GIFT text with gift-pegjs (tests/js, installed by `make test`: make node-tools)."""
    if not (shutil.which("node") and (NODE_TOOLS / "node_modules" / "gift-pegjs").is_dir()):
        pytest.fail("Node and gift-pegjs are missing: `make test` installs them (make node-tools).")
    script = (
        "const { parse } = require('gift-pegjs'); let s = ''; process.stdin.on('data', d => s += d);"
        "process.stdin.on('end', () => { try { console.log(JSON.stringify(parse(s))); }"
        " catch (e) { console.error(e.message); process.exit(1); } });"
    )

    def parse(text: str):
        run = subprocess.run(
            ["node", "-e", script],
            input=text,
            capture_output=True,
            text=True,
            cwd=NODE_TOOLS,
            env={**os.environ, "NODE_PATH": str(NODE_TOOLS / "node_modules")},
        )
        assert run.returncode == 0, run.stderr
        return [q for q in json.loads(run.stdout) if q["type"] != "Category"]

    return parse


def quiz_from(tmp_path, source=GOOD_QUIZ):
    path = tmp_path / "fire-safety.yaml"
    path.write_text(source, encoding="utf-8")
    return load_quiz(path)[0]


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_gift_parses_to_the_same_answers(tmp_path, gift_parse, language):
    """Every question comes back with its type, right options and explanation."""
    quiz = quiz_from(tmp_path)
    parsed = gift_parse(to_gift(quiz, language))
    assert [q["title"] for q in parsed] == ["fire-number", "escape", "hot-door"]
    single, multiple, true_false = parsed
    assert [c["text"]["text"] for c in single["choices"] if c["isCorrect"]] == ["119"]
    assert [c["weight"] for c in multiple["choices"]] == [50, -100, 50]
    assert true_false["type"] == "TF" and true_false["isTrue"] is False
    stem = single["stem"]["text"]
    assert ("发现火灾" in stem) == (language != "en") and ("Which number" in stem) == (language != "zh")


def test_gift_escapes_its_special_characters(tmp_path, gift_parse):
    """Text holding ~ = # { } : stays text and does not break the question."""
    source = GOOD_QUIZ.replace("zh: 发现火灾应拨打哪个电话报警？", 'zh: "报警 {电话} = 119 ~ #1: 对吗"')
    [first, *_] = gift_parse(to_gift(quiz_from(tmp_path, source), "zh"))
    assert first["stem"]["text"] == "报警 {电话} = 119 ~ #1: 对吗" and len(first["choices"]) == 3


def test_paper_exam(tmp_path):
    """Numbered questions with boxes, and an answer key that starts a new page."""
    html = to_paper(quiz_from(tmp_path), "zh")
    assert html.count('<span class="box"></span>') == 3 + 3 + 2
    assert '1. <span class="type">（单选）</span>发现火灾应拨打哪个电话报警？' in html
    assert ".key { break-before: page; }" in html and "@page { size: A4;" in html
    key = html.split('<section class="key">')[1]
    assert "<td>1</td><td>B</td>" in key and "<td>2</td><td>AC</td>" in key and "<td>3</td><td>错误</td>" in key
    english = to_paper(quiz_from(tmp_path), "en")
    assert '<html lang="en">' in english and "Answer key" in english and "<td>3</td><td>False</td>" in english
