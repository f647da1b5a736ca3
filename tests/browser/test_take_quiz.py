"""A worker takes each quiz of the test project, right and wrong, in both languages, on a phone-sized screen."""

from __future__ import annotations

import pytest

from ..conftest import PROJECT
from .conftest import answer, answer_key, start, visible_ids, wrong_values

QUIZZES = sorted(path.stem for path in (PROJECT / "quizzes").glob("*.yaml"))
LANGUAGES = {"zh": "", "en": "en/"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_pass_then_fail(page, base_url, quiz_id, language):
    """All right: 100 and passed; retry; all wrong: 0, not passed, each question shows the right answer."""
    page.goto(f"{base_url}{LANGUAGES[language]}quizzes/{quiz_id}.html")
    root = f'form[data-quiz-id="{quiz_id}"][data-quiz-ready]'
    start(page, root)
    shown = visible_ids(page, root)
    key = {qid: right for qid, right in answer_key(quiz_id).items() if qid in shown}
    answer(page, root, key)
    page.locator(f'{root} button[type="submit"]').click()
    result = page.locator(f"{root} [data-quiz-result]")
    assert result.is_visible()
    assert result.get_attribute("data-score") == "100" and result.get_attribute("data-passed") == "true"
    assert page.locator(f'{root} [data-outcome="correct"]').count() == len(key)
    assert page.locator(f"{root} [data-quiz-explanation]:visible").count() == len(key)
    expected = "通过" if language == "zh" else "Passed"
    assert expected in result.inner_text()

    page.locator(f"{root} [data-quiz-retry]").click()
    assert page.locator(f"{root} input:checked").count() == 0
    assert not result.is_visible() and result.get_attribute("data-score") is None
    start(page, root)
    shown = visible_ids(page, root)
    key = {qid: right for qid, right in answer_key(quiz_id).items() if qid in shown}
    answer(page, root, {qid: wrong_values(page, qid, right) for qid, right in key.items()})
    page.locator(f'{root} button[type="submit"]').click()
    assert result.get_attribute("data-score") == "0" and result.get_attribute("data-passed") == "false"
    assert page.locator(f'{root} [data-outcome="incorrect"]').count() == len(key)
    first = page.locator(f"{root} [data-question-id]:not([hidden]) [data-quiz-feedback]").first.inner_text()
    assert ("正确答案：" if language == "zh" else "Correct answer: ") in first


def test_partly_right_score_is_rounded_percent(page, base_url):
    """Scoring counts a multiple-choice question right only when exactly the right boxes are ticked."""
    page.goto(f"{base_url}quizzes/fire-safety.html")
    root = "form[data-quiz-ready]"
    key = answer_key("fire-safety")
    ids = list(key)
    multiple = next(qid for qid, right in key.items() if len(right) > 1)
    picks = {qid: key[qid] for qid in ids}
    picks[multiple] = key[multiple][:1]  # only some of the right boxes: wrong
    answer(page, root, picks)
    page.locator(f'{root} button[type="submit"]').click()
    expected = round(100 * (len(ids) - 1) / len(ids))
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-score") == str(expected)
    assert page.locator(f'[data-question-id="{multiple}"]').get_attribute("data-outcome") == "incorrect"


def test_unanswered_questions_are_listed_before_scoring(page, base_url):
    """The first submit with open questions lists them; the second hands in, counting them wrong."""
    page.goto(f"{base_url}en/quizzes/fire-safety.html")
    root = "form[data-quiz-ready]"
    key = answer_key("fire-safety")
    first = next(iter(key))
    answer(page, root, {first: key[first]})
    page.locator(f'{root} button[type="submit"]').click()
    status = page.locator(f"{root} [data-quiz-status]")
    assert f"{len(key) - 1} question(s) not answered yet" in status.inner_text()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-score") is None
    assert page.locator(f"{root} [data-unanswered]").count() == len(key) - 1
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-score") == str(round(100 / len(key)))


def test_embedded_quiz_in_module(page, base_url):
    """The marker in a module page becomes a working quiz."""
    page.goto(f"{base_url}modules/fire.html")
    root = 'form[data-quiz-id="fire-safety"][data-quiz-ready]'
    answer(page, root, answer_key("fire-safety"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"
