"""The service's other promises over HTTP, on SQLite and PostgreSQL: CORS, rate limits per address,
/healthz, the public summary, unknown addresses, database failures (503, nothing claimed) and a
hostile corpus (refused or stored as inert text; nothing crashes)."""

from __future__ import annotations

import ipaddress
import json
import uuid

import pytest
from sqlalchemy import make_url, text

from generator.results.service import Limit
from generator.results.store import open_engine

from .conftest import SITE_ORIGIN, record, stored

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


def test_cors_site_origin(service):
    """The site's origin (from site_url) passes the preflight and reads the reply; no credentials."""
    client = service()
    reply = client.request("OPTIONS", "/api/v1/attempts", headers={"Origin": SITE_ORIGIN, **PREFLIGHT})
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert "content-type" in reply.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in reply.headers
    posted = client.post(record(client.quiz()), {"Origin": SITE_ORIGIN})
    assert posted.status == 201 and posted.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "retry-after" in posted.headers["Access-Control-Expose-Headers"].lower()
    summary = client.get("/api/v1/public/summary", {"Origin": SITE_ORIGIN})
    assert summary.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN


def test_cors_other_origin_refused(service):
    """Another site's preflight is refused and its replies carry no Access-Control-Allow-Origin."""
    client = service()
    for origin in (
        "https://evil.example",
        "https://anquan.example.gov.cn.evil.example",
        "null",
        "http://anquan.example.gov.cn",
    ):
        reply = client.request("OPTIONS", "/api/v1/attempts", headers={"Origin": origin, **PREFLIGHT})
        assert reply.status == 400 and "Access-Control-Allow-Origin" not in reply.headers
        assert "Access-Control-Allow-Origin" not in client.get("/api/v1/public/summary", {"Origin": origin}).headers


def test_cors_allow_origin(service, base_service):
    """--allow-origin adds an origin beside the site's."""
    other = "http://127.0.0.1:8000"
    client = service(origins=(*base_service.origins, other))
    reply = client.request("OPTIONS", "/api/v1/attempts", headers={"Origin": other, **PREFLIGHT})
    assert reply.status == 200 and reply.headers["Access-Control-Allow-Origin"] == other


def test_address_rate_limit(service):
    """Past its burst one address gets 429 with Retry-After (readable by the site: CORS headers on it);
    preflights and /healthz are not counted."""
    client = service(address_limit=Limit(rate=0.001, burst=3))
    for _ in range(5):
        client.request("OPTIONS", "/api/v1/attempts", headers={"Origin": SITE_ORIGIN, **PREFLIGHT})
        assert client.get("/healthz").status == 200
    statuses = [client.post(record(client.quiz()), {"Origin": SITE_ORIGIN}) for _ in range(4)]
    assert [r.status for r in statuses] == [201, 201, 201, 429]
    limited = statuses[-1]
    assert limited.json["status"] == "busy" and limited.json["message"]["en"]
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert client.get("/api/v1/public/summary").status == 429
    assert len(stored(client.engine)) == 3


def test_forwarded_for_only_from_a_trusted_proxy(service):
    """X-Forwarded-For names the client only when the socket's peer is a --proxy address."""

    def send(client, forwarded: str):
        return client.post(record(client.quiz()), {"X-Forwarded-For": forwarded}).status

    client = service(address_limit=Limit(rate=0.001, burst=1))
    assert [send(client, "203.0.113.1"), send(client, "203.0.113.2")] == [201, 429]  # not believed: one client

    trusted = (ipaddress.ip_network("127.0.0.1/32"),)
    client = service(address_limit=Limit(rate=0.001, burst=1), proxies=trusted)
    statuses = [send(client, address) for address in ("203.0.113.1", "203.0.113.2", "198.51.100.7, 203.0.113.1")]
    assert statuses == [201, 201, 429]  # the last: 203.0.113.1 again, behind a hop it wrote itself


def test_factory_behind_one_address(service):
    """300 workers behind one public address hand in at once (a preflight and a post each): no 429."""
    client = service()
    quiz = client.quiz()
    for _ in range(300):
        client.request("OPTIONS", "/api/v1/attempts", headers={"Origin": SITE_ORIGIN, **PREFLIGHT})
        assert client.post(record(quiz), {"Origin": SITE_ORIGIN}).status == 201
    assert len(stored(client.engine)) == 300


def test_healthz(service):
    """/healthz answers 200 {"status": "ok"} when the database answers."""
    reply = service().get("/healthz")
    assert reply.status == 200 and reply.json == {"status": "ok"}


@pytest.fixture
def dead_engine(backend, tmp_path):
    """An engine whose database cannot be reached (a server that is not there, a folder that is not there)."""
    if backend == "sqlite":
        engine = open_engine(make_url(f"sqlite:///{tmp_path / 'missing' / 'results.db'}"))
    else:
        from .conftest import free_port

        engine = open_engine(make_url(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/results"))
    yield engine
    engine.dispose()


def test_database_down(http_server, dead_engine, base_service):
    """With the database unreachable: /healthz 503, a record 503 with Retry-After and a reason, never 201."""
    from generator.results.app import create_app

    from .conftest import Client

    holder, port = http_server
    holder.app = create_app(base_service, dead_engine)
    client = Client(port, dead_engine, base_service)
    health = client.get("/healthz")
    assert health.status == 503 and health.json["status"] == "unavailable"
    reply = client.post(record(client.quiz()))
    assert reply.status == 503 and int(reply.headers["Retry-After"]) >= 1
    assert reply.json["status"] == "unavailable" and "not saved" in reply.json["message"]["en"]
    assert client.get("/api/v1/public/summary").status == 503
    page = client.get("/admin/login")  # staff pages: a page saying so, not the phones' JSON
    assert page.status == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "The database cannot be reached right now" in page.raw.decode()


def test_read_only_database(http_server, backend, database, base_service, tmp_path):
    """A database that can be read but not written: the record is refused with 503, nothing claimed stored."""
    from generator.results.app import create_app

    from .conftest import Client

    if backend == "sqlite":
        path = make_url(str(database.url)).database
        read_only = open_engine(make_url(f"sqlite:///file:{path}?mode=ro&uri=true"))
    else:
        read_only = open_engine(database.url.set(query={"options": "-c default_transaction_read_only=on"}))
    holder, port = http_server
    holder.app = create_app(base_service, read_only)
    client = Client(port, read_only, base_service)
    try:
        assert client.get("/healthz").status == 200  # it answers: it is only read-only
        reply = client.post(record(client.quiz()))
        assert reply.status == 503 and reply.headers["Retry-After"]
        assert stored(database) == []
    finally:
        read_only.dispose()


def test_summary(service):
    """Totals, participants (distinct devices) and pass rates per unit, every unit listed, most
    participants first; cacheable for a minute; nothing personal in it."""
    client = service()
    quiz = client.quiz()
    alice, bob, carol = (str(uuid.uuid4()) for _ in range(3))
    sent = [
        record(quiz, device=alice, unit="town-1", name="Alice Secret", right=False),
        record(quiz, device=alice, unit="town-1", name="Alice Secret"),
        record(quiz, device=bob, unit="town-1", right=False),
        record(quiz, device=carol, unit="yjj", name="Carol Secret"),
    ]
    for body in sent:
        assert client.post(body).status == 201
    reply = client.get("/api/v1/public/summary")
    assert reply.status == 200 and reply.headers["Cache-Control"] == "public, max-age=60"
    summary = reply.json
    assert summary["attempts"] == 4 and summary["participants"] == 3
    assert [unit["code"] for unit in summary["units"]] == ["town-1", "yjj", "plant"]
    town, yjj, plant = summary["units"]
    assert town == {
        "code": "town-1",
        "name": {"zh": "测试一镇", "en": "Test Town One"},
        "participants": 2,
        "attempts": 3,
        "pass_rate": 0.5,  # alice passed once, bob did not
    }
    assert (yjj["participants"], yjj["attempts"], yjj["pass_rate"]) == (1, 1, 1.0)
    assert (plant["participants"], plant["attempts"], plant["pass_rate"]) == (0, 0, None)
    raw = reply.raw.decode()
    for body in sent:
        for personal in (body["attempt"], body["device"], body["name"] or "Alice"):
            assert personal not in raw


def test_summary_is_kept_until_an_attempt_is_stored(service, database):
    """The service counts once for many home pages: a record stored behind its back (another process)
    is not in the summary yet; one stored by this process is, at once."""
    client = service()
    quiz = client.quiz()
    assert client.post(record(quiz)).status == 201
    assert client.get("/api/v1/public/summary").json["attempts"] == 1
    with database.begin() as connection:
        connection.execute(text("DELETE FROM responses"))
        connection.execute(text("DELETE FROM attempts"))
    assert client.get("/api/v1/public/summary").json["attempts"] == 1  # kept
    assert client.post(record(quiz)).status == 201
    assert client.get("/api/v1/public/summary").json["attempts"] == 1  # counted again: only the new one


def test_summary_by_names(service):
    """Where names are required, participants are names within a unit, whatever the phone."""
    client = service(ask_name="required")
    quiz = client.quiz()
    shared_phone = str(uuid.uuid4())
    for name in ("王五", "赵六", "王五"):
        assert client.post(record(quiz, device=shared_phone, unit="yjj", name=name)).status == 201
    summary = client.get("/api/v1/public/summary").json
    assert summary["participants"] == 2 and summary["units"][0]["participants"] == 2


def test_summary_off(service):
    """Without public_summary: true the summary is not published (404, with the reason)."""
    reply = service(public_summary=False).get("/api/v1/public/summary")
    assert reply.status == 404 and "public_summary" in reply.json["message"]["en"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/admin/nowhere", 404),
        ("GET", "/docs", 404),
        ("GET", "/openapi.json", 404),
        ("GET", "/api/v1/attempts", 405),
        ("POST", "/api/v1/public/summary", 405),
        ("DELETE", "/api/v1/attempts", 405),
    ],
)
def test_nothing_else(service, method, path, status):
    """No API docs, no page beyond the staff pages (test_admin.py); wrong methods: JSON with a plain reason."""
    reply = service().request(method, path, b"{}" if method != "GET" else None, {"Content-Type": "application/json"})
    assert reply.status == status and reply.json["status"] == "refused" and reply.json["message"]["zh"]


HOSTILE_NAMES = [
    "Robert'); DROP TABLE attempts;--",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "{{7*7}}${7*7}",
    "王𠀀𪚥",  # astral CJK
    "%s%n%x",
    "\\x00",
]
HOSTILE_VALUES = [
    "'; DROP TABLE attempts;--",
    "<script>alert(1)</script>",
    "=1+1",
    "../../etc/passwd",
    "A" * 300,
    "",
    None,
    True,
    0,
    -1,
    10**30,
    1e308,
    [],
    {},
    {"$ne": 1},
    ["A"] * 100,
]


def test_hostile_corpus(service):
    """Injection strings, markup, formulas, wrong types and odd sizes in every field: each refused (4xx,
    plain reason) or stored exactly as sent; no 500; the table is intact and holds only what was accepted."""
    client = service()
    quiz = client.quiz()
    accepted = []
    for name in HOSTILE_NAMES:
        body = record(quiz, name=name)
        reply = client.post(body)
        assert reply.status == 201, (name, reply.raw)
        accepted.append(body)
    for field in ("attempt", "device", "quiz", "version", "lang", "unit", "name", "answers", "started", "finished"):
        for value in HOSTILE_VALUES:
            body = record(quiz, **{field: value})
            reply = client.post(body)
            assert reply.status in (201, 422), (field, value, reply.status, reply.raw)
            assert reply.json["status"] in ("accepted", "refused")
            if reply.status == 201:
                accepted.append(body)
    for question in quiz.questions[:2]:
        for value in HOSTILE_VALUES:
            body = record(quiz)
            body["answers"][question.id] = value if isinstance(value, list) else [value]
            reply = client.post(body)
            assert reply.status in (201, 422), (question.id, value, reply.raw)
            if reply.status == 201:  # [] (left open)
                accepted.append(body)
    for raw in (b'{"answers": {"__proto__": {"polluted": true}}}', b'{"constructor": {"prototype": 1}}'):
        assert client.post(raw).status == 422
    rows = {str(row.attempt): row for row in stored(client.engine)}
    assert set(rows) == {body["attempt"] for body in accepted}
    for body in accepted:
        expected = body["name"].strip() if isinstance(body["name"], str) and body["name"].strip() else None
        assert rows[body["attempt"]].name == expected
    with client.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM attempts")).scalar() == len(accepted)
    summary = client.get("/api/v1/public/summary")
    assert summary.status == 200 and json.loads(summary.raw)["attempts"] == len(accepted)
    for path in ("/healthz?x=' OR 1=1", "/api/v1/public/summary?unit=<script>", "/api/v1/public/summary/../../x"):
        assert client.get(path.replace(" ", "%20")).status in (200, 404)


def test_database_locked(http_server, backend, database, base_service, monkeypatch):
    """Another writer holding the database longer than the service waits (SQLite's busy timeout, a
    PostgreSQL statement timeout): 503 with Retry-After, never 201; sent again once it is free: stored."""
    from generator.results import store
    from generator.results.app import create_app

    from .conftest import Client

    if backend == "sqlite":
        monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
        impatient = open_engine(database.url)
    else:
        impatient = open_engine(database.url.set(query={"options": "-c statement_timeout=300"}))
    holder, port = http_server
    holder.app = create_app(base_service, impatient)
    client = Client(port, impatient, base_service)
    body = record(client.quiz())
    try:
        with database.connect() as blocker:
            if backend == "sqlite":
                blocker.execution_options(immediate=True).exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE
            else:
                blocker.execute(text("LOCK TABLE attempts IN ACCESS EXCLUSIVE MODE"))
            reply = client.post(body)
            assert reply.status == 503 and reply.headers["Retry-After"] and reply.json["status"] == "unavailable"
            blocker.rollback()
        assert client.post(body).status == 201
        assert len(stored(database)) == 1
    finally:
        impatient.dispose()
