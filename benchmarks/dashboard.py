"""The staff dashboard at 200,000 attempts (make bench-dashboard; issue 15): "with 200,000 attempts in
SQLite and in PostgreSQL, the overview and a quiz report answer in under a second on this machine".

A campaign's worth of attempts is made up and stored straight into each database, then the pages are
timed over HTTP from a running ``results serve``:

- the project is the test project (tests/fixtures/project: three quizzes, a campaign from 1 to 30 June
  2030, names optional, public summary on) with a units.yaml of twelve units of very uneven size, from
  a chemical plant with 30 % of the attempts down to a grain depot with 1 %;
- a worker is a device of one unit with a language (mostly zh), a name a third of the time, and an
  ability; the chance of answering a question right follows from the ability and the question's
  difficulty (a two-parameter logistic model), so that facility and discrimination look like a real
  campaign's: most questions easy, two hard, and one (``training`` of rights-duties) whose key
  disagrees with what the best workers answer: low facility and negative discrimination, the "wrong
  key" pattern the quiz report flags;
- the attempts are spread over the 30 days (launch day and the consultation day busiest, weekends
  quiet, working hours), half of them at fire-safety; two in five come from a worker seen before;
- every attempt is scored by ``generator.scoring.score_attempt`` and stored as ``results serve``
  stores it (app.py's row, store.py's day, size and right, ``response_rows``), but with executemany in
  batches of a few thousand, one transaction each, rather than 200,000 requests: the load benchmark
  (make bench-results) measures the writes, this one the reads.

Then one ``results serve`` process (the real CLI) serves the database; an admin account (a cheap argon2
hash, added with ``add_user``) logs in through the form with its CSRF token, and each page is fetched
once to warm up, then ``--runs`` times; the table gives the median and the slowest, with the time to
fill.  Beside it, each page's time in the database: the queries it makes (seen by serving it once
more from this process), each run again on its own.  PostgreSQL is a throwaway server from Debian's
package (tests/results/conftest.py), VACUUM ANALYZEd after the fill as its autovacuum soon would be;
SQLite is left as the service leaves it (it never runs ANALYZE).  Exit code 1 when a page answers
anything but 200 or takes over a second (median).

``--explain`` prints the slowest queries of each page with their plans (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import Engine, event, func, select, text  # noqa: E402

from generator.model import Question, QuestionType, Quiz  # noqa: E402
from generator.results.service import Service, load_service  # noqa: E402
from generator.results.store import (  # noqa: E402
    DAY_ZONE,
    _counted,
    add_user,
    attempts,
    database_url,
    migrate,
    open_engine,
    response_rows,
    responses,
)
from generator.scoring import score_attempt  # noqa: E402
from generator.settings import read_settings  # noqa: E402
from tests.results.conftest import free_port, throwaway_postgres, write_results_project  # noqa: E402
from tests.results.load import ServiceProcess  # noqa: E402

REPORT = ROOT / "build" / "bench" / "dashboard.md"
LIMIT = 1.0
"""Seconds: the issue's bound for a page."""
BATCH = 4000
"""Attempts stored per transaction while filling."""
USERNAME, PASSWORD = "bench-admin", "a password for the benchmark only"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

UNITS = (
    # code, zh, en, headcount, share of the attempts
    ("plant", "测试化工厂", "Test Chemical Plant", 300, 30.0),
    ("mine", "测试煤矿", "Test Coal Mine", 2400, 18.0),
    ("build", "测试建筑公司", "Test Construction Company", 1500, 12.0),
    ("town-1", "测试一镇", "Test Town One", None, 9.0),
    ("power", "测试供电公司", "Test Power Supply Company", 900, 8.0),
    ("transport", "测试运输公司", "Test Transport Company", 700, 6.0),
    ("hospital", "测试县医院", "Test County Hospital", 600, 5.0),
    ("school", "测试一中", "Test No. 1 Middle School", 400, 4.0),
    ("town-2", "测试二镇", "Test Town Two", None, 3.0),
    ("water", "测试自来水公司", "Test Waterworks", 200, 2.5),
    ("yjj", "测试县应急管理局", "Test County Emergency Management Bureau", 40, 1.5),
    ("grain", "测试粮库", "Test Grain Depot", 60, 1.0),
)
QUIZ_SHARE = {"fire-safety": 0.5, "principles": 0.3, "rights-duties": 0.2}
HARD = {"controls": 1.8, "ppe": 1.6}
"""Difficulty (the ability at which half get it right) of the hard questions; the others' is drawn
between -2.2 and -0.6 (two in three to nineteen in twenty right)."""
WRONG_KEY = ("training", "B")
"""The question whose key is wrong, and the answer the workers who know it give."""
LEFT_OPEN = 0.02
RETURNING = 0.4
"""The share of attempts by a worker seen before (a retake, or another quiz)."""
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国")


def units_yaml() -> str:
    lines = ["units:"]
    for code, zh, en, headcount, _ in UNITS:
        lines += [f"  - code: {code}", f"    name: {{zh: {zh}, en: {en}}}"]
        if headcount is not None:
            lines.append(f"    headcount: {headcount}")
    return "\n".join(lines) + "\n"


# -- the campaign --------------------------------------------------------------------------------


@dataclass
class Worker:
    device: uuid.UUID
    unit: str
    lang: str
    name: str | None
    ability: float


@dataclass
class Campaign:
    """Made-up attempts at ``service``'s quizzes, drawn from ``seed``: ``rows(n)`` the next n."""

    service: Service
    seed: int
    rng: random.Random = field(init=False)
    workers: dict[str, list[Worker]] = field(init=False)
    difficulty: dict[str, float] = field(init=False)
    days: list[date] = field(init=False)
    day_weights: list[float] = field(init=False)
    made: Counter = field(default_factory=Counter)
    """Attempts made per unit, quiz and ("name", surname)."""

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.workers = {code: [] for code in self.service.units}
        self.difficulty = {
            question.id: HARD.get(question.id, self.rng.uniform(-2.2, -0.6))
            for quiz in self.service.bank
            for question in quiz.questions
        }
        campaign = self.service.campaign
        assert campaign is not None, "the test project has a campaign"
        self.days = [campaign.start + timedelta(days=n) for n in range((campaign.end - campaign.start).days + 1)]
        busy = {activity.date: 3.0 for activity in campaign.activities}
        self.day_weights = [
            busy.get(day, 1.0) * (0.3 if day.weekday() >= 5 else 1.0) * (1 - 0.5 * n / len(self.days))
            for n, day in enumerate(self.days)
        ]

    def worker(self, unit: str) -> Worker:
        known = self.workers[unit]
        if known and self.rng.random() < RETURNING:
            return self.rng.choice(known)
        rng = self.rng
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) if rng.random() < 0.33 else None
        made = Worker(
            uuid.UUID(int=rng.getrandbits(128), version=4),
            unit,
            "zh" if rng.random() < 0.85 else "en",
            name,
            rng.gauss(0.0, 1.0),
        )
        known.append(made)
        return made

    def answer(self, question: Question, ability: float) -> list:
        rng = self.rng
        if rng.random() < LEFT_OPEN:
            return []
        knows = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - self.difficulty[question.id])))
        if question.type is QuestionType.TRUE_FALSE:
            truth = "true" in question.answer
            return [truth if knows else rng.random() < 0.5]
        key = [letter for letter in question.choices if letter in question.answer]
        if question.id == WRONG_KEY[0]:
            # The best workers give what the rules really say; the others guess.
            return [WRONG_KEY[1]] if knows else [rng.choice(question.choices)]
        if knows:
            return key
        wrong = [letter for letter in question.choices if letter not in question.answer]
        if question.type is QuestionType.SINGLE:
            # One distractor draws most of the wrong answers, as a plausible one does.
            return [wrong[0] if rng.random() < 0.7 or len(wrong) == 1 else rng.choice(wrong[1:])]
        chosen = set(key)
        if len(chosen) > 1 and rng.random() < 0.6:
            chosen.discard(rng.choice(key))  # one right option missed
        if wrong and (rng.random() < 0.5 or chosen == set(key)):
            chosen.add(rng.choice(wrong))  # one wrong option ticked
        return [letter for letter in question.choices if letter in chosen]

    def moment(self) -> datetime:
        day = self.rng.choices(self.days, self.day_weights)[0]
        hour = self.rng.choices(range(7, 22), (1, 4, 6, 6, 5, 2, 2, 5, 6, 6, 3, 1, 2, 2, 1))[0]
        local = datetime(day.year, day.month, day.day, hour, tzinfo=DAY_ZONE)
        return (local + timedelta(seconds=self.rng.randrange(3600))).astimezone(UTC)

    def rows(self, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``count`` attempts as store_attempt writes them, and their responses."""
        rng = self.rng
        codes = list(self.service.units)
        shares = [share for *_, share in UNITS]
        quizzes: list[Quiz] = [self.service.bank[quiz_id] for quiz_id in QUIZ_SHARE]
        made, answered = [], []
        for _ in range(count):
            worker = self.worker(rng.choices(codes, shares)[0])
            quiz = rng.choices(quizzes, list(QUIZ_SHARE.values()))[0]
            drawn = rng.sample(quiz.questions, quiz.attempt_size)
            scored = score_attempt(quiz, {q.id: self.answer(q, worker.ability) for q in drawn})
            received = self.moment()
            finished = received - timedelta(seconds=rng.randint(0, 20))
            row = {  # as app.py's post_attempt makes it
                "attempt": uuid.UUID(int=rng.getrandbits(128), version=4),
                "device": worker.device,
                "quiz": quiz.id,
                "version": self.service.versions[quiz.id],
                "lang": worker.lang,
                "unit": worker.unit,
                "name": worker.name,
                "answers": scored.answers,
                "started": finished - timedelta(seconds=rng.randint(60, 900)),
                "finished": finished,
                "received": received,
                "page_score": scored.score,
                "score": scored.score,
                "passed": scored.passed,
            }
            row = {**row, **_counted(row["received"], scored)}  # as store_attempt adds them
            made.append(row)
            answered += response_rows(row, scored)
            self.made[worker.unit] += 1
            self.made[quiz.id] += 1
            if worker.name:
                self.made["name", worker.name[0]] += 1
        return made, answered


def fill(engine: Engine, service: Service, count: int, seed: int, label: str) -> tuple[Campaign, float]:
    """Store ``count`` made-up attempts; the campaign and the seconds it took (making them included)."""
    campaign = Campaign(service, seed)
    began = time.perf_counter()
    done = 0
    while done < count:
        rows, made = campaign.rows(min(BATCH, count - done))
        with engine.begin() as connection:
            connection.execute(attempts.insert(), rows)
            connection.execute(responses.insert(), made)
        done += len(rows)
        if done % (10 * BATCH) == 0 or done == count:
            print(f"  {label}: {done:,} attempts stored, {time.perf_counter() - began:.0f} s", flush=True)
    return campaign, time.perf_counter() - began


# -- the pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    shows: str
    """Text the reply must hold (or its content type, for the workbook)."""


def pages(campaign: Campaign) -> list[Page]:
    made = campaign.made
    quiz = max(QUIZ_SHARE, key=lambda quiz_id: made[quiz_id])
    biggest = max(campaign.service.units, key=lambda code: made[code])
    smallest = min(campaign.service.units, key=lambda code: made[code])
    week = campaign.days[7], campaign.days[13]
    return [
        Page("overview, no filter", "/admin/", "units-participants"),
        Page(
            f"overview, one week ({week[0]:%m-%d} to {week[1]:%m-%d})",
            f"/admin/?since={week[0]}&until={week[1]}",
            "units-participants",
        ),
        Page(f"quiz report ({quiz}, {made[quiz]:,} attempts)", f"/admin/quizzes/{quiz}", 'id="histogram"'),
        Page(f"unit ({biggest}, {made[biggest]:,} attempts)", f"/admin/units/{biggest}", "per-day"),
        Page(
            f"unit, one week ({smallest}, {made[smallest]:,} attempts in all)",
            f"/admin/units/{smallest}?since={week[0]}&until={week[1]}",
            "per-day",
        ),
        Page(f"attempts named 张 ({made['name', '张']:,})", "/admin/attempts?q=%E5%BC%A0", "张"),
        Page("printable summary (zh)", "/admin/summary?in=zh", "units-participants"),
        Page(
            f"export.xlsx ({smallest}, {made[smallest]:,} attempts)",
            f"/admin/export.xlsx?unit={smallest}",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Page("public summary (JSON)", "/api/v1/public/summary", '"participants"'),
    ]


def log_in(client: httpx.Client) -> None:
    """Log in through the form, as a browser does: the login page's CSRF token, then the POST."""
    form = client.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert form.status_code == 200 and token, (form.status_code, form.text[:500])
    done = client.post("/admin/login", data={"username": USERNAME, "password": PASSWORD, "csrf": token.group(1)})
    assert done.status_code == 303 and "session" in client.cookies, (done.status_code, done.text[:500])


def fetch(client: httpx.Client, page: Page) -> tuple[float, int]:
    """Seconds from the request to the reply's last byte, and its status (200 only with what it shows)."""
    began = time.perf_counter()
    reply = client.get(page.path)
    seconds = time.perf_counter() - began
    if reply.status_code == 200 and page.shows not in reply.headers.get("content-type", "") + reply.text:
        raise RuntimeError(f"{page.path}: 200 without {page.shows!r}:\n{reply.text[:1000]}")
    return seconds, reply.status_code


@dataclass
class Timing:
    seconds: list[float]
    status: int
    """The status of the last fetch: anything but 200 is shown in the table."""
    first: float
    """The warm-up fetch."""
    database: float | None = None
    """Seconds in the page's queries, run again on their own (``in_database``)."""
    queries: int = 0


def measure(client: httpx.Client, chosen: list[Page], runs: int, label: str) -> dict[str, Timing]:
    timed = {}
    for page in chosen:
        first, _ = fetch(client, page)  # warm-up: the database's and the system's caches, Jinja2's templates
        fetched = [fetch(client, page) for _ in range(runs)]
        timed[page.path] = Timing([seconds for seconds, _ in fetched], fetched[-1][1], first)
        median = statistics.median(timed[page.path].seconds)
        print(
            f"  {label}: {page.label}: first {first:.3f} s, median {median:.3f} s, status {fetched[-1][1]}", flush=True
        )
    return timed


def served(root: Path, db: str, folder: Path, chosen: list[Page], runs: int, label: str) -> dict[str, Timing]:
    """The pages timed from a ``results serve`` process on ``db``."""
    process = ServiceProcess(root, db, free_port(), folder / f"{label}-serve.log").start(wait=300)
    try:
        with httpx.Client(base_url=process.url, timeout=120, follow_redirects=False) as client:
            log_in(client)
            return measure(client, chosen, runs, label)
    finally:
        process.stop()


def in_database(engine: Engine, service: Service, chosen: list[Page], runs: int, plans: bool) -> dict[str, Any]:
    """The time each page spends in the database: the page served once from this process (uvicorn in a
    thread) to see which queries of attempts and responses it makes, then each query run again on its
    own, its rows fetched, ``runs`` times.  (Timing the page's own cursors would miss most of the work:
    SQLite computes the groups of a GROUP BY as their rows are fetched, and the export reads through a
    server-side cursor on PostgreSQL.)  With ``plans``, the slowest queries are printed with their
    plans.  Per path: (seconds, the median of the runs; number of queries)."""
    import socket
    import threading

    import uvicorn

    from generator.results.app import create_app

    seen: list[tuple[str, Any]] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        if "FROM attempts" in statement or "FROM responses" in statement:
            seen.append((statement, parameters))

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(service, engine), lifespan="off", access_log=False, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    made: dict[str, list[tuple[str, Any]]] = {}
    event.listen(engine, "before_cursor_execute", record)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=120) as client:
            log_in(client)
            for page in chosen:
                seen.clear()
                fetch(client, page)  # the first: the public summary is counted then, and kept a minute
                made[page.path] = list(seen)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        server.should_exit = True
        thread.join(timeout=10)
    found = {}
    for page in chosen:
        queries = made[page.path]
        timed = [[rerun(engine, statement, parameters) for statement, parameters in queries] for _ in range(runs)]
        found[page.path] = (statistics.median(sum(seconds) for seconds in timed), len(queries))
        if plans:
            each = [statistics.median(seconds) for seconds in zip(*timed, strict=True)]
            print_plans(engine, page, [(*query, seconds) for query, seconds in zip(queries, each, strict=True)])
    return found


def rerun(engine: Engine, statement: str, parameters: Any) -> float:
    with engine.connect() as connection:
        began = time.perf_counter()
        connection.exec_driver_sql(statement, parameters).all()
        return time.perf_counter() - began


def print_plans(engine: Engine, page: Page, queries: list[tuple[str, Any, float]], most: int = 6) -> None:
    total = sum(query[2] for query in queries)
    print(f"\n### {page.label}: {len(queries)} queries, {total:.3f} s in the database")
    postgres = engine.dialect.name == "postgresql"
    for statement, parameters, seconds in sorted(queries, key=lambda query: -query[2])[:most]:
        print(f"\n{seconds:.3f} s  {' '.join(statement.split())}\n  parameters {parameters}")
        with engine.connect() as connection:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
            plan = connection.exec_driver_sql(prefix + statement, parameters).all()
        for line in plan:
            print("  " + (line[0] if postgres else f"{line[1]:>3} {line[3]}"))


# -- the runs ------------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    fill_seconds: float
    timed: dict[str, Timing]
    stored: int
    answered: int


def prepare(engine: Engine, service: Service, args, label: str) -> tuple[Campaign, float, int, int]:
    migrate(engine)
    add_user(engine, USERNAME, "admin", None, CHEAP.hash(PASSWORD))
    campaign, seconds = fill(engine, service, args.attempts, args.seed, label)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(attempts)).scalar_one()
        answered = connection.execute(select(func.count()).select_from(responses)).scalar_one()
    return campaign, seconds, stored, answered


def timed_run(label: str, engine: Engine, db: str, args, root: Path, service: Service, folder: Path, fill_data):
    """The pages over HTTP from ``results serve`` on ``db``, then their time in the database."""
    campaign, seconds, stored, answered = fill_data
    chosen = pages(campaign)
    engine.dispose()  # SQLite: the last connection closed checkpoints the WAL: the database at rest
    timed = served(root, db, folder, chosen, args.runs, label)
    print(f"  {label}: the pages' queries, timed in this process", flush=True)
    for path, (database, queries) in in_database(engine, service, chosen, 3, args.explain).items():
        timed[path].database, timed[path].queries = database, queries
    return Run(label, seconds, timed, stored, answered), chosen


def sqlite_run(args, root: Path, service: Service, folder: Path) -> tuple[Run, list[Page]]:
    db = f"sqlite:///{folder / 'results.db'}"
    engine = open_engine(database_url(db, root))
    try:
        filled = prepare(engine, service, args, "SQLite")
        return timed_run("SQLite", engine, db, args, root, service, folder, filled)
    finally:
        engine.dispose()


def postgresql_run(args, root: Path, service: Service, folder: Path) -> tuple[Run, list[Page]]:
    with throwaway_postgres() as postgres:
        url = postgres.create_database()
        engine = open_engine(url)
        try:
            filled = prepare(engine, service, args, "PostgreSQL")
            began = time.perf_counter()
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("SET statement_timeout = 0"))
                connection.execute(text("VACUUM ANALYZE"))
            print(f"  PostgreSQL: VACUUM ANALYZE {time.perf_counter() - began:.0f} s", flush=True)
            db = url.render_as_string(hide_password=False)
            return timed_run("PostgreSQL", engine, db, args, root, service, folder, filled)
        finally:
            engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5, help="timed fetches of each page, after one warm-up")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--explain", action="store_true", help="also print the slowest queries and their plans")
    args = parser.parse_args()

    began, load = time.perf_counter(), os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    try:
        root = write_results_project(folder / "project")
        (root / "units.yaml").write_text(units_yaml(), encoding="utf-8")
        settings, problems = read_settings(root / "mkdocs.yml")
        assert settings is not None, problems
        service, problems = load_service(settings)
        assert service is not None, problems
        runs, chosen = [], []
        for backend, run in (("sqlite", sqlite_run), ("postgresql", postgresql_run)):
            if args.only in (None, backend):
                print(f"{backend}: filling {args.attempts:,} attempts", flush=True)
                done, chosen = run(args, root, service, folder)
                runs.append(done)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = table(args, runs, chosen, time.perf_counter() - began, (load, os.getloadavg()[0]))
    print("\n" + report)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(f"written to {REPORT.relative_to(ROOT)}")
    failed = [
        f"{run.name} {path}: {'status ' + str(timing.status) if timing.status != 200 else 'over 1 s'}"
        for run in runs
        for path, timing in run.timed.items()
        if timing.status != 200 or statistics.median(timing.seconds) > LIMIT
    ]
    for line in failed:
        print(line, file=sys.stderr)
    return 1 if failed else 0


def table(args, runs: list[Run], chosen: list[Page], seconds: float, load: tuple[float, float]) -> str:
    def cells(timing: Timing) -> str:
        median = statistics.median(timing.seconds)
        shown = f"{median * 1000:,.0f} / {max(timing.seconds) * 1000:,.0f} ({timing.first * 1000:,.0f})"
        if median > LIMIT:
            shown += " **over 1 s**"
        if timing.status != 200:
            shown += f" **status {timing.status}**"
        database = "–" if timing.database is None else f"{timing.database * 1000:,.0f} ({timing.queries})"
        return f"{shown} | {database}"

    lines = [
        "# Staff dashboard at scale",
        "",
        f"{args.attempts:,} made-up attempts (seed {args.seed}) at the test project's three quizzes, from twelve "
        "units of uneven size over the 30 days of the campaign, mostly in Chinese, scored by generator.scoring and "
        "stored as results serve stores them, in batches (executemany, one transaction each) rather than by "
        "requests; then each page fetched over HTTP from one `results serve` process, logged in as an admin: one "
        f"warm-up, then {args.runs} timed fetches, from the request to the reply's last byte.",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}; load average {load[0]:.1f} at the start, {load[1]:.1f} at the "
        "end (other work shares the cores). Command: `make bench-dashboard` "
        f"(`.venv/bin/python benchmarks/dashboard.py --attempts {args.attempts} --runs {args.runs}`); "
        f"whole run {seconds / 60:.1f} min.",
        "",
        "| page | address | "
        + " | ".join(f"{run.name}: median / max (first) ms | {run.name}: in the database ms (queries)" for run in runs)
        + " |",
        "| --- | --- | " + " | ".join("--- | ---" for _ in runs) + " |",
    ]
    for page in chosen:
        lines.append(
            f"| {page.label} | `{page.path}` | " + " | ".join(cells(run.timed[page.path]) for run in runs) + " |"
        )
    lines += [
        "| *filling the database* | | "
        + " | ".join(f"{run.fill_seconds:.0f} s | {run.stored:,} attempts, {run.answered:,} responses" for run in runs)
        + " |",
        "",
        "first: the warm-up fetch (the public summary is counted then: the service keeps its counts for a "
        "minute). In the database: the queries of attempts and responses that the page makes (seen by serving "
        "it once more from the benchmark's own process), each run again on its own with its rows fetched; the "
        "median of three runs of them all. The rest of a page's time is Python (the page, the workbook) and "
        "HTTP; the load of the machine may differ between the passes. "
        "PostgreSQL: a throwaway server of Debian's package with its default settings (fsync off, which only "
        "matters for writes), VACUUM ANALYZE after the fill. SQLite: WAL, as the service opens it; no ANALYZE.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
