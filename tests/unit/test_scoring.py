"""Scoring an attempt from its answers (generator/scoring.py) exactly as the browser engine does.

Two kinds of evidence: a table of cases derived from quiz.js's code (``same()`` is set equality,
``Math.round(100 * correct / total)`` over the draw, ``score >= passMark``), and the real engine
(generator/assets/quiz.js) run in Chromium on random attempts, whose score, verdict and per-question
outcome must equal the Python scoring of the same answers.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from generator.load import load_quiz
from generator.model import QuestionType, Quiz
from generator.scoring import Refused, percent, score_attempt

from ..browser import conftest as browser_fixtures
from ..conftest import EXAM_QUIZ, PROJECT, ROOT, question_bank

ENGINE = ROOT / "generator" / "assets" / "quiz.js"


def quiz_of(tmp_path: Path, source: str, name: str = "quiz.yaml") -> Quiz:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    quiz, problems = load_quiz(path)
    assert quiz is not None, problems
    return quiz


def project_quiz(quiz_id: str) -> Quiz:
    quiz, problems = load_quiz(PROJECT / "quizzes" / f"{quiz_id}.yaml")
    assert quiz is not None, problems
    return quiz


def right_answers(quiz: Quiz, count: int | None = None) -> dict[str, list]:
    answers: dict[str, list] = {}
    for question in quiz.questions[: count or quiz.attempt_size]:
        if question.type is QuestionType.TRUE_FALSE:
            answers[question.id] = ["true" in question.answer]
        else:
            answers[question.id] = sorted(question.answer)
    return answers


# -- the rounding of quiz.js ------------------------------------------------------------------


@pytest.mark.parametrize(
    "right, total, score",
    [(0, 5, 0), (5, 5, 100), (1, 3, 33), (2, 3, 67), (1, 8, 13), (3, 8, 38), (5, 8, 63), (1, 6, 17), (0, 0, 0)],
)
def test_percent_rounds_halves_up(right, total, score):
    """Math.round: 12.5 -> 13 and 37.5 -> 38 (Python's round gives 12 and 38: halves to even)."""
    assert percent(right, total) == score


def test_percent_is_math_round():
    """For every attempt size up to 300 questions: floor(100 * right / total + 0.5), JavaScript's Math.round."""
    for total in range(1, 301):
        for right in range(total + 1):
            assert percent(right, total) == math.floor(100 * right / total + 0.5), (right, total)


# -- cases from quiz.js's code -----------------------------------------------------------------


def test_all_right(tmp_path):
    """Every question right: 100, passed, every id in ``right``."""
    quiz = project_quiz("principles")
    scored = score_attempt(quiz, right_answers(quiz))
    assert (scored.score, scored.passed, scored.right) == (100, True, frozenset(q.id for q in quiz.questions))


def test_multiple_choice_needs_exactly_the_key():
    """A subset or a superset of the right boxes is wrong (same(): equal length, every value in the key)."""
    quiz = project_quiz("principles")
    answers = right_answers(quiz)
    multiple = next(q for q in quiz.questions if q.type is QuestionType.MULTIPLE)
    for wrong in (sorted(multiple.answer)[:1], sorted(set(multiple.choices))):
        scored = score_attempt(quiz, {**answers, multiple.id: wrong})
        assert multiple.id not in scored.right
        assert scored.score == percent(len(quiz.questions) - 1, len(quiz.questions))


def test_unanswered_counts_wrong_and_order_does_not_matter():
    """[] is a wrong answer; letters in any order are the same choice (stored in the file's order)."""
    quiz = project_quiz("principles")
    answers = right_answers(quiz)
    multiple = next(q for q in quiz.questions if q.type is QuestionType.MULTIPLE)
    single = next(q for q in quiz.questions if q.type is QuestionType.SINGLE)
    answers[multiple.id] = sorted(multiple.answer, reverse=True)
    answers[single.id] = []
    scored = score_attempt(quiz, answers)
    assert multiple.id in scored.right and single.id not in scored.right
    assert scored.answers[multiple.id] == sorted(multiple.answer) and scored.answers[single.id] == []


def test_true_false():
    """[true] / [false] against the key of a true/false question."""
    quiz = project_quiz("principles")
    question = next(q for q in quiz.questions if q.type is QuestionType.TRUE_FALSE)
    answers = right_answers(quiz)
    answers[question.id] = ["false" in question.answer]  # the other one
    assert question.id not in score_attempt(quiz, answers).right


def test_draw_counts_over_the_drawn_questions(tmp_path):
    """An exam drawing 10 of 30: the score is over 10, whichever 10; 5 right of 10 is 50."""
    quiz = quiz_of(tmp_path, EXAM_QUIZ)
    drawn = quiz.questions[10:20]
    answers = right_answers(quiz, 30)
    answers = {q.id: answers[q.id] if n < 5 else [] for n, q in enumerate(drawn)}
    scored = score_attempt(quiz, answers)
    assert (scored.score, scored.passed) == (50, False)  # pass mark 80


def test_pass_mark_reached_exactly(tmp_path):
    """passed = score >= pass_mark: 5 of 8 rounds to 63 and passes a pass mark of 62.5; 4 of 8 does not."""
    quiz = quiz_of(tmp_path, "title: Halves\npass_mark: 62.5\nquestions:\n" + question_bank(8))
    answers = right_answers(quiz)
    ids = list(answers)
    five = {qid: (answers[qid] if n < 5 else []) for n, qid in enumerate(ids)}
    four = {qid: (answers[qid] if n < 4 else []) for n, qid in enumerate(ids)}
    assert (score_attempt(quiz, five).score, score_attempt(quiz, five).passed) == (63, True)
    assert (score_attempt(quiz, four).score, score_attempt(quiz, four).passed) == (50, False)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda a, q: a.pop(next(iter(a))), "should hold answers to 5 questions"),
        (lambda a, q: a.update({"x": a.pop(next(iter(a)))}), 'has no question "x"'),
        (lambda a, q: a.update(policy=["E"]), 'has no option "E" (its options are A, B, C)'),
        (lambda a, q: a.update(policy=["A", "B"]), "at most one option"),
        (lambda a, q: a.update(controls=["A", "C", "A"]), "names an option twice"),
        (lambda a, q: a.update(everyone=[True, False]), "must be [true], [false] or []"),
        (lambda a, q: a.update(everyone=[1]), "must be [true], [false] or []"),
        (lambda a, q: a.update(policy=[True]), 'has no option "true"'),
        (lambda a, q: a.update(policy="B"), "must be a list"),
        (lambda a, q: a.update(policy=[10**5000]), 'has no option "…"'),
    ],
    ids=[
        "too few",
        "unknown",
        "no such option",
        "two for single",
        "twice",
        "two booleans",
        "a number",
        "bool",
        "text",
        "huge",
    ],
)
def test_refusals(change, words):
    """Each refusal says, in both languages, what is wrong with which question."""
    quiz = project_quiz("principles")
    answers = right_answers(quiz)
    change(answers, quiz)
    with pytest.raises(Refused) as refused:
        score_attempt(quiz, answers)
    assert words in refused.value.message.en and refused.value.message.zh


# -- the real engine ---------------------------------------------------------------------------

_VISIBLE = """root => [...root.querySelectorAll("[data-question-id]:not([hidden])")].map(q => ({
    id: q.dataset.questionId, values: [...q.querySelectorAll("input")].map(i => i.value)}))"""
_HAND_IN = """(root, picks) => {
    for (const [id, values] of Object.entries(picks))
        for (const v of values) root.querySelector(`[data-question-id="${id}"] input[value="${v}"]`).checked = true;
    const submit = root.querySelector('button[type="submit"]');
    submit.click();
    if (root.dataset.quizState !== "scored") submit.click();  // the first lists the questions left open
    const result = root.querySelector("[data-quiz-result]");
    const outcomes = {};
    for (const q of root.querySelectorAll("[data-question-id]:not([hidden])")) {
        outcomes[q.dataset.questionId] = q.dataset.outcome;
    }
    return {score: Number(result.dataset.score), passed: result.dataset.passed === "true", outcomes};
}"""


def _picks(rng: random.Random, quiz: Quiz, shown: list[dict]) -> dict[str, list[str]]:
    """A worker's choices: mostly right, some wrong, some left open."""
    questions = {q.id: q for q in quiz.questions}
    picks = {}
    for item in shown:
        question, values = questions[item["id"]], item["values"]
        roll = rng.random()
        if roll < 0.15:
            picks[item["id"]] = []
        elif roll < 0.6:
            picks[item["id"]] = sorted(question.answer)
        elif question.type is QuestionType.MULTIPLE:
            picks[item["id"]] = rng.sample(values, rng.randint(1, len(values)))
        else:
            picks[item["id"]] = [rng.choice(values)]
    return picks


def _as_sent(quiz: Quiz, picks: dict[str, list[str]]) -> dict[str, list]:
    """The answers as results.js sends them: booleans for true/false."""
    kinds = {q.id: q.type for q in quiz.questions}
    return {
        qid: [value == "true" for value in values] if kinds[qid] is QuestionType.TRUE_FALSE else values
        for qid, values in picks.items()
    }


browser = browser_fixtures.browser
"""Chromium as the browser tests launch it (tests/browser/conftest.py), once per run."""


ENGINE_QUIZZES = {
    "fire-safety": None,  # practice, shuffled options
    "principles": None,  # practice, every type
    "rights-duties": None,  # exam, draw 4 of 6, shuffled, time limit
    "exam": EXAM_QUIZ,  # draw 10 of 30
    "halves": "title: Halves\npass_mark: 62.5\nmode: exam\nquestions:\n" + question_bank(8),
}


@pytest.mark.parametrize("quiz_id", ENGINE_QUIZZES)
def test_same_as_the_engine(browser, tmp_path, quiz_id):
    """quiz.js in Chromium and score_attempt agree on 10 random attempts per quiz: score, passed, and
    which questions were right (the draw and the shuffle are the engine's own, seeded)."""
    from generator.render import render_quiz

    source = ENGINE_QUIZZES[quiz_id]
    quiz = quiz_of(tmp_path, source, f"{quiz_id}.yaml") if source else project_quiz(quiz_id)
    (tmp_path / "quiz.js").write_bytes(ENGINE.read_bytes())
    page_path = tmp_path / "page.html"
    page_path.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>'
        f"<script>window.generatorQuizSeed = {len(quiz_id) * 7919};</script>"
        f'{render_quiz(quiz, "en")}<script src="quiz.js"></script></body></html>',
        encoding="utf-8",
    )
    rng = random.Random(quiz_id)
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        root = page.locator("form[data-quiz-id][data-quiz-ready]")
        scores = set()
        for _ in range(10):
            if root.locator("[data-quiz-start]").is_visible():
                root.locator("[data-quiz-start]").click()
            shown = root.evaluate(_VISIBLE)
            assert len(shown) == quiz.attempt_size
            picks = _picks(rng, quiz, shown)
            engine = root.evaluate(_HAND_IN, picks)
            scored = score_attempt(quiz, _as_sent(quiz, picks))
            assert (engine["score"], engine["passed"]) == (scored.score, scored.passed), picks
            assert {qid for qid, outcome in engine["outcomes"].items() if outcome == "correct"} == scored.right
            scores.add(scored.score)
            root.locator("[data-quiz-retry]").click()
        assert errors == [] and len(scores) > 2  # not the same score every time: a comparison that can fail
    finally:
        context.close()
