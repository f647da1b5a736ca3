"""The staff pages (issue 15, first part), over HTTP on SQLite and PostgreSQL: login and its
throttling, the session cookie and its expiry, CSRF on every form, logout, the overview's numbers, a
unit account kept to its unit, and hostile text shown as text."""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from argon2 import PasswordHasher
from markupsafe import escape
from sqlalchemy import Engine, select

from generator.model import Text
from generator.results.service import network
from generator.results.store import add_user, login_failures, store_attempt, users
from generator.scoring import Scored
from generator.units import Unit

from .conftest import Client

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
"""Hashes made with weaker parameters than the service's: a login rehashes them."""
PASSWORD = "correct horse battery staple"
WRONG_MESSAGE = "The username or the password is wrong."
THROTTLED_MESSAGE = "Too many failed logins"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Browser:
    """A client that keeps cookies as a browser would for /admin (path and flags not enforced: asserted)."""

    client: Client
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    last_set: dict[str, Any] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None, headers: dict | None = None):
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        reply = self.client.request(method, path, body, sent)
        for raw in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                self.last_set[name] = (morsel, raw)
                if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply

    def csrf(self, path: str = "/admin/login") -> str:
        page = self.request("GET", path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.raw.decode())
        assert found, page.raw
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD, **headers: str):
        token = self.csrf()
        return self.request(
            "POST", "/admin/login", {"username": username, "password": password, "csrf": token}, headers
        )

    def text(self, path: str = "/admin/") -> str:
        reply = self.request("GET", path)
        assert reply.status == 200, (reply.status, reply.raw)
        return reply.raw.decode()


@pytest.fixture
def admin(http_server, database, base_service):
    """``admin(**service_fields)``: the app on this test's database with a movable clock; returns
    (new_browser, clock)."""
    from generator.results.app import create_app

    holder, port = http_server
    clock = Clock()

    def make(**fields: Any):
        chosen = dataclasses.replace(base_service, **fields) if fields else base_service
        holder.app = create_app(chosen, database, clock=clock)
        client = Client(port, database, chosen)
        return (lambda **headers: Browser(client, dict(headers))), clock

    yield make
    holder.app = None


def accounts(engine: Engine) -> None:
    add_user(engine, "boss", "admin", None, CHEAP.hash(PASSWORD))
    add_user(engine, "yjj-staff", "unit", "yjj", CHEAP.hash(PASSWORD))
    add_user(engine, "plant-staff", "unit", "plant", CHEAP.hash(PASSWORD))


def attempt(engine: Engine, unit: str, score: int, received: datetime, device: uuid.UUID | None = None, name=None):
    """An attempt with ``score`` and no responses (the overview's numbers come from attempts alone)."""
    row = {
        "attempt": uuid.uuid4(),
        "device": device or uuid.uuid4(),
        "quiz": "principles",
        "version": "v",
        "lang": "zh",
        "unit": unit,
        "name": name,
        "answers": {},
        "started": received - timedelta(minutes=3),
        "finished": received,
        "received": received,
        "page_score": score,
        "score": score,
        "passed": score >= 60,
    }
    store_attempt(engine, row, Scored(score, score >= 60, frozenset(), {}))


def assert_admin_headers(reply) -> None:
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    assert reply.headers["Cache-Control"] == "no-store"


# -- login ------------------------------------------------------------------------------------


def test_login_form(admin):
    """The form: bilingual, labelled inputs, the CSRF field, no external resource, the headers."""
    browser, _ = admin()
    reply = browser().request("GET", "/admin/login")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert_admin_headers(reply)
    page = reply.raw.decode()
    assert page.index("用户名") < page.index("Username") and page.index("密码") < page.index("Password")
    for field_id in ("username", "password"):
        assert f'<label for="{field_id}">' in page and f'id="{field_id}" name="{field_id}"' in page
    assert 'name="csrf"' in page and 'name="viewport"' in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert all(ref.startswith(("/admin/", "data:")) for ref in re.findall(r'(?:src|href)="([^"]*)"', page))


def test_login_ok_and_logout(admin, database):
    """A right password: 303 to /admin/, the overview opens; the weak hash is upgraded; logout ends
    the session for good (the old cookie no longer works)."""
    accounts(database)
    browser, _ = admin()
    staff = browser()
    assert staff.request("GET", "/admin/").status == 303
    reply = staff.login("boss")
    assert reply.status == 303 and reply.headers["Location"] == "/admin/"
    assert_admin_headers(reply)
    assert "总计" in staff.text()
    with database.connect() as connection:
        stored_hash = connection.execute(select(users.c.password_hash).where(users.c.username == "boss")).scalar()
    assert not PasswordHasher().check_needs_rehash(stored_hash) and PasswordHasher().verify(stored_hash, PASSWORD)
    old = dict(staff.cookies)
    token = staff.csrf("/admin/")
    out = staff.request("POST", "/admin/logout", {"csrf": token})
    assert out.status == 303 and out.headers["Location"] == "/admin/login"
    assert "session" not in staff.cookies
    assert staff.request("GET", "/admin/").status == 303
    replay = browser()
    replay.cookies = old
    assert replay.request("GET", "/admin/").status == 303


def test_wrong_password_and_unknown_user_alike(admin, database):
    accounts(database)
    browser, _ = admin()
    replies = [browser().login("boss", "nope"), browser().login("nobody", "nope"), browser().login("", "")]
    assert {r.status for r in replies} == {400}
    bodies = [r.raw.decode().replace(r.raw.decode().split('name="csrf" value="')[1].split('"')[0], "") for r in replies]
    assert WRONG_MESSAGE in bodies[0] and "用户名或密码不对" in bodies[0]
    assert bodies[0] == bodies[1].replace('value="nobody"', 'value="boss"')
    assert all("session" not in browser_reply.headers.get("Set-Cookie", "") for browser_reply in replies)


def test_throttling_per_username_and_per_address(admin, database):
    """5 failures lock the username (from any address) and the address (for any username) for a
    minute, doubling after; the refusal says nothing of whether the user exists."""
    accounts(database)
    add_user(database, "other", "admin", None, CHEAP.hash(PASSWORD))
    browser, clock = admin(proxies=(network("127.0.0.1"),))
    a, b, c = (browser(**{"X-Forwarded-For": ip}) for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"))
    for _ in range(5):
        assert a.login("boss", "wrong").status == 400
    for who, name in ((a, "boss"), (b, "boss"), (a, "other")):
        refused = who.login(name)
        assert refused.status == 429 and THROTTLED_MESSAGE in refused.raw.decode() and "session" not in who.cookies
    assert c.login("other").status == 303  # another user from another address
    # per address: failures spread over usernames, known or not
    d, e = browser(**{"X-Forwarded-For": "198.51.100.7"}), browser(**{"X-Forwarded-For": "198.51.100.8"})
    for n in range(5):
        assert d.login(f"ghost{n}", "wrong").status == 400
    unknown_locked = d.login("ghost9")
    assert unknown_locked.status == 429 and d.login("yjj-staff").status == 429
    assert e.login("yjj-staff").status == 303
    clock.now += timedelta(seconds=61)
    assert browser(**{"X-Forwarded-For": "192.0.2.1"}).login("boss").status == 303
    assert d.login("plant-staff").status == 303
    # tries while locked are refused unchecked; a failure once the lock is over doubles it
    for _ in range(5):
        assert browser(**{"X-Forwarded-For": "192.0.2.9"}).login("plant-staff", "wrong").status == 400
    assert browser(**{"X-Forwarded-For": "192.0.2.9"}).login("plant-staff", "wrong").status == 429
    clock.now += timedelta(seconds=61)
    assert browser(**{"X-Forwarded-For": "192.0.2.10"}).login("plant-staff", "wrong").status == 400
    clock.now += timedelta(seconds=61)
    assert browser(**{"X-Forwarded-For": "192.0.2.10"}).login("plant-staff").status == 429
    clock.now += timedelta(seconds=60)
    assert browser(**{"X-Forwarded-For": "192.0.2.10"}).login("plant-staff").status == 303


def test_processes_share_forms_sessions_and_failures(admin, database):
    """Several service processes on one database (PostgreSQL behind a load balancer), or one process
    restarted: a form made by one is accepted by another, and failed logins count across them."""
    accounts(database)
    proxies = (network("127.0.0.1"),)
    browser, _ = admin(proxies=proxies)
    staff = browser(**{"X-Forwarded-For": "203.0.113.1"})
    token = staff.csrf()
    for _ in range(5):
        assert browser(**{"X-Forwarded-For": "203.0.113.2"}).login("plant-staff", "wrong").status == 400
    browser, _ = admin(proxies=proxies)  # another process: a new app, with its own memory, on the same database
    staff.client = browser().client
    reply = staff.request("POST", "/admin/login", {"username": "boss", "password": PASSWORD, "csrf": token})
    assert reply.status == 303 and staff.text().count("boss") >= 1
    assert browser(**{"X-Forwarded-For": "203.0.113.3"}).login("plant-staff").status == 429  # the other's failures
    with database.connect() as connection:
        kept = connection.execute(select(login_failures.c.key)).scalars().all()
    assert kept and not any("plant" in key or "127.0.0.1" in key for key in kept)  # digests only


def test_cookie_flags(admin, database):
    """HttpOnly, SameSite=Strict, Path=/admin; Secure only when https reached the service: from a
    trusted proxy's X-Forwarded-Proto, never from anyone else's."""
    accounts(database)
    browser, _ = admin()
    plain = browser()
    assert plain.login("boss").status == 303
    morsel, raw = plain.last_set["session"]
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict" and morsel["path"] == "/admin"
    assert not morsel["secure"] and "secure" not in raw.lower().replace("samesite", "")
    forged = browser(**{"X-Forwarded-Proto": "https"})
    assert forged.login("boss").status == 303 and not forged.last_set["session"][0]["secure"]
    browser, _ = admin(proxies=(network("127.0.0.1"),))
    proxied = browser(**{"X-Forwarded-Proto": "https"})
    assert proxied.login("boss").status == 303
    morsel, _ = proxied.last_set["session"]
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"].lower() == "strict"
    fresh = browser(**{"X-Forwarded-Proto": "https"})
    fresh.csrf()
    morsel, _ = fresh.last_set["login_csrf"]
    assert morsel["secure"] and morsel["httponly"] and morsel["path"] == "/admin"


def test_session_expiry(admin, database):
    """12 hours idle, or 7 days after login, end a session; use keeps it alive until then."""
    accounts(database)
    browser, clock = admin()
    idle = browser()
    idle.login("boss")
    busy = browser()
    busy.login("boss")
    for _ in range(15):  # 165 hours: still within 7 days
        clock.now += timedelta(hours=11)
        assert busy.request("GET", "/admin/").status == 200
    assert idle.request("GET", "/admin/").status == 303
    clock.now += timedelta(hours=11)  # 176 hours: over 7 days after login
    assert busy.request("GET", "/admin/").status == 303
    forged = browser()
    forged.cookies = {"session": "x" * 43}
    assert forged.request("GET", "/admin/").status == 303


def test_csrf_refused(admin, database):
    """Login without the token, with a wrong one, or with another browser's; logout without the token or
    with the login form's: 403 with a plain bilingual message, nothing done."""
    accounts(database)
    browser, _ = admin()
    staff = browser()
    staff.csrf()
    for token in (None, "", "0" * 64, browser().csrf()):
        form = {"username": "boss", "password": PASSWORD}
        if token is not None:
            form["csrf"] = token
        refused = staff.request("POST", "/admin/login", form)
        assert (
            refused.status == 403
            and "reload the page" in refused.raw.decode()
            and "重新打开页面" in refused.raw.decode()
        )
        assert_admin_headers(refused)
        assert "session" not in staff.cookies
    no_cookie = browser()
    token = no_cookie.csrf()
    no_cookie.cookies.clear()
    assert (
        no_cookie.request("POST", "/admin/login", {"username": "boss", "password": PASSWORD, "csrf": token}).status
        == 403
    )
    assert staff.login("boss").status == 303
    for token in (None, "", "f" * 64, browser().csrf()):  # the last: a login form's token
        form = {} if token is None else {"csrf": token}
        assert staff.request("POST", "/admin/logout", form).status == 403
    assert staff.request("GET", "/admin/").status == 200  # still logged in


# -- the overview -----------------------------------------------------------------------------


def seed(engine: Engine, now: datetime) -> None:
    """Today (server's local date): yjj 2 devices, 3 attempts (90, 40, 50; one device passes);
    plant 1 device, 1 attempt (70).  Earlier: yjj 1 more device (100); town-1 1 device (30)."""
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    today = max(midnight + timedelta(seconds=1), now - timedelta(minutes=5))
    before = midnight - timedelta(days=2)
    one, two = uuid.uuid4(), uuid.uuid4()
    attempt(engine, "yjj", 40, today, one)
    attempt(engine, "yjj", 90, today, one)
    attempt(engine, "yjj", 50, today, two)
    attempt(engine, "plant", 70, today)
    attempt(engine, "yjj", 100, before)
    attempt(engine, "town-1", 30, before)


def cells(page: str, attribute: str) -> dict[str, str]:
    return dict(re.findall(rf'data-{attribute}="([a-z-]+)">([^<]*)<', page))


def unit_row(page: str, code: str) -> list[str]:
    row = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', page, re.S)
    assert row, code
    return re.findall(r'<td class="n">([^<]*)</td>', row.group(1))


def test_overview_numbers_for_admin(admin, database):
    accounts(database)
    browser, clock = admin()
    seed(database, clock.now)
    staff = browser()
    staff.login("boss")
    reply = staff.request("GET", "/admin/")
    assert_admin_headers(reply)
    page = reply.raw.decode()
    # total: 6 attempts, 5 devices, passing devices: one (90), plant (70), earlier yjj (100) = 3
    assert cells(page, "total") == {"participants": "5", "attempts": "6", "pass-rate": "60.0%", "average": "63.3"}
    # today: 4 attempts, 3 devices, 2 pass; average (40+90+50+70)/4 = 62.5
    assert cells(page, "today") == {"participants": "3", "attempts": "4", "pass-rate": "66.7%", "average": "62.5"}
    # yjj: 3 devices, 4 attempts, 2 pass, headcount 40 -> 7.5%; plant 1/300; town-1 no headcount
    assert unit_row(page, "yjj") == ["3", "4", "66.7%", "7.5%"]
    assert unit_row(page, "plant") == ["1", "1", "100.0%", "0.3%"]
    assert unit_row(page, "town-1") == ["1", "1", "0.0%", "–"]
    for name in ("测试县应急管理局", "Test Chemical Plant", "测试一镇"):
        assert name in page


def test_overview_by_name(admin, database):
    """Names required: a participant is a name within its unit (as in the public summary)."""
    accounts(database)
    browser, clock = admin(ask_name="required")
    when = clock.now - timedelta(minutes=1)
    attempt(database, "yjj", 90, when, name="张三")
    attempt(database, "yjj", 30, when, name="张三")
    attempt(database, "yjj", 30, when, name="李四")
    attempt(database, "plant", 30, when, name="张三")
    staff = browser()
    staff.login("boss")
    page = staff.text()
    assert cells(page, "total") == {"participants": "3", "attempts": "4", "pass-rate": "33.3%", "average": "45.0"}
    assert unit_row(page, "yjj") == ["2", "3", "50.0%", "5.0%"]


def test_unit_account_sees_only_its_unit(admin, database):
    accounts(database)
    browser, clock = admin()
    seed(database, clock.now)
    staff = browser()
    staff.login("yjj-staff")
    page = staff.text()
    assert cells(page, "total") == {"participants": "3", "attempts": "4", "pass-rate": "66.7%", "average": "70.0"}
    assert cells(page, "today") == {"participants": "2", "attempts": "3", "pass-rate": "50.0%", "average": "60.0"}
    assert unit_row(page, "yjj") == ["3", "4", "66.7%", "7.5%"]
    for other in ("plant", "town-1", "测试化工厂", "Test Chemical Plant", "测试一镇", "Test Town One", "plant-staff"):
        assert other not in page
    plant = browser()
    plant.login("plant-staff")
    page = plant.text()
    assert cells(page, "total")["attempts"] == "1" and "yjj" not in page and "测试县应急管理局" not in page


def test_hostile_text_escaped(admin, database, base_service):
    """Unit names and usernames full of markup are shown as text; the login form echoes a hostile
    username as text."""
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    units = {
        "yjj": Unit("yjj", Text(f"局{hostile}", f"Bureau{hostile}"), 10),
        "plant": base_service.units["plant"],
    }
    add_user(database, f"boss{hostile}"[:64], "admin", None, CHEAP.hash(PASSWORD))
    browser, clock = admin(units=units)
    attempt(database, "yjj", 80, clock.now - timedelta(minutes=1), name=hostile)
    staff = browser()
    assert staff.login(f"boss{hostile}"[:64]).status == 303
    page = staff.text()
    assert "<script>" not in page and "<img" not in page
    assert str(escape(f"局{hostile}")) in page and str(escape(f"Bureau{hostile}")) in page
    refused = browser().login(hostile, "x").raw.decode()
    assert "<script>" not in refused and "<img" not in refused
