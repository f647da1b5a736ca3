"""Browser tests: the test project's site (tests/fixtures/project) served on 127.0.0.1 under /anquan/,
Chromium at phone size.  Only test_sample_site.py opens the sample's site (under /sample/).

Every page a test opens is watched: a console error, a failed request, an HTTP error or a
request to any other host fails the test.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from audit.crawl import CHROMIUM, CHROMIUM_ARGS, PHONE
from generator.load import load_quiz

from ..conftest import PROJECT


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A browser that drops a request half-answered (a page closed, a fetch the service worker
        gave up) is no error of the server's: no traceback in the test output for it."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server_url(served_root: Path):
    """http://127.0.0.1:<port>/ serving every built site, each under its own sub-path."""
    handler = functools.partial(_QuietHandler, directory=str(served_root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(server_url, project_site: Path):
    """The test project's site under /anquan/, as from a sub-path on a real host."""
    return f"{server_url}{project_site.name}/"


@pytest.fixture(scope="session")
def sample_url(server_url, sample_site: Path):
    """The sample's site under /sample/ (for the tests of the sample content only)."""
    return f"{server_url}{sample_site.name}/"


@pytest.fixture(scope="session")
def exam_url(server_url, exam_site: Path):
    return f"{server_url}{exam_site.name}/"


@pytest.fixture(scope="package")
def browser():
    """Chromium for the browser tests.  Package scope, not session: Playwright's sync API runs an
    asyncio loop in this thread while it is open, and the tests run after these (tests/results'
    senders, tests/unit/test_scoring's own Playwright) need the thread without one."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it with apt (package chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    origin: str
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", self._request)

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser dropping a request because the test navigated away
        # (the search index loading in the background, say); a missing file shows as an HTTP error.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url} {request.failure}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.errors.append(f"other host: {request.url}")


def _context(browser, base_url, **options):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    # The service worker runs, as on every phone (DESIGN §8); a test blocks it only where it must
    # (service_workers="block"), and says why.
    options.setdefault("service_workers", "allow")
    for name, value in (("viewport", PHONE), ("device_scale_factor", 2), ("is_mobile", True), ("has_touch", True)):
        options.setdefault(name, value)  # a phone unless the test says otherwise
    context = browser.new_context(**options)
    watch = PageWatch(origin)
    context.on("page", watch.attach)
    return context, watch


@pytest.fixture
def context(browser, base_url):
    """A fresh phone-sized browser context (empty storage); fails the test on any error seen."""
    context, watch = _context(browser, base_url)
    yield context
    context.close()
    assert watch.errors == []


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def make_context(browser, request):
    """Contexts with options (JavaScript off, init scripts), watched like the default one; on the test
    project's site unless ``origin`` names another (which then is not built for nothing)."""
    made = []

    def make(origin: str | None = None, **options):
        context, watch = _context(browser, origin or request.getfixturevalue("base_url"), **options)
        made.append((context, watch))
        return context

    yield make
    for context, watch in made:
        context.close()
        assert watch.errors == []


@functools.cache
def answer_key(quiz_id: str, source: str | None = None) -> dict[str, list[str]]:
    """The correct values per question, from the test project's quiz file (or ``source``), not from the page."""
    if source is None:
        quiz, problems = load_quiz(PROJECT / "quizzes" / f"{quiz_id}.yaml")
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{quiz_id}.yaml"
            path.write_text(source, encoding="utf-8")
            quiz, problems = load_quiz(path)
    assert quiz is not None, problems
    return {q.id: sorted(q.answer) for q in quiz.questions}


def start(page, root: str) -> None:
    """Press Start where the quiz has a time limit."""
    button = page.locator(f"{root} [data-quiz-start]")
    if button.count() and button.is_visible():
        button.click()


def visible_ids(page, root: str) -> list[str]:
    """The questions of the current attempt, in the order shown."""
    return page.eval_on_selector_all(
        f"{root} [data-question-id]:not([hidden])", "els => els.map(e => e.dataset.questionId)"
    )


def wrong_values(page, question_id: str, right: list[str]) -> list[str]:
    """One value per question that makes it wrong: the first choice that is not in the answer."""
    values = page.eval_on_selector_all(f'[data-question-id="{question_id}"] input', "els => els.map(e => e.value)")
    return [next(v for v in values if v not in right)]


def answer(page, root: str, answers: dict[str, list[str]]) -> None:
    """Tick the given values of the questions in the current attempt, tapping as a worker would."""
    shown = visible_ids(page, root)
    for question_id, values in answers.items():
        if question_id not in shown:
            continue
        for value in values:
            page.locator(f'{root} [data-question-id="{question_id}"] input[value="{value}"]').check()


# What the service worker keeps: every cached address, in every cache of the site.
CACHED = (
    "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))"
    ".then(a => a.flat().map(r => r.url))"
)


def wait_for_cache(page, needed: str) -> list[str]:
    for _ in range(40):
        urls = page.evaluate(CACHED)
        if any(url.endswith(needed) for url in urls):
            return urls
        page.wait_for_timeout(250)
    raise AssertionError(f"{needed} was not cached")


NO_STORAGE = {
    "blocked": "Object.defineProperty(window, 'localStorage', "
    "{get() { throw new DOMException('blocked', 'SecurityError'); }})",
    "quota-full": "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }",
}
"""Init scripts that take storage away as private mode (blocked) or a full phone (quota-full) does."""


LANGUAGE_BUTTON = ".md-header .md-select:has([hreflang]) > button"
"""The header's language button (the reading control beside it is another .md-select)."""


def reading_choice(size: str, contrast: str = "off") -> str:
    """An init script: the reader chose ``size`` and ``contrast`` on an earlier visit (DESIGN §13)."""
    return (
        f"try {{ localStorage.setItem('generator-reading:size', '{size}');"
        f" localStorage.setItem('generator-reading:contrast', '{contrast}'); }} catch (e) {{}}"
    )
