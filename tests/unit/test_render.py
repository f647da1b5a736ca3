"""Rendering a quiz to HTML: the page contract of DESIGN §7, languages, and text that must not run."""

from __future__ import annotations

import json
import random
import re

import markdown

from generator.load import load_quiz
from generator.render import (
    _plain,
    _SafeTextExtension,
    block_markdown,
    inline_markdown,
    quiz_version,
    render_quiz,
    render_quiz_list,
)
from generator.seal import seed_text, unseal

from ..conftest import GOOD_QUIZ, PROJECT


def quiz_from(tmp_path, source=GOOD_QUIZ):
    path = tmp_path / "fire-safety.yaml"
    path.write_text(source, encoding="utf-8")
    quiz, problems = load_quiz(path)
    assert not problems
    return quiz


def test_page_contract(tmp_path):
    """Root, question elements, native inputs with letter values and labels, a submit button."""
    html = render_quiz(quiz_from(tmp_path), "zh")
    assert re.search(r'<form class="quiz"[^>]* data-quiz-id="fire-safety"', html)
    assert re.findall(r'data-question-id="([^"]+)"', html) == ["fire-number", "escape", "hot-door"]
    assert html.count('type="radio" name="q-fire-safety-fire-number"') == 3
    assert html.count('type="checkbox" name="q-fire-safety-escape"') == 3
    assert re.findall(r'name="q-fire-safety-hot-door" value="(\w+)"', html) == ["true", "false"]
    assert html.count("<fieldset>") == 3 and html.count("<legend>") == 3
    assert all(line.startswith("<label") for line in html.splitlines() if "<input" in line)
    assert '<button type="submit"' in html
    assert "data-quiz-result" in html and 'aria-live="polite"' in html


def test_languages(tmp_path):
    """Texts and interface words follow the page language."""
    quiz = quiz_from(tmp_path)
    zh, en = render_quiz(quiz, "zh"), render_quiz(quiz, "en")
    assert "发现火灾应拨打哪个电话报警？" in zh and "第 1 题" in zh and "提交答案" in zh and ">正确<" in zh
    assert "Which number do you call" in en and "Question 1" in en and "Submit answers" in en and ">True<" in en
    assert "120 (ambulance)" in en and "120（急救）" in zh


def opened(quiz, html):
    """Each question's unsealed payload, as quiz.js opens it."""
    data = json.loads(re.search(r'<script type="application/json" data-quiz-data>(.*?)</script>', html).group(1))
    version = quiz_version(quiz)
    return {qid: unseal(sealed, seed_text(quiz.id, qid, version)) for qid, sealed in data["sealed"].items()}, data


def test_sealed_answers_reach_the_script(tmp_path):
    """The engine can open each question's answer and explanation; the texts it needs are there."""
    quiz = quiz_from(tmp_path)
    payloads, data = opened(quiz, render_quiz(quiz, "en"))
    assert {qid: p["a"] for qid, p in payloads.items()} == {
        "fire-number": ["B"],
        "escape": ["A", "C"],
        "hot-door": ["false"],
    }
    assert payloads["fire-number"]["e"] == "<p>119 is the fire number.</p>"
    assert payloads["hot-door"]["e"] == ""
    assert data["text"]["correct"] == "Correct."


def test_raw_html_in_texts_is_shown_not_run(tmp_path):
    """Raw HTML and script links in quiz texts come out as text (DESIGN §6), explanations included."""
    payload = "'119 <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) **火警**'"
    source = GOOD_QUIZ.replace("zh: 119 是火警电话。", f"zh: {payload}").replace(
        "zh: 发现火灾应拨打哪个电话报警？", f"zh: {payload}"
    )
    quiz = quiz_from(tmp_path, source)
    html = render_quiz(quiz, "zh")
    explanation = opened(quiz, html)[0]["fire-number"]["e"]
    for text in (html, explanation):
        assert "<script>alert" not in text and "<img src=x" not in text and "javascript:" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<strong>火警</strong>" in text


def test_exam_settings_reach_the_page(tmp_path):
    """Mode, draw, shuffle and time limit become data attributes and a plain-words introduction."""
    source = GOOD_QUIZ.replace(
        "pass_mark: 80\n", "pass_mark: 80\nmode: exam\ndraw: 2\nshuffle: true\ntime_limit: 90s\n"
    )
    html = render_quiz(quiz_from(tmp_path, source), "zh", "安全月")
    for attribute in [
        'data-quiz-mode="exam"',
        'data-quiz-draw="2"',
        "data-quiz-shuffle",
        'data-quiz-time-limit="90"',
        'data-quiz-site="安全月"',
    ]:
        assert attribute in html
    assert "每次从 3 道题中随机抽取 2 题，答对 80% 及格。限时 1 分钟 30 秒。考试模式：交卷后才显示对错和解析。" in html
    assert "data-quiz-start" in html and "data-quiz-check" not in html


def test_inline_markdown_fits_in_a_label():
    """Inline Markdown gives no paragraph tags; several paragraphs become line breaks."""
    assert inline_markdown("**a** and `b`") == "<strong>a</strong> and <code>b</code>"
    assert inline_markdown("one\n\ntwo") == "one<br><br>two"
    assert "src" not in inline_markdown("![x](https://example.com/a.png)")


def test_plain_text_shortcut_gives_what_markdown_gives():
    """Texts taken as plain (not converted, for speed) come out exactly as Markdown would make them:
    every text of the test project's quizzes, the lines of its pages, and several thousand seeded random ones
    with Markdown's characters."""
    texts = [
        text
        for path in sorted((PROJECT / "quizzes").glob("*.yaml"))
        for text in re.findall(r"^\s*(?:-|zh:|en:|-\s*\{zh:)\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)
    ]
    texts += [
        line.strip()
        for path in sorted((PROJECT / "content").rglob("*.md"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    pieces = list("ab 1.2-+#>=:!\"'()（）、，。？“”%/*_`[]<>&\\\t\n~|{}") + [
        "安全",
        "119",
        "http://x.cn",
        "\u3000",
        "\u00a0",
        "\u2028",
        "e.g.",
        " - ",
        "1. ",
        "--- ",
        "    ",
        "a@b.cn",
    ]
    draw = random.Random(7)
    texts += ["".join(draw.choice(pieces) for _ in range(draw.randint(1, 20))) for _ in range(6000)]
    shortcut = [text for text in texts if _plain(text)]
    assert len(shortcut) > 500, "the check must exercise the shortcut"
    md = markdown.Markdown(extensions=[_SafeTextExtension()])
    for text in shortcut:
        html = md.reset().convert(text)
        assert block_markdown(text) == html, repr(text)
        assert inline_markdown(text) == html.removeprefix("<p>").removesuffix("</p>"), repr(text)


def test_version_changes_with_the_questions(tmp_path):
    """Stored answers are tied to the questions: changing an answer changes the version."""
    assert quiz_version(quiz_from(tmp_path)) != quiz_version(
        quiz_from(tmp_path, GOOD_QUIZ.replace("answer: B", "answer: A"))
    )
    assert quiz_version(quiz_from(tmp_path)) == quiz_version(
        quiz_from(tmp_path, GOOD_QUIZ.replace("火警电话", "报警电话"))
    )


def test_quiz_list(tmp_path):
    """The list links each quiz and gives its size and pass mark in the page language."""
    quiz = quiz_from(tmp_path)
    html = render_quiz_list([quiz], "zh", lambda q: f"quizzes/{q.id}.html")
    assert '<a href="quizzes/fire-safety.html">消防安全知识测验</a>' in html and "3 题 · 80% 及格" in html
    assert "No quizzes yet." in render_quiz_list([], "en", str)
