"""The results service as an ASGI app (FastAPI): the endpoints of DESIGN §11.1 and nothing else.

  POST /api/v1/attempts          201 accepted | 200 duplicate | 422/413/415 refused | 429 busy | 503 unavailable;
                                 400 when the client went away in the middle of its body
  GET  /api/v1/public/summary    totals and the units, no personal data, cacheable for a minute;
                                 404 unless the results block says public_summary: true
  GET  /healthz                  200 when the database answers ``SELECT 1``, else 503

Every reply is JSON with a ``status``; every refusal carries ``message: {zh, en}`` in plain words,
which the page shows to the worker.  "accepted" is said only after the commit has returned.
The staff pages under /admin/ (login, logout, overview) are in admin.py.

FastAPI because DESIGN §11 expects it and it is well kept; the record is validated by pydantic
(attempts.py) from the raw body, so that every refusal is one plain sentence and the body's size is
checked before any of it is parsed.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from ..model import Text
from ..scoring import Refused
from .admin import add_admin, staff_failure
from .attempts import check_record, parse_record
from .limits import TokenBuckets, client_key, retry_after
from .service import Service
from .stats import Filters, grouped, totals
from .store import find_attempt, ping, store_attempt

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
SUMMARY_FOR = 60.0
"""Seconds the public summary may be kept, by browsers and proxies (Cache-Control) and by the service
itself until it stores another attempt (another process's attempts show within this time)."""
DATABASE_RETRY = 5
"""Seconds a client is asked to wait (Retry-After) when the database cannot store a record."""

UNSUPPORTED = Text(
    "请以 JSON 格式发送（Content-Type: application/json）。",
    "Send the record as JSON (Content-Type: application/json).",
)
TOO_BIG = Text(
    f"发送的内容太大（最多 {MAX_BODY // 1024} KiB），不是一份答卷。",
    f"The body is too large for an attempt record ({MAX_BODY // 1024} KiB at most).",
)
CUT_SHORT = Text("发送的内容不完整：请重新发送。", "The body was cut short: send it again.")
BUSY = Text("请求太频繁，请稍后再发送。", "Too many requests: try again in a moment.")
UNAVAILABLE = Text(
    "统计服务暂时无法保存记录（数据库没有响应），这份答卷没有存下：请稍后再发送。",
    "The results service cannot store records right now (the database does not answer); "
    "this one was not saved: try again in a moment.",
)
SUMMARY_OFF = Text(
    "这个网站没有公开统计（mkdocs.yml 的 results 里 public_summary 不是 true）。",
    "This site publishes no summary (public_summary is not true in the results block of mkdocs.yml).",
)
NOT_FOUND = Text("这个地址没有内容。", "There is nothing at this address.")
WRONG_METHOD = Text("这个地址不接受这种请求。", "This address does not take this kind of request.")
FAILED = Text(
    "统计服务出现意外错误，这份答卷没有存下：请稍后再发送。",
    "The results service failed unexpectedly; this record was not saved: try again later.",
)


def create_app(service: Service, engine: Engine, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The app for ``service`` storing into ``engine`` (already migrated); ``clock`` (the moment, in
    UTC) times the staff sessions and login throttling, and is moved by tests."""
    # redirect_slashes off: Starlette would answer /api/v1/attempts/ with an empty 307 whose Location it
    # builds from the request's Host header; every address but ours is a JSON 404.
    app = FastAPI(title="Results service", docs_url=None, redoc_url=None, openapi_url=None, redirect_slashes=False)
    devices = TokenBuckets(service.device_limit)
    summary_cache = _Cached(SUMMARY_FOR)

    @app.post("/api/v1/attempts")
    async def post_attempt(request: Request) -> JSONResponse:
        if not _is_json(request.headers.get("content-type", "")):
            return _refused(415, UNSUPPORTED)
        try:
            body = await _body(request)
        except ClientDisconnect:
            # The phone lost the network while sending (or uvicorn has refused a broken chunk): no one
            # is left to answer, and nothing went wrong here; the page sends the record again.
            log.info("client gone before the body was read")
            return _refused(400, CUT_SHORT)
        if body is None:
            return _refused(413, TOO_BIG)
        try:
            record = parse_record(body)
        except Refused as error:
            return _refused(422, error.message)
        wait = devices.take(str(record.device))
        if wait:
            return _busy(wait)
        try:
            # Already stored (a retry whose first answer was lost): "duplicate", even if the quiz has
            # changed since, so that the phone lets the record go.
            stored = await run_in_threadpool(find_attempt, engine, record.attempt)
            if stored is None:
                received = datetime.now(UTC)
                try:
                    name, scored = check_record(record, service, received)
                except Refused as error:
                    return _refused(422, error.message)
                row = {
                    "attempt": record.attempt,
                    "device": record.device,
                    "quiz": record.quiz,
                    "version": record.version,
                    "lang": record.lang,
                    "unit": record.unit,
                    "name": name,
                    "answers": scored.answers,
                    "started": record.started,
                    "finished": record.finished,
                    "received": received,
                    "page_score": record.score,
                    "score": scored.score,
                    "passed": scored.passed,
                }
                stored = await run_in_threadpool(store_attempt, engine, row, scored)
        except SQLAlchemyError as error:
            return _unavailable(error)
        if stored.status == "accepted":
            summary_cache.clear()
        status = 201 if stored.status == "accepted" else 200
        return _reply(status, {"status": stored.status, "score": stored.score, "passed": stored.passed})

    @app.get("/api/v1/public/summary")
    def public_summary() -> JSONResponse:
        if not service.public_summary:
            return _reply(404, {"status": "refused", "message": _words(SUMMARY_OFF)})
        try:
            body = summary_cache.get(lambda: _summary(service, engine))
        except SQLAlchemyError as error:
            return _unavailable(error)
        return _reply(200, body, {"Cache-Control": f"public, max-age={int(SUMMARY_FOR)}"})

    add_admin(app, service, engine, clock or (lambda: datetime.now(UTC)))

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            ping(engine)
        except SQLAlchemyError as error:
            return _unavailable(error)
        return _reply(200, {"status": "ok"})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        message = {404: NOT_FOUND, 405: WRONG_METHOD}.get(error.status_code, FAILED)
        return _reply(error.status_code, {"status": "refused", "message": _words(message)}, error.headers)

    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception) -> Response:
        if request.url.path.startswith("/admin/"):  # a staff page: a page, not the phones' JSON
            if isinstance(error, SQLAlchemyError):
                log.warning("database unavailable: %s", getattr(error, "orig", None) or type(error).__name__)
            else:
                log.error("unexpected error: %s", type(error).__name__)
            return staff_failure(request, error)
        log.error("unexpected error: %s", type(error).__name__)
        return _reply(500, {"status": "error", "message": _words(FAILED)})

    # The last added is the outermost: CORS wraps the address limit, so a 429 carries the CORS
    # headers and the page can read its Retry-After.
    app.add_middleware(AddressLimit, service=service)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(service.origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After"],
        allow_credentials=False,
        max_age=3600,
    )
    return app


def _summary(service: Service, engine: Engine) -> dict:
    by_name = service.ask_name == "required"
    overall = totals(engine, Filters(), by_name)
    per_unit = grouped(engine, Filters(), "unit", by_name)
    units = []
    for unit in service.units.values():
        count = per_unit.get(unit.code)
        units.append(
            {
                "code": unit.code,
                "name": {"zh": unit.name.zh, "en": unit.name.en},
                "participants": count.participants if count else 0,
                "attempts": count.attempts if count else 0,
                "pass_rate": round(count.pass_rate, 4) if count and count.pass_rate is not None else None,
            }
        )
    units.sort(key=lambda u: (-u["participants"], -u["attempts"]))  # stable: units.yaml's order among equals
    return {"attempts": overall.attempts, "participants": overall.participants, "units": units}


class _Cached:
    """One value, made again when older than ``seconds`` or cleared: every phone opening the home page
    asks for the public summary, and its counts cost the database a scan of the attempts."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.value: Any = None
        self.made = -math.inf
        self.lock = threading.Lock()

    def clear(self) -> None:
        self.made = -math.inf

    def get(self, make: Callable[[], Any]) -> Any:
        with self.lock:  # one request counts while the others wait for its answer
            now = time.monotonic()
            if now - self.made >= self.seconds:
                self.value, self.made = make(), now
            return self.value


class AddressLimit:
    """A token bucket per client address in front of /api/ (preflights are not counted: they touch no
    database and the browser caches them).  Per process: see limits.py."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.proxies = service.proxies
        self.buckets = TokenBuckets(service.address_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/") and scope["method"] != "OPTIONS":
            client = scope.get("client")
            forwarded = [value.decode("latin-1") for key, value in scope["headers"] if key == b"x-forwarded-for"]
            wait = self.buckets.take(client_key(client[0] if client else None, forwarded, self.proxies))
            if wait:
                await _busy(wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _is_json(content_type: str) -> bool:
    kind, _, parameters = content_type.partition(";")
    if kind.strip().lower() != "application/json":
        return False
    charset = parameters.strip().lower().removeprefix("charset=").strip('"')
    return not parameters.strip() or charset in ("utf-8", "utf8")


async def _body(request: Request) -> bytes | None:
    """The request's body, or None when it is over MAX_BODY (said by Content-Length, or found while reading)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _words(message: Text) -> dict[str, str]:
    return {"zh": message.zh, "en": message.en}


def _reply(status: int, body: dict, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        body, status, {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **(headers or {})}
    )


def _refused(status: int, message: Text) -> JSONResponse:
    return _reply(status, {"status": "refused", "message": _words(message)})


def _busy(wait: float) -> JSONResponse:
    return _reply(429, {"status": "busy", "message": _words(BUSY)}, {"Retry-After": retry_after(wait)})


def _unavailable(error: Exception) -> JSONResponse:
    # The driver's own words (locked, disk full, read-only, connection lost): never the statement's
    # parameters, which hold a worker's name.
    log.warning("database unavailable: %s", getattr(error, "orig", None) or type(error).__name__)
    return _reply(503, {"status": "unavailable", "message": _words(UNAVAILABLE)}, {"Retry-After": str(DATABASE_RETRY)})
