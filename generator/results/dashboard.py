"""The organisers' pages under /admin/ once logged in (issue 15): what each page shows, from stats.py.

  GET /admin/                      overview: totals today and in all, attempts per day, units ranked
  GET /admin/quizzes/{quiz}        a quiz's report: score histogram, every question's statistics
  GET /admin/units/{code}          one unit: participants, attempts per day, pass rate per quiz, weakest questions
  GET /admin/attempts              the attempts, searched by name and unit, 50 a page
  GET /admin/attempts/{id}         one attempt's answers
  GET /admin/export.xlsx           the attempts, units and questions under the filters, as a workbook
  GET /admin/summary?in=zh|en      the printable A4 campaign summary, in one language
  GET /admin/static/{file}         the charts' scripts (ECharts, admin.js)

Every page takes the filters ``since``, ``until`` (dates in China), ``quiz``, ``lang`` and, for an
admin, ``unit``.  A unit account's filters always hold its own unit, whatever the address says, and
another unit's page or attempt answers 404, as one that does not exist: nothing tells it apart.
Charts are the tables of the page drawn by static/admin.js (figure[data-chart] > table): the table
is the data, for screen readers and when scripts do not run.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from ..model import Question, QuestionType, Quiz, Text
from ..texts import number
from ..units import Unit
from .service import Service
from .stats import (
    HISTOGRAM_BINS,
    MIN_TO_JUDGE,
    PAGE_SIZE,
    Filters,
    QuestionStats,
    Totals,
    attempts_page,
    days_with_data,
    grouped,
    histogram,
    one_attempt,
    question_stats,
    totals,
)
from .store import DAY_ZONE, User

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {
    "admin.js": "text/javascript",
    "echarts/echarts.min.js": "text/javascript",
}
"""What /admin/static/ serves: these files and nothing else (no path is ever joined from the address)."""
MAX_DAYS = 400
"""The daily chart spans at most this many days (the latest ones)."""
WEAKEST = 10

BAD_FILTER = Text(
    "筛选条件不对：{what}。请用页面上的筛选表单。",
    "A filter is wrong: {what}. Use the filter form on the page.",
)
NOT_FOUND = Text("没有这一页，或者您的账号不能查看它。", "There is no such page, or your account may not see it.")


@dataclass(frozen=True)
class Staff:
    """The logged-in user of a request: ``own`` is the unit a unit account is kept to (None: admin)."""

    user: User
    csrf: str
    """The token of the logout form."""

    @property
    def own(self) -> str | None:
        return self.user.unit if self.user.role == "unit" else None


@dataclass(frozen=True)
class Column:
    title: Text


@dataclass(frozen=True)
class Row:
    label: Text
    values: tuple[float | int | None, ...]
    shown: tuple[str, ...]
    link: str | None = None


@dataclass(frozen=True)
class Chart:
    """A figure of static/admin.js's contract: ``kind`` line | bar | column, values as fractions when ``percent``."""

    kind: str
    caption: Text
    head: Text
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    percent: bool = False
    id: str = ""
    folded: bool = False
    """The table behind a disclosure (a long table of days under its chart)."""


@dataclass
class Context:
    """What every logged-in page gets."""

    staff: Staff
    filters: Filters
    service: Service
    query: str
    """The filters as a query string, for links that keep them."""
    extra: dict[str, Any] = field(default_factory=dict)


def percent(part: float | None, whole: float | None = 1) -> str:
    if part is None or not whole:
        return "–"
    return f"{100 * part / whole:.1f}%"


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
"""The dates a filter may name (a date of year 1 would overflow the day arithmetic)."""


def read_filters(query: dict[str, str], service: Service, own: str | None) -> Filters | Text:
    """The filters of the query string, or what is wrong with them, in both languages."""
    values: dict[str, Any] = {}
    for name, zh in (("since", "开始日期"), ("until", "结束日期")):
        given = query.get(name, "").strip()
        if given:
            try:
                values[name] = date.fromisoformat(given)
            except ValueError:
                shown = given[:20]
                return Text(f"{zh}“{shown}”不是日期", f'the {name} date "{shown}" is not a date')
            if not FIRST_DAY <= values[name] <= LAST_DAY:
                return Text(f"{zh}应在 2000 年到 2099 年之间", f"the {name} date must be between 2000 and 2099")
    if "since" in values and "until" in values and values["since"] > values["until"]:
        return Text("开始日期晚于结束日期", "the first day is after the last")
    quiz = query.get("quiz", "").strip()
    if quiz:
        if quiz not in service.bank:
            return Text(f"没有测验“{quiz[:40]}”", f'there is no quiz "{quiz[:40]}"')
        values["quiz"] = quiz
    lang = query.get("lang", "").strip()
    if lang:
        if lang not in ("zh", "en"):
            return Text("语言应是 zh 或 en", "the language must be zh or en")
        values["lang"] = lang
    unit = query.get("unit", "").strip()
    if own is not None:
        values["unit"] = own
    elif unit:
        if unit not in service.units:
            return Text(f"没有单位“{unit[:40]}”", f'there is no unit "{unit[:40]}"')
        values["unit"] = unit
    return Filters(**values)


def query_of(filters: Filters, own: str | None, **more: Any) -> str:
    pairs = {
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "quiz": filters.quiz,
        "lang": filters.lang,
        "unit": filters.unit if own is None else None,
        **more,
    }
    return urlencode({key: value for key, value in pairs.items() if value not in (None, "")})


def today() -> date:
    return datetime.now(DAY_ZONE).date()


def span(service: Service, filters: Filters, seen: tuple[date, date] | None) -> list[date]:
    """The days of the daily chart: the campaign's, widened to the days with data, narrowed to the
    filter; when that is more than MAX_DAYS (a campaign block of another year), the days with data."""
    campaign = (service.campaign.start, service.campaign.end) if service.campaign else None
    ranges = [found for found in (campaign, seen) if found]
    if not ranges:
        return []
    start, end = min(r[0] for r in ranges), max(r[1] for r in ranges)
    if (end - start).days >= MAX_DAYS and seen:
        start, end = seen
    start, end = filters.since or start, filters.until or end
    start = max(start, end - timedelta(days=MAX_DAYS - 1))
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def daily_chart(days: list[date], per_day: dict[date, Totals]) -> Chart:
    rows = []
    for day in days:
        found = per_day.get(day, Totals())
        rows.append(
            Row(
                Text(day.isoformat(), day.isoformat()),
                (found.attempts, found.participants),
                (str(found.attempts), str(found.participants)),
            )
        )
    return Chart(
        "line",
        Text("每日答卷数与参与人数", "Attempts and participants per day"),
        Text("日期", "Date"),
        (Column(Text("答卷数", "Attempts")), Column(Text("参与人数", "Participants"))),
        tuple(rows),
        id="per-day",
        folded=len(rows) > 14,
    )


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    totals: Totals

    @property
    def participation(self) -> float | None:
        return self.totals.participants / self.unit.headcount if self.unit.headcount else None


def unit_lines(service: Service, per_unit: dict[str, Totals], own: str | None) -> list[UnitLine]:
    """The units (all, or a unit account's own), ranked by participants, then attempts (units.yaml's
    order among equals)."""
    lines = [
        UnitLine(unit, per_unit.get(code, Totals())) for code, unit in service.units.items() if own in (None, code)
    ]
    return sorted(lines, key=lambda line: (-line.totals.participants, -line.totals.attempts))


def unit_charts(lines: list[UnitLine], query: str) -> list[Chart]:
    def row(line: UnitLine, value: float | None, shown: str) -> Row:
        return Row(line.unit.name, (value,), (shown,), f"units/{line.unit.code}?{query}")

    charts = [
        Chart(
            "bar",
            Text("各单位参与人数", "Participants by unit"),
            Text("单位", "Unit"),
            (Column(Text("参与人数", "Participants")),),
            tuple(row(line, line.totals.participants, str(line.totals.participants)) for line in lines),
            id="units-participants",
            folded=True,
        )
    ]
    with_headcount = [line for line in lines if line.participation is not None]
    if with_headcount:
        ranked = sorted(with_headcount, key=lambda line: -(line.participation or 0))
        charts.append(
            Chart(
                "bar",
                Text("各单位参与率（参与人数 ÷ 职工人数）", "Participation rate by unit (participants ÷ headcount)"),
                Text("单位", "Unit"),
                (Column(Text("参与率", "Participation")),),
                tuple(row(line, line.participation, percent(line.participation)) for line in ranked),
                percent=True,
                id="units-participation",
                folded=True,
            )
        )
    passing = [line for line in lines if line.totals.pass_rate is not None]
    if passing:
        ranked = sorted(passing, key=lambda line: -(line.totals.pass_rate or 0))
        charts.append(
            Chart(
                "bar",
                Text("各单位通过率", "Pass rate by unit"),
                Text("单位", "Unit"),
                (Column(Text("通过率", "Pass rate")),),
                tuple(row(line, line.totals.pass_rate, percent(line.totals.pass_rate)) for line in ranked),
                percent=True,
                id="units-pass-rate",
                folded=True,
            )
        )
    return charts


def histogram_chart(counts: list[int]) -> Chart:
    return Chart(
        "column",
        Text("得分分布", "Score distribution"),
        Text("得分", "Score"),
        (Column(Text("答卷数", "Attempts")),),
        tuple(Row(Text(band, band), (n,), (str(n),)) for band, n in zip(HISTOGRAM_BINS, counts, strict=True)),
        id="histogram",
        folded=True,
    )


def quiz_chart(service: Service, per_quiz: dict[str, Totals], query: str) -> Chart:
    rows = []
    for quiz in service.bank:
        found = per_quiz.get(quiz.id)
        if found is None:
            continue
        rows.append(Row(quiz.title, (found.pass_rate,), (percent(found.pass_rate),), f"quizzes/{quiz.id}?{query}"))
    return Chart(
        "bar",
        Text("各测验通过率", "Pass rate by quiz"),
        Text("测验", "Quiz"),
        (Column(Text("通过率", "Pass rate")),),
        tuple(rows),
        percent=True,
        id="quizzes-pass-rate",
        folded=True,
    )


@dataclass(frozen=True)
class QuestionLine:
    """A question of a quiz with its statistics (None when no attempt under the filters drew it)."""

    quiz: Quiz
    question: Question
    stats: QuestionStats | None

    @property
    def key(self) -> str:
        return answer_text(self.question, self.question.answer)

    def wrong(self, lang: str | None = None) -> tuple[str, str] | None:
        """The most common wrong answer, as shown (letters, or 对/错), and its share of the attempts."""
        if self.stats is None or self.stats.most_common_wrong is None:
            return None
        code, n = self.stats.most_common_wrong
        return code_text(self.question, code, lang), percent(n, self.stats.drawn)


_TRUE_FALSE = {
    "true": {None: "对 true", "zh": "对", "en": "true"},
    "false": {None: "错 false", "zh": "错", "en": "false"},
}


def code_text(question: Question, code: str, lang: str | None = None) -> str:
    """A choice code of the responses table as staff read it: "A、C", "对 true" (both languages when
    ``lang`` is None)."""
    if question.type is QuestionType.TRUE_FALSE:
        return answer_text(question, frozenset({"true" if code == "T" else "false"}), lang)
    return answer_text(question, frozenset(code), lang)


def answer_text(question: Question, answer: frozenset[str], lang: str | None = None) -> str:
    """A set of choices as staff read it: letters in the quiz file's order, or true/false in words."""
    if question.type is QuestionType.TRUE_FALSE:
        return _TRUE_FALSE["true" if "true" in answer else "false"][lang]
    return ("、" if lang != "en" else ", ").join(letter for letter in question.choices if letter in answer)


def question_lines(quiz: Quiz, found: dict[str, QuestionStats]) -> list[QuestionLine]:
    return [QuestionLine(quiz, question, found.get(question.id)) for question in quiz.questions]


def weakest(lines: list[QuestionLine], n: int = WEAKEST) -> list[QuestionLine]:
    """The questions with the lowest facility among those drawn at least MIN_TO_JUDGE times."""
    judged = [line for line in lines if line.stats and line.stats.drawn >= MIN_TO_JUDGE]
    return sorted(judged, key=lambda line: (line.stats.facility, line.quiz.id, line.question.id))[:n]  # type: ignore[union-attr]


def campaign_view(engine: Engine, service: Service, context: Context, by_name: bool) -> dict[str, Any]:
    """What the overview and the printed summary both show: totals, the daily chart, the units ranked
    and charted, the quizzes' pass rates."""
    filters = context.filters
    per_unit = grouped(engine, filters, "unit", by_name)
    per_day = grouped(engine, filters, "day", by_name)
    per_quiz = grouped(engine, filters, "quiz", by_name)
    lines = unit_lines(service, per_unit, context.staff.own)
    days = span(service, filters, days_with_data(engine, filters))
    return {
        "total": totals(engine, filters, by_name),
        "lines": lines,
        "charts": [daily_chart(days, per_day), *unit_charts(lines, context.query)],
        "quizzes": quiz_chart(service, per_quiz, context.query),
        "per_quiz": per_quiz,
    }


def every_question(
    engine: Engine, service: Service, filters: Filters, per_quiz: dict[str, Totals]
) -> list[QuestionLine]:
    """The questions of every quiz with attempts under ``filters``, with their statistics."""
    lines: list[QuestionLine] = []
    for quiz in service.bank:
        if quiz.id in per_quiz:
            lines += question_lines(quiz, question_stats(engine, filters.but(quiz=quiz.id)))
    return lines


def _chosen(given: list[str] | list[bool]) -> frozenset[str]:
    """A stored answer as the set the key is written in: letters, or "true"/"false"."""
    return frozenset("true" if value is True else "false" if value is False else value for value in given)


_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def add_dashboard(
    app: FastAPI,
    service: Service,
    engine: Engine,
    staff_of: Callable[[Request], Awaitable[Staff | None]],
    render: Callable[..., Response],
    message: Callable[[Request, int, Text], Response],
    to_login: Callable[[Request], Response],
) -> None:
    """Add the pages above to ``app``: ``staff_of`` finds the request's logged-in user (admin.py),
    ``render(request, template, status, **context)`` makes a page, ``message`` a refusal page,
    ``to_login`` the way to the login form."""
    by_name = service.ask_name == "required"

    async def opened(request: Request) -> Context | Response:
        staff = await staff_of(request)
        if staff is None:
            return to_login(request)
        filters = read_filters(dict(request.query_params), service, staff.own)
        if isinstance(filters, Text):
            return message(
                request, 400, Text(BAD_FILTER.zh.format(what=filters.zh), BAD_FILTER.en.format(what=filters.en))
            )
        return Context(staff, filters, service, query_of(filters, staff.own))

    def page(request: Request, template: str, context: Context, **values: Any) -> Response:
        return render(
            request,
            template,
            200,
            staff=context.staff,
            filters=context.filters,
            query=context.query,
            service=service,
            percent=percent,
            number=number,
            units=[unit for unit in service.units.values() if context.staff.own in (None, unit.code)],
            **values,
        )

    async def db(function: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(function, *args)

    @app.get("/admin/")
    async def overview(request: Request) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        day = today()
        on_day = await db(totals, engine, context.filters.but(since=day, until=day), by_name)
        found = await db(campaign_view, engine, service, context, by_name)
        return page(request, "overview.html", context, today=on_day, day=day, **found)

    @app.get("/admin/quizzes/{quiz_id}")
    async def quiz_report(request: Request, quiz_id: str) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        quiz = service.bank.quizzes.get(quiz_id)
        if quiz is None:
            return message(request, 404, NOT_FOUND)
        filters = context.filters.but(quiz=quiz.id)
        total = await db(totals, engine, filters, by_name)
        counts = await db(histogram, engine, filters)
        found = await db(question_stats, engine, filters)
        return page(
            request,
            "quiz.html",
            context,
            quiz=quiz,
            total=total,
            scores=histogram_chart(counts),
            lines=question_lines(quiz, found),
            min_to_judge=MIN_TO_JUDGE,
        )

    @app.get("/admin/units/{code}")
    async def unit_view(request: Request, code: str) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        unit = service.units.get(code)
        if unit is None or context.staff.own not in (None, code):
            return message(request, 404, NOT_FOUND)
        filters = context.filters.but(unit=code)
        total = await db(totals, engine, filters, by_name)
        per_day = await db(grouped, engine, filters, "day", by_name)
        per_quiz = await db(grouped, engine, filters, "quiz", by_name)
        days = span(service, filters, await db(days_with_data, engine, filters))
        lines = await db(every_question, engine, service, filters, per_quiz)
        line = UnitLine(unit, total)
        return page(
            request,
            "unit.html",
            context,
            unit=unit,
            line=line,
            total=total,
            charts=[daily_chart(days, per_day), quiz_chart(service, per_quiz, query_of(filters, context.staff.own))],
            weakest=weakest(lines),
        )

    @app.get("/admin/attempts")
    async def attempt_list(request: Request) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        search = request.query_params.get("q", "").strip()[:40]
        given = request.query_params.get("page", "1").strip()
        wanted = int(given) if given.isascii() and given.isdigit() and len(given) <= 6 else 1
        rows, count, number_shown = await db(attempts_page, engine, context.filters, search, wanted)
        return page(
            request,
            "attempts.html",
            context,
            rows=rows,
            count=count,
            search=search,
            page_number=number_shown,
            pages=max(1, -(-count // PAGE_SIZE)),
            page_query=lambda n: query_of(context.filters, context.staff.own, q=search or None, page=n),
            local=lambda moment: moment.astimezone(DAY_ZONE).strftime("%Y-%m-%d %H:%M"),
        )

    @app.get("/admin/attempts/{attempt_id}")
    async def attempt_view(request: Request, attempt_id: str) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        try:
            key = uuid.UUID(attempt_id) if _UUID.match(attempt_id) else None
        except ValueError:
            key = None
        row = await db(one_attempt, engine, key, context.staff.own) if key else None
        if row is None:
            return message(request, 404, NOT_FOUND)
        quiz = service.bank.quizzes.get(row.quiz)
        answers = []
        for question_id, given in row.answers.items():
            question = next((q for q in quiz.questions if q.id == question_id), None) if quiz else None
            answers.append((question_id, question, given))
        return page(
            request,
            "attempt.html",
            context,
            row=row,
            quiz=quiz,
            answers=answers,
            given_text=lambda question, given: answer_text(question, _chosen(given)) if given else "",
            local=lambda moment: moment.astimezone(DAY_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
            key_text=lambda question: answer_text(question, question.answer),
            right=lambda question, given: _chosen(given) == question.answer,
        )

    @app.get("/admin/export.xlsx")
    async def export(request: Request) -> Response:
        from .export import export_workbook

        context = await opened(request)
        if isinstance(context, Response):
            return context
        data = await db(export_workbook, engine, service, context.filters, by_name)
        stamp = datetime.now(DAY_ZONE).strftime("%Y%m%d-%H%M")
        return Response(
            data,
            200,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="results-{stamp}.xlsx"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/admin/summary")
    async def summary(request: Request) -> Response:
        context = await opened(request)
        if isinstance(context, Response):
            return context
        lang = request.query_params.get("in", "zh")
        if lang not in ("zh", "en"):
            lang = "zh"
        found = await db(campaign_view, engine, service, context, by_name)
        questions = await db(every_question, engine, service, context.filters, found["per_quiz"])
        return page(
            request,
            "summary.html",
            context,
            lang=lang,
            weakest=weakest(questions),
            made=datetime.now(DAY_ZONE).strftime("%Y-%m-%d %H:%M"),
            **found,
        )

    @app.get("/admin/static/{name:path}")
    async def static(request: Request, name: str) -> Response:
        if await staff_of(request) is None:
            return to_login(request)
        kind = STATIC_FILES.get(name)
        if kind is None:
            return message(request, 404, NOT_FOUND)
        return FileResponse(
            STATIC / name,
            media_type=kind,
            headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )
