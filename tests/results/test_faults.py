"""Faults under load (issue 14, "Reliability, measured"): the service killed, its database read-only,
full, restarted or slow.  Whatever happens, nothing the service confirmed (201 accepted, 200 duplicate)
is lost, nothing is stored twice, and a refusal is 503 with Retry-After and a reason in both languages.

The senders are tests/results/load.py's, as in the load benchmark.  Waits are bounded and wait for
events (so many answers seen, no query left running), never for a time; nothing asserts a duration.
The disk and read-only cases need root: a tmpfs is mounted for a full disk, and ``chattr +i`` makes a
file read-only even for root (whom chmod does not stop); without them those cases are skipped, with
the reason.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import os
import pwd
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, make_url, text

from generator.results import store
from generator.results.app import create_app
from generator.results.service import Service
from generator.results.store import attempts, database_url, migrate, open_engine

from .conftest import Client, free_port
from .load import Attempt, Load, ServiceProcess, Tally, check_stored, make_attempts

TRUSTED = (ipaddress.ip_network("127.0.0.1/32"),)
"""The senders' X-Forwarded-For is believed, as from nginx: 20 senders are not one flooding client."""


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120) -> None:
    """Wait until ``condition()`` holds; fail after ``limit`` seconds (a bound, not a measure)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def assert_all_stored_once(engine: Engine, service: Service, sent: list[Attempt], tally: Tally) -> None:
    """Every attempt confirmed, stored exactly once, scored as generator.scoring scores it."""
    assert not tally.problems, tally.problems[:5]
    assert len(tally.confirmed) == len(sent), tally.last
    check = check_stored(engine, service, sent, set(tally.confirmed))
    assert (check.stored, check.distinct) == (len(sent), len(sent))
    assert not (check.lost or check.unknown or check.score_mismatches), check


def assert_unavailable(reply) -> None:
    """503 with Retry-After and the reason in both languages (DESIGN §11.1)."""
    assert reply.status == 503, reply.raw
    assert int(reply.headers["Retry-After"]) >= 1
    body = reply.json
    assert body["status"] == "unavailable"
    assert "not saved" in body["message"]["en"] and "没有存下" in body["message"]["zh"]


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def stored_ids(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {str(a) for a in connection.execute(attempts.select().with_only_columns(attempts.c.attempt)).scalars()}


def serve(http_server, service: Service, engine: Engine) -> Client:
    """The app on ``engine`` in the tests' own uvicorn server, trusting X-Forwarded-For from 127.0.0.1."""
    holder, port = http_server
    service = dataclasses.replace(service, proxies=TRUSTED)
    holder.app = create_app(service, engine)
    return Client(port, engine, service)


def url_of(client: Client) -> str:
    return f"http://127.0.0.1:{client.port}"


# -- kill -9 ------------------------------------------------------------------------------------------


def fault_under_load(
    root: Path, address: str, service: Service, log: Path, fault: Callable[[ServiceProcess, Load], None], seed: int
) -> Tally:
    """``results serve`` on the database ``address`` while 20 senders send 800 attempts; ``fault(serve,
    load)`` once 250 are confirmed.  Every attempt must then be stored exactly once; the senders' tally.
    (800, not more: the fault needs senders in flight on both sides of it, not volume; make bench-results
    measures volume.)"""
    serve_process = ServiceProcess(root, address, free_port(), log).start()
    sent = make_attempts(service, 800, seed=seed)
    load = Load([serve_process.url], sent, senders=20, time_limit=300).start()
    try:
        wait_for(lambda: len(load.tally.confirmed) >= 250, "250 attempts confirmed")
        assert len(load.tally.confirmed) < len(sent)  # the fault comes in the middle
        fault(serve_process, load)
        tally = load.join()
    finally:
        load.stop()
        serve_process.stop()
    engine = open_engine(database_url(address, log.parent))
    try:
        assert_all_stored_once(engine, service, sent, tally)
    finally:
        engine.dispose()
    return tally


def test_service_killed_under_load(backend, database_address, results_root, base_service, tmp_path):
    """``results serve`` killed with SIGKILL while 20 senders send 800 attempts, then started again:
    the senders' retries bring in every attempt exactly once, and the SQLite file is intact."""

    def kill_and_start(serve_process: ServiceProcess, load: Load) -> None:
        serve_process.kill()
        wait_for(lambda: load.tally.replies["network"] >= 20, "the senders to find the service gone")
        serve_process.start()

    fault_under_load(results_root, database_address, base_service, tmp_path / "serve.log", kill_and_start, seed=21)
    if backend == "sqlite":
        assert integrity(Path(make_url(database_address).database)) == "ok"


# -- read-only database ----------------------------------------------------------------------------


@contextmanager
def read_only_sqlite(engine: Engine) -> Iterator[None]:
    """The database file and its WAL made immutable (``chattr +i``: chmod does not stop root); a write
    fails as on a read-only disk."""
    path = Path(make_url(str(engine.url)).database)
    files = [path, path.with_name(path.name + "-wal")]
    assert all(f.exists() for f in files)
    done = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i (a read-only file even for root) does not work here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)


@contextmanager
def read_only_postgresql(engine: Engine) -> Iterator[None]:
    """The database switched to read-only transactions, its sessions cut (as a failover to a read-only
    standby would): the service's pool reconnects into read-only sessions.  Undone the same way."""
    name = engine.url.database

    def switch(setting: str) -> None:
        with psycopg.connect(engine.url.set(drivername="postgresql", database="postgres").render_as_string(False)) as c:
            c.autocommit = True
            c.execute(f'ALTER DATABASE "{name}" {setting}')
            c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    switch("SET default_transaction_read_only = on")
    try:
        yield
    finally:
        switch("RESET default_transaction_read_only")


def test_read_only_database(backend, http_server, database, base_service):
    """A database that turns read-only while the service runs: every record is refused with 503 and a
    reason, none is claimed stored; what was confirmed before is all there, and once the database is
    writable again the service stores the refused records without a restart."""
    client = serve(http_server, base_service, database)
    before = make_attempts(base_service, 20, seed=31)
    during = make_attempts(base_service, 10, seed=32)
    for attempt in before:
        assert client.post(attempt.body).status == 201
    with (read_only_sqlite if backend == "sqlite" else read_only_postgresql)(database):
        for attempt in during:
            assert_unavailable(client.post(attempt.body))
        assert stored_ids(database) == {a.id for a in before}
    for attempt in during:
        reply = client.post(attempt.body)
        assert reply.status == 201, reply.raw
    assert stored_ids(database) == {a.id for a in before + during}
    if backend == "sqlite":
        assert integrity(Path(make_url(str(database.url)).database)) == "ok"


# -- full disk ----------------------------------------------------------------------------------------


@contextmanager
def small_disk(size: str, owner: str | None = None) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted for the test (a disk that can really fill up), owned by ``owner``."""
    folder = Path(tempfile.mkdtemp(prefix="results-disk-"))  # under /tmp: PostgreSQL's user can reach it
    options = f"size={size},mode=0700"
    if owner:
        user = pwd.getpwnam(owner)
        options += f",uid={user.pw_uid},gid={user.pw_gid}"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"a full disk is a small tmpfs mounted for the test, and mount fails here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)
        folder.rmdir()


def fill(folder: Path) -> Path:
    """Fill the disk of ``folder`` to the last byte with a file; that file (delete it to make room)."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (b"\0" * 65536, b"\0" * 4096, b"\0"):
            while True:
                try:
                    if os.write(descriptor, chunk) < len(chunk):
                        break
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break
    finally:
        os.close(descriptor)
    return filler


def full_disk_case(client: Client, sent: list[Attempt], filler_folder: Path) -> None:
    """Confirmed records, then a full disk: records are sent until the service refuses them (503, a
    reason); nothing confirmed is lost; room made again, the refused ones are stored."""
    for attempt in sent[:20]:
        assert client.post(attempt.body).status == 201
    filler = fill(filler_folder)
    confirmed = {a.id for a in sent[:20]}
    refused = []
    for attempt in sent[20:]:
        reply = client.post(attempt.body)
        if reply.status == 201:
            confirmed.add(attempt.id)  # room left in a page the database had already
            continue
        assert_unavailable(reply)
        refused.append(attempt)
        if len(refused) == 5:
            break
    assert len(refused) == 5, "the full disk never refused a record"
    assert stored_ids(client.engine) == confirmed
    filler.unlink()
    for attempt in refused:
        reply = client.post(attempt.body)
        assert reply.status == 201, reply.raw
    assert stored_ids(client.engine) == confirmed | {a.id for a in refused}


def test_disk_full_sqlite(http_server, sqlite_template, base_service):
    """SQLite on a disk that fills up (a 2 MiB tmpfs): 503 with a reason, nothing confirmed lost, the
    file intact, and the service stores again once there is room."""
    with small_disk("2m") as disk:
        path = disk / "results.db"
        path.write_bytes(sqlite_template.read_bytes())
        engine = open_engine(database_url(f"sqlite:///{path}", disk))
        try:
            full_disk_case(serve(http_server, base_service, engine), make_attempts(base_service, 400, seed=41), disk)
        finally:
            http_server[0].app = None
            engine.dispose()
        assert integrity(path) == "ok"


def test_disk_full_postgresql(http_server, postgres, base_service):
    """PostgreSQL whose attempts table lives on a disk that fills up (a tablespace on a 1 MiB tmpfs):
    503 with a reason, nothing confirmed lost, and stored again once there is room."""
    space = f"small_{uuid.uuid4().hex[:8]}"
    with small_disk("1m", owner="postgres") as disk:
        url = postgres.create_database()
        engine = open_engine(url)
        try:
            migrate(engine)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text(f"CREATE TABLESPACE {space} LOCATION '{disk}'"))
                connection.execute(text(f"ALTER TABLE attempts SET TABLESPACE {space}"))
                for index in connection.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'attempts'")):
                    connection.execute(text(f'ALTER INDEX "{index[0]}" SET TABLESPACE {space}'))
            full_disk_case(serve(http_server, base_service, engine), make_attempts(base_service, 400, seed=42), disk)
        finally:
            http_server[0].app = None
            engine.dispose()
            with psycopg.connect(postgres.url().render_as_string().replace("+psycopg", ""), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
                c.execute(f"DROP TABLESPACE IF EXISTS {space}")


# -- PostgreSQL restarted ------------------------------------------------------------------------


def test_postgresql_restarted_under_load(postgres, results_root, base_service, tmp_path):
    """``pg_ctl restart -m fast`` while 20 senders send 800 attempts to ``results serve``: the service
    answers 503 while the database is away and recovers by itself (no restart of the service); the
    final count is exact."""
    address = postgres.create_database().render_as_string(hide_password=False)
    tally = fault_under_load(
        results_root, address, base_service, tmp_path / "serve.log", lambda *_: postgres.restart(), seed=51
    )
    assert tally.replies[503] > 0  # said while the database was away


# -- a slow database ----------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_slow_sqlite(http_server, database, base_service, monkeypatch):
    """Another program holds SQLite's write lock longer than the service's busy timeout (cut to 1 s
    here): the records waiting for it are refused with 503, never accepted; stored = confirmed
    exactly; the senders' retries after the lock is gone bring in the rest."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 1000)
    impatient = open_engine(database.url)
    client = serve(http_server, base_service, impatient)
    sent = make_attempts(base_service, 30, seed=61)
    blocker = sqlite3.connect(make_url(str(database.url)).database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the write lock, held
    try:
        first = Load([url_of(client)], sent, senders=20, retry=False, timeout=120).start()
        wait_for(lambda: first.tally.replies[503] >= 20, "the 20 waiting records to be refused")
        blocker.rollback()
        tally = first.join()
        assert all(status == "503" for status in tally.last.values())
        assert stored_ids(database) == set(tally.confirmed)  # nothing accepted that is not stored, nor the reverse
        rest = [a for a in sent if a.id not in tally.confirmed]
        again = Load([url_of(client)], rest, senders=20).run()
        assert set(again.confirmed) == {a.id for a in rest} and again.duplicates == 0
        assert_all_stored_once(database, base_service, sent, Tally(confirmed={**tally.confirmed, **again.confirmed}))
    finally:
        blocker.close()
        http_server[0].app = None
        impatient.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_slow_postgresql(http_server, database, base_service):
    """A lock (ACCESS EXCLUSIVE, held by another session) stalls every query on the attempts table, and
    the senders give up waiting (a 1-second timeout): no record is accepted that is not stored; once
    the lock is gone, the records whose answer was lost are stored once and their retries answered
    "duplicate"; the count equals the confirmed attempt ids."""
    client = serve(http_server, base_service, database)
    sent = make_attempts(base_service, 30, seed=62)
    blocker = psycopg.connect(database.url.set(drivername="postgresql").render_as_string(False))
    blocker.execute("LOCK TABLE attempts IN ACCESS EXCLUSIVE MODE")
    try:
        first = Load([url_of(client)], sent, senders=20, retry=False, timeout=1).start()
        wait_for(lambda: first.tally.replies["network"] >= 20, "the senders to give up on 20 records")
    finally:
        blocker.rollback()
        blocker.close()
    tally = first.join()
    wait_for(lambda: not _queries_running(database), "the stalled queries to finish")
    stored = stored_ids(database)
    assert set(tally.confirmed) <= stored  # never accepted without storing
    unanswered = {a for a, last in tally.last.items() if last == "network"}
    assert stored - set(tally.confirmed) <= unanswered
    again = Load([url_of(client)], [a for a in sent if a.id not in tally.confirmed], senders=20).run()
    assert again.duplicates >= len(stored - set(tally.confirmed))  # more, if one was stored after the look
    assert_all_stored_once(database, base_service, sent, Tally(confirmed={**tally.confirmed, **again.confirmed}))


def _queries_running(engine: Engine) -> bool:
    """Whether another session of this database is still running a statement."""
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()"
                )
            ).scalar()
        )
