"""The staff pages under /admin/: login, logout, sessions and CSRF; the pages behind the login are
dashboard.py's.

  GET  /admin/login     the login form (zh first, en second)
  POST /admin/login     username, password, csrf: 303 to /admin/ with a session cookie | 400 wrong | 429 throttled
  POST /admin/logout    csrf: the session is deleted, 303 to /admin/login
  every other /admin/   without a live session 303 to /admin/login

Sessions: a random token (secrets.token_urlsafe) in the cookie ``session`` (HttpOnly, SameSite=Strict,
Path=/admin, Secure when the request came over https, directly or from a trusted --proxy saying
``X-Forwarded-Proto: https``); the database keeps only its SHA-256.  A session ends after 12 hours
unused or 7 days after login.  Strict rather than Lax: staff reach /admin/ by typing or a bookmark,
never from a link on another site, and a link from elsewhere just shows the login form.

CSRF: every form carries a token.  The login form's is an HMAC of a random value the browser also
holds in the cookie ``login_csrf`` (a signed double submit); the logout form's is an HMAC of the
session's token.  The key is kept in the database (store.shared_secret), made by the first process:
a form made by one process is accepted by another, and by the same one after a restart.

Throttling (in the database, shared by every process): after 5 failed logins for one username or from one client
address, that username or address is refused for 1 minute, doubled by each further failure up to
15 minutes; a failure is forgotten after an hour without one, and a success clears its username.
The refusal and the wrong-password message do not say whether the username exists, and an unknown
username costs the same argon2 verification as a known one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from ..model import Text
from .dashboard import Staff, add_dashboard
from .limits import client_key, from_trusted_proxy
from .service import Service
from .store import (
    User,
    clear_failures,
    end_session,
    failures,
    find_user,
    record_failure,
    session_user,
    set_password_hash,
    shared_secret,
    start_session,
)

SESSION_COOKIE = "session"
LOGIN_CSRF_COOKIE = "login_csrf"
IDLE = timedelta(hours=12)
LONGEST = timedelta(days=7)
FAILURES_ALLOWED = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)
MAX_FORM = 4096
_PREFIX = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

WRONG = Text("用户名或密码不对。", "The username or the password is wrong.")
THROTTLED = Text(
    "登录失败次数太多，请过几分钟再试。",
    "Too many failed logins: try again in a few minutes.",
)
FORGED = Text(
    "这个表单已经失效（可能打开太久了）：请重新打开页面再提交。",
    "This form has expired (it may have been open too long): reload the page and send it again.",
)
UNAVAILABLE = Text(
    "数据库暂时无法访问，请稍后再试。", "The database cannot be reached right now: try again in a moment."
)
BROKEN = Text("统计服务出了意外的错误，请稍后再试。", "The results service failed unexpectedly: try again later.")
TOO_BIG = Text("提交的内容太大。", "The form sent is too large.")

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class LoginThrottle:
    """Failed logins per key (a username, a client address), with a lock that grows with them; kept
    in the database (store.login_failures, by digest), so every service process counts the same."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def locked(self, keys: list[str], now: datetime) -> bool:
        found = failures(self.engine, [_digest(key) for key in keys])
        return any(self._until(count, last, now) > now for count, last in found.values())

    def fail(self, keys: list[str], now: datetime) -> None:
        digests = [_digest(key) for key in keys]
        try:
            record_failure(self.engine, digests, now, FORGET_AFTER)
        except IntegrityError:  # another process counted a first failure of the same key at once
            record_failure(self.engine, digests, now, FORGET_AFTER)

    def clear(self, key: str) -> None:
        clear_failures(self.engine, _digest(key))

    @staticmethod
    def _until(count: int, last: datetime, now: datetime) -> datetime:
        if count < FAILURES_ALLOWED or now - last > FORGET_AFTER:
            return now
        return last + min(FIRST_LOCK * 2 ** (count - FAILURES_ALLOWED), LONGEST_LOCK)


def add_admin(app: FastAPI, service: Service, engine: Engine, clock: Callable[[], datetime]) -> None:
    """Add the staff pages to ``app``; ``clock`` gives the moment (tests move it)."""
    keys: list[bytes] = []
    hasher = PasswordHasher()
    dummy_hash = hasher.hash(secrets.token_urlsafe(16))
    throttle = LoginThrottle(engine)

    def sign(purpose: str, value: str) -> str:
        if not keys:  # read (or made) at the first form, not at start: the service starts without its database
            keys.append(bytes.fromhex(shared_secret(engine, "csrf-key")))
        return hmac.new(keys[0], f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def secure(request: Request) -> bool:
        if request.url.scheme == "https":
            return True
        peer = request.client.host if request.client else None
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        return forwarded == "https" and from_trusted_proxy(peer, service.proxies)

    def base(request: Request) -> str:
        """Where /admin is for the browser: behind a trusted proxy that says ``X-Forwarded-Prefix:
        /anquan-api`` (README's nginx block), /anquan-api/admin; else /admin."""
        peer = request.client.host if request.client else None
        prefix = request.headers.get("x-forwarded-prefix", "").strip().rstrip("/")
        if prefix and _PREFIX.match(prefix) and from_trusted_proxy(peer, service.proxies):
            return prefix + "/admin"
        return "/admin"

    def address(request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_key(peer, request.headers.getlist("x-forwarded-for"), service.proxies)

    async def current(request: Request) -> tuple[User, str] | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        user = await run_in_threadpool(session_user, engine, _digest(token), clock(), IDLE, LONGEST)
        return (user, token) if user is not None else None

    def login_page(request: Request, status: int = 200, message: Text | None = None, username: str = "") -> Response:
        nonce = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        html = _templates.get_template("login.html").render(
            csrf=sign("login", nonce), message=message, username=username, base=base(request)
        )
        response = _page(html, status)
        response.set_cookie(
            LOGIN_CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=secure(request), path=base(request)
        )
        return response

    @app.get("/admin/login")
    async def get_login(request: Request) -> Response:
        if await current(request) is not None:
            return _redirect(base(request) + "/")
        return login_page(request)

    async def checked_form(request: Request, purpose: str, cookie: str) -> dict[str, str] | Response:
        """The posted form, or the reply that refuses it: too big, or its CSRF field not the
        signature of the ``cookie`` this form was made for (``purpose``)."""
        form = await _form(request)
        if form is None:
            return message(request, 413, TOO_BIG)
        value = request.cookies.get(cookie, "")
        if not value or not hmac.compare_digest(form.get("csrf", ""), sign(purpose, value)):
            return message(request, 403, FORGED)
        return form

    @app.post("/admin/login")
    async def post_login(request: Request) -> Response:
        form = await checked_form(request, "login", LOGIN_CSRF_COOKIE)
        if isinstance(form, Response):
            return form
        username, password = form.get("username", "").strip(), form.get("password", "")
        now = clock()
        keys = [f"user:{username.casefold()}", f"address:{address(request)}"]
        if await run_in_threadpool(throttle.locked, keys, now):
            return login_page(request, 429, THROTTLED, username)
        user = await run_in_threadpool(find_user, engine, username) if username else None
        if not await run_in_threadpool(_verify, hasher, user.password_hash if user else dummy_hash, password):
            await run_in_threadpool(throttle.fail, keys, now)
            return login_page(request, 400, WRONG, username)
        assert user is not None
        await run_in_threadpool(throttle.clear, keys[0])
        if hasher.check_needs_rehash(user.password_hash):
            await run_in_threadpool(set_password_hash, engine, user.id, hasher.hash(password))
        token = secrets.token_urlsafe(32)
        await run_in_threadpool(start_session, engine, _digest(token), user.id, now)
        response = _redirect(base(request) + "/")
        response.set_cookie(
            SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path=base(request)
        )
        response.delete_cookie(
            LOGIN_CSRF_COOKIE, httponly=True, samesite="strict", secure=secure(request), path=base(request)
        )
        return response

    @app.post("/admin/logout")
    async def post_logout(request: Request) -> Response:
        form = await checked_form(request, "session", SESSION_COOKIE)
        if isinstance(form, Response):
            return form
        token = request.cookies[SESSION_COOKIE]
        await run_in_threadpool(end_session, engine, _digest(token))
        response = _redirect(base(request) + "/login")
        response.delete_cookie(
            SESSION_COOKIE, httponly=True, samesite="strict", secure=secure(request), path=base(request)
        )
        return response

    async def staff_of(request: Request) -> Staff | None:
        found = await current(request)
        if found is None:
            return None
        user, token = found
        return Staff(user, sign("session", token))

    def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        return _page(_templates.get_template(template).render(base=base(request), **context), status)

    def message(request: Request, status: int, text: Text) -> Response:
        return render(request, "message.html", status, message=text)

    def to_login(request: Request) -> Response:
        return _redirect(base(request) + "/login")

    add_dashboard(app, service, engine, staff_of, render, message, to_login)


def staff_failure(request: Request, error: Exception) -> Response:
    """The page for a staff page that failed: the database unavailable (503, try again) or anything else."""
    unavailable = isinstance(error, SQLAlchemyError)
    text = UNAVAILABLE if unavailable else BROKEN
    html = _templates.get_template("message.html").render(message=text, base="/admin")
    return _page(html, 503 if unavailable else 500)


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded form of ``request`` (first value of each field), or None when it is too large."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM:
            return None
        chunks.append(chunk)
    fields = parse_qs(b"".join(chunks).decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status, headers=HEADERS)


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, 303, headers=HEADERS)
