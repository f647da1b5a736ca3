"""Keyboard use, focus, touch targets, and reading without JavaScript."""

from __future__ import annotations

from .conftest import answer_key

ROOT = 'form[data-quiz-id="principles"][data-quiz-ready]'


def active(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement; const q = e.closest('[data-question-id]');
        return {tag: e.tagName, type: e.type || '', value: e.value || '', question: q ? q.dataset.questionId : null,
                submit: e.type === 'submit', result: e.hasAttribute('data-quiz-result'),
                check: e.hasAttribute('data-quiz-check')}; }""")


def test_quiz_by_keyboard_alone(page, base_url):
    """Tab into a practice quiz, choose with arrows and Space, check each question, submit with Enter."""
    page.goto(f"{base_url}quizzes/principles.html")
    page.wait_for_selector(ROOT)
    key = answer_key("principles")
    for _ in range(60):  # past the header and navigation
        page.keyboard.press("Tab")
        if active(page)["question"]:
            break
    for question_id, right in key.items():
        here = active(page)
        assert here["question"] == question_id, here
        values = page.eval_on_selector_all(
            f'{ROOT} [data-question-id="{question_id}"] input', "els => els.map(e => e.value)"
        )
        if here["type"] == "radio":
            # Tab lands on the first radio; each ArrowDown moves to and selects the next one.
            page.keyboard.press("Space")
            for _ in range(values.index(right[0])):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        else:
            for value in values:
                if value in right:
                    page.keyboard.press("Space")
                page.keyboard.press("Tab")
            # Practice mode: Tab reaches "Check this answer"; Enter checks and moves to the verdict.
            assert active(page)["check"]
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
        outcome = page.locator(f'{ROOT} [data-question-id="{question_id}"]').get_attribute("data-outcome")
        assert outcome == "correct", f"{question_id} is checked once focus leaves it"
    assert active(page)["submit"]
    page.keyboard.press("Enter")
    assert active(page)["result"]
    result = page.locator(f"{ROOT} [data-quiz-result]")
    assert result.get_attribute("data-score") == "100"


def test_focus_is_visible(page, base_url):
    """A focused option shows an outline."""
    page.goto(f"{base_url}quizzes/principles.html")
    page.wait_for_selector(ROOT)
    page.locator(f"{ROOT} input").first.focus()
    outline = page.eval_on_selector(
        f"{ROOT} .quiz__option", "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px")


def test_touch_targets_are_at_least_44px(page, base_url):
    """Every option and button a worker taps is at least 44 px tall."""
    page.goto(f"{base_url}en/quizzes/principles.html")
    page.wait_for_selector(ROOT)
    targets = f"{ROOT} .quiz__option, {ROOT} button, {ROOT} input[type=text]"
    measure = "els => els.filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height)"
    heights = page.eval_on_selector_all(targets, measure)
    assert heights and min(heights) >= 44, min(heights)
    page.locator(f"{ROOT} [data-question-type=multiple] input").first.check()  # shows "Check this answer"
    submit = page.locator(f'{ROOT} button[type="submit"]')
    submit.click()
    submit.click()
    heights = page.eval_on_selector_all(targets, measure)
    assert min(heights) >= 44, min(heights)
    widths = page.eval_on_selector_all(f"{ROOT} .quiz__option", "els => els.map(e => e.getBoundingClientRect().right)")
    assert max(widths) <= 360, "nothing sticks out of a 360 px screen"


def test_fieldset_and_legend_per_question(page, base_url):
    """Each question is a fieldset named by its legend, so screen readers announce the question with each option."""
    page.goto(f"{base_url}quizzes/principles.html")
    counts = page.evaluate("""() => [...document.querySelectorAll('[data-question-id]')].map(q =>
        q.querySelectorAll(':scope > fieldset > legend').length + '/' + q.querySelectorAll('label > input').length)""")
    assert all(c.startswith("1/") and not c.endswith("/0") for c in counts)


def test_readable_without_javascript(make_context, base_url):
    """Without JavaScript the questions are all there, a note explains scoring, and no dead button shows."""
    context = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}quizzes/principles.html")
    root = 'form[data-quiz-id="principles"]'
    assert page.locator(f"{root} [data-question-id]").count() == len(answer_key("principles"))
    assert page.locator(f"{root} [data-quiz-nojs]").is_visible()
    assert "JavaScript" in page.locator(f"{root} [data-quiz-nojs]").inner_text()
    assert not page.locator(f'{root} button[type="submit"]').is_visible()
    assert page.locator(f"{root} [data-quiz-explanation]:visible").count() == 0


def test_quiz_page_is_stable_and_crawlable_with_javascript(page, base_url):
    """With JavaScript the no-script note is never laid out (it would push the questions up as
    the page loads: a layout shift), and every link has an address (no href-less download link)."""
    page.goto(f"{base_url}quizzes/fire-safety.html")
    page.wait_for_selector('form[data-quiz-id="fire-safety"][data-quiz-ready]')
    assert page.locator("[data-quiz-nojs]").count() == 0  # inside <noscript>, not parsed into the page
    assert page.eval_on_selector_all("a:not([href])", "links => links.map(a => a.outerHTML)") == []
    shift = page.evaluate("""() => new Promise(resolve => {
        let total = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) total += e.value; })
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve(total), 300);
    })""")
    assert shift < 0.01, f"layout shift while the quiz starts: {shift}"
