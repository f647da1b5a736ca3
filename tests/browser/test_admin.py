"""The organisers' dashboard in Chromium, as staff use it: through README's nginx block (the service
behind /anquan-api/, so /admin is /anquan-api/admin), after workers have sent results from the site.
Log in, read the overview and its charts, filter, open a quiz report and an attempt, export, print the
summary, log out; at 1280×800 and 360×740, with axe on every page."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_results import counted, take_and_send, wait_state  # noqa: F401  (counted: a fixture)

PASSWORD = "correct horse battery staple"
SIZES = {"desktop": (1280, 800), "phone": (360, 740)}


def add_user(counted, name: str, role: str, unit: str | None = None) -> None:  # noqa: F811
    command = [sys.executable, "-m", "generator", "results", "add-user", name, "--role", role]
    command += ["--db", counted.service.db] + (["--unit", unit] if unit else [])
    done = subprocess.run(command, cwd=counted.service.root, input=PASSWORD, capture_output=True, text=True)
    assert done.returncode == 0 or "taken" in done.stderr or "已有" in done.stderr, done.stderr


@pytest.fixture(scope="module")
def staffed(counted, make_context_module):  # noqa: F811
    """The counted site with two results sent from it (plant and yjj) and two staff accounts."""
    add_user(counted, "boss", "admin")
    add_user(counted, "plant-staff", "unit", "plant")
    page = make_context_module(counted.base).new_page()
    for unit, name in (("plant", "王五"), ("yjj", "<b>赵六</b>")):
        page.goto(f"{counted.base}quizzes/fire-safety.html")
        take_and_send(page, unit, name)
        wait_state(page, "sent")
        page.evaluate("localStorage.clear()")  # a second attempt, not a restored one
    page.context.close()
    return counted


@pytest.fixture(scope="module")
def make_context_module(browser):
    made = []

    def make(origin: str):
        context = browser.new_context(base_url=origin, viewport={"width": 360, "height": 740})
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def admin_url(counted) -> str:  # noqa: F811
    return counted.base.replace("/anquan/", "/anquan-api/admin")


def open_page(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def assert_axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]] == []


def assert_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_an_organiser_reads_filters_exports_and_logs_out(staffed, browser, size):
    base = admin_url(staffed)
    context, page, problems = open_page(browser, size)
    try:
        log_in(page, base, "boss")
        assert page.locator("[data-total=attempts]").inner_text() == "2"
        assert page.locator("[data-total=participants]").inner_text() == "2"  # localStorage cleared: a new device id
        # Charts drawn from the tables (static/admin.js), the tables still there for screen readers.
        page.wait_for_selector("#per-day .chart-view svg")
        page.wait_for_selector("#units-participants .chart-view svg")
        assert page.locator("#units-participants table tbody tr").count() == 12
        assert page.locator("tr[data-unit=plant] td").first.inner_text() == "1"
        assert_fits(page)
        assert_axe_clean(page)

        # Filter: one unit.
        page.select_option("#unit", "plant")
        page.click(".filters button[type=submit]")
        page.wait_for_url(re.compile(r"unit=plant"))
        assert page.locator("[data-total=attempts]").inner_text() == "1"

        # The quiz report, from the quizzes table, keeps the filter.
        page.click("tr[data-quiz=fire-safety] a")
        page.wait_for_url(re.compile(r"/quizzes/fire-safety\?.*unit=plant"))
        page.wait_for_selector("#histogram .chart-view svg")
        assert page.locator("[data-total=attempts]").inner_text() == "1"
        assert page.locator("tr[data-question] [data-cell=drawn]").first.inner_text().startswith("1 /")
        assert_fits(page)
        assert_axe_clean(page)

        # The attempts: the hostile name shown as text, one attempt's answers.
        page.goto(f"{base}/attempts?q=赵")
        assert page.locator("tr[data-attempt]").count() == 1
        assert page.locator("tr[data-attempt] td").nth(1).inner_text() == "<b>赵六</b>"
        assert_axe_clean(page)
        page.locator("tr[data-attempt] a").click()
        assert page.locator("[data-cell=name]").inner_text() == "<b>赵六</b>"
        assert page.locator("tr[data-question]").count() >= 1
        assert_fits(page)
        assert_axe_clean(page)

        # Export: an xlsx with the three sheets.
        page.goto(f"{base}/")
        with page.expect_download() as caught:
            page.click("nav.main >> text=导出 Excel")
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()), read_only=True)
        assert book.sheetnames == ["attempts", "units", "questions"]
        assert sum(1 for _ in book["attempts"].iter_rows()) == 3  # header and two attempts

        # The printable summary, in English: one language, charts, fits an A4 page's width in print.
        page.goto(f"{base}/summary?in=en")
        page.wait_for_selector("#per-day .chart-view svg")
        assert "参与人数" not in page.locator("main").inner_text()
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= max(794, SIZES[size][0])
        page.emulate_media(media="screen")
        assert_axe_clean(page)

        # Log out: the session is gone, the pages lead to the login form.
        page.goto(f"{base}/")
        page.click("header form button[type=submit]")
        page.wait_for_url(f"{base}/login")
        page.goto(f"{base}/attempts")
        assert page.url == f"{base}/login"
        assert_axe_clean(page)
        assert problems == []
    finally:
        context.close()


def test_a_unit_account_sees_only_its_unit(staffed, browser):
    base = admin_url(staffed)
    context, page, problems = open_page(browser, "phone")
    try:
        log_in(page, base, "plant-staff")
        assert page.locator("[data-total=attempts]").inner_text() == "1"
        assert page.locator("tr[data-unit]").count() == 1
        assert page.locator("#unit").count() == 0  # no unit filter
        page.goto(f"{base}/attempts")
        assert page.locator("tr[data-attempt]").count() == 1
        assert "赵六" not in page.content()
        reply = page.goto(f"{base}/units/yjj")
        assert reply.status == 404
        assert problems == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    finally:
        context.close()
