"""The home page's participation counter (results: public_summary: true; DESIGN §11), end to end: the
test project's site (its home page has the campaign block) behind README's nginx configuration, the
real results service on SQLite, units with hostile and very long names among them.

Chromium itself writes a console error for every failed request ("Failed to load resource: the
server responded with a status of 502 (Bad Gateway)", "... net::ERR_CONNECTION_REFUSED"), whatever the
script does with the failure; no page script can prevent it.  So where the service is made to fail,
the tests allow exactly that message, about the summary's address and from no script, and nothing
else: no page error (an unhandled rejection would be one), no message from our scripts.  A request
the page gives up (the timeout) and a phone that knows it is offline (no request at all) leave the
console empty.
"""

from __future__ import annotations

import json
import signal
import urllib.request

import pytest

from generator.load import load_quiz

from ..conftest import MODULE_PAGES, fixture_config, with_results
from .conftest import CACHED, _context, wait_for_cache
from .test_results import serve_counted

BOX = "[data-results-summary]"
SUMMARY_PATH = "/anquan-api/api/v1/public/summary"
HOSTILE_ZH = '<img src=x onerror="window.hostile=1">化工&amp;厂'
HOSTILE_EN = "<script>window.hostile=1</script> Plant & Co"
LONG_ZH = "超长名称" * 12
LONG_EN = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
MORE_UNITS = "".join(
    f"  - code: {code}\n    name: {json.dumps({'zh': zh, 'en': en}, ensure_ascii=False)}\n"
    for code, zh, en in [
        ("hostile", HOSTILE_ZH, HOSTILE_EN),
        ("long-name", LONG_ZH, LONG_EN),
        *[(f"village-{n}", f"测试{n}村", f"Test Village {n}") for n in range(1, 6)],
    ]
)
PEOPLE = {"plant": 3, "yjj": 2, "hostile": 2, "long-name": 1} | {f"village-{n}": 1 for n in range(1, 5)}
"""Unit -> people counted, one attempt each, and one of the plant's people twice: 12 people, 13 attempts,
8 units (town-1 and village-5 none)."""
TEXTS = {
    "zh": {
        "total": "已有 13 人次参与，共 12 人。",
        "top": [("测试化工厂", "3 人", 1), ("测试县应急管理局", "2 人", 2), (HOSTILE_ZH, "2 人", 2)]
        + [(LONG_ZH, "1 人", 4), ("测试1村", "1 人", 4)],
        "more": "其余 3 个单位",
        "rest": [(f"测试{n}村", "1 人", 4) for n in range(2, 5)],
    },
    "en": {
        "total": "13 attempts so far, by 12 people.",
        "top": [("Test Chemical Plant", "3 people", 1), ("Test County Emergency Management Bureau", "2 people", 2)]
        + [(HOSTILE_EN, "2 people", 2), (LONG_EN, "1 person", 4), ("Test Village 1", "1 person", 4)],
        "more": "3 more units",
        "rest": [(f"Test Village {n}", "1 person", 4) for n in range(2, 5)],
    },
}
"""What the counter says as the service counts PEOPLE; a unit is (name, people, rank), equals sharing a rank."""


def post(api: str, body: dict) -> None:
    request = urllib.request.Request(
        api + "api/v1/attempts", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 201


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The test project's site with public_summary: true, its home page with the campaign block; PEOPLE counted."""
    from ..results.conftest import record

    work = tmp_path_factory.mktemp("summary-site")
    config = with_results(fixture_config(), public_summary=True)
    for site in serve_counted(work, f"sqlite:///{work / 'results.db'}", MODULE_PAGES, MORE_UNITS, config):
        quiz, _ = load_quiz(work / "project/quizzes/fire-safety.yaml")
        api = site.base.replace("/anquan/", "/anquan-api/")
        for unit, people in PEOPLE.items():
            for n in range(people):
                body = record(quiz, unit=unit)
                post(api, body)
                if unit == "plant" and n == 0:
                    post(api, record(quiz, unit=unit, device=body["device"]))
        yield site


def home(language: str) -> str:
    return "index.html" if language == "zh" else "en/index.html"


def rows(page, selector: str) -> list[tuple[str, str, int]]:
    """(name, people, rank) of each unit listed under ``selector``."""
    return page.eval_on_selector_all(
        f"{selector} li",
        """items => items.map(li => [li.querySelector('.results-summary__name').textContent,
            li.querySelector('.results-summary__count').textContent, li.value])""",
    )


def shown(page) -> None:
    page.wait_for_selector(f"{BOX}:not([hidden])", timeout=10_000)


def summary_requests(page) -> list[str]:
    made: list[str] = []
    page.on("request", lambda r: SUMMARY_PATH in r.url and made.append(r.url))
    return made


def console(page) -> list[tuple[str, str, str]]:
    """Every console message and page error of ``page``: (type, text, where it came from)."""
    seen: list[tuple[str, str, str]] = []

    def message(m) -> None:
        if m.text != "Service Worker registration blocked by Playwright":  # service_workers="block" says so
            seen.append((m.type, m.text, m.location.get("url", "")))

    page.on("console", message)
    page.on("pageerror", lambda e: seen.append(("pageerror", str(e), "")))
    return seen


def answered(page, go) -> None:
    """``go()``, then wait until the summary request has its answer or has failed, and a moment more
    for the script to deal with it (a block it would show shows at once)."""
    done: list = []
    for event in ("requestfinished", "requestfailed"):
        page.on(event, lambda r: SUMMARY_PATH in r.url and done.append(r))
    go()
    for _ in range(150):
        if done:
            break
        page.wait_for_timeout(100)
    assert done, "the page never asked for the summary, or never got an answer"
    page.wait_for_timeout(300)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_home_page_shows_the_count_and_the_ranking(published, make_context, language):
    """Totals and the first five units in the page's language, equals sharing a rank, the rest behind a
    disclosure; right after the campaign's theme and dates; one request per page view; no sideways scroll."""
    page = make_context(published.base).new_page()
    made = summary_requests(page)
    page.goto(published.base + home(language))
    shown(page)
    expected = TEXTS[language]
    box = page.locator(BOX)
    assert box.locator("[data-results-summary-total]").inner_text() == expected["total"]
    assert rows(page, "[data-results-summary-top]") == [list(row) for row in expected["top"]]
    more = box.locator("[data-results-summary-more]")
    assert more.is_visible() and more.get_attribute("open") is None
    assert more.locator("summary").inner_text() == expected["more"]
    assert rows(page, "[data-results-summary-rest]") == [list(row) for row in expected["rest"]]
    more.locator("summary").click()
    assert more.locator("li").first.is_visible()
    order = page.evaluate(
        """() => {
        const box = document.querySelector('[data-results-summary]');
        const before = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
        const hero = document.querySelector('.campaign-hero');
        return [before(hero, box), before(box, document.querySelector('#campaign-modules'))];
    }"""
    )
    assert order == [True, True]
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width}px)"
    assert len(made) == 1


def test_unit_names_are_shown_as_text(published, make_context):
    """Names with markup from units.yaml (through the service) show as the characters they are, and never run."""
    context = make_context(published.base)
    for language, name in (("zh", HOSTILE_ZH), ("en", HOSTILE_EN)):
        page = context.new_page()
        page.goto(published.base + home(language))
        shown(page)
        names = page.locator(f"{BOX} .results-summary__name").all_inner_texts()
        assert name in names
        assert page.locator(f"{BOX} ol img, {BOX} ol script, {BOX} ol b").count() == 0
        assert page.evaluate("window.hostile") is None


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_counter_passes_axe(published, make_context, language):
    """The counter, its list and its open disclosure pass axe-core, contrast included."""
    from axe_playwright_python.sync_playwright import Axe

    page = make_context(published.base).new_page()
    page.goto(published.base + home(language))
    shown(page)
    page.locator(f"{BOX} summary").click()
    results = Axe().run(page)
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]] == []


def test_with_the_service_down_the_block_stays_hidden(published, browser):
    """The service stopped (nginx answers 502): nothing shown, no page error, no script's message; the
    one console error is Chromium's own about the failed request."""
    context, _ = _context(browser, published.base)  # not watched: the 502 is what this test makes happen
    published.service.stop()
    try:
        page = context.new_page()
        made, seen = summary_requests(page), console(page)
        answered(page, lambda: page.goto(published.base + "index.html"))
        assert page.locator(BOX).is_hidden()
        assert len(made) == 1
        assert seen == [
            (
                "error",
                "Failed to load resource: the server responded with a status of 502 (Bad Gateway)",
                made[0],
            )
        ]
    finally:
        published.service.start()
        context.close()


def test_a_service_that_does_not_answer_is_given_up_quietly(published, make_context):
    """The service hangs (stopped with SIGSTOP; nginx keeps waiting): after the page's timeout the block
    stays hidden, and the console stays empty (a request the page aborts is not an error)."""
    page = make_context(published.base).new_page()
    made, seen = summary_requests(page), console(page)
    published.service.process.send_signal(signal.SIGSTOP)
    try:
        with page.expect_event("requestfailed", timeout=15_000) as failed:
            page.goto(published.base + "en/index.html")
        assert SUMMARY_PATH in failed.value.url and "ERR_ABORTED" in (failed.value.failure or "")
        page.wait_for_timeout(300)
        assert page.locator(BOX).is_hidden()
        assert len(made) == 1 and seen == []
    finally:
        published.service.process.send_signal(signal.SIGCONT)


def test_offline_after_one_visit_the_block_stays_hidden(published, make_context):
    """Offline, the service worker serves the home page; the counter asks for nothing and shows nothing."""
    context = make_context(published.base)
    page = context.new_page()
    page.goto(published.base + "index.html")
    shown(page)
    wait_for_cache(page, "search/search_index.json")  # the language's copy is complete
    context.set_offline(True)
    try:
        page = context.new_page()
        made, seen = summary_requests(page), console(page)
        page.goto(published.base + "index.html")
        assert page.locator("h1").first.inner_text() == "首页"  # the page, from the worker
        page.wait_for_selector(f"{BOX}[data-results-summary-ready]", state="attached")
        page.wait_for_timeout(500)
        assert page.locator(BOX).is_hidden()
        assert made == [] and seen == []
    finally:
        context.set_offline(False)


def test_a_host_that_stops_answering_shows_no_stored_numbers(published, browser):
    """The phone thinks it is online but the host is gone (nginx stopped): the service worker serves the
    page, and leaves the summary to the network, which fails: the block stays hidden.  The worker never
    kept a copy of the summary (an older sw.js did, and showed it here)."""
    context, _ = _context(browser, published.base)  # not watched: the refused connection is the point
    try:
        page = context.new_page()
        page.goto(published.base + "index.html")
        shown(page)
        wait_for_cache(page, "search/search_index.json")
        page.reload()  # now under the worker's control
        shown(page)
        assert not [url for url in page.evaluate(CACHED) if "/anquan-api/" in url]
        published.nginx.stop()
        try:
            page = context.new_page()
            made, seen = summary_requests(page), console(page)
            answered(page, lambda: page.goto(published.base + "index.html"))
            assert page.locator("h1").first.inner_text() == "首页"  # the page, from the worker
            assert page.locator(BOX).is_hidden()
            assert seen == [("error", "Failed to load resource: net::ERR_CONNECTION_REFUSED", made[0])]
        finally:
            published.nginx.start()
    finally:
        context.close()


# -- answers the service would not give: through page.route, with the service worker blocked,
# because Playwright's routing does not see requests a service worker handles, and with routing on
# Chromium hands even a no-store request to the worker.

ANSWERS = {
    "404": (404, "application/json", '{"status": "refused"}'),
    "not JSON": (200, "text/html", "<html>proxy error page</html>"),
    "wrong shape": (200, "application/json", '{"attempts": "13", "participants": 12, "units": []}'),
    "null": (200, "application/json", "null"),
    "no attempts yet": (200, "application/json", '{"attempts": 0, "participants": 0, "units": []}'),
}


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_that_is_not_a_summary_leaves_the_block_hidden(published, browser, answer):
    """An error status, a proxy's page, a body of another shape, no attempts yet: nothing shown, no page error."""
    status, content_type, body = ANSWERS[answer]
    context, _ = _context(
        browser, published.base, service_workers="block"
    )  # page.route cannot see the worker's requests
    try:
        page = context.new_page()
        page.route(
            f"**{SUMMARY_PATH}", lambda route: route.fulfill(status=status, content_type=content_type, body=body)
        )
        made, seen = summary_requests(page), console(page)
        answered(page, lambda: page.goto(published.base + "index.html"))
        assert page.locator(BOX).is_hidden() and len(made) == 1
        chromium = "Failed to load resource: the server responded with a status of 404 (Not Found)"
        assert seen == ([("error", chromium, made[0])] if status == 404 else [])
    finally:
        context.close()


@pytest.mark.parametrize(
    "language, attempts, people, said",
    [
        ("zh", 12345, 1, "已有 12,345 人次参与，共 1 人。"),
        ("en", 12345, 2300, "12,345 attempts so far, by 2,300 people."),
        ("en", 1, 1, "1 attempt so far, by 1 person."),
    ],
)
def test_numbers_are_written_for_the_language(published, make_context, language, attempts, people, said):
    """Thousands grouped, and English singular and plural."""
    unit = {"code": "yjj", "name": {"zh": "局", "en": "Bureau"}, "participants": people, "attempts": attempts}
    body = json.dumps({"attempts": attempts, "participants": people, "units": [{**unit, "pass_rate": None}]})
    page = make_context(published.base, service_workers="block").new_page()  # for page.route: see above
    page.route(f"**{SUMMARY_PATH}", lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    page.goto(published.base + home(language))
    shown(page)
    assert page.locator(f"{BOX} [data-results-summary-total]").inner_text() == said
    assert page.locator(f"{BOX} [data-results-summary-more]").is_hidden()  # one unit: nothing behind a disclosure
