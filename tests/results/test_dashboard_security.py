"""The staff pages and the API refuse whoever may not see a thing (issue 15, "Measured and tested"),
over HTTP on SQLite and PostgreSQL:

- every route of the app, read from ``app.routes`` and checked against ROUTES below (a new route
  without a line there fails the first test): without a session, with a made-up cookie, with a
  session idle for over 12 hours or begun over 7 days ago, with a missing or wrong CSRF field:
  refused every time, with nothing shown and nothing changed; the API routes show no staff data;
- a unit account on another unit's page, attempt and filters (IDOR): 404 exactly as for what does
  not exist, and only its own unit's names and numbers on every page and in every sheet of the export;
- hostile text (test_hostile.py's corpus and markup of its own) as names, unit names and quiz texts:
  text on every page, never markup; in the export formulas get their apostrophe, the rest is exact;
- filters that are wrong: 400 with a plain message in both languages; odd page numbers: a real page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from generator.model import Option, Question, QuestionType, Quiz, QuizBank, Text
from generator.results.admin import IDLE, LONGEST
from generator.results.attempts import MAX_NAME
from generator.results.export import HEADER, QUESTION_HEADER, UNIT_HEADER, neutralise
from generator.results.service import Service, network
from generator.results.store import add_user, find_user, sessions, start_session
from generator.units import Unit

from .conftest import Client, key, record, wrong
from .test_admin import CHEAP, PASSWORD, Browser, Clock, accounts
from .test_hostile import NAMES
from .test_stats import store

TEMPLATES = Path(__file__).parents[2] / "generator" / "results" / "templates"

ROUTES = {
    ("POST", "/api/v1/attempts"): "api",
    ("GET", "/api/v1/public/summary"): "api",
    ("GET", "/healthz"): "api",
    ("GET", "/admin/login"): "login",
    ("POST", "/admin/login"): "login",
    ("POST", "/admin/logout"): "form",
    ("GET", "/admin/"): "page",
    ("GET", "/admin/quizzes/{quiz_id}"): "page",
    ("GET", "/admin/units/{code}"): "page",
    ("GET", "/admin/attempts"): "page",
    ("GET", "/admin/attempts/{attempt_id}"): "page",
    ("GET", "/admin/export.xlsx"): "page",
    ("GET", "/admin/summary"): "page",
    ("GET", "/admin/static/{name:path}"): "page",
}
"""Every route of the app and what guards it: ``api`` takes no session and shows no staff data;
``login`` is open (its form has its own CSRF check); ``form`` needs a live session and its CSRF
field; ``page`` needs a live session.  A route added to the app needs a line here."""

FORGED = "reload the page and send it again"
NOT_FOUND = "There is no such page, or your account may not see it."


# -- the app ------------------------------------------------------------------------------------


@dataclass
class Site:
    app: FastAPI
    client: Client
    clock: Clock
    engine: Engine
    service: Service

    def browser(self, **headers: str) -> Browser:
        return Browser(self.client, dict(headers))

    def session(self, username: str) -> Browser:
        """A browser holding a new session of ``username``, begun now by the clock (made in the database
        as a login makes it, without a login's argon2 verification)."""
        user = find_user(self.engine, username)
        assert user is not None, username
        token = secrets.token_urlsafe(32)
        start_session(self.engine, hashlib.sha256(token.encode()).hexdigest(), user.id, self.clock.now)
        browser = self.browser()
        browser.cookies["session"] = token
        return browser

    def live(self, browser: Browser) -> bool:
        """Whether ``browser``'s session is alive (the login form sends a live session on to /admin/);
        asking marks it used, as any page does."""
        reply = browser.request("GET", "/admin/login")
        return reply.status == 303 and reply.headers["Location"] == "/admin/"


@pytest.fixture
def site(http_server, database, base_service):
    """``site(**service_fields)``: the app on this test's database with a movable clock."""
    from generator.results.app import create_app

    holder, port = http_server
    clock = Clock()

    def make(**fields: Any) -> Site:
        chosen = dataclasses.replace(base_service, **fields)
        app = create_app(chosen, database, clock=clock)
        holder.app = app
        return Site(app, Client(port, database, chosen), clock, database, chosen)

    yield make
    holder.app = None


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of every route; "*" for one that takes any method (a mount)."""
    found = set()
    for route in app.routes:
        for method in getattr(route, "methods", None) or {"*"}:
            found.add((method, getattr(route, "path", repr(route))))
    return found


def filled(template: str, values: dict[str, str]) -> str:
    """``template`` with its parameters ({quiz_id}, {name:path}) replaced by ``values``."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda found: values[found.group(1)], template)


# -- data ---------------------------------------------------------------------------------------

YJJ_NAMES = ("王一", "王二", "王三")
PLANT_NAMES = ("李一", "李二", "李三", "李四", "李五", "李六", "李七")
PLANT_MARKS = ("plant", "测试化工厂", "Test Chemical Plant", *PLANT_NAMES)


def answers(quiz: Quiz, right: bool) -> dict[str, list]:
    """Every question of the draw right, or every one wrong."""
    return {q.id: key(q) if right else wrong(q) for q in quiz.questions[: quiz.attempt_size]}


def two_units(site: Site) -> dict[str, list[dict[str, Any]]]:
    """yjj: 3 attempts at "principles", all wrong (0); plant: 7, all right (100); each with a name.
    The rows stored, by unit."""
    quiz = site.service.bank["principles"]
    when = site.clock.now - timedelta(minutes=5)
    return {
        unit: [store(site.engine, quiz, answers(quiz, right), unit, received=when, name=name) for name in names]
        for unit, names, right in (("yjj", YJJ_NAMES, False), ("plant", PLANT_NAMES, True))
    }


def admin_and_two_units(site: Site) -> Browser:
    """The accounts and two_units' attempts stored; a browser logged in as the admin."""
    accounts(site.engine)
    two_units(site)
    return site.session("boss")


def session_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(sessions)).scalar_one()


# -- what a page shows --------------------------------------------------------------------------


class Page(HTMLParser):
    """A page as a browser reads it: its elements with their attributes, its text, its comments."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.comments: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def shows(self, text: str) -> bool:
        return any(text in chunk for chunk in self.texts)


TEMPLATE_SOURCE = "".join(path.read_text(encoding="utf-8") for path in sorted(TEMPLATES.glob("*.html")))
TEMPLATE_TAGS = frozenset(re.findall(r"<([a-z][a-z0-9]*)", TEMPLATE_SOURCE))
"""The elements the staff pages' templates write: any other on a page came from the data."""
SCRIPTS = {"/admin/static/echarts/echarts.min.js", "/admin/static/admin.js"}


def assert_inert(html: str, shown: list[str], where: Any) -> Page:
    """Each of ``shown`` is text of the page; no element, attribute, comment or script came from data;
    every link, form and script stays under /admin."""
    page = Page(html)
    assert page.comments == [], (where, page.comments[:3])
    assert [text for text in shown if not page.shows(text)] == [], where
    for tag, attributes in page.elements:
        assert tag in TEMPLATE_TAGS, (where, tag, attributes)
        assert not [name for name in attributes if name.startswith("on")], (where, tag, attributes)
        assert "http-equiv" not in attributes and "srcdoc" not in attributes, (where, tag, attributes)
        for name in ("href", "src", "action", "formaction"):
            value = attributes.get(name)
            if value is not None:  # under /admin, or written as it is in a template (href="data:,")
                assert value.startswith(("/admin/", "#")) or f'"{value}"' in TEMPLATE_SOURCE, (where, tag, attributes)
        if tag == "script":
            assert attributes.get("src") in SCRIPTS, (where, attributes)
    # markupsafe escapes & < > " ': text holding any of them never reaches the page as written
    for text in shown:
        if set(text) & set("&<>\"'"):
            assert text not in html, (where, text)
    return page


def cells(html: str, attribute: str) -> dict[str, str]:
    return dict(re.findall(rf'data-{attribute}="([a-z-]+)">([^<]*)<', html))


def workbook(raw: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's rows (values); no cell of any sheet is a formula."""
    book = load_workbook(io.BytesIO(raw))
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            assert not [cell.coordinate for cell in row if cell.data_type == "f"], sheet.title
            rows.append([cell.value for cell in row])
        sheets[sheet.title] = rows
    return sheets


def column(sheet: list[list[Any]], title: str) -> list[Any]:
    index = sheet[0].index(title)
    return [row[index] for row in sheet[1:]]


# -- every route --------------------------------------------------------------------------------


def test_route_table_names_every_route(site):
    """ROUTES and the app's routes are the same set: a new route cannot be left out of the tests below."""
    app = site().app
    found = app_routes(app)
    assert found - set(ROUTES) == set(), "routes missing from ROUTES: say how each is guarded"
    assert set(ROUTES) - found == set(), "ROUTES names routes the app no longer has"
    assert set(ROUTES.values()) == {"api", "login", "form", "page"}


def arguments(seeded: dict[str, list[dict[str, Any]]], unit: str = "yjj") -> dict[str, str]:
    """Real values for the path parameters (``unit``'s): a refusal is never a 404 for a made-up id."""
    return {"quiz_id": "principles", "code": unit, "attempt_id": str(seeded[unit][0]["attempt"]), "name": "admin.js"}


def test_pages_refused_without_a_live_session(site):
    """Every page behind the login, with no cookie, an empty or made-up one, a session unused for over
    12 hours and one begun over 7 days ago (used every 11 hours): 303 to the login form with an empty
    body; the same addresses open with a live session."""
    s = site()
    accounts(s.engine)
    values = arguments(two_units(s))
    assert {method for (method, _), kind in ROUTES.items() if kind == "page"} == {"GET"}
    pages = {path: filled(path, values) for (_, path), kind in ROUTES.items() if kind == "page"}
    everyone = s.session("boss")
    for template, path in pages.items():
        reply = everyone.request("GET", path)
        assert reply.status == 200, (template, reply.status, reply.raw[:300])
    idle = {template: s.session("boss") for template in pages}
    old = {template: s.session("boss") for template in pages}
    made_up, empty = s.browser(), s.browser()
    made_up.cookies["session"] = secrets.token_urlsafe(32)
    empty.cookies["session"] = ""

    def refused(template: str, why: str, browser: Browser) -> None:
        reply = browser.request("GET", pages[template])
        assert (reply.status, reply.headers["Location"], reply.raw) == (303, "/admin/login", b""), (template, why)
        assert "session=" not in (reply.headers.get("Set-Cookie") or ""), (template, why)
        assert reply.headers["Cache-Control"] == "no-store", (template, why)

    for template in pages:
        refused(template, "no cookie", s.browser())
        refused(template, "empty cookie", empty)
        refused(template, "made-up cookie", made_up)
    s.clock.now += timedelta(hours=11)
    assert all(s.live(browser) for browser in old.values())
    s.clock.now += timedelta(hours=1, seconds=1)
    for template, browser in idle.items():
        refused(template, "unused for 12 hours", browser)
    assert all(s.live(browser) for browser in old.values())
    for _ in range(14):  # 166 hours after login: within 7 days, used every 11 hours
        s.clock.now += timedelta(hours=11)
        assert all(s.live(browser) for browser in old.values())
    s.clock.now += timedelta(hours=11)
    for template, browser in old.items():
        refused(template, "begun 7 days ago", browser)
    assert session_count(s.engine) == 1  # an expired session is deleted when it comes back
    assert IDLE == timedelta(hours=12) and LONGEST == timedelta(days=7)


def test_logout_refused_without_session_or_csrf(site):
    """POST /admin/logout (the only form behind the login): without a session, with a made-up or
    expired one, without its CSRF field or with a wrong one (another session's, the login form's):
    403 with the plain message, and the session it names lives on.  An expired session's own token
    ends nothing: 303 to the login form."""
    s = site()
    accounts(s.engine)
    forms = [path for (method, path), kind in ROUTES.items() if kind == "form"]
    assert forms == ["/admin/logout"]
    staff = s.session("boss")
    token = staff.csrf("/admin/")
    other = s.session("yjj-staff")
    other_token = other.csrf("/admin/")
    login_token = s.browser().csrf()
    for csrf in (None, "", "0" * 64, token):
        form = {} if csrf is None else {"csrf": csrf}
        for why, cookie in (("no cookie", None), ("empty", ""), ("made-up", secrets.token_urlsafe(32))):
            browser = s.browser()
            if cookie is not None:
                browser.cookies["session"] = cookie
            refused = browser.request("POST", "/admin/logout", form)
            assert refused.status == 403 and FORGED in refused.raw.decode(), (why, csrf)
            assert "这个表单已经失效" in refused.raw.decode()
    for csrf in (None, "", "f" * 64, other_token, login_token, token.upper()):
        form = {} if csrf is None else {"csrf": csrf}
        refused = staff.request("POST", "/admin/logout", form)
        assert refused.status == 403 and FORGED in refused.raw.decode(), csrf
        assert "session" in staff.cookies
    assert s.live(staff) and s.live(other) and session_count(s.engine) == 2
    # idle for over 12 hours: its own token passes the CSRF check, and the logout has nothing to end
    s.clock.now += IDLE + timedelta(seconds=1)
    assert staff.request("POST", "/admin/logout", {}).status == 403
    reply = staff.request("POST", "/admin/logout", {"csrf": token})
    assert (reply.status, reply.headers["Location"], reply.raw) == (303, "/admin/login", b"")
    # left: the other session, expired as well but deleted only when it comes back
    assert "session" not in staff.cookies and session_count(s.engine) == 1


def test_login_routes_show_nothing(site):
    """The login form is open to anyone and shows no data, whatever cookie comes with it; a login
    without its CSRF field is refused and starts no session."""
    s = site()
    accounts(s.engine)
    seeded = two_units(s)
    made_up = s.browser()
    made_up.cookies["session"] = secrets.token_urlsafe(32)
    for browser in (s.browser(), made_up):
        page = browser.text("/admin/login")
        for name in (*YJJ_NAMES, *PLANT_NAMES, "测试化工厂", "principles"):
            assert name not in page
        assert str(seeded["yjj"][0]["attempt"]) not in page
    refused = s.browser().request("POST", "/admin/login", {"username": "boss", "password": "x"})
    assert refused.status == 403 and "session=" not in (refused.headers.get("Set-Cookie") or "")
    assert session_count(s.engine) == 0


def test_other_methods_refused(site):
    """Every route answers any method it was not made for with 405, even to a live session."""
    s = site()
    accounts(s.engine)
    seeded = two_units(s)
    values = arguments(seeded)
    staff = s.session("boss")
    token = staff.csrf("/admin/")
    by_path: dict[str, set[str]] = {}
    for method, path in ROUTES:
        by_path.setdefault(path, set()).add(method)
    for template, methods in by_path.items():
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            reply = staff.request(method, filled(template, values), {"csrf": token})
            assert reply.status == 405, (method, template, reply.status)
            assert reply.json["message"]["en"] == "This address does not take this kind of request."
    assert s.live(staff)


def test_redirect_stays_on_the_site(site):
    """The way to the login form follows X-Forwarded-Prefix only from a trusted proxy, and only when it
    is a plain path: never another site's address."""
    s = site()
    for prefix in ("/anquan-api", "//evil.example", "https://evil.example"):
        reply = s.browser(**{"X-Forwarded-Prefix": prefix}).request("GET", "/admin/")
        assert reply.headers["Location"] == "/admin/login", prefix
    s = site(proxies=(network("127.0.0.1"),))
    for prefix, location in (
        ("/anquan-api", "/anquan-api/admin/login"),
        ("/anquan-api/", "/anquan-api/admin/login"),
        ("//evil.example", "/admin/login"),
        ("https://evil.example", "/admin/login"),
        ("/anquan api", "/admin/login"),
        ('/x"><script>', "/admin/login"),
    ):
        reply = s.browser(**{"X-Forwarded-Prefix": prefix}).request("GET", "/admin/")
        assert (reply.status, reply.headers["Location"]) == (303, location), prefix


def test_api_routes_show_no_staff_data(site):
    """The API routes take no session and give the same answer with one; the public summary and every
    reply hold no name, attempt id, device id or username."""
    s = site()
    accounts(s.engine)
    seeded = two_units(s)
    staff = s.session("boss")
    secret = [
        *YJJ_NAMES,
        *PLANT_NAMES,
        "boss",
        "yjj-staff",
        *(str(row[column]) for row in seeded["yjj"] + seeded["plant"] for column in ("attempt", "device")),
    ]
    cookie = {"Cookie": f"session={staff.cookies['session']}"}
    for path in [path for (method, path), kind in ROUTES.items() if kind == "api" and method == "GET"]:
        without, within = s.client.get(path), s.client.get(path, cookie)
        assert without.status == within.status == 200 and without.json == within.json, path
        text = without.raw.decode()
        assert [word for word in secret if word in text] == [], path
    summary = s.client.get("/api/v1/public/summary").json
    assert set(summary) == {"attempts", "participants", "units"} and summary["attempts"] == 10
    for unit in summary["units"]:
        assert set(unit) == {"code", "name", "participants", "attempts", "pass_rate"}
    assert s.client.get("/healthz").json == {"status": "ok"}
    # another's attempt id sent again: its outcome, none of its data
    quiz = s.service.bank["principles"]
    reply = s.client.post(record(quiz, attempt=str(seeded["plant"][0]["attempt"]), name="x"), cookie)
    assert reply.status == 200 and reply.json == {"status": "duplicate", "score": 100, "passed": True}


# -- a unit account on another unit's data ------------------------------------------------------


def test_unit_account_kept_to_its_unit(site):
    """yjj-staff (logged in) asks for plant's unit page, attempt and filters: 404 exactly as for what
    does not exist, and yjj's names and numbers only, in every page and every sheet; the admin sees
    both."""
    s = site()
    accounts(s.engine)
    seeded = two_units(s)
    yjj = s.browser()
    assert yjj.login("yjj-staff").status == 303
    boss = s.browser()
    assert boss.login("boss").status == 303
    plant_attempt = str(seeded["plant"][0]["attempt"])
    plant_ids = [str(row[column]) for row in seeded["plant"] for column in ("attempt", "device")]
    marks = (*PLANT_MARKS, *plant_ids)

    nowhere = yjj.request("GET", "/admin/units/nosuch")
    assert nowhere.status == 404 and NOT_FOUND in nowhere.raw.decode()
    assert yjj.request("GET", "/admin/units/plant").raw == nowhere.raw
    assert yjj.request("GET", "/admin/units/plant").status == 404
    made_up = yjj.request("GET", f"/admin/attempts/{uuid.uuid4()}")
    assert made_up.status == 404
    for path in (f"/admin/attempts/{plant_attempt}", f"/admin/attempts/{plant_attempt.upper()}", "/admin/attempts/x"):
        reply = yjj.request("GET", path)
        assert (reply.status, reply.raw) == (404, made_up.raw), path
        assert dict(reply.headers) | {"Date": ""} == dict(made_up.headers) | {"Date": ""}, path
    assert "李一" in boss.text(f"/admin/attempts/{plant_attempt}")
    assert "王一" in yjj.text(f"/admin/attempts/{seeded['yjj'][0]['attempt']}")
    # every page with plant's values and filter: refused as if they did not exist, or yjj's data alone
    for (_, template), kind in ROUTES.items():
        if kind != "page" or template.startswith("/admin/static/"):
            continue
        reply = yjj.request("GET", filled(template, arguments(seeded, "plant")) + "?unit=plant")
        if reply.status == 404:
            assert reply.raw == made_up.raw, template
            continue
        assert reply.status == 200, (template, reply.status)
        if reply.headers["Content-Type"].startswith("text/html"):
            text = reply.raw.decode()
        else:
            text = "\x1f".join(str(value) for rows in workbook(reply.raw).values() for row in rows for value in row)
        assert [mark for mark in marks if mark in text] == [], template

    pages = {
        "/admin/?unit=plant": {"total": {"attempts": "3", "participants": "3", "pass-rate": "0.0%"}},
        "/admin/attempts?unit=plant": {"count": "3"},
        "/admin/attempts?unit=plant&q=%E6%9D%8E": {"count": "0"},  # q=李
        "/admin/quizzes/principles?unit=plant": {"total": {"attempts": "3", "pass-rate": "0.0%"}},
        "/admin/units/yjj?unit=plant": {"total": {"attempts": "3"}},
        "/admin/summary?unit=plant&in=en": {"total": {"attempts": "3", "pass-rate": "0.0%"}},
        "/admin/summary?unit=plant&in=zh": {"total": {"attempts": "3"}},
        "/admin/?unit=nosuch": {"total": {"attempts": "3"}},  # a unit account's unit filter is its own
    }
    for path, expected in pages.items():
        page = yjj.text(path)
        assert [mark for mark in marks if mark in page] == [], path
        if "total" in expected:
            found = cells(page, "total")
            assert {k: found[k] for k in expected["total"]} == expected["total"], path
        if "count" in expected:
            assert f'data-count="{expected["count"]}"' in page, path
    attempts_page = yjj.text("/admin/attempts?unit=plant")
    assert all(name in attempts_page for name in YJJ_NAMES)
    quiz_page = yjj.text("/admin/quizzes/principles?unit=plant")
    assert set(re.findall(r'data-cell="drawn">([^<]*)<', quiz_page)) == {"3 / 3"}

    sheets = workbook(yjj.request("GET", "/admin/export.xlsx?unit=plant").raw)
    assert set(sheets) == {"attempts", "units", "questions"}
    for title, rows in sheets.items():
        text = "\x1f".join(str(value) for row in rows for value in row)
        assert [mark for mark in marks if mark in text] == [], title
    assert sorted(column(sheets["attempts"], "姓名 name")) == sorted(YJJ_NAMES)
    assert column(sheets["units"], "单位代码 unit code") == ["yjj"]
    assert column(sheets["units"], "答卷数 attempts") == [3]
    assert set(column(sheets["questions"], "被抽到 drawn")) == {3}

    # the admin: both units, and plant alone when asked
    assert cells(boss.text("/admin/"), "total")["attempts"] == "10"
    assert cells(boss.text("/admin/?unit=plant"), "total")["attempts"] == "7"
    everyone = boss.text("/admin/attempts")
    assert all(name in everyone for name in (*YJJ_NAMES, *PLANT_NAMES))
    assert set(re.findall(r'data-cell="drawn">([^<]*)<', boss.text("/admin/quizzes/principles"))) == {"10 / 10"}
    assert "Test Chemical Plant" in boss.text("/admin/units/plant")
    sheets = workbook(boss.request("GET", "/admin/export.xlsx").raw)
    assert sorted(column(sheets["attempts"], "姓名 name")) == sorted((*YJJ_NAMES, *PLANT_NAMES))
    assert column(sheets["units"], "单位代码 unit code") == ["yjj", "town-1", "plant"]
    assert set(column(sheets["questions"], "被抽到 drawn")) == {10}
    sheets = workbook(boss.request("GET", "/admin/export.xlsx?unit=plant").raw)
    assert sorted(column(sheets["attempts"], "姓名 name")) == sorted(PLANT_NAMES)


# -- hostile text -------------------------------------------------------------------------------

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</title><script>alert(4)</script>",
    "</style><script>alert(5)</script>",
    "<!-- the rest is a comment",
    "<a href=javascript:alert(6)>x</a>",
    "{{ 7 * 7 }}{% if 1 %}x{% endif %}",
    "<iframe srcdoc='<script>alert(7)</script>'>",
    "&#60;script&#62;alert(8)&#60;/script&#62;",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=//evil.example><button>",
    "\t=SUM(1,2)",
]
CORPUS = list(dict.fromkeys([*NAMES, *MARKUP]))
"""test_hostile.py's names (SQL, markup, formulas, astral and combining characters) and more markup."""


def nameable(text: str) -> bool:
    """Whether the API takes ``text`` as a name (test_hostile sends each of its NAMES through it)."""
    return len(text) <= MAX_NAME and text == text.strip() and text.isprintable()


def at(n: int) -> str:
    return CORPUS[n % len(CORPUS)]


def hostile_units() -> dict[str, Unit]:
    """A unit for each corpus text, named with it in Chinese and with the next one in English."""
    return {f"h-{n}": Unit(f"h-{n}", Text(at(n), at(n + 1)), 10) for n in range(len(CORPUS))}


def hostile_bank() -> QuizBank:
    """A quiz for each corpus text, titled as the units are named; its one question's prompt and
    option are the texts after."""
    quizzes = {}
    for n in range(len(CORPUS)):
        question = Question(
            "q",
            QuestionType.SINGLE,
            Text(at(n + 2), at(n + 3)),
            (Option("A", Text(at(n + 4), at(n + 5))), Option("B", Text("否", "no"))),
            frozenset({"A"}),
        )
        quizzes[f"hostile-{n}"] = Quiz(f"hostile-{n}", f"quizzes/hostile-{n}.yaml", Text(at(n), at(n + 1)), (question,))
    return QuizBank(quizzes)


def test_hostile_text_shown_as_text(site):
    """Corpus texts as names (sent through the API), unit names and quiz titles, prompts and options:
    every page shows each as text and none as markup, for the admin and for a unit account; the
    search box and a refused filter echo it as text."""
    s = site(units=hostile_units(), bank=hostile_bank())
    accounts(s.engine)
    add_user(s.engine, "h0-staff", "unit", "h-0", CHEAP.hash(PASSWORD))
    units, quizzes = s.service.units, s.service.bank
    sent: dict[str, int] = {}
    for n in range(len(CORPUS)):
        body = record(quizzes[f"hostile-{n}"], unit=f"h-{n}", name=at(n) if nameable(at(n)) else None, right=n % 2 == 0)
        assert s.client.post(body).status == 201, at(n)
        sent[body["attempt"]] = n
    for _ in range(10):  # drawn ten times in h-0: the weakest questions of its page and of the summary
        assert s.client.post(record(quizzes["hostile-0"], unit="h-0", right=False)).status == 201
    names = [at(n) for n in sent.values() if nameable(at(n))]
    assert set(NAMES) <= set(names)
    admin, unit_staff = s.session("boss"), s.session("h0-staff")

    every_unit = [text for unit in units.values() for text in (unit.name.zh, unit.name.en)]
    every_title = [text for quiz in quizzes for text in (quiz.title.zh, quiz.title.en)]
    assert_inert(admin.text("/admin/"), every_unit + every_title, "overview")
    for quiz in quizzes:
        prompt = quiz.questions[0].prompt
        assert_inert(admin.text(f"/admin/quizzes/{quiz.id}"), [*texts(quiz.title), *texts(prompt)], quiz.id)
    for code, unit in units.items():
        weakest = texts(quizzes["hostile-0"].questions[0].prompt) if code == "h-0" else []
        assert_inert(admin.text(f"/admin/units/{code}"), [*texts(unit.name), *weakest], code)
    zh_only = [unit.name.zh for unit in units.values()] + [quiz.title.zh for quiz in quizzes]
    assert_inert(admin.text("/admin/attempts"), names + zh_only, "attempts")
    for attempt, n in sent.items():
        quiz = quizzes[f"hostile-{n}"]
        shown = [*texts(units[f"h-{n}"].name), *texts(quiz.title), *texts(quiz.questions[0].prompt)]
        if nameable(at(n)):
            shown.append(at(n))
        assert_inert(admin.text(f"/admin/attempts/{attempt}"), shown, attempt)
    for lang in ("zh", "en"):
        shown = [unit.name.get(lang) for unit in units.values()] + [quiz.title.get(lang) for quiz in quizzes]
        shown += [quizzes["hostile-0"].questions[0].prompt.get(lang)]
        assert_inert(admin.text(f"/admin/summary?in={lang}"), shown, ("summary", lang))
    for attempt, n in sent.items():
        if nameable(at(n)):
            page = assert_inert(admin.text("/admin/attempts?" + urlencode({"q": at(n)})), [at(n)], ("search", at(n)))
            assert [a.get("value") for _, a in page.elements if a.get("id") == "q"] == [at(n)]
            assert attempt in {a.get("data-attempt") for _, a in page.elements}, at(n)
    for text in CORPUS:
        reply = admin.request("GET", "/admin/?" + urlencode({"quiz": text}))
        assert reply.status == 400, text
        assert_inert(reply.raw.decode(), [text.strip()[:40]], ("refused filter", text))
    h0 = units["h-0"]
    assert_inert(unit_staff.text("/admin/"), texts(h0.name), "unit account")
    assert_inert(unit_staff.text("/admin/summary?in=en"), [h0.name.en], "unit account summary")
    assert_inert(unit_staff.text("/admin/units/h-0"), texts(h0.name), "unit account's unit")

    sheets = workbook(admin.request("GET", "/admin/export.xlsx").raw)
    rows = {str(row[1]): row for row in sheets["attempts"][1:]}
    for attempt, n in sent.items():
        row = dict(zip(HEADER, rows[attempt], strict=True))
        assert (row["姓名 name"] or "") == (in_sheet(at(n)) if nameable(at(n)) else ""), at(n)
        assert row["单位 unit"] == in_sheet(units[f"h-{n}"].name.zh), at(n)
    unit_rows = [dict(zip(UNIT_HEADER, row, strict=True)) for row in sheets["units"][1:]]
    assert [(row["单位 unit"], row["Unit"]) for row in unit_rows] == [
        (in_sheet(unit.name.zh), in_sheet(unit.name.en)) for unit in units.values()
    ]
    question_rows = [dict(zip(QUESTION_HEADER, row, strict=True)) for row in sheets["questions"][1:]]
    assert [(row["题目 question"], row["Question"]) for row in question_rows] == [
        (in_sheet(quiz.questions[0].prompt.zh), in_sheet(quiz.questions[0].prompt.en)) for quiz in quizzes
    ]
    assert [text for text in CORPUS if neutralise(text) != in_sheet(text)] == []


def in_sheet(text: str) -> str:
    """``text`` as the export must hold it: with a leading apostrophe when a spreadsheet could take it
    for a formula (OWASP's list: = + - @ tab, carriage return), else exactly as it is."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def texts(text: Text) -> list[str]:
    return [text.zh, text.en]


# -- wrong filters and page numbers -------------------------------------------------------------

BAD_FILTERS = {
    "since=notadate": 'the since date "notadate" is not a date',
    "until=2026-02-30": 'the until date "2026-02-30" is not a date',
    "until=0001-01-01": "the until date must be between 2000 and 2099",
    "since=2026-06-05&until=2026-06-01": "the first day is after the last",
    "quiz=nosuch": 'there is no quiz "nosuch"',
    "lang=fr": "the language must be zh or en",
    "unit=nosuch": 'there is no unit "nosuch"',
}


def test_wrong_filters_refused_plainly(site):
    """A filter that is wrong, on every page that takes filters (the export too): 400, a page saying
    what is wrong in both languages, never a trace of the code."""
    s = site()
    accounts(s.engine)
    seeded = two_units(s)
    values = arguments(seeded)
    admin = s.session("boss")
    pages = [
        filled(path, values)
        for (method, path), kind in ROUTES.items()
        if kind == "page" and not path.startswith("/admin/static/")
    ]
    for path in pages:
        for query, what in BAD_FILTERS.items():
            reply = admin.request("GET", f"{path}?{query}")
            text = reply.raw.decode()
            assert reply.status == 400, (path, query, reply.status, text[:300])
            assert reply.headers["Content-Type"].startswith("text/html"), (path, query)
            shown = html.unescape(text)
            assert (
                "筛选条件不对" in shown and "A filter is wrong: " in shown and f"{what}. Use the filter form" in shown
            )
            for leak in ("Traceback", 'File "', "ValueError", "sqlalchemy", "psycopg"):
                assert leak not in text, (path, query)


@pytest.mark.parametrize(
    "query",
    [
        "until=9999-12-31",
        "since=9999-12-31",
        "until=0001-01-01",
        "since=0001-01-01&until=0001-01-02",
    ],
)
def test_dates_at_the_ends_of_the_calendar(site, query):
    """Dates at the ends of the calendar: a page, or a refusal that says what is wrong; not a failure."""
    s = site()
    admin = admin_and_two_units(s)
    paths = ("/admin/", "/admin/units/yjj", "/admin/summary", "/admin/attempts", "/admin/export.xlsx")
    statuses = {path: admin.request("GET", f"{path}?{query}").status for path in paths}
    assert statuses == {path: statuses[path] for path in paths if statuses[path] in (200, 400)}


def test_odd_page_numbers_give_the_first_page(site):
    """?page= below 1, or not a whole number: the attempts list shows its first page, with its rows."""
    s = site()
    admin = admin_and_two_units(s)
    shown = {}
    for given in ("-5", "0", "abc", "", "1.5", "1e3", "0x2"):
        text = admin.text("/admin/attempts?" + urlencode({"page": given}))
        shown[given] = ("Page 1 of 1" in text, len(re.findall(r"<tr data-attempt=", text)))
    assert shown == dict.fromkeys(shown, (True, 10))


def test_page_past_the_last_gives_the_last_page(site):
    """?page= past the last page, up to a 20-digit number: the last page, with its rows."""
    s = site()
    admin = admin_and_two_units(s)
    shown = {}
    for given in ("2", "99999", "99999999999999999999"):
        reply = admin.request("GET", "/admin/attempts?" + urlencode({"page": given}))
        text = reply.raw.decode()
        shown[given] = (reply.status, "Page 1 of 1" in text, len(re.findall(r"<tr data-attempt=", text)))
    assert shown == dict.fromkeys(shown, (200, True, 10))
