"""axe-core finds no accessibility violation (colour contrast included) on the pages a worker sees."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "index.html",
    "en/index.html",
    "modules/fire.html",
    "en/modules/rights-duties.html",
    "quizzes/index.html",
    "quizzes/principles.html",
    "en/quizzes/fire-safety.html",
    "posters/index.html",
    "en/posters/fire-safety.html",
    "learn/progress.html",
    "en/learn/mistakes.html",
    "learn/daily.html",
    "en/learn/practice.html",
]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def violations(axe, page) -> list[str]:
    results = axe.run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_violations(page, base_url, axe, url):
    """Each kind of page passes axe-core's checks at phone size."""
    page.goto(base_url + url)
    assert violations(axe, page) == []


@pytest.mark.parametrize("url", ["quizzes/principles.html", "en/quizzes/principles.html"])
def test_scored_quiz_has_no_violations(page, base_url, axe, url):
    """After scoring, the marks, feedback and result colours still pass (contrast included)."""
    page.goto(base_url + url)
    submit = page.locator('form[data-quiz-ready] button[type="submit"]')
    submit.click()
    submit.click()
    assert page.locator("[data-quiz-result]").get_attribute("data-score") == "0"
    assert violations(axe, page) == []


def test_exam_pages_have_no_violations(page, exam_url, axe):
    """The start panel, the running timer, the review and the certificate form pass too."""
    from ..conftest import EXAM_QUIZ
    from .conftest import answer, answer_key, start, visible_ids

    root = 'form[data-quiz-id="exam"][data-quiz-ready]'
    page.goto(exam_url + "quizzes/exam.html")
    assert violations(axe, page) == []
    start(page, root)
    assert violations(axe, page) == []
    key = answer_key("exam", EXAM_QUIZ)
    answer(page, root, {qid: key[qid] for qid in visible_ids(page, root)})
    page.locator(f'{root} button[type="submit"]').click()
    page.locator(f"{root} [data-quiz-cert-name]").fill("张三")
    page.locator(f"{root} [data-quiz-cert-make]").click()
    page.locator(f"{root} [data-quiz-cert-image]").wait_for(state="visible")
    assert violations(axe, page) == []


@pytest.mark.parametrize("language", ["", "en/"])
def test_learner_pages_with_content_have_no_violations(page, base_url, axe, language):
    """The book of mistakes with its list and a round of practice, the daily challenge running, the
    progress page with a pass: what a returning worker sees passes too."""
    from .conftest import answer, answer_key

    root = 'form[data-quiz-id="fire-safety"][data-quiz-ready]'
    page.goto(f"{base_url}{language}quizzes/fire-safety.html")
    key = answer_key("fire-safety")
    answer(page, root, key)  # every answer right: a pass
    page.locator(f'{root} button[type="submit"]').click()
    page.locator(f"{root} [data-quiz-retry]").click()
    first, right = next(iter(key.items()))
    wrong = page.eval_on_selector_all(
        f'{root} [data-question-id="{first}"] input',
        "(els, right) => els.map(e => e.value).filter(v => !right.includes(v))",
        right,
    )
    answer(page, root, {first: wrong[:1]})  # and one wrong: a mistake
    page.goto(f"{base_url}{language}learn/mistakes.html")
    page.wait_for_selector("[data-mistake]")
    assert violations(axe, page) == []
    page.locator("[data-learn-start]").click()
    page.wait_for_selector('form[data-quiz-id="mistakes"][data-quiz-ready]')
    assert violations(axe, page) == []
    page.goto(f"{base_url}{language}learn/daily.html")
    page.locator('form[data-quiz-id="daily"][data-quiz-ready] [data-quiz-start]').click()
    assert violations(axe, page) == []
    page.goto(f"{base_url}{language}learn/progress.html")
    page.wait_for_selector("[data-learn-passed] a")
    assert violations(axe, page) == []
