"""One attempt as a page sends it (DESIGN §11.1), and every check it must pass before it is stored.

The schema is strict: exact JSON types (a score of "100" or 100.0 is refused, as is a date without a
time zone), no unknown fields.  Whatever is refused gets a plain reason in both languages that names
the field: never pydantic's own error list.  Then the record is judged against what the service
loaded at start (quiz, version, unit, name), its times against the server's clock, and its answers
are re-scored by the core's ``scoring.score_attempt``.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from ..scoring import Refused, Scored, score_attempt, shown_value
from .service import Service

MAX_NAME = 40
CLOCK_SKEW = timedelta(minutes=5)
"""A phone's clock may run this far ahead of the server's."""
MAX_DURATION = timedelta(hours=24)
MAX_AGE = timedelta(days=60)
"""An attempt that waited on a phone longer than this is not counted any more."""
_REFUSED_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control and invisible formatting characters (a right-to-left override would disguise a name in
an export), lone surrogates (no database can store them), line and paragraph separators."""


class AttemptRecord(BaseModel):
    """The JSON a page sends to ``POST /api/v1/attempts``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    attempt: uuid.UUID
    device: uuid.UUID
    quiz: str = Field(max_length=100)
    version: str = Field(max_length=64)
    lang: Literal["zh", "en"]
    unit: str = Field(max_length=100)
    name: str | None = Field(default=None, max_length=1000)
    answers: dict[str, list[StrictStr | StrictBool]] = Field(max_length=1000)
    started: AwareDatetime
    finished: AwareDatetime
    score: int = Field(ge=0, le=100)


_FIELDS: dict[str, tuple[str, str]] = {
    "attempt": ("作答编号 attempt 应是页面生成的 UUID", 'The attempt id ("attempt") must be the UUID the page made'),
    "device": ("设备编号 device 应是页面保存的 UUID", 'The device id ("device") must be the UUID the page keeps'),
    "quiz": ("quiz 应是测验编号（文字）", '"quiz" must be a quiz id (text)'),
    "version": ("version 应是页面上的测验版本（文字）", '"version" must be the page\'s quiz version (text)'),
    "lang": ("lang 应是 zh 或 en", '"lang" must be zh or en'),
    "unit": ("unit 应是单位代码（文字）", '"unit" must be a unit code (text)'),
    "name": ("name 应是姓名（文字）或 null", '"name" must be a name (text) or null'),
    "answers": (
        '答案 answers 应按题目编号列出，例如 {"fire-number": ["B"], "hot-door": [false]}',
        'The answers must be listed by question id, e.g. {"fire-number": ["B"], "hot-door": [false]}',
    ),
    "started": (
        "开始时间 started 应是带时区的时间，例如 2026-06-03T09:12:00+08:00",
        'The start time ("started") must be a time with its zone, e.g. 2026-06-03T09:12:00+08:00',
    ),
    "finished": (
        "结束时间 finished 应是带时区的时间，例如 2026-06-03T09:15:41+08:00",
        'The finishing time ("finished") must be a time with its zone, e.g. 2026-06-03T09:15:41+08:00',
    ),
    "score": (
        "页面得分 score 应是 0 到 100 的整数",
        'The page\'s score ("score") must be a whole number from 0 to 100',
    ),
}


def parse_record(body: bytes) -> AttemptRecord:
    """The record in ``body`` (JSON); raises ``Refused`` with a plain reason naming the field."""
    try:
        return AttemptRecord.model_validate_json(body)
    except ValidationError as error:
        raise Refused(*_reason(error.errors(include_url=False, include_input=False))) from None


def _reason(errors: list[Any]) -> tuple[str, str]:
    first = errors[0]
    kind, place = first["type"], first["loc"]
    if kind == "json_invalid":
        return (
            "发送的内容不是有效的 JSON（或嵌套太深、数字太大）。",
            "The body is not valid JSON (or is nested too deeply, or holds too large a number).",
        )
    if not place or kind == "model_type":
        return ("发送的内容应是一个 JSON 对象 {…}。", "The body must be a JSON object {...}.")
    field = str(place[0])
    if kind == "extra_forbidden":
        shown = shown_value(field)
        return (f"不认识“{shown}”这一项：作答记录里没有它。", f'"{shown}" is not a field of an attempt record.')
    if kind == "missing":
        return (f"作答记录缺少“{field}”这一项。", f'The attempt record has no "{field}".')
    zh, en = _FIELDS[field]
    if kind in ("string_too_long", "too_long") and field in ("quiz", "version", "unit", "answers"):
        return (f"{zh}；这里太长了。", f"{en}; this one is too long.")
    if field == "name" and kind == "string_too_long":
        return _name_too_long()
    return (f"{zh}。", f"{en}.")


def check_record(record: AttemptRecord, service: Service, now: datetime) -> tuple[str | None, Scored]:
    """(the name to store, the re-scored answers) for ``record``, received at ``now`` (UTC);
    raises ``Refused`` with the reason when the record cannot be counted."""
    quiz = service.bank.quizzes.get(record.quiz)
    if quiz is None:
        shown = shown_value(record.quiz)
        raise Refused(f"没有编号为“{shown}”的测验。", f'There is no quiz "{shown}".')
    if record.version != service.versions[quiz.id]:
        raise Refused(
            "这个测验已经更新，和这份答卷的版本不同：请刷新测验页面，重新作答。",
            "The quiz has changed since this page was loaded: reload the page and take the quiz again.",
        )
    if record.unit not in service.units:
        shown = shown_value(record.unit)
        raise Refused(
            f"没有代码为“{shown}”的单位：请刷新页面，从列表中重新选择单位。",
            f'There is no unit with the code "{shown}": reload the page and choose your unit from the list again.',
        )
    name = _check_name(record.name, service.ask_name)
    _check_times(record.started, record.finished, now)
    return name, score_attempt(quiz, record.answers)


def _check_name(name: str | None, ask: str) -> str | None:
    name = name.strip() if name is not None else None
    name = name or None
    if name is None:
        if ask == "required":
            raise Refused("请填写姓名：这次活动要求写姓名。", "Please give your name: this campaign asks for it.")
        return None
    if ask == "no":
        raise Refused(
            "这次活动不收集姓名：请不要填写姓名。", "This campaign does not collect names: send the result without one."
        )
    if len(name) > MAX_NAME:
        raise Refused(*_name_too_long())
    if any(unicodedata.category(character) in _REFUSED_IN_NAMES for character in name):
        raise Refused(
            "姓名里有不能使用的控制字符或不可见字符，请重新输入姓名。",
            "The name holds control or invisible characters, which cannot be used: type it again.",
        )
    return name


def _name_too_long() -> tuple[str, str]:
    return (f"姓名最多 {MAX_NAME} 个字。", f"A name may have at most {MAX_NAME} characters.")


def _check_times(started: datetime, finished: datetime, now: datetime) -> None:
    if finished > now + CLOCK_SKEW or started > now + CLOCK_SKEW:
        raise Refused(
            "作答时间在将来：请检查手机的日期和时间是否正确。",
            "The attempt's time lies in the future: check the phone's date and time.",
        )
    if finished < started:
        raise Refused("结束时间早于开始时间。", "The attempt finished before it started.")
    if finished - started > MAX_DURATION:
        raise Refused("作答用时超过 24 小时，不能计入。", "The attempt took more than 24 hours and cannot be counted.")
    if started < now - MAX_AGE:
        raise Refused(
            f"这份答卷是 {MAX_AGE.days} 天以前做的，已经不能计入。",
            f"This attempt was made more than {MAX_AGE.days} days ago and can no longer be counted.",
        )
