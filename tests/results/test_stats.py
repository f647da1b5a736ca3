"""The dashboard's statistics (stats.py) against examples worked out by hand from the definitions, on
SQLite and PostgreSQL: facility, Moodle's discrimination (the question against the rest of the
attempt), the most common wrong answer, flags, the histogram, totals per unit, quiz and day, filters;
and migration 0003 on a database made by the previous schema."""

from __future__ import annotations

import math
import statistics
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import JSON, Boolean, Column, Engine, MetaData, SmallInteger, String, Table, Uuid, select

from generator.model import Option, Question, QuestionType, Quiz, QuizBank, Text, quiz_version
from generator.results.stats import (
    Filters,
    attempts_page,
    correlation,
    grouped,
    histogram,
    one_attempt,
    question_stats,
    totals,
)
from generator.results.store import (
    DAY_ZONE,
    MIGRATIONS,
    UTCDateTime,
    attempts,
    database_url,
    fill_responses,
    local_day,
    migrate,
    open_engine,
    responses,
    store_attempt,
)
from generator.scoring import score_attempt


def choice(qid: str, answer: str, letters: str = "ABC", kind: QuestionType = QuestionType.SINGLE) -> Question:
    options = tuple(Option(letter, Text(f"选项{letter}", f"Option {letter}")) for letter in letters)
    return Question(qid, kind, Text(f"题{qid}", f"Q {qid}"), options, frozenset(answer))


QUIZ = Quiz(
    "hand",
    "hand.yaml",
    Text("手算", "By hand"),
    (
        choice("a", "B"),
        choice("b", "AC", "ABCD", QuestionType.MULTIPLE),
        Question("c", QuestionType.TRUE_FALSE, Text("题c", "Q c"), (), frozenset({"true"})),
    ),
)
RIGHT = {"a": ["B"], "b": ["A", "C"], "c": [True]}

# The five attempts: which questions each got right, and what it gave where it was wrong.
#             a  b  c   total
# attempt 1   1  1  1   3
# attempt 2   1  1  0   2      c: false
# attempt 3   1  0  0   1      b: A (only), c: false
# attempt 4   0  1  1   2      a: C
# attempt 5   0  0  0   0      a left open, b: B D, c: false
GIVEN = [
    {"a": ["B"], "b": ["A", "C"], "c": [True]},
    {"a": ["B"], "b": ["A", "C"], "c": [False]},
    {"a": ["B"], "b": ["A"], "c": [False]},
    {"a": ["C"], "b": ["A", "C"], "c": [True]},
    {"a": [], "b": ["B", "D"], "c": [False]},
]
X = {"a": [1, 1, 1, 0, 0], "b": [1, 1, 0, 1, 0], "c": [1, 0, 0, 1, 0]}


def store(engine: Engine, quiz: Quiz, answers: dict, unit="yjj", lang="zh", received=None, device=None, name=None):
    """Store one attempt as the service does (scored by the core), received ``received`` (default: now)."""
    received = received or datetime.now(UTC)
    scored = score_attempt(quiz, answers)
    row = {
        "attempt": uuid.uuid4(),
        "device": device or uuid.uuid4(),
        "quiz": quiz.id,
        "version": "v",
        "lang": lang,
        "unit": unit,
        "name": name,
        "answers": scored.answers,
        "started": received - timedelta(minutes=3),
        "finished": received,
        "received": received,
        "page_score": scored.score,
        "score": scored.score,
        "passed": scored.passed,
    }
    store_attempt(engine, row, scored)
    return row


def test_correlation_from_sums():
    """Pearson's r from sums agrees with the statistics module; no variance gives None."""
    xs, ys = [1, 0, 1, 1, 0, 0, 1], [3, 1, 2, 4, 0, 2, 1]
    sums = (len(xs), sum(xs), sum(x * x for x in xs), sum(ys), sum(y * y for y in ys))
    r = correlation(*sums, sum(x * y for x, y in zip(xs, ys, strict=True)))
    assert r == pytest.approx(statistics.correlation(xs, ys))
    assert correlation(3, 3, 3, 4, 6, 4) is None  # every x is 1
    assert correlation(1, 1, 1, 2, 4, 2) is None  # one pair


def test_hand_worked_question_statistics(database):
    for answers in GIVEN:
        store(database, QUIZ, answers)
    found = question_stats(database, Filters(quiz="hand"))
    # Facility: right / drawn.  a 3/5, b 3/5, c 2/5.
    assert {q: (s.drawn, s.right) for q, s in found.items()} == {"a": (5, 3), "b": (5, 3), "c": (5, 2)}
    assert found["a"].answered == 4  # one left it open
    assert found["c"].facility == pytest.approx(0.4)
    # Discrimination: r between x and the rest of the attempt (total - x).
    totals_ = [sum(X[q][i] for q in X) for i in range(5)]  # 3 2 1 2 0
    for question, xs in X.items():
        rest = [total - x for total, x in zip(totals_, xs, strict=True)]
        assert found[question].discrimination == pytest.approx(statistics.correlation(xs, rest))
    # and by hand: a: (5·3 − 3·5) / √(6·20) = 0; b: 5/√60; c: 3/√84
    assert found["a"].discrimination == pytest.approx(0)
    assert found["b"].discrimination == pytest.approx(5 / math.sqrt(60))
    assert found["c"].discrimination == pytest.approx(3 / math.sqrt(84))
    # The wrong answers given: a: C once (left open is not an answer); b: A once, BD once; c: false 3 times.
    assert found["a"].wrong_answers == {"C": 1}
    assert found["b"].wrong_answers == {"A": 1, "BD": 1}
    assert found["b"].most_common_wrong == ("A", 1)  # the first in letter order among equals
    assert found["c"].most_common_wrong == ("F", 3)
    assert all(s.flags == () for s in found.values())  # five attempts: too few to judge


def test_flags(database):
    """Ten attempts of rising ability (0 to 6 of the six fillers right): a question nobody gets right is
    "hard"; one that the weaker half gets right and the stronger half wrong is "negative"."""
    fillers = ("f1", "f2", "f3", "f4", "f5", "f6")
    quiz = Quiz(
        "flags",
        "flags.yaml",
        Text("标记", "Flags"),
        (*(choice(q, "A") for q in fillers), choice("never", "A"), choice("miskeyed", "A")),
    )
    xs: dict[str, list[int]] = {q: [] for q in (*fillers, "never", "miskeyed")}
    for i in range(10):
        ability = i * 6 // 9  # 0 0 1 2 2 3 4 4 5 6
        answers = {q: ["A"] if n < ability else ["B"] for n, q in enumerate(fillers)}
        answers |= {"never": ["B"], "miskeyed": ["A"] if i < 5 else ["B"]}
        store(database, quiz, answers)
        for question, given in answers.items():
            xs[question].append(int(given == ["A"]))
    found = question_stats(database, Filters(quiz="flags"))
    totals_ = [sum(xs[q][i] for q in xs) for i in range(10)]
    for question, x in xs.items():
        if question != "never":
            rest = [total - mine for total, mine in zip(totals_, x, strict=True)]
            assert found[question].discrimination == pytest.approx(statistics.correlation(x, rest)), question
    assert found["never"].facility == 0 and found["never"].flags == ("hard",)
    assert found["never"].discrimination is None  # never varies
    assert found["never"].most_common_wrong == ("B", 10)
    assert found["miskeyed"].discrimination < 0 and found["miskeyed"].flags == ("negative",)
    assert all(found[q].discrimination > 0.4 for q in fillers)
    assert found["f1"].flags == () and found["f6"].facility == pytest.approx(0.1) and found["f6"].flags == ("hard",)


def test_totals_histogram_and_filters(database):
    """Two units, two days, two languages: every grouping and filter counts what it should."""
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)
    phone = uuid.uuid4()
    store(database, QUIZ, RIGHT, "yjj", "zh", now, phone)  # 100
    store(database, QUIZ, GIVEN[2], "yjj", "zh", now, phone)  # 33, same phone
    store(database, QUIZ, GIVEN[1], "yjj", "en", yesterday)  # 67
    store(database, QUIZ, GIVEN[4], "plant", "zh", yesterday)  # 0
    everything = totals(database, Filters())
    assert (everything.attempts, everything.participants, everything.passed) == (4, 3, 2)
    assert everything.average == pytest.approx((100 + 33 + 67 + 0) / 4)
    assert everything.pass_rate == pytest.approx(2 / 3)
    per_unit = grouped(database, Filters(), "unit")
    assert (per_unit["yjj"].attempts, per_unit["yjj"].participants, per_unit["yjj"].passed) == (3, 2, 2)
    assert per_unit["plant"].pass_rate == 0
    per_day = grouped(database, Filters(), "day")
    assert {day: t.attempts for day, t in per_day.items()} == {local_day(now): 2, local_day(yesterday): 2}
    assert totals(database, Filters(lang="en")).attempts == 1
    today = local_day(now)
    assert totals(database, Filters(since=today, until=today)).attempts == 2
    assert totals(database, Filters(unit="plant", since=today)).attempts == 0
    assert histogram(database, Filters()) == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]  # 0, 33, 67, 100
    assert question_stats(database, Filters(quiz="hand", unit="plant"))["a"].drawn == 1


def test_by_name(database):
    """Names required: a participant is a name within its unit."""
    now = datetime.now(UTC)
    store(database, QUIZ, RIGHT, "yjj", name="张三")
    store(database, QUIZ, GIVEN[4], "yjj", name="张三")
    store(database, QUIZ, GIVEN[4], "plant", name="张三")
    found = totals(database, Filters(), by_name=True)
    assert (found.participants, found.passed) == (2, 1)
    assert grouped(database, Filters(since=local_day(now)), "quiz", by_name=True)["hand"].participants == 2


def test_days_are_china_days(database):
    """An attempt received at 23:30 UTC is counted on the next day, as in Beijing."""
    late = datetime(2026, 6, 3, 23, 30, tzinfo=UTC)
    store(database, QUIZ, RIGHT, received=late)
    assert list(grouped(database, Filters(), "day")) == [date(2026, 6, 4)]
    assert late.astimezone(DAY_ZONE).date() == date(2026, 6, 4)


def test_attempts_page_search_and_scope(database):
    for i in range(7):
        store(database, QUIZ, RIGHT, "yjj", name=f"王{i}")
    store(database, QUIZ, RIGHT, "yjj", name="100%_李")
    other = store(database, QUIZ, RIGHT, "plant", name="王九")
    rows, count, page = attempts_page(database, Filters(unit="yjj"), "王", page=2, size=5)
    assert count == 7 and len(rows) == 2 and page == 2
    assert attempts_page(database, Filters(unit="yjj"), "王", page=9, size=5)[1:] == (7, 2)  # the last page
    assert attempts_page(database, Filters(), "%_")[1] == 1  # LIKE's wildcards are searched as text
    assert one_attempt(database, other["attempt"], unit="yjj") is None
    assert one_attempt(database, other["attempt"]).name == "王九"


OLD_ATTEMPTS = Table(
    "attempts",
    MetaData(),
    Column("attempt", Uuid),
    Column("device", Uuid),
    *(Column(name, String) for name in ("quiz", "version", "lang", "unit", "name")),
    Column("answers", JSON),
    *(Column(name, UTCDateTime) for name in ("started", "finished", "received")),
    Column("page_score", SmallInteger),
    Column("score", SmallInteger),
    Column("passed", Boolean),
)
"""The attempts table as migration 0001 made it."""


def test_migration_0003_fills_an_older_database(database_address, tmp_path):
    """A database at 0002 with attempts: upgrading gives them day, size and right; their responses are
    filled from the quizzes at serve start (fill_responses), once; another version is left out."""
    from alembic import command
    from alembic.config import Config

    engine = open_engine(database_url(database_address, tmp_path))
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("path_separator", "os")
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
            connection.commit()
        received = datetime(2026, 6, 3, 23, 30, tzinfo=UTC)
        scored = score_attempt(QUIZ, GIVEN[1])  # 2 of 3 right: 67
        current, stale = uuid.uuid4(), uuid.uuid4()
        with engine.begin() as connection:
            for key, version in ((current, quiz_version(QUIZ)), (stale, "older")):
                connection.execute(
                    OLD_ATTEMPTS.insert().values(
                        attempt=key,
                        device=uuid.uuid4(),
                        quiz="hand",
                        version=version,
                        lang="zh",
                        unit="yjj",
                        name=None,
                        answers=scored.answers,
                        started=received - timedelta(minutes=3),
                        finished=received,
                        received=received,
                        page_score=67,
                        score=67,
                        passed=True,
                    )
                )
        migrate(engine)
        with engine.connect() as connection:
            rows = connection.execute(select(attempts.c.day, attempts.c.size, attempts.c.right)).all()
        assert [tuple(row) for row in rows] == [(date(2026, 6, 4), 3, 2)] * 2  # received 07:30 in Beijing
        assert fill_responses(engine, QuizBank({"hand": QUIZ})) == 1
        assert fill_responses(engine, QuizBank({"hand": QUIZ})) == 0  # once
        with engine.connect() as connection:
            filled = connection.execute(select(responses.c.attempt, responses.c.question, responses.c.correct)).all()
        assert sorted((question, correct) for _, question, correct in filled) == [("a", 1), ("b", 1), ("c", 0)]
        assert {attempt for attempt, _, _ in filled} == {current}
    finally:
        engine.dispose()
