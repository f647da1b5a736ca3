"""Material's search loads when a worker wants it (issue 18; theme_overrides/main.html): a first visit
asks for no search index, search worker or lunr file until search is opened or its field focused; then
search works as before, a result's page highlights the words searched, and it works offline after
one visit.  Run with the service worker on, as phones do: its background copy of the site is not the
page's own load (it is counted by `make bench`), so only the page's requests are watched here.

If a Material update changes how the bundle asks for either, the first test fails."""

from __future__ import annotations

import re

import pytest

from .conftest import wait_for_cache
from .test_site import search

SEARCH_FILES = re.compile(r"/search/search_index\.js(on)?$|/workers/search\.[0-9a-f]+\.min\.js$|/lunr/")


def watched(context):
    """A new page and the list of the search files it has asked for, kept up to date."""
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: SEARCH_FILES.search(request.url) and asked.append(request.url))
    return page, asked


@pytest.mark.parametrize(
    ("path", "ready", "query", "found"),
    [
        ("index.html", "键入以开始搜索", "灭火器", "消防"),
        ("quizzes/principles.html", "键入以开始搜索", "灭火器", "消防"),
        ("en/modules/principles.html", "Type to start searching", "extinguisher", "Fire"),
    ],
)
def test_search_files_load_when_search_is_opened(context, base_url, path, ready, query, found):
    page, asked = watched(context)
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # Material's bundle asked for the index at start, before this change
    assert asked == [], "nothing of search before a worker opens it"
    titles = search(page, base_url + path, ready, query).all_inner_texts()
    assert any(found in title for title in titles), titles
    names = {url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1].split(".")[0] for url in asked}
    assert {"search/search_index", "workers/search"} <= names, asked
    prefix = "en/" if path.startswith("en/") else ""
    assert any(url == f"{base_url}{prefix}search/search_index.json" for url in asked), "the page's own language"


def test_keyboard_focus_loads_search(make_context, base_url):
    """On a computer, Material's "/" key focuses the search field: that is wanting search too."""
    context = make_context(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    page, asked = watched(context)
    page.goto(base_url + "modules/fire.html")
    page.wait_for_load_state("networkidle")
    assert asked == []
    with page.expect_request(lambda request: request.url.endswith("/search/search_index.json")):
        page.keyboard.press("/")
    assert page.evaluate("document.activeElement.getAttribute('data-md-component')") == "search-query"
    field = page.locator("input.md-search__input")
    field.fill("灭火器")
    field.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10000)


def test_result_page_highlights_the_words_searched(page, base_url):
    """A search result's link carries ?h=: that page loads the index at once to mark the words."""
    page.goto(base_url + "en/modules/fire.html?h=extinguisher")
    marks = page.locator("mark[data-md-highlight]")
    marks.first.wait_for(timeout=10000)
    assert marks.first.inner_text().lower().startswith("extinguisher")


def test_search_works_offline_after_one_visit(make_context, base_url):
    """The service worker keeps the index, the search worker and lunr's files from the first visit on."""
    context = make_context()
    page = context.new_page()
    page.goto(base_url + "index.html")
    wait_for_cache(page, "search/search_index.json")  # the last of the language's files
    context.set_offline(True)
    titles = search(page, base_url + "modules/principles.html", "键入以开始搜索", "灭火器").all_inner_texts()
    assert any("消防" in title for title in titles), titles
    context.set_offline(False)
