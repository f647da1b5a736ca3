"""The results service under load (make bench-results; issue 14, "Reliability, measured").

20,000 valid attempts at the test project's quizzes (tests/fixtures/project with the test units.yaml
and a results block: random quiz, draw, unit, language and device, about 30 % of the questions
answered wrong or left open, a name now and then) are sent by 200 concurrent senders on 127.0.0.1:

1. to one ``results serve`` process on SQLite (WAL, synchronous=FULL: the defaults);
2. to two ``results serve`` processes on one PostgreSQL server (a throwaway one from Debian's package,
   with fsync on, like SQLite's commits), on two ports: the client sends each try to the next port
   (round robin), as a load balancer would.

A sender retries an attempt with the same attempt id after a network error, and after 429 or 503
once Retry-After has passed, until the service confirms it (201 accepted, 200 duplicate).  All
senders share one address on 127.0.0.1, which the rate limit per address would rightly slow to 10 a
second; so the service runs with ``--proxy 127.0.0.1`` and each attempt carries an X-Forwarded-For
address out of 50, as a site behind nginx sees 50 workplaces.

The client is an asyncio program on httpx (reasons in tests/results/load.py, shared with the fault
tests).  Afterwards the database is read directly: the count must be exactly the attempts sent, with
no attempt id twice, and every stored score must equal ``generator.scoring.score_attempt`` on the
stored answers (and the sender's own count of its right answers).  Each run is bounded by
``--time-limit`` seconds; what was confirmed by then is reported with its rate.

The client, the service processes and PostgreSQL share this machine's cores: the table gives the CPU
seconds of the client and of the service processes, to show where the time went.  Exit code 1 when a
check fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.results.service import Service, load_service  # noqa: E402
from generator.results.store import database_url, open_engine  # noqa: E402
from generator.settings import read_settings  # noqa: E402
from tests.results.conftest import free_port, throwaway_postgres, write_results_project  # noqa: E402
from tests.results.load import Load, ServiceProcess, Tally, check_stored, make_attempts, percentile  # noqa: E402

REPORT = ROOT / "build" / "bench" / "results-load.md"


@dataclass
class Run:
    name: str
    tally: Tally
    sent: int
    stored: int
    distinct: int
    lost: int
    unknown: int
    mismatches: int
    integrity: str
    client_cpu: float
    service_cpu: float

    @property
    def ok(self) -> bool:
        return (
            self.stored == self.distinct == len(self.tally.confirmed) == self.sent
            and not (self.lost or self.unknown or self.mismatches or self.tally.problems)
            and self.integrity in ("ok", "n/a")
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20_000)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--addresses", type=int, default=50, help="X-Forwarded-For addresses the attempts come from")
    parser.add_argument("--time-limit", type=float, default=240, help="seconds for each run at most")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="results-load-"))
    root = write_results_project(folder / "project")
    settings, problems = read_settings(root / "mkdocs.yml")
    assert settings is not None, problems
    service, problems = load_service(settings)
    assert service is not None, problems
    runs = []
    if args.only in (None, "sqlite"):
        runs.append(sqlite_run(args, root, service, folder))
    if args.only in (None, "postgresql"):
        runs.append(postgresql_run(args, root, service, folder))
    report = table(args, runs)
    print(report)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(f"\nwritten to {REPORT.relative_to(ROOT)}")
    for run in runs:
        if run.tally.network:
            print(f"{run.name}: network errors {dict(run.tally.network)}", file=sys.stderr)
        for problem in run.tally.problems[:10]:
            print(f"{run.name}: {problem}", file=sys.stderr)
    if all(run.ok for run in runs):
        shutil.rmtree(folder)
        return 0
    print(f"a check failed: the databases and the services' logs are kept in {folder}", file=sys.stderr)
    return 1


def sqlite_run(args, root: Path, service: Service, folder: Path) -> Run:
    db = f"sqlite:///{folder / 'results.db'}"
    processes = [ServiceProcess(root, db, free_port(), folder / "sqlite-serve.log").start()]
    run = load("SQLite, 1 process", args, root, service, processes, db, seed=1)
    with sqlite3.connect(folder / "results.db") as connection:
        run.integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return run


def postgresql_run(args, root: Path, service: Service, folder: Path) -> Run:
    with throwaway_postgres(durable=True) as postgres:
        db = postgres.create_database().render_as_string(hide_password=False)
        processes = [
            ServiceProcess(root, db, free_port(), folder / f"postgresql-serve-{n}.log").start() for n in (1, 2)
        ]
        return load("PostgreSQL, 2 processes", args, root, service, processes, db, seed=2)


def load(name: str, args, root: Path, service: Service, processes: list[ServiceProcess], db: str, seed: int) -> Run:
    """Send the attempts to ``processes``, stop them, and check what ``db`` holds."""
    sent = make_attempts(service, args.attempts, seed=seed)
    before = _cpu_self()
    try:
        tally = Load([p.url for p in processes], sent, args.senders, args.addresses, time_limit=args.time_limit).run()
        client_cpu = _cpu_self() - before
        service_cpu = sum(_cpu_of(p.process.pid) for p in processes)
    finally:
        for process in processes:
            process.stop()
    engine = open_engine(database_url(db, root))
    try:
        check = check_stored(engine, service, sent, set(tally.confirmed))
    finally:
        engine.dispose()
    return Run(
        name,
        tally,
        len(sent),
        check.stored,
        check.distinct,
        len(check.lost),
        len(check.unknown),
        len(check.score_mismatches),
        "n/a",
        client_cpu,
        service_cpu,
    )


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(args, runs: list[Run]) -> str:
    lines = [
        "# Results service under load",
        "",
        f"{args.attempts:,} attempts, {args.senders} concurrent senders on 127.0.0.1, X-Forwarded-For spread over "
        f"{args.addresses} addresses (service started with --proxy 127.0.0.1); retries with the same attempt id "
        "after network errors, 429 and 503 (Retry-After honoured). PostgreSQL: 2 service processes on two ports, "
        f"tries sent round robin; fsync on. Each run stops after {args.time_limit:.0f} s at most.",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}. Command: `make bench-results` "
        f"(`.venv/bin/python benchmarks/results_load.py --attempts {args.attempts} --senders {args.senders} "
        f"--addresses {args.addresses}`).",
        "",
        "| run | confirmed / sent | stored (distinct ids) | time | accepted/s | latency p50 / p95 / p99 "
        "| duplicates seen | 429 / 503 / network | re-score mismatches | lost / unknown | integrity "
        "| CPU s client / service | checks |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        tally = run.tally
        rate = len(tally.confirmed) / tally.seconds if tally.seconds else 0
        ms = [percentile(tally.latencies, share) * 1000 for share in (0.5, 0.95, 0.99)]
        lines.append(
            f"| {run.name} | {len(tally.confirmed):,} / {run.sent:,} | {run.stored:,} ({run.distinct:,}) "
            f"| {tally.seconds:.1f} s | {rate:,.0f} | {ms[0]:.0f} / {ms[1]:.0f} / {ms[2]:.0f} ms "
            f"| {tally.duplicates} | {tally.replies[429]} / {tally.replies[503]} / {tally.replies['network']} "
            f"| {run.mismatches} | {run.lost} / {run.unknown} | {run.integrity} "
            f"| {run.client_cpu:.0f} / {run.service_cpu:.0f} | {'pass' if run.ok else 'FAIL'} |"
        )
    lines += [
        "",
        "accepted/s: attempts confirmed (201 or 200) per second of the run; latency: one request to its 201/200 "
        "answer, as the sender saw it (queueing in the client included); duplicates seen: 200 answers (an attempt "
        "stored before, whose first answer was lost); checks: stored = distinct ids = confirmed = sent, no "
        "answer out of DESIGN §11.1, every stored score equal to generator.scoring on the stored answers and to "
        "the sender's own count. The client, the service processes and PostgreSQL share the machine's cores "
        "(PostgreSQL's own CPU is not in the table): a service process near one CPU second a second is as busy as "
        "it can be (one Python process), and the latency is mostly waiting in line: with every sender always "
        "waiting for an answer, p50 is about senders ÷ accepted/s (Little's law).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
