"""POST /api/v1/attempts on SQLite and PostgreSQL: accepted, duplicate, re-scored, and every refusal."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect

from generator.results import app as app_module
from generator.results.service import Limit

from .conftest import moment, record, stored, wrong


def test_accepted(service):
    """A right attempt is stored once, re-scored 100 and passed, with the server's time of receipt."""
    client = service()
    quiz = client.quiz()
    body = record(quiz)
    reply = client.post(body)
    assert reply.status == 201
    assert reply.json == {"status": "accepted", "score": 100, "passed": True}
    [row] = stored(client.engine)
    assert str(row.attempt) == body["attempt"] and str(row.device) == body["device"]
    assert (row.quiz, row.version, row.lang, row.unit, row.name) == (quiz.id, body["version"], "zh", "yjj", None)
    assert row.answers == body["answers"] and (row.page_score, row.score, row.passed) == (100, 100, True)
    assert row.started == datetime.fromisoformat(body["started"])
    assert abs(datetime.now(UTC) - row.received) < timedelta(minutes=1)
    assert reply.headers["Cache-Control"] == "no-store"


def test_no_address_or_browser_is_kept(service):
    """The attempts table has no column for an IP address or a user agent (DESIGN §11, privacy)."""
    client = service()
    columns = {column["name"] for column in inspect(client.engine).get_columns("attempts")}
    assert not {name for name in columns if any(word in name for word in ("ip", "addr", "agent", "host"))}


def test_rescored_from_the_answers(service):
    """The page's score is kept only to compare: the reply and the row carry the service's own score."""
    client = service()
    quiz = client.quiz("fire-safety")
    body = record(quiz, right=False, score=100)
    body["answers"][quiz.questions[0].id] = sorted(quiz.questions[0].answer)
    reply = client.post(body)
    expected = round(100 / len(quiz.questions))
    assert reply.status == 201 and reply.json == {"status": "accepted", "score": expected, "passed": False}
    [row] = stored(client.engine)
    assert (row.page_score, row.score, row.passed) == (100, expected, False)


def test_draw_and_unanswered(service):
    """An exam with a draw of 4 from 6: answers for the 4 drawn questions, one left open ([]) counts wrong."""
    client = service()
    quiz = client.quiz("rights-duties")
    body = record(quiz)
    first = quiz.questions[0].id
    body["answers"][first] = []
    reply = client.post(body)
    assert reply.status == 201 and reply.json["score"] == 75 and reply.json["passed"] is True  # pass mark 75
    assert stored(client.engine)[0].answers[first] == []


def test_duplicate(service):
    """The same attempt id again answers 200 "duplicate" with the first outcome, and is stored once."""
    client = service()
    body = record(client.quiz(), right=False)
    assert client.post(body).status == 201
    again = client.post({**body, "answers": record(client.quiz())["answers"], "score": 100})
    assert again.status == 200 and again.json == {"status": "duplicate", "score": 0, "passed": False}
    assert len(stored(client.engine)) == 1


def test_duplicate_after_the_quiz_changed(service):
    """A retry of a stored attempt is "duplicate" even once its version is no longer current: the phone lets it go."""
    client = service()
    body = record(client.quiz())
    assert client.post(body).status == 201
    reply = client.post({**body, "version": "0123456789ab"})
    assert reply.status == 200 and reply.json["status"] == "duplicate"


def test_racing_duplicates_are_stored_once(service, monkeypatch):
    """Two posts of one attempt at the same moment, both past the look-up: one row, one "accepted", one "duplicate"."""
    client = service()
    body = record(client.quiz())
    both_looked = threading.Barrier(2, timeout=20)

    def look_up_together(engine, attempt):
        both_looked.wait()
        return None  # as if neither had been stored yet: both go on to insert

    monkeypatch.setattr(app_module, "find_attempt", look_up_together)
    replies: list[Any] = []
    senders = [threading.Thread(target=lambda: replies.append(client.post(body))) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=30)
    assert sorted((r.status, r.json["status"]) for r in replies) == [(200, "duplicate"), (201, "accepted")]
    assert len(stored(client.engine)) == 1


def _set(path: str, value: Any):
    def change(body: dict) -> None:
        keys = path.split(".")
        target = body
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value

    return change


def _first_answer(value: Any):
    def change(body: dict) -> None:
        body["answers"][next(iter(body["answers"]))] = value

    return change


def _drop_answer(body: dict) -> None:
    body["answers"].pop(next(iter(body["answers"])))


def _rename_answer(body: dict) -> None:
    first = next(iter(body["answers"]))
    body["answers"]["no-such-question"] = body["answers"].pop(first)


def _drop(field: str):
    return lambda body: body.pop(field)


REFUSALS = {
    # name: (change to a right record of "principles" (single, multiple, true/false ...), words of the reason)
    "unknown quiz": (_set("quiz", "no-such-quiz"), 'There is no quiz "no-such-quiz"'),
    "old version": (_set("version", "0123456789ab"), "The quiz has changed since this page was loaded"),
    "unknown question": (_rename_answer, 'has no question "no-such-question"'),
    "unknown option": (_first_answer(["Z"]), 'has no option "Z"'),
    "lowercase letter": (_first_answer(["b"]), 'has no option "b"'),
    "two letters for single": (_first_answer(["A", "B"]), "at most one option may be chosen"),
    "a letter twice": (lambda b: b["answers"].update(controls=["A", "A"]), "names an option twice"),
    "true/false as text": (lambda b: b["answers"].update(everyone=["false"]), "must be [true], [false] or []"),
    "letter for true/false": (lambda b: b["answers"].update(everyone=["A"]), "must be [true], [false] or []"),
    "answer not a list": (_first_answer("B"), "must be listed by question id"),
    "a number as answer": (_first_answer([2]), "must be listed by question id"),
    "too few answers": (_drop_answer, "should hold answers to 5 questions"),
    "answers not a mapping": (_set("answers", [["B"]]), "must be listed by question id"),
    "unknown unit": (_set("unit", "no-such-unit"), 'There is no unit with the code "no-such-unit"'),
    "unit in the wrong case": (_set("unit", "YJJ"), 'no unit with the code "YJJ"'),
    "bad attempt id": (_set("attempt", "not-a-uuid"), 'The attempt id ("attempt") must be the UUID'),
    "bad device id": (_set("device", "1234"), 'The device id ("device") must be the UUID'),
    "attempt id a number": (_set("attempt", 12345), 'The attempt id ("attempt") must be the UUID'),
    "language": (_set("lang", "fr"), '"lang" must be zh or en'),
    "name too long": (_set("name", "名" * 41), "at most 40 characters"),
    "name far too long": (_set("name", "x" * 5000), "at most 40 characters"),
    "control character in name": (_set("name", "张\x00三"), "control or invisible characters"),
    "right-to-left override in name": (_set("name", "张\u202e三"), "control or invisible characters"),
    "line break in name": (_set("name", "张\n三"), "control or invisible characters"),
    "name not text": (_set("name", ["张三"]), '"name" must be a name (text) or null'),
    # Times are made when the test runs, not when the table is read: a slow run must not age them.
    "finished in the future": (lambda b: b.update(finished=moment(timedelta(minutes=10))), "lies in the future"),
    "started in the future": (
        lambda b: b.update(started=moment(timedelta(hours=2)), finished=moment(timedelta(hours=3))),
        "lies in the future",
    ),
    "finished before started": (
        lambda b: b.update(started=moment(), finished=moment(timedelta(minutes=-1))),
        "finished before it started",
    ),
    "longer than a day": (lambda b: b.update(started=moment(timedelta(hours=-25))), "took more than 24 hours"),
    "too old": (
        lambda b: b.update(started=moment(timedelta(days=-61)), finished=moment(timedelta(days=-61, minutes=5))),
        "more than 60 days ago",
    ),
    "time without zone": (_set("started", "2026-06-03T09:12:00"), "must be a time with its zone"),
    "time as a number": (_set("finished", 1780000000), "must be a time with its zone"),
    "not a date": (_set("finished", "yesterday"), "must be a time with its zone"),
    "score as text": (_set("score", "100"), "whole number from 0 to 100"),
    "score with a point": (_set("score", 100.0), "whole number from 0 to 100"),
    "score over 100": (_set("score", 101), "whole number from 0 to 100"),
    "score below 0": (_set("score", -1), "whole number from 0 to 100"),
    "missing field": (_drop("quiz"), 'The attempt record has no "quiz"'),
    "missing answers": (_drop("answers"), 'The attempt record has no "answers"'),
    "unknown field": (_set("ip", "10.0.0.1"), '"ip" is not a field of an attempt record'),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refused(service, case):
    """Each kind of bad record: 422, status "refused", the reason in both languages, nothing stored."""
    client = service()
    change, words = REFUSALS[case]
    body = record(client.quiz())
    change(body)
    reply = client.post(body)
    assert reply.status == 422, reply.raw
    assert reply.json["status"] == "refused"
    message = reply.json["message"]
    assert set(message) == {"zh", "en"} and message["zh"] and words in message["en"]
    assert "Traceback" not in reply.raw.decode() and "pydantic" not in reply.raw.decode()
    assert stored(client.engine) == []


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"{", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
        (b'{"score": 1' + b"0" * 5000 + b"}", "not valid JSON"),
        (b'{"name": "\\ud800"}', "not valid JSON"),
    ],
    ids=["cut short", "empty", "not UTF-8", "a list", "null", "a string", "deep nesting", "huge number", "surrogate"],
)
def test_not_a_record(service, raw, words):
    """Bodies that are not a JSON object: one plain sentence, never the parser's own words."""
    reply = service().post(raw)
    assert reply.status == 422 and reply.json["status"] == "refused"
    assert words in reply.json["message"]["en"]


def test_name_kept_when_optional(service):
    """With ask_name: optional a name is kept as typed (outer spaces trimmed); an empty one is none."""
    client = service()
    assert client.post(record(client.quiz(), name="  张三  ")).status == 201
    assert client.post(record(client.quiz(), name="   ")).status == 201
    assert sorted(str(row.name) for row in stored(client.engine)) == ["None", "张三"]


def test_name_refused_when_not_asked(service):
    """ask_name: no: a record with a name is refused (the page did not ask for one); without one it is fine."""
    client = service(ask_name="no")
    reply = client.post(record(client.quiz(), name="张三"))
    assert reply.status == 422 and "does not collect names" in reply.json["message"]["en"]
    assert client.post(record(client.quiz())).status == 201


def test_name_required(service):
    """ask_name: required: a record without a name is refused with a reason the worker can act on."""
    client = service(ask_name="required")
    reply = client.post(record(client.quiz(), name=None))
    assert reply.status == 422 and reply.json["message"]["zh"] == "请填写姓名：这次活动要求写姓名。"
    assert client.post(record(client.quiz(), name="李四")).status == 201


def test_clock_skew_allowed(service):
    """A phone whose clock runs 3 minutes ahead is still counted."""
    client = service()
    body = record(client.quiz(), started=moment(timedelta(minutes=1)), finished=moment(timedelta(minutes=3)))
    assert client.post(body).status == 201


@pytest.mark.parametrize("size", [16 * 1024 + 1, 200_000])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_too_big(service, size, chunked):
    """Bodies over 16 KiB: 413 with the refused shape, whether the length is announced or not."""
    client = service()
    body = record(client.quiz(), name=None)
    raw = json.dumps(body).encode()
    raw = raw[:-1] + b', "padding": "' + b"x" * (size - len(raw) - 15) + b'"}'
    assert len(raw) >= 16 * 1024 + 1
    reply = client.request("POST", "/api/v1/attempts", raw, {"Content-Type": "application/json"}, chunked=chunked)
    assert reply.status == 413
    assert reply.json["status"] == "refused" and "16 KiB" in reply.json["message"]["en"]
    assert stored(client.engine) == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", ""]
)
def test_wrong_content_type(service, content_type):
    """Anything but JSON (a form post, text/plain as a simple CORS request would send): 415, nothing stored."""
    client = service()
    raw = json.dumps(record(client.quiz())).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    reply = client.request("POST", "/api/v1/attempts", raw, headers)
    assert reply.status == 415 and reply.json["status"] == "refused"
    assert "application/json" in reply.json["message"]["en"]
    assert stored(client.engine) == []


def test_json_with_charset(service):
    """application/json; charset=utf-8 is JSON."""
    client = service()
    reply = client.post(record(client.quiz()), {"Content-Type": "application/json; charset=UTF-8"})
    assert reply.status == 201


def test_device_rate_limit(service):
    """One device sending more than its burst: 429 with Retry-After; another device is not held up."""
    client = service(device_limit=Limit(rate=0.001, burst=2))
    device = str(uuid.uuid4())
    replies = [client.post(record(client.quiz(), device=device)) for _ in range(3)]
    assert [r.status for r in replies] == [201, 201, 429]
    assert replies[2].json["status"] == "busy" and int(replies[2].headers["Retry-After"]) >= 1
    assert client.post(record(client.quiz())).status == 201
    assert len(stored(client.engine)) == 3


def test_wrong_answers_to_every_type(service):
    """All wrong across single, multiple and true/false: 0 and not passed."""
    client = service()
    quiz = client.quiz()
    reply = client.post(record(quiz, right=False))
    assert reply.json == {"status": "accepted", "score": 0, "passed": False}
    assert {q.id: wrong(q) for q in quiz.questions} == stored(client.engine)[0].answers


def test_unexpected_failure(service, monkeypatch):
    """A bug while checking a record: 500 with a plain reason in JSON, no traceback, nothing stored."""
    client = service()

    def broken(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app_module, "check_record", broken)
    reply = client.post(record(client.quiz()))
    assert reply.status == 500 and reply.json["status"] == "error" and reply.json["message"]["en"]
    assert "secret internals" not in reply.raw.decode() and "Traceback" not in reply.raw.decode()
    assert stored(client.engine) == []
