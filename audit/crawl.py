"""Every page of the built site in headless Chromium at phone size: what goes wrong, per page.

Counts console errors (and uncaught exceptions), failed requests (network failures and HTTP
errors), requests to any other host, and checks that the quiz engine is loaded by the pages
that hold a quiz and by no other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, for the crawl and for the browser tests (tests/browser/conftest.py)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
QUIZ_ASSET = "/assets/generator/quiz."
CERTIFICATE = "quiz-certificate"


@dataclass
class PageReport:
    path: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    engine_misplaced: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.console_errors or self.failed_requests or self.other_hosts or self.engine_misplaced)


@dataclass
class Crawl:
    pages: list[PageReport]

    def count(self, kind: str) -> int:
        return sum(len(getattr(page, kind)) for page in self.pages)


def pages_of(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def crawl(site: Path, base_url: str) -> Crawl:
    from playwright.sync_api import sync_playwright

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    reports = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Service workers precache a language's pages in the background after each first
        # visit: blocked here so each page's requests are its own (tests cover the worker).
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, service_workers="block"
        )
        for path in pages_of(site):
            reports.append(_visit(context, origin, base_url + path, path))
        browser.close()
    return Crawl(reports)


def _visit(context, origin: str, url: str, path: str) -> PageReport:
    report = PageReport(path)
    engine = []
    page = context.new_page()

    def request(req) -> None:
        parts = urlsplit(req.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != origin:
            report.other_hosts.append(req.url)
        if QUIZ_ASSET in parts.path and CERTIFICATE not in parts.path:
            engine.append(parts.path)

    def failed(req) -> None:
        if "ERR_ABORTED" not in (req.failure or ""):  # the crawl moving on while a request is in flight
            report.failed_requests.append(f"{req.url} ({req.failure})")

    page.on("console", lambda message: message.type == "error" and report.console_errors.append(message.text))
    page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
    page.on("request", request)
    page.on("requestfailed", failed)
    page.on("response", lambda r: r.status >= 400 and report.failed_requests.append(f"{r.url} (HTTP {r.status})"))
    try:
        page.goto(url, wait_until="networkidle", timeout=60_000)
        has_quiz = page.locator("[data-quiz-id]").count() > 0
    except Exception as error:  # a page that does not load is itself the finding
        report.failed_requests.append(f"{url} ({error.__class__.__name__}: {str(error).splitlines()[0]})")
        has_quiz = False
    finally:
        page.close()
    if engine and not has_quiz:
        report.engine_misplaced.append(f"quiz engine loaded on a page without a quiz: {', '.join(engine)}")
    if has_quiz and not engine:
        report.engine_misplaced.append("page holds a quiz but the quiz engine was not loaded")
    return report
