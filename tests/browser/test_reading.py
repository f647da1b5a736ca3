"""Reading comfort (DESIGN §13): the header's text-size and contrast control on every page, kept
across pages and visits, applied before the first paint; at extra large nothing scrolls sideways and
touch targets stay large; in high contrast axe's AAA contrast rule passes; line spacing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import NO_STORAGE, PHONE, answer, answer_key, reading_choice
from .test_site import crawl

CONTROL = "[data-text-size-control]"
SIZE = "document.documentElement.dataset.textSize"
CONTRAST = "document.documentElement.dataset.contrast || ''"
# What <html> carries when the body starts: the page is not painted before it has a body.
AT_FIRST_PAINT = """
window.__atBody = null;
new MutationObserver((changes, observer) => {
  if (document.body) {
    const d = document.documentElement.dataset;
    window.__atBody = [d.textSize || '', d.contrast || ''];
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
PARAGRAPH = "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"


def choose(page, choice: str) -> None:
    page.locator(f"{CONTROL} [data-reading-open]").click()
    page.locator(f"{CONTROL} {choice}").click()


@pytest.mark.parametrize("language", ["", "en/"])
def test_text_size_is_chosen_once_and_kept(make_context, base_url, language):
    """Extra large is 1.5 times the standard text; it holds on the next page, in the other language and
    after a reload, and it is on the page before the first paint (no flash of small text)."""
    context = make_context()
    context.add_init_script(AT_FIRST_PAINT)
    page = context.new_page()
    page.goto(f"{base_url}{language}modules/fire.html")
    assert page.evaluate(SIZE) == "normal"
    normal = page.evaluate(PARAGRAPH)
    choose(page, '[data-text-size="xlarge"]')
    assert page.evaluate(SIZE) == "xlarge"
    assert page.evaluate(PARAGRAPH) >= 1.5 * normal
    assert page.locator(f'{CONTROL} [data-text-size="xlarge"]').get_attribute("aria-pressed") == "true"
    assert page.locator(f'{CONTROL} [data-text-size="normal"]').get_attribute("aria-pressed") == "false"
    for url in ("quizzes/fire-safety.html", "en/index.html", "learn/daily.html"):
        page.goto(base_url + url)
        assert page.evaluate("window.__atBody") == ["xlarge", ""], url
        assert page.locator(f'{CONTROL} [data-text-size="xlarge"]').get_attribute("aria-pressed") == "true"
    choose(page, '[data-text-size="large"]')
    page.reload()
    assert page.evaluate("window.__atBody") == ["large", ""]
    assert normal * 1.2 <= page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)"
    )


def test_high_contrast_is_kept_and_can_be_turned_off(make_context, base_url):
    context = make_context()
    context.add_init_script(AT_FIRST_PAINT)
    page = context.new_page()
    page.goto(base_url + "index.html")
    choose(page, "[data-contrast-toggle]")
    assert page.evaluate(CONTRAST) == "high"
    assert page.locator(f"{CONTROL} [data-contrast-toggle]").get_attribute("aria-pressed") == "true"
    text = "getComputedStyle(document.querySelector('.md-content p')).color"
    assert page.evaluate(text) == "rgb(0, 0, 0)"
    page.goto(base_url + "en/modules/fire.html")
    assert page.evaluate("window.__atBody") == ["normal", "high"]
    choose(page, "[data-contrast-toggle]")
    assert page.evaluate(CONTRAST) == ""
    page.reload()
    assert page.evaluate("window.__atBody") == ["normal", ""]


def test_phone_asking_for_more_contrast_gets_it_until_turned_off(make_context, base_url):
    """A phone set to "increase contrast" (prefers-contrast: more) starts in high contrast; the
    worker's own choice wins from then on."""
    page = make_context(contrast="more").new_page()
    page.goto(base_url + "index.html")
    assert page.evaluate(CONTRAST) == "high"
    choose(page, "[data-contrast-toggle]")
    page.reload()
    assert page.evaluate(CONTRAST) == ""


def test_control_opens_closes_and_works_from_the_keyboard(page, base_url):
    page.goto(base_url + "quizzes/fire-safety.html")
    choices = page.locator(f"{CONTROL} [data-text-size]")
    assert choices.count() == 3
    assert not choices.first.is_visible()
    page.locator(f"{CONTROL} [data-reading-open]").focus()
    page.keyboard.press("Enter")
    assert page.locator(f"{CONTROL} [data-reading-open]").get_attribute("aria-expanded") == "true"
    choices.nth(2).wait_for(state="visible")
    for i in range(3):
        box = choices.nth(i).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.textSize") == "normal"
    page.keyboard.press("Escape")
    assert page.locator(f"{CONTROL} [data-reading-open]").get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.hasAttribute('data-reading-open')"), "focus goes back"
    choices.first.wait_for(state="hidden")
    page.locator(f"{CONTROL} [data-reading-open]").click()
    choices.first.wait_for(state="visible")
    page.mouse.click(5, 400)  # anywhere else closes it
    choices.first.wait_for(state="hidden")


def test_blocked_storage_still_changes_this_page(make_context, base_url):
    """In private mode the choice applies to the page in view, with no error."""
    context = make_context()
    context.add_init_script(NO_STORAGE["blocked"])
    page = context.new_page()
    page.goto(base_url + "modules/fire.html")
    choose(page, '[data-text-size="xlarge"]')
    assert page.evaluate(SIZE) == "xlarge"


def extra_large(make_context, **options):
    context = make_context(**options)
    context.add_init_script(reading_choice("xlarge", "high"))
    return context


def test_every_page_fits_a_phone_at_extra_large(make_context, base_url, project_site):
    """Every page of the test project at 360 px, extra-large text and high contrast: no sideways scrolling."""
    crawl(extra_large(make_context).new_page(), base_url, project_site, {})


@pytest.mark.parametrize("language", ["", "en/"])
def test_a_quiz_at_extra_large(make_context, base_url, language):
    """A scored quiz and its certificate form fit the phone and keep 44 px touch targets."""
    page = extra_large(make_context).new_page()
    page.goto(f"{base_url}{language}quizzes/principles.html")
    root = "form[data-quiz-ready]"
    for label in page.locator(f"{root} label").all()[:4]:
        assert label.bounding_box()["height"] >= 44
    answer(page, root, answer_key("principles"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"
    # Radio buttons and boxes are small; their labels, checked above, are what a thumb hits.
    targets = f"{root} button:visible, {root} input:not([type=radio]):not([type=checkbox]):visible"
    for control in page.locator(targets).all():
        box = control.bounding_box()
        assert box["height"] >= 44, control.evaluate("e => e.outerHTML.slice(0, 80)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


AAA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag2aaa", "best-practice"]}}


@pytest.mark.parametrize(
    "url", ["index.html", "en/modules/fire.html", "quizzes/principles.html", "en/learn/progress.html"]
)
def test_high_contrast_passes_aaa(make_context, base_url, url):
    """axe with its AAA rules (colour-contrast-enhanced: 7:1) in high contrast at extra large; on the
    quiz page, after scoring, with the marks and feedback shown."""
    page = extra_large(make_context).new_page()
    page.goto(base_url + url)
    if url.startswith("quizzes/"):
        submit = page.locator('form[data-quiz-ready] button[type="submit"]')
        submit.click()
        submit.click()
    results = Axe().run(page, options=AAA)
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]] == []


@pytest.mark.parametrize("size", ["large", "xlarge"])
def test_larger_text_passes_axe(make_context, base_url, size):
    page = make_context().new_page()
    page.add_init_script(reading_choice(size))
    for url in ("modules/fire.html", "en/quizzes/fire-safety.html"):
        page.goto(base_url + url)
        results = Axe().run(page)
        assert [v["id"] for v in results.response["violations"]] == [], url


@pytest.mark.parametrize("language", ["", "en/"])
def test_line_spacing(page, base_url, language):
    """Body text: line height at least 1.3 times the text (measured, in each language), and more space
    between paragraphs than between the lines of one (the gap, at least half a line)."""
    page.goto(f"{base_url}{language}modules/fire.html")
    spacing = page.evaluate(
        """() => [...document.querySelectorAll('article p, article li, .quiz label, .campaign-banner')].map(e => {
            const s = getComputedStyle(e);
            const kind = e.matches('.admonition-title, .quiz p') ? 'TITLE' : e.tagName;
            const line = parseFloat(s.lineHeight);
            return [kind, line / parseFloat(s.fontSize), parseFloat(s.marginBottom) / line];
        })"""
    )
    assert spacing
    assert all(ratio >= 1.3 for _, ratio, _ in spacing), spacing
    assert all(gap >= 0.5 for tag, _, gap in spacing if tag == "P"), spacing  # paragraphs of running text
