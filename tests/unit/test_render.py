"""Rendering a quiz to HTML: the page contract of DESIGN §7, languages, and text that must not run."""

from __future__ import annotations

import json
import re

from generator.load import load_quiz
from generator.render import inline_markdown, quiz_version, render_quiz, render_quiz_list

from ..conftest import GOOD_QUIZ


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


def test_answer_key_reaches_the_script(tmp_path):
    """The engine gets each question's correct values."""
    html = render_quiz(quiz_from(tmp_path), "en")
    data = json.loads(re.search(r'<script type="application/json" data-quiz-data>(.*?)</script>', html).group(1))
    assert data["key"] == {"fire-number": ["B"], "escape": ["A", "C"], "hot-door": ["false"]}
    assert data["text"]["correct"] == "Correct."


def test_raw_html_in_texts_is_shown_not_run(tmp_path):
    """Raw HTML and script links in quiz texts come out as text (DESIGN §6)."""
    source = GOOD_QUIZ.replace("zh: 119 是火警电话。", "zh: '119 <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) **火警**'")
    html = render_quiz(quiz_from(tmp_path, source), "zh")
    assert "<script>alert" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<strong>火警</strong>" in html


def test_inline_markdown_fits_in_a_label():
    """Inline Markdown gives no paragraph tags; several paragraphs become line breaks."""
    assert inline_markdown("**a** and `b`") == "<strong>a</strong> and <code>b</code>"
    assert inline_markdown("one\n\ntwo") == "one<br><br>two"
    assert "src" not in inline_markdown("![x](https://example.com/a.png)")


def test_version_changes_with_the_questions(tmp_path):
    """Stored answers are tied to the questions: changing an answer changes the version."""
    assert quiz_version(quiz_from(tmp_path)) != quiz_version(quiz_from(tmp_path, GOOD_QUIZ.replace("answer: B", "answer: A")))
    assert quiz_version(quiz_from(tmp_path)) == quiz_version(quiz_from(tmp_path, GOOD_QUIZ.replace("火警电话", "报警电话")))


def test_quiz_list(tmp_path):
    """The list links each quiz and gives its size and pass mark in the page language."""
    quiz = quiz_from(tmp_path)
    html = render_quiz_list([quiz], "zh", lambda q: f"quizzes/{q.id}.html")
    assert '<a href="quizzes/fire-safety.html">消防安全知识测验</a>' in html and "3 题 · 80% 及格" in html
    assert "No quizzes yet." in render_quiz_list([], "en", str)
