"""The daily challenge in the results service (learn.py's daily_quiz), on SQLite and PostgreSQL: the
campaign's daily settings reach the service, a day's first round is re-scored and counted under the
quiz id "daily" with pooled question ids "<quiz>/<question>", bad rounds are refused with a plain
reason, and the staff's quiz report lists the pooled questions."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from generator.campaign import DailySettings
from generator.learn import daily_quiz, pooled, with_daily
from generator.load import load_bank
from generator.model import QuizBank, quiz_version
from generator.results.service import Service, load_service
from generator.settings import read_settings

from ..conftest import campaign_of, dump_config, load_config
from .conftest import Client, key, record, stored, write_results_project, wrong
from .test_admin import Browser, accounts


def service_of(root: Path) -> Service:
    settings, problems = read_settings(root / "mkdocs.yml")
    assert settings is not None, problems
    found, problems = load_service(settings)
    assert found is not None, [p.format() for p in problems]
    return found


def with_daily_block(root: Path, daily: dict[str, Any]) -> Path:
    """The results project in ``root`` with the campaign block's ``daily:`` set to ``daily``."""
    write_results_project(root)
    config = load_config(root / "mkdocs.yml")
    campaign_of(config)["daily"] = daily
    (root / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def three_a_day(tmp_path_factory) -> Service:
    """The results test project whose campaign sets ``daily: {questions: 3}``."""
    return service_of(with_daily_block(tmp_path_factory.mktemp("daily-project"), {"questions": 3}))


@pytest.fixture
def daily_client(service, three_a_day) -> Client:
    """The app serving the three-a-day service over HTTP on this test's database."""
    return service(bank=three_a_day.bank, campaign=three_a_day.campaign)


def spread(quiz, count: int) -> list:
    """``count`` pooled questions from as many different quizzes as possible: the last of each quiz first."""
    by_quiz: dict[str, list] = {}
    for question in quiz.questions:
        by_quiz.setdefault(question.id.split("/")[0], []).append(question)
    chosen = [questions[-1] for questions in by_quiz.values()]
    chosen += [q for q in quiz.questions if q not in chosen]
    return chosen[:count]


def daily_record(quiz, questions: list, right: list[bool], **changes: Any) -> dict[str, Any]:
    body = record(quiz, **changes)
    body["answers"] = {q.id: key(q) if ok else wrong(q) for q, ok in zip(questions, right, strict=True)}
    return body


# -- the campaign's settings reach the service ----------------------------------------------------


def test_daily_settings_reach_the_service(base_service, three_a_day, results_root):
    """load_service adds "daily": every question of every quiz, drawn 3 at a time with the campaign's
    daily: {questions: 3}, 5 by default; its version is the one daily pages carry."""
    bank, problems = load_bank(results_root, results_root / "quizzes")
    assert not problems
    quiz = three_a_day.bank["daily"]
    assert quiz.draw == 3 and quiz.attempt_size == 3 and quiz.time_limit == 150
    assert [q.id for q in quiz.questions] == [q.id for q in pooled(bank)]
    assert all(q.id.count("/") == 1 and q.id.split("/")[0] in bank for q in quiz.questions)
    assert three_a_day.versions["daily"] == quiz_version(daily_quiz(bank, DailySettings(questions=3)))
    assert base_service.bank["daily"].draw == 5, "without daily: the defaults"
    assert three_a_day.bank.ids() == [*bank.ids(), "daily"]
    assert three_a_day.versions["daily"] == base_service.versions["daily"], "the draw is not part of the version"


def test_daily_time_limit_reaches_the_service(tmp_path):
    """daily: {questions: 2, time_limit: 90s}: the service's daily quiz draws 2 with a 90-second limit."""
    found = service_of(with_daily_block(tmp_path / "project", {"questions": 2, "time_limit": "90s"}))
    assert (found.bank["daily"].draw, found.bank["daily"].time_limit) == (2, 90)


def test_a_bad_daily_block_keeps_the_service_from_starting(tmp_path):
    """daily: {questions: 0}: load_service gives no service and the problem names mkdocs.yml."""
    root = with_daily_block(tmp_path / "project", {"questions": 0})
    settings, problems = read_settings(root / "mkdocs.yml")
    found, problems = load_service(settings)
    assert found is None
    [problem] = [p for p in problems if p.is_error]
    assert problem.path == "mkdocs.yml" and "questions" in problem.zh and "1 到 50" in problem.zh


def test_no_daily_quiz_without_questions(tmp_path):
    """A project without quizzes: the service has no "daily" quiz (nothing to draw from)."""
    root = write_results_project(tmp_path / "project")
    for path in (root / "quizzes").glob("*.yaml"):
        path.unlink()
    assert service_of(root).bank.ids() == []


def test_a_quiz_file_named_daily_keeps_the_service_from_starting(tmp_path):
    """quizzes/daily.yaml is refused by check and build; the service says so too instead of starting."""
    root = write_results_project(tmp_path / "project")
    (root / "quizzes" / "principles.yaml").rename(root / "quizzes" / "daily.yaml")
    settings, _ = read_settings(root / "mkdocs.yml")
    found, problems = load_service(settings)
    assert found is None
    assert any(p.is_error and p.path == "quizzes/daily.yaml" for p in problems), [p.format() for p in problems]


# -- attempts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "right, score, passed",
    [([True, True, True], 100, True), ([True, True, False], 67, True), ([False, True, False], 33, False)],
    ids=["all-right", "two-right", "one-right"],
)
def test_daily_round_accepted_and_rescored(daily_client, right, score, passed):
    """A day's first round: 201, re-scored from its 3 pooled answers (the page's score only kept), stored
    under quiz "daily" with the pooled ids."""
    quiz = daily_client.quiz("daily")
    questions = spread(quiz, 3)
    assert len({q.id.split("/")[0] for q in questions}) == 3, "one question from each quiz"
    body = daily_record(quiz, questions, right, score=100)
    reply = daily_client.post(body)
    assert reply.status == 201, reply.raw
    assert reply.json == {"status": "accepted", "score": score, "passed": passed}
    [row] = stored(daily_client.engine)
    assert (row.quiz, row.version, row.score, row.page_score, row.passed) == (
        "daily",
        body["version"],
        score,
        100,
        passed,
    )
    assert sorted(row.answers) == sorted(q.id for q in questions)
    again = daily_client.post(body)
    assert again.status == 200 and again.json["status"] == "duplicate"


def test_daily_round_of_five_with_the_defaults(service):
    """Without daily: in the campaign block a round is 5 questions: 5 answers are accepted, 3 are not."""
    client = service()
    quiz = client.quiz("daily")
    questions = spread(quiz, 5)
    assert client.post(daily_record(quiz, questions, [True] * 5)).status == 201
    short = client.post(daily_record(quiz, questions[:3], [True] * 3))
    assert short.status == 422 and "should hold answers to 5 questions" in short.json["message"]["en"]


def stale_version(bank: QuizBank) -> str:
    """The daily version of ``bank`` with the first question's answer changed (last year's page)."""
    first = bank.ids()[0]
    quiz = bank[first]
    question = quiz.questions[0]
    changed = dataclasses.replace(question, answer=frozenset(set(question.choices) - set(question.answer)))
    other = QuizBank(dict(bank.quizzes))
    other.quizzes[first] = dataclasses.replace(quiz, questions=(changed, *quiz.questions[1:]))
    del other.quizzes["daily"]
    return quiz_version(daily_quiz(other, DailySettings()))


def _rename_first(new_id: str):
    def change(body: dict, service: Service) -> None:
        body["answers"][new_id] = body["answers"].pop(next(iter(body["answers"])))

    return change


def _one_more(body: dict, service: Service) -> None:
    extra = next(q for q in service.bank["daily"].questions if q.id not in body["answers"])
    body["answers"][extra.id] = key(extra)


REFUSALS = {
    # name: (change to a right round of 3, words of the reason in English)
    "two answers": (lambda body, service: body["answers"].popitem(), "should hold answers to 3 questions"),
    "four answers": (_one_more, "should hold answers to 3 questions"),
    "unknown question of a known quiz": (
        _rename_first("fire-safety/no-such"),
        'The quiz "daily" has no question "fire-safety/no-such"',
    ),
    "unknown quiz": (_rename_first("no-such/fire-number"), 'has no question "no-such/fire-number"'),
    "question id without its quiz": (_rename_first("fire-number"), 'has no question "fire-number"'),
    "stale version": (
        lambda body, service: body.update(version=stale_version(service.bank)),
        "The quiz has changed since this page was loaded",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_daily_round_refused(daily_client, case):
    """A wrong number of answers, a pooled id that does not exist, a stale version: 422 with a plain
    reason in both languages, nothing stored."""
    quiz = daily_client.quiz("daily")
    assert "fire-safety/fire-number" in {q.id for q in quiz.questions}
    body = daily_record(quiz, spread(quiz, 3), [True] * 3)
    change, words = REFUSALS[case]
    change(body, daily_client.service)
    reply = daily_client.post(body)
    assert reply.status == 422, reply.raw
    message = reply.json["message"]
    assert reply.json["status"] == "refused" and message["zh"] and words in message["en"], message
    assert "Traceback" not in reply.raw.decode()
    assert stored(daily_client.engine) == []


def test_the_stale_version_really_differs(three_a_day):
    """(The stale version above is another version, not a typo of the current one.)"""
    assert stale_version(three_a_day.bank) != three_a_day.versions["daily"]


# -- the staff's quiz report ----------------------------------------------------------------------


@pytest.fixture
def staff(daily_client, database) -> Browser:
    """The admin "boss", logged in to the three-a-day app."""
    accounts(database)
    browser = Browser(daily_client)
    assert browser.login("boss").status == 303
    return browser


def test_dashboard_reports_the_daily_challenge(daily_client, staff):
    """/admin/quizzes/daily lists every pooled question with its prompt, and counts the rounds sent:
    each question drawn as often as it was in a round; the overview lists the daily challenge."""
    quiz = daily_client.quiz("daily")
    questions = spread(quiz, 3)
    for right in ([True, True, True], [True, False, False]):
        assert daily_client.post(daily_record(quiz, questions, right)).status == 201
    page = staff.text("/admin/quizzes/daily")
    assert "每日挑战" in page and "Daily challenge" in page
    rows = re.findall(r'<tr data-question="([^"]+)">', page)
    assert rows == [q.id for q in quiz.questions]
    for question in quiz.questions:
        assert str(escape(question.prompt.zh)) in page
    drawn = dict(re.findall(r'<tr data-question="([^"]+)">.*?data-cell="drawn">([^<]*)<', page, re.S))
    assert {qid: drawn[qid] for qid in (q.id for q in questions)} == {q.id: "2 / 2" for q in questions}
    assert {value for qid, value in drawn.items() if qid not in {q.id for q in questions}} == {"0 / 0"}
    assert re.search(r'data-total="attempts">2<', page)
    assert 'href="/admin/quizzes/daily?' in staff.text("/admin/"), "the overview links the report"


def test_attempt_page_of_a_daily_round(daily_client, staff):
    """A daily round's own page shows each pooled question's prompt and whether it was right."""
    quiz = daily_client.quiz("daily")
    questions = spread(quiz, 3)
    body = daily_record(quiz, questions, [True, False, True])
    assert daily_client.post(body).status == 201
    page = staff.text(f"/admin/attempts/{body['attempt']}")
    rows = dict(re.findall(r'<tr data-question="([^"]+)">(.*?)</tr>', page, re.S))
    assert list(rows) == [q.id for q in questions]
    for question, right in zip(questions, [True, False, True], strict=True):
        assert str(escape(question.prompt.en)) in rows[question.id]
        assert ("✔ 对 right" if right else "✘ 错 wrong") in rows[question.id]
        assert "no longer in the quiz" not in rows[question.id]


def test_long_pooled_ids(service, tmp_path):
    """A quiz id of 60 characters and a question id of 50, each allowed by the loader: a daily round with
    the pooled id (111 characters) is counted (before migration 0006, PostgreSQL refused the row and the
    phone sent it again and again)."""
    quiz_id, question_id = "q" * 60, "x" * 50
    folder = tmp_path / "quizzes"
    folder.mkdir()
    (folder / f"{quiz_id}.yaml").write_text(
        f"title: 长\nquestions:\n  - id: {question_id}\n    type: true_false\n    prompt: 长编号\n    answer: true\n",
        encoding="utf-8",
    )
    bank, problems = load_bank(tmp_path, folder)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    client = service(bank=with_daily(bank, DailySettings(questions=1)))
    quiz = client.quiz("daily")
    reply = client.post(daily_record(quiz, list(quiz.questions), [True]))
    assert reply.status == 201, reply.raw
