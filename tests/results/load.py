"""Load as a crowd of phones makes it, for the fault tests (test_faults.py) and the load benchmark
(benchmarks/results_load.py): valid attempts at the test project's quizzes, sent at once by many
senders to a running service and retried as results.js retries them (the same attempt id again, after
a network error, and after 429 or 503 once Retry-After has passed) until the service confirms each;
then what the database holds, checked against what was sent and re-scored by ``generator.scoring``.

An asyncio client on httpx rather than Locust: the question is what the database keeps, not how many
simulated users a page stands, so one process must keep every attempt id, every reply and every
latency for the checks afterwards (Locust keeps its own statistics per request name, and needs
several processes for several cores).  httpx is pure Python on h11, which uvicorn already brings,
and adds one small package to the test requirements.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select

from generator.model import Question, QuestionType, Quiz
from generator.results.service import Service
from generator.results.store import attempts as attempts_table
from generator.scoring import Refused, score_attempt

ATTEMPTS_PATH = "/api/v1/attempts"
CHINA = timezone(timedelta(hours=8))
NAMES = ["王芳", "李强", "张伟", "刘洋", "陈静", "Zhou Min", "Wang Lei", "赵丽", "黄磊", "周杰"]


# -- attempts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One record as a page sends it, with the score the sender expects from its own choices."""

    id: str
    body: bytes
    quiz: str
    score: int
    passed: bool


def make_attempts(service: Service, count: int, seed: int = 14, wrong_share: float = 0.3) -> list[Attempt]:
    """``count`` valid records for ``service``'s quizzes and units: a random quiz, draw, unit, language
    and device (about five attempts a device), a name now and then where names are asked, and each
    question answered wrong (or left open) with the chance ``wrong_share``."""
    rng = random.Random(seed)
    quizzes = list(service.bank)
    units = list(service.units)
    devices = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(max(1, count // 5))]
    now = datetime.now(UTC)
    made = []
    for _ in range(count):
        quiz = rng.choice(quizzes)
        drawn = rng.sample(quiz.questions, quiz.attempt_size)
        answers, right = {}, 0
        for question in drawn:
            if rng.random() < wrong_share:
                answers[question.id] = _wrong(question, rng)
            else:
                answers[question.id] = _right(question)
                right += 1
        score = math.floor(100 * right / len(drawn) + 0.5)  # quiz.js: Math.round, halves up
        finished = now - timedelta(seconds=rng.randint(0, 600))
        name = (
            rng.choice(NAMES)
            if service.ask_name == "required" or (service.ask_name == "optional" and rng.random() < 0.3)
            else None
        )
        record = {
            "attempt": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "device": rng.choice(devices),
            "quiz": quiz.id,
            "version": service.versions[quiz.id],
            "lang": rng.choice(("zh", "en")),
            "unit": rng.choice(units),
            "name": name,
            "answers": answers,
            "started": (finished - timedelta(seconds=rng.randint(30, 900))).astimezone(CHINA).isoformat(),
            "finished": finished.astimezone(CHINA).isoformat(),
            "score": score,
        }
        body = json.dumps(record, ensure_ascii=False).encode()
        made.append(Attempt(record["attempt"], body, quiz.id, score, score >= quiz.pass_mark))
    return made


def _right(question: Question) -> list:
    if question.type is QuestionType.TRUE_FALSE:
        return ["true" in question.answer]
    return [letter for letter in question.choices if letter in question.answer]


def _wrong(question: Question, rng: random.Random) -> list:
    """A wrong answer, or none at all (a question left open)."""
    if rng.random() < 0.2:
        return []
    if question.type is QuestionType.TRUE_FALSE:
        return ["true" not in question.answer]
    letters = question.choices
    while True:
        size = 1 if question.type is QuestionType.SINGLE else rng.randint(1, len(letters))
        chosen = set(rng.sample(letters, size))
        if chosen != question.answer:
            return [letter for letter in letters if letter in chosen]


# -- sending ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the senders saw; read by the fault tests while a load runs (one writer: the load's thread)."""

    confirmed: dict[str, int] = field(default_factory=dict)
    """attempt id -> 201 or 200, the first confirming answer."""
    last: dict[str, str] = field(default_factory=dict)
    """attempt id -> what its last try got when it is not confirmed: "503", "429", "network"."""
    replies: Counter = field(default_factory=Counter)
    """Answers by status ("network" for no answer: refused connection, reset, timeout)."""
    network: Counter = field(default_factory=Counter)
    """The network errors by kind (httpx's exception names)."""
    latencies: list[float] = field(default_factory=list)
    """Seconds from sending to the answer, for each 201 and 200."""
    problems: list[str] = field(default_factory=list)
    """Answers that break DESIGN §11.1: another status, a body without its fields, a wrong score."""
    started: float = 0.0
    finished: float = 0.0

    @property
    def duplicates(self) -> int:
        return self.replies[200]

    @property
    def seconds(self) -> float:
        return self.finished - self.started


class Load:
    """``senders`` tasks share ``attempts`` and send each until it is confirmed (or once only, without
    ``retry``).  With several ``urls`` (service processes) sender n sends to url n, round robin, and a
    retry goes to the next url, as a load balancer would send it.  Each
    attempt comes from one of ``addresses`` (X-Forwarded-For, believed from a --proxy 127.0.0.1), so
    that the rate limit sees many clients, as it would behind nginx.  ``time_limit`` bounds the run:
    what is not confirmed by then stays unconfirmed."""

    def __init__(
        self,
        urls: list[str],
        attempts: list[Attempt],
        senders: int,
        addresses: int = 50,
        retry: bool = True,
        timeout: float = 30.0,
        time_limit: float = 600.0,
    ) -> None:
        self.urls = [url.rstrip("/") + ATTEMPTS_PATH for url in urls]
        self.attempts = attempts
        self.senders = senders
        self.addresses = [f"198.51.100.{1 + n % 250}" if n < 250 else f"203.0.113.{n - 249}" for n in range(addresses)]
        self.retry = retry
        self.timeout = timeout
        self.time_limit = time_limit
        self.tally = Tally()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> Tally:
        """Send everything (blocking); the tally."""
        asyncio.run(self._run())
        return self.tally

    def start(self) -> Load:
        """Send in a thread of its own; ``join`` waits for the end."""
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def join(self) -> Tally:
        assert self._thread is not None
        self._thread.join(self.time_limit + self.timeout + 30)
        assert not self._thread.is_alive(), "the senders did not stop"
        return self.tally

    def stop(self) -> None:
        self._stop.set()

    async def _run(self) -> None:
        queue: asyncio.Queue[tuple[int, Attempt]] = asyncio.Queue()
        for index, attempt in enumerate(self.attempts):
            queue.put_nowait((index, attempt))
        deadline = time.monotonic() + self.time_limit
        self.tally.started = time.perf_counter()

        tls = ssl.create_default_context()  # made once: httpx makes one per client otherwise (40 ms of CPU)

        async def sender(number: int) -> None:
            # A client (one keep-alive connection) per sender, as each phone has its own: one shared
            # pool of 200 connections costs httpx more CPU than the requests themselves.
            async with httpx.AsyncClient(timeout=self.timeout, verify=tls) as client:
                while not queue.empty():
                    index, attempt = queue.get_nowait()
                    await self._deliver(client, number, index, attempt, deadline)

        await asyncio.gather(*(sender(number) for number in range(self.senders)))
        self.tally.finished = time.perf_counter()

    async def _deliver(
        self, client: httpx.AsyncClient, sender: int, index: int, attempt: Attempt, deadline: float
    ) -> None:
        headers = {
            "Content-Type": "application/json",
            "X-Forwarded-For": self.addresses[index % len(self.addresses)],
        }
        tally = self.tally
        for tries in range(1, 10_000):
            if self._stop.is_set() or time.monotonic() > deadline:
                return
            url = self.urls[(sender + tries - 1) % len(self.urls)]
            begun = time.perf_counter()
            try:
                reply = await client.post(url, content=attempt.body, headers=headers)
            except httpx.TransportError as error:  # refused, reset, cut short, timed out: the outcome is unknown
                tally.replies["network"] += 1
                tally.network[type(error).__name__] += 1
                tally.last[attempt.id] = "network"
                wait = min(2.0, 0.05 * 2**tries) * random.uniform(0.5, 1.0)
            else:
                elapsed = time.perf_counter() - begun
                status = reply.status_code
                tally.replies[status] += 1
                shape = _shape_problem(reply)
                if shape:
                    tally.problems.append(f"{attempt.id}: {shape}")
                if status in (200, 201):
                    tally.latencies.append(elapsed)
                    tally.confirmed.setdefault(attempt.id, status)
                    tally.last.pop(attempt.id, None)
                    if reply.json().get("score") != attempt.score:
                        tally.problems.append(
                            f"{attempt.id}: score {reply.json().get('score')}, expected {attempt.score}"
                        )
                    return
                if status not in (429, 503):
                    tally.problems.append(f"{attempt.id}: {status} {reply.text[:300]}")
                    return
                tally.last[attempt.id] = str(status)
                wait = float(reply.headers.get("Retry-After", "1"))
            if not self.retry:
                return
            await asyncio.sleep(wait)


def _shape_problem(reply: httpx.Response) -> str | None:
    """What is wrong with a reply's shape for DESIGN §11.1, or None."""
    try:
        body = reply.json()
    except ValueError:
        return f"{reply.status_code} is not JSON: {reply.text[:200]!r}"
    status = reply.status_code
    if status in (200, 201):
        expected = {"status": "accepted" if status == 201 else "duplicate"}
        if body.get("status") != expected["status"] or not isinstance(body.get("score"), int):
            return f"{status} {body}"
        return None
    if status in (429, 503):
        if not reply.headers.get("Retry-After", "").isdigit():
            return f"{status} without Retry-After"
        if body.get("status") not in ("busy", "unavailable") or not _bilingual(body.get("message")):
            return f"{status} {body}"
        return None
    return None


def _bilingual(message: Any) -> bool:
    return isinstance(message, dict) and set(message) == {"zh", "en"} and all(message.values())


# -- the stored records --------------------------------------------------------------------------


@dataclass
class StoredCheck:
    """What the database holds after a load, against what was sent."""

    stored: int
    distinct: int
    unknown: list[str]
    """Stored attempt ids that no sender sent."""
    lost: list[str]
    """Confirmed (201/200) attempt ids that are not stored."""
    score_mismatches: list[str]
    """Stored rows whose score or pass differs from ``generator.scoring`` on the stored answers, or
    from the sender's own count."""


def check_stored(engine: Engine, service: Service, sent: list[Attempt], confirmed: set[str]) -> StoredCheck:
    """Read every stored attempt back and re-score its stored answers with ``generator.scoring``
    directly (not through the service)."""
    columns = attempts_table.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(columns.attempt, columns.quiz, columns.answers, columns.score, columns.passed, columns.page_score)
        ).all()
    by_id = {attempt.id: attempt for attempt in sent}
    ids = [str(row.attempt) for row in rows]
    mismatches = []
    for row, attempt_id in zip(rows, ids, strict=True):
        quiz: Quiz = service.bank[row.quiz]
        try:
            again = score_attempt(quiz, row.answers)
        except Refused as refused:
            mismatches.append(f"{attempt_id}: stored answers refused: {refused}")
            continue
        expected = by_id.get(attempt_id)
        if (row.score, row.passed) != (again.score, again.passed):
            mismatches.append(f"{attempt_id}: stored {row.score}/{row.passed}, re-scored {again.score}/{again.passed}")
        elif expected is not None and (row.score, row.passed, row.page_score) != (
            expected.score,
            expected.passed,
            expected.score,
        ):
            mismatches.append(f"{attempt_id}: stored {row.score}/{row.passed}, the sender counted {expected.score}")
    stored_ids = set(ids)
    return StoredCheck(
        stored=len(ids),
        distinct=len(stored_ids),
        unknown=sorted(stored_ids - set(by_id)),
        lost=sorted(confirmed - stored_ids),
        score_mismatches=mismatches,
    )


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank); NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


# -- a real service process -----------------------------------------------------------------------


class ServiceProcess:
    """``python -m generator results serve`` in the project ``root``, as staff start it, trusting
    X-Forwarded-For from 127.0.0.1 (the senders' spread addresses).  Stopped by its own process id."""

    def __init__(self, root: Path, db: str, port: int, log: Path) -> None:
        self.root, self.db, self.port, self.log = root, db, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 60.0) -> ServiceProcess:
        """Start it and wait until /healthz answers 200."""
        command = [sys.executable, "-m", "generator", "results", "serve", "--db", self.db]
        command += ["--port", str(self.port), "--proxy", "127.0.0.1"]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"results serve stopped ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"results serve did not answer in {wait:.0f} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        """SIGTERM (uvicorn finishes the requests under way), then kill -9 if it does not end."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
