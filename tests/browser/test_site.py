"""The whole test project's site: every page loads clean in both languages, the language switch keeps
the page, search."""

from __future__ import annotations

import pytest

from .conftest import LANGUAGE_BUTTON, PHONE

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1, "is_mobile": False, "has_touch": False}


@pytest.mark.parametrize("device", [{}, DESKTOP], ids=["phone", "desktop"])
def test_every_page_loads_without_errors(make_context, base_url, project_site, device):
    """Each page of the site, both languages, on a phone and a desktop: no console error, no failed
    request, no other host, no sideways scrolling."""
    crawl(make_context(**device).new_page(), base_url, project_site, device)


def crawl(page, base_url: str, site, device: dict, one_per_folder: bool = False) -> None:
    """Open every page of ``site`` (served at ``base_url``) but 404.html, or with ``one_per_folder`` the
    first of each folder (a kind of page: home, modules, quizzes... in each language): each has a
    heading and fits the screen."""
    page.set_default_navigation_timeout(60000)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 16
    if one_per_folder:
        pages = list({url.rpartition("/")[0]: url for url in reversed(pages)}.values())
    for url in pages:
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        assert page.locator("h1").count() >= 1, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= device.get("viewport", PHONE)["width"], f"{url} scrolls sideways ({width}px)"


@pytest.mark.parametrize(
    "start, expected",
    [
        ("quizzes/fire-safety.html", "en/quizzes/fire-safety.html"),
        ("modules/rights-duties.html", "en/modules/rights-duties.html"),
        ("en/quizzes/index.html", "quizzes/index.html"),
        ("en/index.html", "index.html"),
    ],
)
def test_language_switch_keeps_the_page(page, base_url, start, expected):
    """Choosing the other language in the header opens the same page in that language."""
    page.goto(base_url + start)
    page.locator(LANGUAGE_BUTTON).click()
    other = "en" if not start.startswith("en/") else "zh"
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state("load")
    assert page.url == base_url + expected
    assert page.evaluate("document.documentElement.lang") == other


def search(page, url: str, ready: str, query: str):
    """Open search on ``url``, wait until it is ready (a query typed while the index loads is
    dropped), type ``query`` as an input method commits a word, and wait for results and for the
    search dialog to finish sliding in (on a phone it is wider than the screen meanwhile, and a
    tap on a result can land beside it: seen with a small site whose index loads at once)."""
    page.goto(url)
    page.locator("label.md-header__button[for='__search']").click()
    page.wait_for_function(
        f"document.querySelector('.md-search-result__meta')?.textContent.includes('{ready}')", timeout=20000
    )
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.wait_for_function("document.getAnimations().length === 0", timeout=10000)
    return page.locator(".md-search-result__item")


def test_chinese_search_finds_a_module(page, base_url):
    """Searching a Chinese word finds the module that holds it (jieba segmentation at build time)."""
    titles = search(page, base_url + "index.html", "键入以开始搜索", "灭火器").all_inner_texts()
    assert any("消防" in t for t in titles), titles


def test_english_search_finds_stemmed_words(page, base_url):
    """English pages search the English index with Material's English settings: "extinguisher" is found."""
    search(page, base_url + "en/modules/principles.html", "Type to start searching", "extinguisher")
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert links and all(link.startswith(base_url + "en/") for link in links), links
    assert any("en/modules/fire.html" in link for link in links)


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_back_to_top_leaves_the_first_question_clear(page, base_url):
    """Material's back-to-top button shows when a worker scrolls back up; on a phone it waits in the
    bottom corner instead of under the header, where it covered the first question."""
    page.goto(base_url + "quizzes/fire-safety.html")
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(300)
    question = page.locator("form[data-quiz-ready] [data-question-id]").first
    legend = question.locator("legend")
    # Back up until the first question is just under the header, as a worker reading it again would be.
    while legend.bounding_box()["y"] < 120:
        page.mouse.wheel(0, -150)
        page.wait_for_timeout(50)
    top = page.locator(".md-top")
    top.wait_for(state="visible")
    page.wait_for_timeout(200)  # its slide-in
    button = top.bounding_box()
    assert button["y"] + button["height"] <= PHONE["height"] and button["y"] > PHONE["height"] / 2
    assert button["height"] >= 44
    assert not overlap(button, legend.bounding_box())
    assert top.get_attribute("aria-label") or top.inner_text().strip()  # it still says what it does
