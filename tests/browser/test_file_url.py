"""The test project's site opened from a folder (file://, a USB stick): pages, language switch, quizzes and search.

Chromium will not start a Web Worker from a file:// page, and Material's search runs in one:
theme_overrides/main.html loads the vendored iframe-worker shim on file:// pages only.  The
watch of every page still fails a test on a console error, a failed request (a missing file
is one) or any http(s) request, since no page here has an http origin.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import LANGUAGE_BUTTON, answer, answer_key, start, visible_ids
from .test_site import search

LANGUAGES = {"zh": "", "en": "en/"}


@pytest.fixture(scope="module")
def folder_url(project_site: Path) -> str:
    """file:///.../anquan/"""
    return project_site.as_uri() + "/"


@pytest.fixture
def page(make_context, folder_url):
    """A fresh phone-sized page watched with the folder as its origin: any http(s) request fails the test."""
    return make_context(folder_url).new_page()


def test_every_module_and_quiz_page_loads_from_a_folder(page, folder_url, project_site):
    """Home, every module and every quiz page in both languages: a heading, no error, nothing fetched from a host."""
    names = [
        p.relative_to(project_site).as_posix()
        for prefix in LANGUAGES.values()
        for folder in ("modules", "quizzes")
        for p in sorted((project_site / prefix / folder).glob("*.html"))
    ]
    names += [f"{prefix}index.html" for prefix in LANGUAGES.values()]
    assert {
        "modules/fire.html",
        "en/modules/fire.html",
        "quizzes/fire-safety.html",
        "en/quizzes/fire-safety.html",
    } <= set(names)
    for name in names:
        page.goto(folder_url + name)
        page.wait_for_load_state("load")
        assert page.locator("h1").count() >= 1, name


@pytest.mark.parametrize(
    "start_at, expected",
    [
        ("modules/fire.html", "en/modules/fire.html"),
        ("en/modules/fire.html", "modules/fire.html"),
    ],
)
def test_language_switch_keeps_the_module(page, folder_url, start_at, expected):
    """The header's language menu opens the same module in the other language, from a folder too."""
    page.goto(folder_url + start_at)
    page.locator(LANGUAGE_BUTTON).click()
    other = "zh" if start_at.startswith("en/") else "en"
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state("load")
    assert page.url == folder_url + expected
    assert page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("language", LANGUAGES)
def test_quiz_is_scored_from_a_folder(page, folder_url, language):
    """A worker answers every question right and submits: 100 and passed."""
    page.goto(f"{folder_url}{LANGUAGES[language]}quizzes/fire-safety.html")
    root = 'form[data-quiz-id="fire-safety"][data-quiz-ready]'
    start(page, root)
    shown = visible_ids(page, root)
    key = {qid: right for qid, right in answer_key("fire-safety").items() if qid in shown}
    assert key
    answer(page, root, key)
    page.locator(f'{root} button[type="submit"]').click()
    result = page.locator(f"{root} [data-quiz-result]")
    assert result.is_visible()
    assert result.get_attribute("data-score") == "100" and result.get_attribute("data-passed") == "true"


@pytest.mark.parametrize(
    "start_at, ready, query, module",
    [
        ("index.html", "键入以开始搜索", "灭火器", "modules/fire.html"),
        ("quizzes/fire-safety.html", "键入以开始搜索", "灭火器", "modules/fire.html"),
        ("en/modules/principles.html", "Type to start searching", "extinguisher", "en/modules/fire.html"),
        ("en/quizzes/fire-safety.html", "Type to start searching", "extinguisher", "en/modules/fire.html"),
    ],
)
def test_search_works_from_a_folder(page, folder_url, project_site, start_at, ready, query, module):
    """Search starts (through the shim) and searches the page's own language; every result is a file of the site."""
    search(page, folder_url + start_at, ready, query)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    english = start_at.startswith("en/")
    files = []
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "file", link
        path = Path(unquote(parts.path))
        assert path.is_file(), link
        files.append(path.relative_to(project_site).as_posix())
    assert module in files, files
    assert all(f.startswith("en/") == english for f in files), files
    page.locator(f'.md-search-result__item a[href*="/{module}"]').first.click()
    # Not wait_for_load_state: the page searched from is loaded already, and the click does not wait for the navigation.
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/" + module))
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == (project_site / module).as_posix()
    assert query in page.locator("article").inner_text()


def test_shim_costs_nothing_over_http(make_context, base_url):
    """Over http the shim is neither requested nor run, nothing is written with document.write, and search works."""
    context = make_context()
    context.add_init_script("""
        const write = Document.prototype.write;
        window.__writes = 0;
        Document.prototype.write = function (...args) { window.__writes += 1; return write.apply(this, args); };
    """)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    search(page, base_url + "en/modules/principles.html", "Type to start searching", "extinguisher")
    assert not [url for url in requested if "iframe-worker" in url]
    assert page.evaluate("window.__writes") == 0
    assert page.evaluate("typeof window.IFrameWorker") == "undefined"
