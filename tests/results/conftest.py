"""The results service's tests: every test that touches a database runs on SQLite and on PostgreSQL.

- ``results_root``: the test project (tests/fixtures/project) copied once, with the test units.yaml,
  a ``results:`` block (names optional, public summary on) and a ``site_url`` (the CORS origin).
  Never the sample's quizzes.
- ``postgres``: a throwaway PostgreSQL server from Debian's package (``make postgres``): initdb into
  a temporary folder, listening on 127.0.0.1 on a free port with its socket in that folder, run as
  the ``postgres`` user when the tests run as root; stopped and removed at the end.  Made by
  ``throwaway_postgres``, which the load benchmark uses too; ``restart()`` serves the fault tests.
- ``database``: an empty, migrated database for one test, on either backend (a copy of a migrated
  SQLite file; PostgreSQL's tables truncated).
- ``service``: the app for one test (``make``, with the Service's fields changed for a scenario),
  served over real HTTP by one uvicorn server per run in a thread, and a small client.
"""

from __future__ import annotations

import dataclasses
import glob
import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.engine import URL

from generator.model import Question, QuestionType, Quiz, quiz_version
from generator.results.service import Service, load_service
from generator.results.store import attempts, database_url, metadata, migrate, open_engine
from generator.settings import read_settings

from ..conftest import (
    PROJECT,
    UNITS_YAML,
    copy_project,
    dump_config,
    fixture_config,
    plugin_options,
    with_results,
    with_site_url,
)

SITE_URL = "https://anquan.example.gov.cn/sub/"
SITE_ORIGIN = "https://anquan.example.gov.cn"
BACKENDS = ("sqlite", "postgresql")


def write_results_project(root: Path, **results: Any) -> Path:
    """The test project in ``root`` with units.yaml, a results block (names optional, public summary
    on, changed by ``results``) and ``site_url``."""
    copy_project(PROJECT, root)
    config = with_site_url(with_results(fixture_config()), SITE_URL)
    plugin_options(config, "generator")["results"].update({"public_summary": True, **results})
    (root / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    (root / "units.yaml").write_text(UNITS_YAML, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def results_root(tmp_path_factory) -> Path:
    """The results test project, made once per run (tests that change it make their own)."""
    return write_results_project(tmp_path_factory.mktemp("results-project"))


@pytest.fixture(scope="session")
def base_service(results_root) -> Service:
    settings, problems = read_settings(results_root / "mkdocs.yml")
    assert settings is not None, problems
    service, problems = load_service(settings)
    assert service is not None, problems
    return service


# -- PostgreSQL ---------------------------------------------------------------------------------


@dataclass
class Postgres:
    """A running throwaway server; ``url(name)`` addresses one of its databases."""

    port: int
    databases: list[str] = field(default_factory=list)
    pg_ctl: list[str] = field(default_factory=list)
    """``pg_ctl -D <data>`` (as the postgres user when run as root), for ``restart``."""
    log: Path | None = None

    def url(self, name: str = "postgres") -> URL:
        return make_url(f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}")

    def create_database(self, name: str | None = None) -> URL:
        """A new empty database; its URL."""
        import psycopg

        name = name or f"results_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url().render_as_string().replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server is back on the same port."""
        # -l again: without it the server would write to (and hold open) this command's output.
        command = [*self.pg_ctl, "-l", str(self.log), "-m", "fast", "-w", "-t", "60", "restart"]
        done = subprocess.run(command, capture_output=True, timeout=90)
        assert done.returncode == 0, done.stdout + done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_postgres(durable: bool = False) -> Iterator[Postgres]:
    """A PostgreSQL server of Debian's package, initdb'd into a temporary folder, on 127.0.0.1 and a
    free port; stopped and removed on leaving.  Without ``durable`` it does not fsync (correctness
    tests); the load benchmark asks for ``durable``, so that its commits reach the disk as SQLite's do."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is missing: `make postgres` installs Debian's package (postgresql).")
    bindir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="results-pg-"))  # under /tmp: the postgres user can reach it
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*command: str | Path) -> None:
        done = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    data = folder / "data"
    initdb = [*as_user, str(bindir / "initdb")]
    run(*initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}"
    if not durable:
        options += " -c fsync=off -c full_page_writes=off"
    pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data)]
    log = folder / "server.log"
    run(*pg_ctl, "-l", log, "-o", options, "-w", "-t", "60", "start")
    try:
        yield Postgres(port, pg_ctl=pg_ctl, log=log)
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with throwaway_postgres() as server:
        yield server


# -- databases ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating takes longer than copying)."""
    root = tmp_path_factory.mktemp("sqlite-template")
    engine = open_engine(database_url("sqlite:///template.db", root))
    migrate(engine)
    engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return root / "template.db"


@pytest.fixture(scope="session")
def postgres_engine(postgres) -> Iterator[Engine]:
    """One migrated PostgreSQL database for the run; ``database`` empties it for each test."""
    engine = open_engine(postgres.create_database("results_test"))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(request, backend, tmp_path) -> Iterator[Engine]:
    """An empty, migrated database on ``backend`` for this test."""
    if backend == "sqlite":
        path = tmp_path / "results.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = open_engine(database_url(f"sqlite:///{path}", tmp_path))
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("postgres_engine")
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)}"))
        yield engine


@pytest.fixture
def database_address(request, backend, tmp_path) -> str:
    """The --db of a new, empty database on ``backend`` (not migrated), for the CLI."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'cli' / 'results.db'}"
    return request.getfixturevalue("postgres").create_database().render_as_string(hide_password=False)


def stored(engine: Engine) -> list[Any]:
    """Every stored attempt, oldest received first."""
    with engine.connect() as connection:
        return connection.execute(attempts.select().order_by(attempts.c.received)).all()


# -- records ------------------------------------------------------------------------------------


def key(question: Question) -> list:
    """The right answer as a page sends it."""
    if question.type is QuestionType.TRUE_FALSE:
        return ["true" in question.answer]
    return sorted(question.answer)


def wrong(question: Question) -> list:
    if question.type is QuestionType.TRUE_FALSE:
        return ["true" not in question.answer]
    return [next(letter for letter in question.choices if letter not in question.answer)]


BEIJING = timezone(timedelta(hours=8))


def moment(delta: timedelta = timedelta()) -> str:
    """Now (plus ``delta``) as a phone in China writes it: 2026-06-03T09:12:00+08:00."""
    return (datetime.now(UTC) + delta).astimezone(BEIJING).isoformat(timespec="seconds")


def record(quiz: Quiz, /, right: bool = True, **changes: Any) -> dict[str, Any]:
    """A valid record of an attempt at ``quiz`` (the first questions of a draw), all right or all wrong."""
    questions = quiz.questions[: quiz.attempt_size]
    body = {
        "attempt": str(uuid.uuid4()),
        "device": str(uuid.uuid4()),
        "quiz": quiz.id,
        "version": quiz_version(quiz),
        "lang": "zh",
        "unit": "yjj",
        "name": None,
        "answers": {q.id: key(q) if right else wrong(q) for q in questions},
        "started": moment(timedelta(minutes=-4)),
        "finished": moment(),
        "score": 100 if right else 0,
    }
    body.update(changes)
    return body


# -- the service over HTTP ----------------------------------------------------------------------


class _Swappable:
    """The ASGI app the test server runs: each test puts its own app in."""

    app: Any = None

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def http_server() -> Iterator[tuple[_Swappable, int]]:
    """One uvicorn server on 127.0.0.1 for the run, in a thread, serving whichever app a test sets."""
    import uvicorn

    holder = _Swappable()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(holder, lifespan="off", proxy_headers=False, access_log=False, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    yield holder, listener.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


@dataclass
class Client:
    port: int
    engine: Engine
    service: Service

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None, chunked=False
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            if chunked:
                connection.request(method, path, body=iter([body or b""]), headers=headers or {}, encode_chunked=True)
            else:
                connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def post(self, body: Any, headers: dict[str, str] | None = None) -> Reply:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        return self.request("POST", "/api/v1/attempts", raw, {"Content-Type": "application/json", **(headers or {})})

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def quiz(self, quiz_id: str = "principles") -> Quiz:
        return self.service.bank[quiz_id]


@pytest.fixture
def service(http_server, database, base_service) -> Iterator[Any]:
    """``service(**fields)``: the app with the test project's Service (fields changed as given) on this
    test's database, served over HTTP; returns a Client.  Called with no fields by most tests."""
    from generator.results.app import create_app

    holder, port = http_server

    def make(**fields: Any) -> Client:
        chosen = dataclasses.replace(base_service, **fields) if fields else base_service
        holder.app = create_app(chosen, database)
        return Client(port, database, chosen)

    yield make
    holder.app = None
