"""``python -m generator results ...``: migrate, add-user, export, purge and serve, on SQLite and PostgreSQL;
every failure a plain message in both languages and exit code 1, never a traceback."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import inspect, select, text

from generator.cli import main
from generator.results.export import neutralise
from generator.results.store import MIGRATIONS, database_url, metadata, open_engine, store_attempt, users
from generator.scoring import Scored

from .conftest import free_port, record, write_results_project

HEAD = max(path.name for path in (MIGRATIONS / "versions").glob("0*.py"))[:4]
"""The newest migration's revision (the files are numbered)."""


def results(root: Path, *args: str) -> int:
    return main(["-f", str(root / "mkdocs.yml"), "results", *args])


def engine_for(address: str):
    """An engine for an absolute --db, its folder made, as the commands open it."""
    return open_engine(database_url(address, Path("/")))


def no_traceback(output: str) -> None:
    assert "Traceback" not in output and 'File "' not in output


# -- migrate ------------------------------------------------------------------------------------


def test_migrate_an_empty_database(results_root, database_address, capsys):
    """migrate creates the tables on an empty database, matching the models exactly; a second run changes nothing."""
    assert results(results_root, "migrate", "--db", database_address) == 0
    assert "The database is up to date" in capsys.readouterr().out
    assert results(results_root, "migrate", "--db", database_address) == 0
    engine = engine_for(database_address)
    try:
        assert {"attempts", "users", "alembic_version"} <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        engine.dispose()


def test_default_database(tmp_path, capsys, monkeypatch):
    """Without --db: results/results.db in the project folder (beside mkdocs.yml), in WAL mode."""
    root = write_results_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the project's folder counts, not the current one
    assert results(root, "migrate") == 0
    path = root / "results" / "results.db"
    assert path.is_file() and not (elsewhere / "results").exists()
    assert str(path) in capsys.readouterr().out
    engine = engine_for(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "address, words",
    [
        ("mysql://user@host/db", "only sqlite:///path/to/file.db and postgresql+psycopg://"),
        ("sqlite://", "An SQLite database must be a file"),
        ("sqlite:///:memory:", "An SQLite database must be a file"),
        ("not a url", "cannot be used"),
        ("postgresql+psycopg://user:secret-word@127.0.0.1:{port}/db", "cannot be opened or upgraded"),
    ],
)
def test_bad_database(results_root, capsys, address, words):
    """An unusable --db: a plain reason, exit 1, no traceback, and never the password."""
    assert results(results_root, "migrate", "--db", address.format(port=free_port())) == 1
    output = capsys.readouterr()
    assert words in output.err and "secret-word" not in output.err + output.out
    no_traceback(output.err)


# -- add-user -----------------------------------------------------------------------------------


def add_user(root: Path, monkeypatch, password: str, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return results(root, "add-user", *args)


def test_add_user(results_root, database_address, monkeypatch, capsys):
    """add-user reads the password from standard input and keeps only its argon2 hash; a name is taken once."""
    admin = ["chen", "--role", "admin", "--db", database_address]
    unit = ["li", "--role", "unit", "--unit", "town-1", "--db", database_address]
    assert add_user(results_root, monkeypatch, "correct horse", *admin) == 0
    assert add_user(results_root, monkeypatch, "battery staple", *unit) == 0
    assert "Added the user li (unit account of town-1)" in capsys.readouterr().out
    engine = engine_for(database_address)
    try:
        with engine.connect() as connection:
            rows = {row.username: row for row in connection.execute(select(users))}
    finally:
        engine.dispose()
    assert (rows["chen"].role, rows["chen"].unit, rows["li"].role, rows["li"].unit) == ("admin", None, "unit", "town-1")
    assert rows["chen"].password_hash.startswith("$argon2") and "correct horse" not in rows["chen"].password_hash
    assert PasswordHasher().verify(rows["li"].password_hash, "battery staple")
    assert add_user(results_root, monkeypatch, "another one", *admin) == 1
    assert 'There is already a user "chen"' in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("second, code", [("same password", 0), ("another one", 1)])
def test_add_user_on_a_terminal(tmp_path, monkeypatch, capsys, second, code):
    """On a terminal the password is asked twice (not echoed); two different answers add no user."""
    import getpass

    root = write_results_project(tmp_path / "project")
    answers = iter(["same password", second])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(answers))
    assert results(root, "add-user", "zhou", "--role", "admin", "--db", f"sqlite:///{tmp_path / 'u.db'}") == code
    output = capsys.readouterr()
    assert ("Added the user zhou" in output.out) if code == 0 else ("The two passwords differ" in output.err)


@pytest.mark.parametrize(
    "args, password, words",
    [
        (
            ["wang", "--role", "unit", "--unit", "nowhere"],
            "long enough",
            'no unit with the code "nowhere" (it has: yjj, town-1, plant)',
        ),
        (["wang", "--role", "unit"], "long enough", "A unit account needs --unit"),
        (["wang", "--role", "admin", "--unit", "yjj"], "long enough", "leave out --unit"),
        (["wang", "--role", "admin"], "short", "at least 8 characters"),
        (["wang li", "--role", "admin"], "long enough", 'The username "wang li" cannot be used'),
        (["<script>", "--role", "admin"], "long enough", "cannot be used"),
    ],
    ids=["unknown unit", "no unit", "admin with unit", "short password", "space", "markup"],
)
def test_add_user_refused(tmp_path, monkeypatch, capsys, args, password, words):
    """Each mistake: a plain reason, exit 1, no user added."""
    root = write_results_project(tmp_path / "project")
    address = f"sqlite:///{tmp_path / 'users.db'}"
    assert add_user(root, monkeypatch, password, *args, "--db", address) == 1
    output = capsys.readouterr()
    assert words in output.err
    no_traceback(output.err)
    if (tmp_path / "users.db").exists():
        engine = engine_for(address)
        with engine.connect() as connection:
            assert connection.execute(select(users)).all() == []
        engine.dispose()


# -- export and purge ---------------------------------------------------------------------------


def insert(engine, quiz, received: datetime, **changes) -> dict:
    """One attempt stored directly (as the service would), received at ``received``."""
    body = record(quiz, **changes)
    row = {
        **{k: body[k] for k in ("quiz", "version", "lang", "unit", "name", "answers")},
        "attempt": uuid.UUID(body["attempt"]),
        "device": uuid.UUID(body["device"]),
        "started": datetime.fromisoformat(body["started"]),
        "finished": datetime.fromisoformat(body["finished"]),
        "received": received,
        "page_score": body["score"],
        "score": 100,
        "passed": True,
    }
    store_attempt(engine, row, Scored(100, True, frozenset(body["answers"]), body["answers"]))
    return body


FORMULAS = ['=HYPERLINK("http://x.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTab"]
"""Names a spreadsheet would run (the service refuses a tab in a name; the export neutralises it all the same)."""


@pytest.mark.parametrize("value", [*FORMULAS, "\rReturn", "=1+1 化工厂"])
def test_neutralise(value):
    """Text starting with = + - @, a tab or a carriage return gets a leading apostrophe; other values stay."""
    assert neutralise(value) == "'" + value
    assert [neutralise(v) for v in ("张三", "a=b", 5, -5, None)] == ["张三", "a=b", 5, -5, None]


def test_export(results_root, base_service, database, tmp_path, capsys):
    """One row per attempt, oldest first; names that look like formulas stay text (a leading apostrophe)."""
    from openpyxl import load_workbook

    quiz = base_service.bank["principles"]
    now = datetime.now(UTC)
    bodies = [
        insert(database, quiz, now - timedelta(minutes=len(FORMULAS) - n), name=name) for n, name in enumerate(FORMULAS)
    ]
    bodies.append(insert(database, quiz, now, name="张三", unit="plant"))
    out = tmp_path / "results.xlsx"
    assert (
        results(results_root, "export", str(out), "--db", str(database.url.render_as_string(hide_password=False))) == 0
    )
    assert f"Exported {len(bodies)} attempts" in capsys.readouterr().out
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    assert header[0] == "收到时间 received" and "姓名 name" in header
    name_at, attempt_at = header.index("姓名 name"), header.index("作答编号 attempt")
    assert [row[attempt_at] for row in rows] == [body["attempt"] for body in bodies]
    assert [row[name_at] for row in rows] == ["'" + name for name in FORMULAS] + ["张三"]
    assert rows[-1][header.index("单位 unit")] == "测试化工厂"
    assert json.loads(rows[-1][header.index("答案 answers")]) == bodies[-1]["answers"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


@pytest.mark.parametrize(
    "name, words", [("results.csv", "must end in .xlsx"), ("missing/results.xlsx", "does not exist")]
)
def test_export_refused(results_root, tmp_path, capsys, name, words):
    """A file that is not .xlsx, a folder that is not there: a plain reason, exit 1."""
    assert results(results_root, "export", str(tmp_path / name), "--db", f"sqlite:///{tmp_path / 'x.db'}") == 1
    assert words in capsys.readouterr().err


def test_purge(results_root, base_service, database, capsys):
    """purge --before DATE deletes the attempts received before that day (server's local time) and says how many."""
    quiz = base_service.bank["principles"]
    now = datetime.now(UTC)
    old = [insert(database, quiz, now - timedelta(days=days)) for days in (400, 100)]
    kept = insert(database, quiz, now - timedelta(days=2))
    cutoff = (now - timedelta(days=30)).astimezone().date().isoformat()
    address = database.url.render_as_string(hide_password=False)
    assert results(results_root, "purge", "--before", cutoff, "--db", address) == 0
    assert f"Deleted {len(old)} attempts received before {cutoff}" in capsys.readouterr().out
    with database.connect() as connection:
        remaining = connection.execute(text("SELECT attempt FROM attempts")).scalars().all()
    assert [str(uuid.UUID(str(a))) for a in remaining] == [kept["attempt"]]


@pytest.mark.parametrize("given", ["yesterday", "2026-13-01", "01/06/2026"])
def test_purge_bad_date(results_root, tmp_path, capsys, given):
    """A date that is not YYYY-MM-DD: a plain reason, nothing deleted, exit 1."""
    assert results(results_root, "purge", "--before", given, "--db", f"sqlite:///{tmp_path / 'x.db'}") == 1
    assert "write it as 2026-01-01" in capsys.readouterr().err


# -- serve --------------------------------------------------------------------------------------


BROKEN_QUIZ = (
    "title: Broken\nquestions:\n  - id: one\n    type: single\n    prompt: Which?\n    options: [a, b]\n    answer: E\n"
)


@pytest.mark.parametrize("broken", ["quiz", "units", "no units"])
def test_serve_refuses_to_start(tmp_path, capsys, broken):
    """A quiz or units.yaml with errors (or none): the plain report with file and line, exit 1, no database made."""
    root = write_results_project(tmp_path / "project")
    if broken == "quiz":
        (root / "quizzes" / "broken.yaml").write_text(BROKEN_QUIZ, encoding="utf-8")
        place = "quizzes/broken.yaml:7"
    elif broken == "units":
        (root / "units.yaml").write_text("units:\n  - code: Bad Code\n    name: x\n", encoding="utf-8")
        place = "units.yaml:2"
    else:
        (root / "units.yaml").unlink()
        place = "units.yaml"
    assert results(root, "serve", "--port", str(free_port())) == 1
    output = capsys.readouterr()
    assert place in output.err and "the results service was not started" in output.err
    assert "提示" in output.err or "错误" in output.err
    no_traceback(output.err)
    assert not (root / "results").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--allow-origin", "https://example.gov.cn/anquan/"], "is not an origin"),
        (["--allow-origin", "example.gov.cn"], "is not an origin"),
        (["--proxy", "my-proxy"], "is not an IP address or network"),
        (["--port", "70000"], "is not between 1 and 65535"),
    ],
)
def test_serve_bad_options(results_root, capsys, args, words):
    """Options that cannot work: a plain reason before anything starts."""
    assert results(results_root, "serve", *args) == 1
    assert words in capsys.readouterr().err


def test_serve_port_in_use(tmp_path, capsys):
    """A port already taken: said plainly, exit 1."""
    root = write_results_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert results(root, "serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'x.db'}") == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"the service did not answer at {url}")


def test_serve(results_root, base_service, database_address):
    """`results serve` as staff run it: the database made on first start, a record accepted over HTTP,
    nothing about the request logged (no access log: it would keep workers' addresses); Ctrl+C stops it."""
    port = free_port()
    env = {**os.environ, "PYTHONUTF8": "1", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "results", "serve", "--db", database_address, "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=results_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "healthz", process)
        body = json.dumps(record(base_service.bank["principles"], name="Visible Name")).encode()
        request = urllib.request.Request(base + "api/v1/attempts", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 201 and json.loads(reply.read())["status"] == "accepted"
        with urllib.request.urlopen(base + "api/v1/public/summary", timeout=30) as reply:
            assert json.loads(reply.read())["attempts"] == 1
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "The results service is running at" in out and "https://anquan.example.gov.cn" in out
    assert "/api/v1/attempts" not in out + err and "Visible Name" not in out + err


def test_two_processes_migrate_at_once(results_root, database_address):
    """Two service processes starting together on a new database migrate one after the other, both fine."""
    env = {**os.environ, "PYTHONUTF8": "1", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "results", "migrate", "--db", database_address]
    processes = [
        subprocess.Popen(command, cwd=results_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, out + err
    engine = engine_for(database_address)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
    finally:
        engine.dispose()
