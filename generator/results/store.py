"""The results database: its tables, how it is opened and migrated, and every query made of it.

One code path for both databases.  SQLite (the default, ``results/results.db`` under the project
root) runs in WAL mode with a busy timeout and full syncs, so readers never wait for the writer and a
reply of "accepted" means the record is on disk; PostgreSQL (``postgresql+psycopg://...``) serves
several service processes or hosts.  Alembic's migrations run from ``migrate()`` with the scripts of
``migrations/`` beside this file: no alembic.ini.

Nothing here keeps an IP address or a browser's user agent (DESIGN §11, privacy).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Uuid,
    create_engine,
    delete,
    event,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.types import TypeDecorator

from ..model import QuizBank, Text, quiz_version
from ..scoring import Refused, Scored, score_attempt

DEFAULT_DB = "sqlite:///results/results.db"
"""Relative to the project root (the folder holding mkdocs.yml)."""
MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
"""How long an SQLite writer waits for another before the service answers 503 (try again)."""
STATEMENT_TIMEOUT_MS = 15000
"""PostgreSQL: a statement that takes longer is cancelled and the record refused with 503, not kept waiting."""
_PG_OPTIONS = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
_MIGRATION_LOCK = 0x616E7175  # PostgreSQL advisory lock: two processes starting at once migrate one after the other
DAY_ZONE = timezone(timedelta(hours=8), "CST")
"""China Standard Time (no daylight saving): the campaign's days, whatever the server's own zone is."""

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
    }
)


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC.  SQLite keeps no time zone, so its values are written as UTC without
    one and read back as UTC; PostgreSQL keeps ``timestamp with time zone``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a moment without a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


attempts = Table(
    "attempts",
    metadata,
    Column("attempt", Uuid, primary_key=True),
    Column("device", Uuid, nullable=False),
    Column("quiz", String(100), nullable=False),
    Column("version", String(64), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("unit", String(100), nullable=False),
    Column("name", String(100), nullable=True),
    Column("answers", JSON, nullable=False),
    Column("started", UTCDateTime, nullable=False),
    Column("finished", UTCDateTime, nullable=False),
    Column("received", UTCDateTime, nullable=False, index=True),
    Column("page_score", SmallInteger, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("day", Date, nullable=False),
    Column("size", SmallInteger, nullable=False),
    Column("right", SmallInteger, nullable=False),
    Index("ix_attempts_device", "device", "passed", "score"),
    Index("ix_attempts_day", "day", "device", "passed", "score", "quiz", "unit", "lang"),
    Index("ix_attempts_quiz", "quiz", "device", "passed", "score", "day", "unit", "lang"),
    Index("ix_attempts_unit", "unit", "device", "passed", "score", "day", "quiz", "lang"),
)
"""One row per attempt; ``attempt`` (made by the page) is the key that makes a second send a duplicate.
``day`` is the date received in China (DAY_ZONE), ``size`` the questions of the draw and ``right``
how many were answered right: what the dashboard counts by.

The indexes are the dashboard's (migration 0005; ``make bench-dashboard`` measures them): each begins
with what a page groups or filters by (the device itself for the totals, the day, the quiz, the unit),
then holds what stats.totals counts (device, passed, score) and the other filters.  So every count
is read from one index, never from the wide rows (their answers), and within a group the devices
come in order, which makes counting distinct ones cheap: SQLite fills its temporary b-tree in order,
and PostgreSQL's sort, when it reads the index, finds its input sorted."""

responses = Table(
    "responses",
    metadata,
    Column("attempt", Uuid, ForeignKey("attempts.attempt", ondelete="CASCADE"), primary_key=True),
    Column("question", String(), primary_key=True),  # "<quiz>/<question>" in the daily challenge (migration 0006)
    Column("quiz", String(100), nullable=False),
    Column("unit", String(100), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("day", Date, nullable=False),
    Column("correct", SmallInteger, nullable=False),
    Column("rest", SmallInteger, nullable=False),
    Column("chosen", String(32), nullable=False),
    Index("ix_responses_quiz", "quiz", "question", "chosen", "correct", "rest", "day", "unit", "lang"),
    Index("ix_responses_unit", "unit", "quiz", "question", "chosen", "correct", "rest", "day", "lang"),
)
"""One row per question of an attempt, for the quiz report: ``correct`` 1 or 0, ``rest`` the questions
of the same attempt answered right besides this one (Moodle's "rest of the test"), ``chosen`` the
answer as a code (``choice_code``).  The attempt's quiz, unit, language and day are repeated so that
the report is filtered without a join.  Its two indexes (migration 0005) hold every column but the
attempt, in the order of stats.question_stats's groups after the quiz, or the unit and the quiz (a
unit's page, and every page of a unit account): a quiz report reads one index alone."""

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(8), nullable=False),
    Column("unit", String(100), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('admin', 'unit')", name="role"),
)
"""Staff accounts (argon2 hashes), made by ``results add-user``."""

sessions = Table(
    "sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created", UTCDateTime, nullable=False),
    Column("seen", UTCDateTime, nullable=False),
)
"""Staff sessions: the SHA-256 of the cookie's token (a copy of the table lets no one log in), when the
session began and when it was last used (idle and absolute expiry: admin.py)."""


secrets_table = Table(
    "secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(128), nullable=False),
)
"""Values every service process on the database must share: the key that signs the staff forms' CSRF
tokens, so that a form made by one process is accepted by another behind the same load balancer."""

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last", UTCDateTime, nullable=False),
)
"""Failed logins per username or client address (the SHA-256 of "user:name" or "address:ip": a
password typed into the username field is not kept), shared by every process."""


class DatabaseAddressError(ValueError):
    """--db names no database this service can use; ``message`` says why in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def database_url(given: str | None, root: Path) -> URL:
    """The database to open: ``given`` (``--db``) or the default; a relative SQLite path is taken from
    ``root`` and its folder made; ``postgresql://`` means the psycopg driver (the one installed)."""
    raw = given or DEFAULT_DB
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseAddressError(_unknown_database(raw)) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend == "postgresql" and driver in ("psycopg", "psycopg2"):
        return url.set(drivername="postgresql+psycopg")
    if backend != "sqlite" or driver != "pysqlite":
        raise DatabaseAddressError(_unknown_database(raw))
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise DatabaseAddressError(
            Text(
                "SQLite 数据库要写成文件路径，例如 sqlite:///results/results.db。",
                "An SQLite database must be a file, e.g. sqlite:///results/results.db.",
            )
        )
    path = Path(url.database)
    path = path if path.is_absolute() else root / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return url.set(database=str(path))


def _unknown_database(raw: str) -> Text:
    shown = raw.split("@")[-1] if "@" in raw else raw  # never repeat a password
    return Text(
        f"无法使用数据库地址“{shown}”：只支持 sqlite:///文件路径 和 postgresql+psycopg://用户@主机/数据库。",
        f'The database address "{shown}" cannot be used: only sqlite:///path/to/file.db and '
        f"postgresql+psycopg://user@host/database are supported.",
    )


def open_engine(url: URL) -> Engine:
    """An engine for ``url`` with the settings above: WAL and a busy timeout on every SQLite connection,
    statement and connect timeouts and a liveness check (after a server restart) for PostgreSQL."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"check_same_thread": False}, pool_size=10, max_overflow=10, pool_timeout=10
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    given = url.query.get("options", "")  # ?options=-c ... in the address comes last: it wins
    options = " ".join(filter(None, (_PG_OPTIONS, given if isinstance(given, str) else " ".join(given))))
    return create_engine(
        url.difference_update_query(["options"]),
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=10,
        connect_args={"connect_timeout": 10, "options": options},
    )


def _sqlite_connect(connection, record) -> None:
    # SQLAlchemy's recipe for pysqlite: the driver's own transaction handling is turned off and
    # _sqlite_begin says BEGIN, so DDL (migrations) is transactional too.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")  # a commit is on disk before "accepted" is answered
    cursor.close()


def _sqlite_begin(connection) -> None:
    # BEGIN IMMEDIATE takes the write lock at once: a transaction that reads and then writes (a
    # migration) would otherwise fail at once, without waiting, when another writer came in between.
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (creating it on first use); safe to run from several
    processes at once: they take turns (a write lock on SQLite, an advisory lock on PostgreSQL)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    with engine.connect().execution_options(immediate=True) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def ping(engine: Engine) -> None:
    """``SELECT 1``: raises when the database does not answer."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


# -- attempts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    status: str
    """"accepted" (stored now) or "duplicate" (this attempt id was stored before)."""
    score: int
    passed: bool


def find_attempt(engine: Engine, attempt: uuid.UUID) -> Stored | None:
    """The stored outcome of ``attempt``, or None when it has not been stored."""
    with engine.connect() as connection:
        row = connection.execute(
            select(attempts.c.score, attempts.c.passed).where(attempts.c.attempt == attempt)
        ).first()
    return Stored("duplicate", row.score, row.passed) if row is not None else None


def store_attempt(engine: Engine, row: dict[str, Any], scored: Scored) -> Stored:
    """Insert one attempt (``row``: the columns of ``attempts`` but the ones derived here) with its
    responses, in one transaction; "accepted" only once the commit has returned.  The same attempt id
    twice (even two requests at the same moment) is stored once: the primary key refuses the second
    insert, and its answer is the first one's outcome."""
    row = {**row, **_counted(row["received"], scored)}
    try:
        with engine.begin() as connection:
            connection.execute(attempts.insert().values(**row))
            made = response_rows(row, scored)
            if made:
                connection.execute(responses.insert(), made)
    except IntegrityError:
        stored = find_attempt(engine, row["attempt"])
        if stored is None:  # refused for another reason than the key: not a duplicate
            raise
        return stored
    return Stored("accepted", row["score"], row["passed"])


def _counted(received: datetime, scored: Scored) -> dict[str, Any]:
    return {"day": local_day(received), "size": len(scored.answers), "right": len(scored.right)}


def local_day(moment: datetime) -> date:
    """The date of ``moment`` in China (DAY_ZONE)."""
    return moment.astimezone(DAY_ZONE).date()


def choice_code(given: list[str] | list[bool]) -> str:
    """An answer as the responses table keeps it: the letters chosen ("AC"), "T" or "F" for
    true/false, "" for a question left open."""
    return "".join("T" if value is True else "F" if value is False else value for value in given)


def response_rows(row: dict[str, Any], scored: Scored) -> list[dict[str, Any]]:
    """The responses of the attempt ``row`` (with its derived columns), one per question of its draw."""
    right = len(scored.right)
    shared = {key: row[key] for key in ("attempt", "quiz", "unit", "lang", "day")}
    return [
        {
            **shared,
            "question": question,
            "correct": int(question in scored.right),
            "rest": right - int(question in scored.right),
            "chosen": choice_code(given),
        }
        for question, given in scored.answers.items()
    ]


def fill_responses(engine: Engine, bank: QuizBank, batch: int = 500) -> int:
    """Responses for the attempts stored before the responses table existed (migration 0003), scored
    again by the quizzes the service has loaded; attempts of another version of their quiz stay out
    of the question statistics.  Runs under the migration lock; how many attempts were filled."""
    versions = {quiz.id: quiz_version(quiz) for quiz in bank}
    quizzes = {quiz.id: quiz for quiz in bank}
    filled = 0
    with engine.connect().execution_options(immediate=True) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        missing = (
            select(attempts)
            .where(~select(responses.c.attempt).where(responses.c.attempt == attempts.c.attempt).exists())
            .where(attempts.c.quiz.in_(list(versions)))
        )
        rows = [row._asdict() for row in connection.execute(missing) if versions.get(row.quiz) == row.version]
        for start in range(0, len(rows), batch):
            made = []
            for row in rows[start : start + batch]:
                try:
                    scored = score_attempt(quizzes[row["quiz"]], row["answers"])
                except Refused:
                    continue
                made += response_rows(row, scored)
                filled += 1
            if made:
                connection.execute(responses.insert(), made)
        connection.commit()
    return filled


def purge(engine: Engine, before: datetime) -> int:
    """Delete the attempts received before ``before``; how many were deleted."""
    with engine.begin() as connection:
        old = select(attempts.c.attempt).where(attempts.c.received < before)
        connection.execute(delete(responses).where(responses.c.attempt.in_(old)))
        return connection.execute(delete(attempts).where(attempts.c.received < before)).rowcount


def all_attempts(engine: Engine, conditions: Sequence[Any] = (), batch: int = 1000) -> Iterator[Any]:
    """Every attempt (meeting ``conditions``), oldest received first, read in batches (an export of
    100,000 rows stays small)."""
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=batch).execute(
            select(attempts).where(*conditions).order_by(attempts.c.received, attempts.c.attempt)
        )
        yield from result


# -- users ------------------------------------------------------------------------------------


def add_user(engine: Engine, username: str, role: str, unit: str | None, password_hash: str) -> bool:
    """Create a staff account; False when the name is taken."""
    try:
        with engine.begin() as connection:
            connection.execute(
                users.insert().values(
                    username=username, role=role, unit=unit, password_hash=password_hash, created=datetime.now(UTC)
                )
            )
    except IntegrityError:
        return False
    return True


def usernames(engine: Engine) -> Sequence[str]:
    with engine.connect() as connection:
        return connection.execute(select(users.c.username).order_by(users.c.username)).scalars().all()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    """admin (every unit) or unit (``unit`` only)."""
    unit: str | None
    password_hash: str


def find_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(users.c.id, users.c.username, users.c.role, users.c.unit, users.c.password_hash).where(
                users.c.username == username
            )
        ).first()
    return User(*row) if row is not None else None


def set_password_hash(engine: Engine, user_id: int, password_hash: str) -> None:
    with engine.begin() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))


# -- shared secrets and login failures ----------------------------------------------------------


def shared_secret(engine: Engine, name: str) -> str:
    """The secret ``name``, made (random, 64 hex digits) by the first process that asks."""
    import secrets as random

    with engine.connect() as connection:
        found = connection.execute(select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar()
    if found is not None:
        return found
    try:
        with engine.begin() as connection:
            connection.execute(secrets_table.insert().values(name=name, value=random.token_hex(32)))
    except IntegrityError:  # another process made it first: use that one
        pass
    with engine.connect() as connection:
        return connection.execute(select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar_one()


def failures(engine: Engine, keys: Sequence[str]) -> dict[str, tuple[int, datetime]]:
    """The failed logins (count, last) of each key in ``keys`` (digests) that has any."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(login_failures.c.key, login_failures.c.count, login_failures.c.last).where(
                login_failures.c.key.in_(list(keys))
            )
        ).all()
    return {key: (count, last) for key, count, last in rows}


def record_failure(engine: Engine, keys: Sequence[str], now: datetime, forget: timedelta) -> None:
    """One more failed login for each of ``keys``, begun again when its last one is older than
    ``forget``; failures older than ``forget`` are deleted on the way (a flood of made-up names)."""
    with engine.begin() as connection:
        connection.execute(delete(login_failures).where(login_failures.c.last < now - forget))
        for key in keys:
            updated = connection.execute(
                login_failures.update()
                .where(login_failures.c.key == key)
                .values(count=login_failures.c.count + 1, last=now)
            ).rowcount
            if not updated:
                connection.execute(login_failures.insert().values(key=key, count=1, last=now))


def clear_failures(engine: Engine, key: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(login_failures).where(login_failures.c.key == key))


# -- sessions ---------------------------------------------------------------------------------


def start_session(engine: Engine, digest: str, user_id: int, now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(sessions.insert().values(digest=digest, user_id=user_id, created=now, seen=now))


SEEN_EVERY = timedelta(minutes=1)
"""A session's last use is written at most this often: a page and its scripts, asked for at once, do
not each write (on SQLite they would queue for the one writer)."""


def session_user(engine: Engine, digest: str, now: datetime, idle: timedelta, longest: timedelta) -> User | None:
    """The user of the session ``digest`` if it is still alive at ``now`` (used within ``idle`` and begun
    within ``longest``), marking it used; an expired session is deleted.  The read and the write are
    separate transactions: a read that turned into a write would fail at once on SQLite, without
    waiting, when another request wrote in between."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                sessions.c.created,
                sessions.c.seen,
                users.c.id,
                users.c.username,
                users.c.role,
                users.c.unit,
                users.c.password_hash,
            )
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.digest == digest)
        ).first()
    if row is None:
        return None
    if now - row.seen > idle or now - row.created > longest:
        end_session(engine, digest)
        return None
    if now - row.seen >= SEEN_EVERY:
        with engine.begin() as connection:
            connection.execute(sessions.update().where(sessions.c.digest == digest).values(seen=now))
    return User(row.id, row.username, row.role, row.unit, row.password_hash)


def end_session(engine: Engine, digest: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.digest == digest))
