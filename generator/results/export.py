"""The stored attempts as an .xlsx workbook for staff: the attempts (one row each, oldest first), the
units (participants, attempts, pass and participation rates) and the questions (stats.py's measures).

Every text cell that a spreadsheet could take for a formula (it starts with = + - @, a tab or a
carriage return) gets a leading apostrophe, as OWASP's advice on CSV injection says: a name typed
as ``=HYPERLINK(...)`` shows as text and runs nothing, in Excel, WPS and LibreOffice, and in a CSV
saved from the sheet.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine

from ..units import Unit
from .dashboard import every_question
from .service import Service
from .stats import Filters, Totals, grouped
from .store import all_attempts, attempts

HEADER = (
    "收到时间 received",
    "作答编号 attempt",
    "设备 device",
    "测验 quiz",
    "版本 version",
    "语言 language",
    "单位代码 unit code",
    "单位 unit",
    "姓名 name",
    "开始 started",
    "结束 finished",
    "用时（秒）seconds",
    "页面得分 page score",
    "得分 score",
    "合格 passed",
    "答案 answers",
)
UNIT_HEADER = (
    "单位代码 unit code",
    "单位 unit",
    "Unit",
    "职工人数 headcount",
    "参与人数 participants",
    "答卷数 attempts",
    "通过率 pass rate",
    "参与率 participation",
    "平均分 average score",
)
QUESTION_HEADER = (
    "测验 quiz",
    "题目编号 question id",
    "题目 question",
    "Question",
    "正确答案 key",
    "被抽到 drawn",
    "作答 answered",
    "正确率 facility",
    "区分度 discrimination",
    "最常见的错误答案 most common wrong answer",
    "其比例 its share",
    "标记 flags",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a sheet may hold it: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_attempts(engine: Engine, units: dict[str, Unit], path: Path, service: Service | None = None) -> int:
    """Write the workbook of every attempt to ``path`` (written beside it first, then moved into
    place); the questions sheet needs the ``service``'s quizzes.  How many attempts."""
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        with open(staging, "wb") as out:
            by_name = service is not None and service.ask_name == "required"
            count = _write(engine, units, service, Filters(), by_name, out)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
    return count


def export_workbook(engine: Engine, service: Service, filters: Filters, by_name: bool) -> bytes:
    """The workbook of the attempts under ``filters`` (the staff page's download), as bytes."""
    out = io.BytesIO()
    _write(engine, service.units, service, filters, by_name, out)
    return out.getvalue()


def _write(
    engine: Engine, units: dict[str, Unit], service: Service | None, filters: Filters, by_name: bool, out: BinaryIO
) -> int:
    """Three sheets: the attempts (one row each, oldest first), the units and, with the service's
    quizzes, the questions; every cell through ``neutralise``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, header: tuple[str, ...]):
        made = book.create_sheet(title)
        made.freeze_panes = "A2"
        cells = []
        for text in header:
            cell = WriteOnlyCell(made, value=text)
            cell.font = bold
            cells.append(cell)
        made.append(cells)
        return made

    attempts_sheet = sheet("attempts", HEADER)
    count = 0
    for row in all_attempts(engine, filters.where(attempts)):
        unit = units.get(row.unit)
        attempts_sheet.append(
            [
                neutralise(value)
                for value in (
                    _local(row.received),
                    str(row.attempt),
                    str(row.device),
                    row.quiz,
                    row.version,
                    row.lang,
                    row.unit,
                    unit.name.zh if unit else "",
                    row.name or "",
                    _local(row.started),
                    _local(row.finished),
                    round((row.finished - row.started).total_seconds()),
                    row.page_score,
                    row.score,
                    "是 yes" if row.passed else "否 no",
                    json.dumps(row.answers, ensure_ascii=False),
                )
            ]
        )
        count += 1
    per_unit = grouped(engine, filters, "unit", by_name)
    units_sheet = sheet("units", UNIT_HEADER)
    for code, unit in units.items():
        if filters.unit not in (None, code):
            continue
        found = per_unit.get(code, Totals())
        rate = found.participants / unit.headcount if unit.headcount else None
        units_sheet.append(
            [
                neutralise(value)
                for value in (
                    code,
                    unit.name.zh,
                    unit.name.en,
                    unit.headcount,
                    found.participants,
                    found.attempts,
                    _rounded(found.pass_rate),
                    _rounded(rate),
                    round(found.average, 1) if found.average is not None else None,
                )
            ]
        )
    if service is not None:
        questions_sheet = sheet("questions", QUESTION_HEADER)
        per_quiz = grouped(engine, filters, "quiz", by_name)
        for line in every_question(engine, service, filters, per_quiz):
            found = line.stats
            wrong = line.wrong()
            questions_sheet.append(
                [
                    neutralise(value)
                    for value in (
                        line.quiz.id,
                        line.question.id,
                        line.question.prompt.zh,
                        line.question.prompt.en,
                        line.key,
                        found.drawn if found else 0,
                        found.answered if found else 0,
                        _rounded(found.facility) if found else None,
                        _rounded(found.discrimination) if found else None,
                        wrong[0] if wrong else "",
                        _rounded(found.most_common_wrong[1] / found.drawn)
                        if found and found.most_common_wrong
                        else None,
                        "; ".join(found.flags) if found else "",
                    )
                ]
            )
    book.save(out)
    return count


def _rounded(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _local(moment: datetime) -> datetime:
    """The server's local time without a zone: what a spreadsheet can show as a date and time."""
    return moment.astimezone().replace(tzinfo=None)
