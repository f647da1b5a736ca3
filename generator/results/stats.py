"""The dashboard's numbers: every count, rate and statistic the staff pages, exports and the public
summary show, computed by the database from ``attempts`` and ``responses`` (store.py).

Definitions (the pages' legends say the same in plain words):

- a *participant* is a device, or, where names are required, a name within its unit;
- the *pass rate* is the share of participants with at least one passing attempt;
- the *participation rate* is participants over the unit's headcount in units.yaml;
- a question's *facility* is the share of its attempts that got it right (left open counts as
  wrong, as when scoring), and its *discrimination* is, as in Moodle's quiz statistics report, the
  correlation (Pearson) between the question's score (1 or 0) and the score on the rest of the
  attempt (the other questions answered right), over the attempts that drew it.  A question that
  most workers miss, or whose discrimination is negative (the workers who did best elsewhere got it
  wrong more often), is flagged: often a wrong key or a confusing prompt.

Every query takes ``Filters`` (days in China, quiz, language, unit): a unit account's pages pass its
own unit, always.  Covering indexes (migration 0005, store.py) keep the overview and a quiz report
under a second at 200,000 attempts on both databases (``make bench-dashboard``).
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Integer, Table, case, cast, func, select

from .store import attempts, responses

HISTOGRAM_BINS = ("0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100")
LOW_FACILITY = 0.2
"""Below this share right a question is flagged (Moodle's guide calls 11–20 % "very difficult" and
below that "extremely difficult or something wrong with the question")."""
MIN_TO_JUDGE = 10
"""A question drawn fewer times than this is not flagged: too few answers to judge it by."""
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    """Inclusive; days in China (store.DAY_ZONE)."""
    quiz: str | None = None
    lang: str | None = None
    unit: str | None = None

    def where(self, table: Table) -> list[ColumnElement[bool]]:
        """The conditions on ``table`` (attempts or responses: both have these columns)."""
        conditions = []
        if self.since is not None:
            conditions.append(table.c.day >= self.since)
        if self.until is not None:
            conditions.append(table.c.day <= self.until)
        for name in ("quiz", "lang", "unit"):
            value = getattr(self, name)
            if value is not None:
                conditions.append(table.c[name] == value)
        return conditions

    def but(self, **changes: Any) -> Filters:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Totals:
    attempts: int = 0
    participants: int = 0
    passed: int = 0
    """Participants with at least one passing attempt."""
    average: float | None = None
    """Mean score of the attempts (None without attempts)."""

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.participants if self.participants else None


def _who(by_name: bool) -> ColumnElement[Any]:
    # A name counts within its unit: the same name in two units is two people.
    return attempts.c.unit.concat("\x1f").concat(attempts.c.name) if by_name else attempts.c.device


def _measures(by_name: bool) -> tuple[ColumnElement[Any], ...]:
    who = _who(by_name)
    return (
        func.count(),
        func.count(who.distinct()),
        func.count(case((attempts.c.passed, who)).distinct()),
        func.avg(attempts.c.score),
    )


def _totals(n: int, people: int, passed: int, average: Any) -> Totals:
    return Totals(n, people, passed, float(average) if average is not None else None)


def totals(engine: Engine, filters: Filters, by_name: bool = False) -> Totals:
    with engine.connect() as connection:
        row = connection.execute(
            select(*_measures(by_name)).select_from(attempts).where(*filters.where(attempts))
        ).one()
    return _totals(*row)


def grouped(engine: Engine, filters: Filters, by: str, by_name: bool = False) -> dict[Any, Totals]:
    """Totals per value of the column ``by`` (unit, quiz, day or lang)."""
    column = attempts.c[by]
    with engine.connect() as connection:
        rows = connection.execute(
            select(column, *_measures(by_name)).where(*filters.where(attempts)).group_by(column)
        ).all()
    return {key: _totals(*rest) for key, *rest in rows}


def histogram(engine: Engine, filters: Filters) -> list[int]:
    """Attempts per score band of HISTOGRAM_BINS (100 falls in the last)."""
    band = case((attempts.c.score >= 90, 9), else_=cast(attempts.c.score, Integer) // 10)
    counts = [0] * len(HISTOGRAM_BINS)
    with engine.connect() as connection:
        for index, n in connection.execute(
            select(band, func.count()).where(*filters.where(attempts)).group_by(band)
        ).all():
            counts[int(index)] += n
    return counts


# -- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStats:
    drawn: int
    """Attempts that had this question."""
    answered: int
    """Of those, the ones that did not leave it open."""
    right: int
    discrimination: float | None
    """-1 to 1; None when either score never varies (everyone right, or one attempt)."""
    wrong_answers: dict[str, int]
    """Wrong answers given (choice codes: "B", "AC", "T", "F") and how many gave each."""

    @property
    def facility(self) -> float | None:
        return self.right / self.drawn if self.drawn else None

    @property
    def most_common_wrong(self) -> tuple[str, int] | None:
        """The wrong answer given most often (the first in letter order among equals), and how often."""
        if not self.wrong_answers:
            return None
        return min(self.wrong_answers.items(), key=lambda item: (-item[1], item[0]))

    @property
    def flags(self) -> tuple[str, ...]:
        """ "hard" (facility below LOW_FACILITY), "negative" (discrimination below 0); none below MIN_TO_JUDGE."""
        if self.drawn < MIN_TO_JUDGE:
            return ()
        found = []
        if self.facility is not None and self.facility < LOW_FACILITY:
            found.append("hard")
        if self.discrimination is not None and self.discrimination < 0:
            found.append("negative")
        return tuple(found)


def correlation(n: int, sum_x: int, sum_xx: int, sum_y: int, sum_yy: int, sum_xy: int) -> float | None:
    """Pearson's r of n pairs from their sums, or None when either variable does not vary."""
    spread_x = n * sum_xx - sum_x * sum_x
    spread_y = n * sum_yy - sum_y * sum_y
    if n < 2 or spread_x <= 0 or spread_y <= 0:
        return None
    return (n * sum_xy - sum_x * sum_y) / math.sqrt(spread_x * spread_y)


def question_stats(engine: Engine, filters: Filters) -> dict[str, QuestionStats]:
    """Per question id of the responses under ``filters`` (normally one quiz's)."""
    rest = cast(responses.c.rest, Integer)
    correct = cast(responses.c.correct, Integer)
    where = filters.where(responses)
    with engine.connect() as connection:
        sums = connection.execute(
            select(
                responses.c.question,
                func.count(),
                func.sum(case((responses.c.chosen != "", 1), else_=0)),
                func.sum(correct),
                func.sum(rest),
                func.sum(rest * rest),
                func.sum(correct * rest),
            )
            .where(*where)
            .group_by(responses.c.question)
        ).all()
        wrong = connection.execute(
            select(responses.c.question, responses.c.chosen, func.count())
            .where(*where, responses.c.correct == 0, responses.c.chosen != "")
            .group_by(responses.c.question, responses.c.chosen)
        ).all()
    given: dict[str, dict[str, int]] = defaultdict(dict)
    for question, chosen, n in wrong:
        given[question][chosen] = n
    found = {}
    for question, n, answered, right, sum_y, sum_yy, sum_xy in sums:
        right, sum_y, sum_yy, sum_xy = int(right), int(sum_y), int(sum_yy), int(sum_xy)
        # x is 1 or 0, so the sum of x² is the sum of x
        r = correlation(n, right, right, sum_y, sum_yy, sum_xy)
        found[question] = QuestionStats(n, int(answered), right, r, given.get(question, {}))
    return found


# -- attempts ----------------------------------------------------------------------------------


def attempts_page(
    engine: Engine, filters: Filters, search: str = "", page: int = 1, size: int = PAGE_SIZE
) -> tuple[Sequence[Any], int, int]:
    """One page of the attempts under ``filters`` whose name contains ``search`` (newest first), how
    many there are in all, and the page's number: ``page``, or the nearest that exists."""
    conditions = filters.where(attempts)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(attempts.c.name.ilike(f"%{escaped}%", escape="\\"))
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(attempts).where(*conditions)).scalar_one()
        page = min(max(page, 1), max(1, -(-count // size)))
        rows = connection.execute(
            select(
                attempts.c.attempt,
                attempts.c.received,
                attempts.c.quiz,
                attempts.c.lang,
                attempts.c.unit,
                attempts.c.name,
                attempts.c.score,
                attempts.c.passed,
            )
            .where(*conditions)
            .order_by(attempts.c.received.desc(), attempts.c.attempt)
            .limit(size)
            .offset((page - 1) * size)
        ).all()
    return rows, count, page


def one_attempt(engine: Engine, attempt: uuid.UUID, unit: str | None = None) -> Any | None:
    """The attempt ``attempt``, or None when there is none (or it is not of ``unit``, when given)."""
    conditions = [attempts.c.attempt == attempt]
    if unit is not None:
        conditions.append(attempts.c.unit == unit)
    with engine.connect() as connection:
        return connection.execute(select(attempts).where(*conditions)).first()


def days_with_data(engine: Engine, filters: Filters) -> tuple[date, date] | None:
    """The first and last day with attempts under ``filters``."""
    with engine.connect() as connection:
        first, last = connection.execute(
            select(func.min(attempts.c.day), func.max(attempts.c.day)).where(*filters.where(attempts))
        ).one()
    return (first, last) if first is not None else None
