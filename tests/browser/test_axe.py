"""axe-core finds no accessibility violation (colour contrast included) on the pages a worker sees."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = ["index.html", "en/index.html", "modules/fire.html", "en/modules/rights-duties.html",
         "quizzes/index.html", "quizzes/principles.html", "en/quizzes/fire-safety.html"]


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
