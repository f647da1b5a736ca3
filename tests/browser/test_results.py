"""A worker's side of counting participation (DESIGN §11), end to end: the site served by nginx with
README's configuration, which forwards /anquan-api/ to the real results service on SQLite."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from ..conftest import (
    GOOD_QUIZ,
    ROOT,
    UNITS_YAML,
    built,
    fixture_config,
    make_project,
    with_results,
)
from .conftest import _context, wait_for_cache

PAGES = {
    "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    "modules/fire.zh.md": "# 消防\n\n<!-- quiz: fire-safety -->\n",
    "modules/fire.en.md": "# Fire\n\n<!-- quiz: fire-safety -->\n",
}
VILLAGES = "".join(f"  - code: village-{n}\n    name: {{zh: 测试{n}村, en: Test Village {n}}}\n" for n in range(1, 10))
"""Nine units after the test project's three: 12, so a filter box stands above the list."""
ROOT_SELECTOR = 'form[data-quiz-id="fire-safety"]'
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_nginx(root: Path, listen: int, service: int) -> str:
    """README's nginx server block, with this test's ports and folder."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(block for block in re.findall(r"```nginx\n(.*?)```", text, re.S) if "/anquan-api/" in block)
    block = block.replace("listen 80;", f"listen 127.0.0.1:{listen};").replace("root /var/www;", f"root {root};")
    return block.replace("127.0.0.1:8100", f"127.0.0.1:{service}")


class Service:
    """``python -m generator results serve`` in the project, on a fixed port, stopped and started at will."""

    def __init__(self, root: Path, port: int, db: str, log: Path) -> None:
        self.root, self.port, self.db, self.log, self.process = root, port, db, log, None

    def start(self) -> None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
        command = [sys.executable, "-m", "generator", "results", "serve", "--db", self.db]
        command += ["--port", str(self.port), "--proxy", "127.0.0.1"]
        with self.log.open("ab") as log:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("the results service did not start:\n" + self.log.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail("the results service did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    """A project with results on, its site under /anquan/ in nginx, the service on SQLite (a ``Counted``)."""
    work = tmp_path_factory.mktemp("results-site")
    yield from serve_counted(work, f"sqlite:///{work / 'results.db'}")


@pytest.fixture(scope="module")
def counted_on_postgres(tmp_path_factory):
    """As ``counted``, with the service on a throwaway PostgreSQL server (tests/results/conftest.py)."""
    from ..results.conftest import throwaway_postgres

    with throwaway_postgres() as server:
        url = server.create_database().render_as_string(hide_password=False)
        yield from serve_counted(tmp_path_factory.mktemp("results-site-pg"), url)


class Nginx:
    """nginx with README's server block, serving ``served`` (the site under /anquan/) and forwarding
    /anquan-api/ to the service's port; stopped and started at will (a host that stops answering)."""

    def __init__(self, work: Path, served: Path, service_port: int) -> None:
        self.work, self.port, self.process = work, free_port(), None
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's folders
        self.conf = work / "nginx.conf"
        self.conf.write_text(
            f"{user}daemon off;\npid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\n"
            f"events {{ worker_connections 64; }}\n"
            f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n"
            f"client_body_temp_path {work}/body;\nproxy_temp_path {work}/proxy;\n"
            f"fastcgi_temp_path {work}/fcgi;\nuwsgi_temp_path {work}/uwsgi;\nscgi_temp_path {work}/scgi;\n"
            f"{readme_nginx(served, self.port, service_port)}\n}}\n",
            encoding="utf-8",
        )

    def start(self) -> None:
        self.process = subprocess.Popen([NGINX, "-c", str(self.conf), "-p", str(self.work)])
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/anquan/index.html", timeout=2).close()
                return
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


class Counted(NamedTuple):
    base: str
    """The site's address (http://127.0.0.1:port/anquan/)."""
    service: Service
    summary: Callable[[], dict]
    """The service's public summary, read through nginx."""
    site: Path
    """The built site's folder."""
    nginx: Nginx


def serve_counted(
    work: Path, database: str, pages: dict[str, str] = PAGES, units: str = VILLAGES, config: dict | None = None
):
    """A project with results on (``public_summary: true``) built and served: yields a ``Counted``.
    ``units``: units.yaml's entries after the test project's three; ``config``: the mkdocs.yml, by
    default the test project's with results."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs it with apt (package nginx).")
    config = config if config is not None else with_results(fixture_config(), public_summary=True)
    root = make_project(work / "project", {"fire-safety.yaml": GOOD_QUIZ}, pages, config)
    (root / "units.yaml").write_text(UNITS_YAML + units, encoding="utf-8")
    served = work / "served"
    built(root, served / "anquan")
    service = Service(root, free_port(), database, work / "service.log")
    service.start()
    nginx = Nginx(work, served, service.port)
    nginx.start()
    base = f"http://127.0.0.1:{nginx.port}/anquan/"

    def summary() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{nginx.port}/anquan-api/api/v1/public/summary", timeout=5) as r:
            return json.load(r)

    try:
        yield Counted(base, service, summary, served / "anquan", nginx)
    finally:
        nginx.stop()
        service.stop()


def take_and_send(page, unit: str = "plant", name: str = "") -> None:
    page.wait_for_selector(f"{ROOT_SELECTOR}[data-quiz-ready]")
    for question in page.locator(f"{ROOT_SELECTOR} [data-question-id]:not([hidden])").all():
        question.locator("input").first.check()
    submit = page.locator(f"{ROOT_SELECTOR} button[type=submit]")
    submit.click()
    if submit.is_visible():
        submit.click()  # past the list of unanswered questions
    panel = page.locator(f"{ROOT_SELECTOR} [data-results]")
    panel.wait_for(state="visible")
    panel.locator("[data-results-unit]").select_option(unit)
    if name:
        panel.locator("[data-results-name]").fill(name)
    panel.locator("[data-results-send]").click()


def status(page) -> tuple[str, str]:
    box = page.locator(f"{ROOT_SELECTOR} [data-results-status]")
    return box.get_attribute("data-state") or "", box.inner_text()


def wait_state(page, state: str, timeout: float = 15_000) -> str:
    page.wait_for_selector(f'{ROOT_SELECTOR} [data-results-status][data-state="{state}"]', timeout=timeout)
    return status(page)[1]


@pytest.mark.parametrize("site", ["counted", "counted_on_postgres"])
def test_a_result_is_counted_for_the_unit(site, request, make_context):
    """Take the quiz, choose the unit, send: the page says it was counted, with the service's score."""
    counted = request.getfixturevalue(site)
    base, _, summary, _, _ = counted
    before = summary()
    page = make_context(base).new_page()
    page.goto(base + "en/quizzes/fire-safety.html")
    take_and_send(page, "plant", "Li Lei")
    said = wait_state(page, "sent")
    score = page.locator(f"{ROOT_SELECTOR} [data-quiz-result]").get_attribute("data-score")
    assert "Test Chemical Plant" in said and f"{score} points" in said
    assert page.locator(f"{ROOT_SELECTOR} [data-results-send]").is_hidden()
    after = summary()
    assert after["attempts"] == before["attempts"] + 1
    plant = next(u for u in after["units"] if u["code"] == "plant")
    assert plant["attempts"] >= 1 and "Li Lei" not in json.dumps(after)
    page.reload()  # the page remembers it was sent
    assert wait_state(page, "sent") == said


def plural(n: int, one: str, other: str) -> str:
    return f"{n:,} {one if n == 1 else other}"


@pytest.mark.parametrize("site", ["counted", "counted_on_postgres"])
def test_the_home_page_shows_what_was_counted(site, request, make_context):
    """With public_summary: true, after a result is counted the home page in each language shows the
    service's totals and the units that took part, named in that language, the first five in view and
    the rest behind a disclosure.  This home page has no campaign block: the counter ends the page."""
    counted = request.getfixturevalue(site)
    context = make_context(counted.base)
    page = context.new_page()
    page.goto(counted.base + "quizzes/fire-safety.html")
    take_and_send(page, "village-3")
    wait_state(page, "sent")
    now = counted.summary()
    taking_part = [unit for unit in now["units"] if unit["participants"]]
    attempts, people = now["attempts"], now["participants"]
    said = {
        "zh": f"已有 {attempts:,} 人次参与，共 {people:,} 人。",
        "en": f"{plural(attempts, 'attempt', 'attempts')} so far, by {plural(people, 'person', 'people')}.",
    }
    for language, prefix in (("zh", ""), ("en", "en/")):
        page.goto(f"{counted.base}{prefix}index.html")
        box = page.locator("[data-results-summary]")
        box.wait_for(state="visible")
        assert box.locator("[data-results-summary-total]").inner_text() == said[language]
        names = box.locator(".results-summary__name").all_text_contents()
        assert names == [unit["name"][language] for unit in taking_part]
        assert box.locator("[data-results-summary-top] li").count() == min(5, len(taking_part))
        assert box.locator("[data-results-summary-more]").is_visible() == (len(taking_part) > 5)
        last = page.evaluate(
            "document.querySelector('.quiz-list').compareDocumentPosition(document.querySelector('[data-results-summary]'))"
        )
        assert last & 4, "the counter comes after the page's own content"


@pytest.mark.parametrize("site", ["counted", "counted_on_postgres"])
def test_with_the_service_down_the_result_waits_and_arrives_once(site, request, browser):
    """Sent while the service is down: kept on the phone through a reload and a closed page; sent
    once by the next visit when the service is back, even with two tabs open."""
    counted = request.getfixturevalue(site)
    base, service, summary, _, _ = counted
    # Not the watched context: with the service down nginx answers 502, which the page logs as an
    # error; that is what this test makes happen.
    context, _ = _context(browser, base)
    try:
        page = context.new_page()
        page.goto(base + "quizzes/fire-safety.html")
        service.stop()
        try:
            take_and_send(page, "town-1")
            assert "保存在这部手机上" in wait_state(page, "queued")
            page.reload()
            assert wait_state(page, "queued")
            queued = page.evaluate("JSON.parse(localStorage.getItem('generator-results:queue'))")
            assert len(queued) == 1 and queued[0]["record"]["unit"] == "town-1"
            page.close()
        finally:
            service.start()
        counts = summary()
        first, second = context.new_page(), context.new_page()
        first.goto(base + "index.html")
        second.goto(base + "quizzes/fire-safety.html")
        assert "已计入统计" in wait_state(second, "sent")
        first.wait_for_function("JSON.parse(localStorage.getItem('generator-results:queue') || '[]').length === 0")
        time.sleep(1)  # let any second sender finish: it must find nothing left to send
        after = summary()
        assert after["attempts"] == counts["attempts"] + 1
        assert next(u for u in after["units"] if u["code"] == "town-1")["attempts"] == 1
    finally:
        context.close()


def test_a_refusal_is_shown_with_the_reason_and_not_retried(counted, browser):
    """A record the service refuses leaves the queue, and the worker reads the service's reason. Here the
    unit was taken out of units.yaml after the site was built: the page still offers it."""
    base, _, summary, _, _ = counted
    # Not the watched context: the service's 422 is the answer this test wants, and the page logs it.
    context, _ = _context(browser, base)
    page = context.new_page()
    page.goto(base + "quizzes/fire-safety.html")
    page.evaluate(
        """() => {
        const option = document.createElement('option');
        option.value = 'closed-unit';
        option.textContent = '已撤销的单位';
        document.querySelector('[data-results-unit]').append(option);
    }"""
    )
    before = summary()["attempts"]
    take_and_send(page, "closed-unit")
    said = wait_state(page, "refused")
    assert said.startswith("没有被接受：") and len(said) > len("没有被接受：") + 4, said
    assert page.evaluate("JSON.parse(localStorage.getItem('generator-results:queue'))") == []
    assert page.locator(f"{ROOT_SELECTOR} [data-results-send]").is_hidden()
    assert summary()["attempts"] == before
    context.close()


def test_from_a_file_the_page_says_results_cannot_be_sent(counted, make_context):
    """Opened from a folder (file://), the result is not sent, and the page says why."""
    _, _, _, site, _ = counted
    page = make_context("file:///").new_page()
    page.goto((site / "quizzes/fire-safety.html").as_uri())
    take_and_send(page, "yjj")
    assert "从文件打开" in wait_state(page, "queued")


def test_the_last_unit_is_chosen_for_the_next_attempt(counted, make_context):
    """Try again after sending: the new attempt is not sent yet, and its unit list starts at the last unit."""
    base, _, _, _, _ = counted
    page = make_context(base).new_page()
    page.goto(base + "en/quizzes/fire-safety.html")
    take_and_send(page, "town-1")
    wait_state(page, "sent")
    page.locator(f"{ROOT_SELECTOR} [data-quiz-retry]").click()
    assert page.locator(f"{ROOT_SELECTOR} [data-results]").is_hidden()
    for question in page.locator(f"{ROOT_SELECTOR} [data-question-id]:not([hidden])").all():
        question.locator("input").first.check()
    page.locator(f"{ROOT_SELECTOR} button[type=submit]").click()
    page.locator(f"{ROOT_SELECTOR} [data-results]").wait_for(state="visible")
    assert page.locator(f"{ROOT_SELECTOR} [data-results-unit]").input_value() == "town-1"
    assert page.locator(f"{ROOT_SELECTOR} [data-results-send]").is_visible()  # a new attempt: not sent yet


def test_offline_pages_queue_and_send_when_the_network_returns(counted, browser):
    """After one visit the service worker serves the quiz with no network; the result waits on the
    phone and goes as soon as the network returns, without a reload."""
    base, _, summary, _, _ = counted
    # Not the watched context: offline, the send fails with ERR_INTERNET_DISCONNECTED, as it should.
    context, _ = _context(browser, base)
    try:
        page = context.new_page()
        page.goto(base + "index.html")
        wait_for_cache(page, "quizzes/fire-safety.html")
        wait_for_cache(page, "search/search_index.json")  # the language's copy is complete
        context.set_offline(True)
        page.goto(base + "quizzes/fire-safety.html")
        take_and_send(page, "yjj")
        assert wait_state(page, "queued")
        before = summary()
        context.set_offline(False)  # the page hears "online" and sends
        assert "已计入统计" in wait_state(page, "sent")
        assert summary()["attempts"] == before["attempts"] + 1
    finally:
        context.close()


def test_a_long_unit_list_narrows_as_the_worker_types(counted, make_context):
    """Above 8 units a filter box narrows the native list; the list still works by keyboard."""
    base, _, _, _, _ = counted
    page = make_context(base).new_page()
    page.goto(base + "quizzes/fire-safety.html")
    take_and_send(page, "yjj")
    wait_state(page, "sent")
    panel = page.locator(f"{ROOT_SELECTOR} [data-results]")
    panel.locator("[data-results-filter]").fill("村")
    shown = panel.locator("[data-results-unit] option:not([hidden])").evaluate_all("os => os.map(o => o.value)")
    assert shown == [""] + [f"village-{n}" for n in range(1, 10)]
    panel.locator("[data-results-filter]").fill("")
    select = panel.locator("[data-results-unit]")
    select.focus()
    page.keyboard.press("ArrowDown")
    assert select.input_value() != "yjj"
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width}px)"


def test_a_full_queue_is_reported_not_dropped(counted, browser):
    """50 results already waiting: the 51st is not kept, and the worker is told so; the waiting ones stay."""
    base, service, _, _, _ = counted
    # Not the watched context: the service is stopped, so the sends fail (nginx answers 502).
    context, _ = _context(browser, base)
    try:
        page = context.new_page()
        page.goto(base + "quizzes/fire-safety.html")
        service.stop()
        waiting = [{"record": {"attempt": f"00000000-0000-4000-8000-{n:012d}"}, "unit": "x"} for n in range(50)]
        page.evaluate("q => localStorage.setItem('generator-results:queue', JSON.stringify(q))", waiting)
        take_and_send(page, "yjj")
        said = wait_state(page, "queued")
        assert "太多" in said and "没有保存" in said
        queue = page.evaluate("JSON.parse(localStorage.getItem('generator-results:queue'))")
        assert [item["record"]["attempt"] for item in queue] == [item["record"]["attempt"] for item in waiting]
    finally:
        service.start()
        context.close()


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_panel_passes_axe(counted, make_context, language):
    """The unit list, filter, name field, notice and every status pass axe-core, contrast included."""
    from axe_playwright_python.sync_playwright import Axe

    base, _, _, _, _ = counted
    page = make_context(base).new_page()
    page.goto(f"{base}{language}quizzes/fire-safety.html")
    take_and_send(page, "plant", "王五")
    wait_state(page, "sent")
    results = Axe().run(page)
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]] == []


def test_the_days_first_daily_challenge_is_sent_and_later_rounds_are_not(counted, make_context):
    """The daily challenge's first round of the day offers the unit list and is counted by the service;
    another round the same day is practice: no panel, nothing sent."""
    base, _, summary, _, _ = counted
    daily = 'form[data-quiz-id="daily"][data-quiz-ready]'
    page = make_context(base).new_page()
    page.goto(base + "learn/daily.html")
    page.locator(f"{daily} [data-quiz-start]").click()
    for question in page.locator(f"{daily} [data-question-id]:not([hidden])").all():
        question.locator("input").first.check()
    page.locator(f"{daily} button[type=submit]").click()
    panel = page.locator(f"{daily} [data-results]")
    panel.wait_for(state="visible")
    before = summary()["attempts"]
    panel.locator("[data-results-unit]").select_option("plant")
    panel.locator("[data-results-send]").click()
    page.wait_for_selector(f'{daily} [data-results-status][data-state="sent"]')
    assert "已计入统计" in page.locator(f"{daily} [data-results-status]").inner_text()
    assert summary()["attempts"] == before + 1

    first = page.locator(daily).element_handle()
    page.locator("[data-learn-next]").click()
    page.wait_for_function("old => !old.isConnected", arg=first)
    assert page.locator("[data-learn-status]").inner_text() == "今天的挑战已经计过分了，这一轮是练习，不计入成绩。"
    page.locator(f"{daily} [data-quiz-start]").click()
    for question in page.locator(f"{daily} [data-question-id]:not([hidden])").all():
        question.locator("input").first.check()
    page.locator(f"{daily} button[type=submit]").click()
    page.locator(f"{daily} [data-quiz-result][data-score]").wait_for()
    assert page.locator(f"{daily} [data-results]").count() == 0
    assert summary()["attempts"] == before + 1
