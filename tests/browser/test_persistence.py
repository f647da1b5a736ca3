"""Answers and results survive a reload; broken or missing storage never breaks the quiz."""

from __future__ import annotations

import json

import pytest

from .conftest import NO_STORAGE, answer, answer_key

ROOT = 'form[data-quiz-id="fire-safety"][data-quiz-ready]'


def checked(page):
    return page.eval_on_selector_all(f"{ROOT} input:checked", "els => els.map(e => e.name + '=' + e.value)")


def test_reload_mid_quiz_keeps_answers(page, base_url):
    """A worker who loses the page mid-quiz finds the answers ticked again, with a note."""
    page.goto(f"{base_url}quizzes/fire-safety.html")
    key = answer_key("fire-safety")
    half = dict(list(key.items())[: len(key) // 2])
    answer(page, ROOT, half)
    before = checked(page)
    page.reload()
    page.wait_for_selector(ROOT)
    assert checked(page) == before and len(before) >= len(half)
    assert page.locator(f"{ROOT} [data-quiz-status]").inner_text() == "已恢复你上次的答题进度。"


def test_reload_after_scoring_keeps_the_result(page, base_url):
    """After submitting, a reload shows the same score, outcomes and retry button."""
    page.goto(f"{base_url}en/quizzes/fire-safety.html")
    key = answer_key("fire-safety")
    picks = dict(key)
    first = next(iter(picks))
    picks.pop(first)
    answer(page, ROOT, picks)
    page.locator(f'{ROOT} button[type="submit"]').click()
    page.locator(f'{ROOT} button[type="submit"]').click()  # past the list of unanswered questions
    score = page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score")
    assert score is not None
    page.reload()
    page.wait_for_selector(ROOT)
    result = page.locator(f"{ROOT} [data-quiz-result]")
    assert result.get_attribute("data-score") == score and result.is_visible()
    assert page.locator(f'{ROOT} [data-question-id="{first}"]').get_attribute("data-outcome") == "incorrect"
    assert page.locator(f"{ROOT} [data-quiz-retry]").is_visible()
    assert not page.locator(f'{ROOT} button[type="submit"]').is_visible()
    page.locator(f"{ROOT} [data-quiz-retry]").click()
    page.reload()
    page.wait_for_selector(ROOT)
    assert result.get_attribute("data-score") is None and checked(page) == []


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "null",
        "42",
        json.dumps({"version": "old", "answers": {"fire-number": ["A"]}, "result": {"score": 100}}),
        json.dumps({"version": None, "answers": "nonsense"}),
    ],
    ids=["garbage", "null", "number", "older-version", "wrong-shape"],
)
def test_stored_garbage_is_ignored(make_context, base_url, stored):
    """Whatever is in storage for this quiz, the page starts clean and scores normally."""
    context = make_context()
    context.add_init_script(  # not on about:blank, where storage is denied
        f"if (location.protocol === 'http:') localStorage.setItem('generator-quiz:fire-safety', {json.dumps(stored)})"
    )
    page = context.new_page()
    page.goto(f"{base_url}quizzes/fire-safety.html")
    assert checked(page) == []
    assert page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score") is None
    answer(page, ROOT, answer_key("fire-safety"))
    page.locator(f'{ROOT} button[type="submit"]').click()
    assert page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score") == "100"


@pytest.mark.parametrize("script", NO_STORAGE.values(), ids=NO_STORAGE.keys())
def test_quiz_works_without_storage(make_context, base_url, script):
    """Private mode or a full phone: no storage, and the quiz still scores."""
    context = make_context()
    context.add_init_script(script)
    page = context.new_page()
    page.goto(f"{base_url}en/quizzes/fire-safety.html")
    answer(page, ROOT, answer_key("fire-safety"))
    page.locator(f'{ROOT} button[type="submit"]').click()
    assert page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-passed") == "true"
