"""Indexes that cover the dashboard's counts (issue 15): with 200,000 attempts, ``make bench-dashboard``
found each page reading the wide attempt rows (their answers) once per row through the (quiz, day),
(unit, day) and (day) indexes, and counting distinct devices in random order.

Each index of attempts now begins with what a page groups or filters by (the device itself for the
totals, the day, the quiz, the unit), then holds what stats.totals counts (device, passed, score) and
the other filters.  The responses' (quiz, day) and (unit, day) become indexes of every column but the
attempt, beginning with the quiz, or the unit and the quiz, then in the order of the quiz report's
groups (question, chosen).  No row changes.  The price is space: at 200,000 attempts (860,000
responses) SQLite's indexes grow from 88 to 156 MB, the file by about a quarter.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NEW = {
    "attempts": {
        "ix_attempts_device": ["device", "passed", "score"],
        "ix_attempts_day": ["day", "device", "passed", "score", "quiz", "unit", "lang"],
        "ix_attempts_quiz": ["quiz", "device", "passed", "score", "day", "unit", "lang"],
        "ix_attempts_unit": ["unit", "device", "passed", "score", "day", "quiz", "lang"],
    },
    "responses": {
        "ix_responses_quiz": ["quiz", "question", "chosen", "correct", "rest", "day", "unit", "lang"],
        "ix_responses_unit": ["unit", "quiz", "question", "chosen", "correct", "rest", "day", "lang"],
    },
}
_OLD = {
    "attempts": {
        "ix_attempts_device": ["device"],
        "ix_attempts_day": ["day"],
        "ix_attempts_quiz_day": ["quiz", "day"],
        "ix_attempts_unit_day": ["unit", "day"],
    },
    "responses": {
        "ix_responses_quiz_day": ["quiz", "day"],
        "ix_responses_unit_day": ["unit", "day"],
    },
}


def _replace(old: dict[str, dict[str, list[str]]], new: dict[str, dict[str, list[str]]]) -> None:
    # Index changes only: SQLite makes and drops indexes in place, no copy of the table is needed.
    for table, indexes in old.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
    for table, indexes in new.items():
        for name, columns in indexes.items():
            op.create_index(name, table, columns)


def upgrade() -> None:
    _replace(_OLD, _NEW)


def downgrade() -> None:
    _replace(_NEW, _OLD)
