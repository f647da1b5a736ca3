"""Big and odd inputs in Chromium at phone size (issue 8).

The 5,000-question quiz page (tests/odd_inputs.py, built once per run) still works: a question is
answered and checked, handing in lists the 4,999 open ones, handing in again shows the result.
Astral CJK, emoji and Arabic/Hebrew texts in a quiz (title, description, prompts, options,
explanation) and in every campaign field are shown as written and stay inside their boxes and the
360-px screen.  No timings are asserted; page-load timeouts are raised for the 5.8 MB page.
"""

from __future__ import annotations

import re

import pytest

from ..odd_inputs import BIG_COUNT, ODD
from .conftest import PHONE

BIG_PAGE_TIMEOUT = 180_000
"""ms; the big page took 4-8 s to load and 1-4 s to score on the 2-core test machine."""

BOXES = ", ".join(
    [
        ".md-banner",
        ".md-content h1",
        ".md-content p",
        ".md-content li",
        ".md-content td",
        ".quiz__prompt",
        ".quiz__option",
        ".quiz__label",
        ".quiz__explanation",
        ".quiz__description",
        ".quiz__feedback",
        "[data-quiz-result]",
        ".quiz-list__item",
        ".campaign-hero__theme",
        ".campaign-hero__meta",
    ]
)
"""Where the odd texts are shown (the header's title is left out: Material cuts it with an ellipsis on purpose)."""

_OUTSIDE = """(selectors) => {
    const width = document.documentElement.clientWidth, bad = [];
    for (const el of document.querySelectorAll(selectors)) {
        const rects = [...el.getClientRects()];
        if (!rects.length) continue;  // not shown
        const name = `${el.tagName.toLowerCase()}.${el.className}`;
        for (const r of rects) if (r.left < -0.5 || r.right > width + 0.5) bad.push(`${name}: ${r.left}..${r.right}`);
        if (getComputedStyle(el).display !== "inline" && el.scrollWidth > el.clientWidth + 1)
            bad.push(`${name}: content ${el.scrollWidth} px wide in a ${el.clientWidth} px box`);
    }
    return bad;
}"""


_SPLIT_LETTERS = """() => [...document.querySelectorAll('.quiz__letter')]
    .filter((e) => e.getClientRects().length
        && e.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(e).lineHeight))
    .map((e) => e.closest('label').textContent.trim().slice(0, 30))"""
"""Options whose letter ("A.") is broken over two lines: it shrank beside a text that wraps."""


@pytest.fixture(scope="module")
def odd_url(server_url, odd_site):
    return f"{server_url}{odd_site.name}/"


@pytest.fixture
def odd_page(make_context, odd_url):
    page = make_context(origin=odd_url).new_page()
    page.set_default_timeout(BIG_PAGE_TIMEOUT)
    return page


def assert_fits(page) -> None:
    """Nothing is wider than the phone, and no odd text spills out of its box."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(_OUTSIDE, BOXES) == []
    assert page.evaluate(_SPLIT_LETTERS) == []


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_five_thousand_question_quiz_works(odd_page, odd_url):
    """Answer one question (practice: checked at once), hand in, see the 4,999 open ones, hand in again: the result."""
    page = odd_page
    page.goto(f"{odd_url}quizzes/big.html")
    root = 'form[data-quiz-id="big"][data-quiz-ready]'
    page.wait_for_selector(root)
    assert page.locator(f"{root} [data-question-id]").count() == BIG_COUNT
    question = page.locator(
        f'{root} [data-question-id="q03"]'
    )  # single choice, answer D (question_bank: "ABCD"[3 % 4])
    question.locator('input[value="D"]').check()
    assert question.get_attribute("data-outcome") == "correct"
    last = page.locator(f'{root} [data-question-id="q{BIG_COUNT}"]')
    assert last.locator(".quiz__number").inner_text() == f"第 {BIG_COUNT} 题"
    page.locator(f'{root} button[type="submit"]').click()
    status = page.locator(f"{root} [data-quiz-status]")
    assert f"还有 {BIG_COUNT - 1} 题没有作答" in status.inner_text()
    page.locator(f'{root} button[type="submit"]').click()
    result = page.locator(f"{root} [data-quiz-result][data-score]")
    result.wait_for()
    assert (
        result.is_visible()
        and result.get_attribute("data-score") == "0"
        and result.get_attribute("data-passed") == "false"
    )
    assert page.locator(f'{root} [data-outcome="correct"]').count() == 1
    assert page.locator(f'{root} [data-outcome="incorrect"]').count() == BIG_COUNT - 1
    assert "未通过" in result.inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language, prefix", [("zh", ""), ("en", "en/")])
def test_odd_quiz_texts_fit_and_read_as_written(odd_page, odd_url, language, prefix):
    """Title, description, prompts, options and, after handing in, the explanation: intact and inside the screen."""
    page = odd_page
    page.goto(f"{odd_url}{prefix}quizzes/odd.html")
    root = 'form[data-quiz-id="odd"][data-quiz-ready]'
    page.wait_for_selector(root)
    assert squash(page.locator(".md-content h1").inner_text()) == ODD[f"title_{language}"]
    prompts = [squash(t) for t in page.locator(f"{root} .quiz__prompt").all_inner_texts()]
    assert prompts[:2] == [ODD[f"prompt_{language}"], ODD["long_rtl"]]
    labels = [squash(t) for t in page.locator(f'{root} [data-question-id="rtl"] .quiz__label').all_inner_texts()]
    assert labels == [ODD["option_a"], ODD["option_b"], ODD["option_c"]]
    assert_fits(page)
    page.locator(f'{root} [data-question-id="rtl"] input[value="A"]').check()
    for value in ("A", "C"):
        page.locator(f'{root} [data-question-id="long"] input[value="{value}"]').check()
    page.locator(f'{root} [data-question-id="emoji"] input[value="true"]').check()
    page.locator(f'{root} button[type="submit"]').click()
    result = page.locator(f"{root} [data-quiz-result][data-score]")
    result.wait_for()
    assert result.get_attribute("data-score") == "100"
    explanation = page.locator(f'{root} [data-question-id="rtl"] [data-quiz-explanation]')
    assert squash(explanation.inner_text()) == ODD["explanation"]
    assert_fits(page)


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "en/index.html",
        "modules/odd.html",
        "en/modules/odd.html",
        "quizzes/index.html",
        "en/quizzes/index.html",
    ],
)
def test_odd_campaign_and_lists_fit(odd_page, odd_url, path):
    """The banner, the home page's campaign (theme, organiser, activities), module and quiz lists: no overflow."""
    page = odd_page
    page.goto(odd_url + path)
    page.wait_for_load_state("load")
    language = "en" if path.startswith("en/") else "zh"
    banner = squash(page.locator(".md-banner").inner_text())
    assert ODD[f"theme_{language}"] in banner
    if path.endswith("index.html") and "quizzes" not in path:
        main = squash(page.locator(".md-content").inner_text())
        for key in ("organiser", "activity", "place"):
            assert ODD[f"{key}_{language}"] in main, key
    assert_fits(page)
