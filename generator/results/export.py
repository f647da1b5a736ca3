"""The stored attempts as an .xlsx sheet for staff: one row per attempt, oldest first.

Every text cell that a spreadsheet could take for a formula (it starts with = + - @, a tab or a
carriage return) gets a leading apostrophe, as OWASP's advice on CSV injection says: a name typed
as ``=HYPERLINK(...)`` shows as text and runs nothing, in Excel, WPS and LibreOffice, and in a CSV
saved from the sheet.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ..units import Unit
from .store import all_attempts

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
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a sheet may hold it: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_attempts(engine: Engine, units: dict[str, Unit], path: Path) -> int:
    """Write every attempt to ``path`` (written beside it first, then moved into place); how many."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("attempts")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in all_attempts(engine):
        unit = units.get(row.unit)
        sheet.append(
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
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(staging)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
    return count


def _local(moment: datetime) -> datetime:
    """The server's local time without a zone: what a spreadsheet can show as a date and time."""
    return moment.astimezone().replace(tzinfo=None)
