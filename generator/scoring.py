"""Scoring one attempt from its answers, exactly as the browser engine does (``assets/quiz.js``).

The results service re-scores every record it receives: the page's own score is kept only to
compare.  A question counts as right when the set of choices equals the answer key exactly;
unanswered counts as wrong; the score is ``Math.round(100 * right / total)`` over the questions of
the attempt (the draw), and the attempt passes when the score reaches the quiz's pass mark.

Answers come as the page sends them (DESIGN §11.1): ``{question_id: ["A", "C"]}`` with the letters
of the quiz file for single and multiple choice, ``[true]`` or ``[false]`` for true/false, ``[]``
for a question left open; exactly the questions of the attempt's draw.  Anything else is refused
with a plain reason in both languages (``Refused``), never scored by guesswork.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import QuestionType, Quiz, Text
from .nodes import CONTROL_CHARACTERS, shorten

Answers = dict[str, list[str] | list[bool]]
"""Answers per question id: letters in the quiz file's order, or one boolean for true/false."""


class Refused(ValueError):
    """A record the service will not score or store; ``message`` says why, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.message = Text(zh, en)


@dataclass(frozen=True)
class Scored:
    score: int
    """0 to 100, as the page shows it."""
    passed: bool
    right: frozenset[str]
    """The ids of the questions answered right."""
    answers: Answers
    """The answers as checked, in a canonical form (letters in the quiz file's order): what is stored."""


def percent(right: int, total: int) -> int:
    """``Math.round(100 * right / total)`` of quiz.js, in integers: JavaScript rounds halves up
    (Python's ``round`` rounds them to even), and floor((200·right + total) / (2·total)) is
    floor(100·right/total + ½) without floating point.  0 for an empty attempt, as in quiz.js."""
    if total <= 0:
        return 0
    return (200 * right + total) // (2 * total)


def score_attempt(quiz: Quiz, answers: Mapping[str, Any]) -> Scored:
    """Check ``answers`` against ``quiz`` and score them; raises ``Refused`` with the reason."""
    if not isinstance(answers, Mapping):
        raise Refused("答案应按题目编号列出。", "The answers must be listed by question id.")
    size = quiz.attempt_size
    if len(answers) != size:
        raise Refused(
            f"这次作答应包含 {size} 道题的答案（每道题一项，未答的写 []），收到的是 {len(answers)} 道。",
            f"This attempt should hold answers to {size} questions (one entry each, [] when left open); "
            f"it holds {len(answers)}.",
        )
    questions = {question.id: question for question in quiz.questions}
    checked: Answers = {}
    right: set[str] = set()
    for question_id, given in answers.items():
        question = questions.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise Refused(
                f"测验“{quiz.id}”里没有编号为“{shown_value(question_id)}”的题目。",
                f'The quiz "{quiz.id}" has no question "{shown_value(question_id)}".',
            )
        if not isinstance(given, list | tuple):
            raise Refused(
                f'题目“{question.id}”的答案应是一个列表，例如 ["A"]；未答写 []。',
                f'The answer to "{question.id}" must be a list, such as ["A"]; [] when left open.',
            )
        if question.type is QuestionType.TRUE_FALSE:
            if len(given) > 1 or any(not isinstance(value, bool) for value in given):
                raise Refused(
                    f"题目“{question.id}”是判断题，答案应是 [true]、[false] 或 []。",
                    f'"{question.id}" is a true/false question: its answer must be [true], [false] or [].',
                )
            checked[question.id] = list(given)
            chosen = {"true" if value else "false" for value in given}
        else:
            letters = question.choices
            for value in given:
                if not isinstance(value, str) or value not in letters:
                    raise Refused(
                        f"题目“{question.id}”没有选项“{shown_value(value)}”（选项是 {'、'.join(letters)}）。",
                        f'The question "{question.id}" has no option "{shown_value(value)}" '
                        f"(its options are {', '.join(letters)}).",
                    )
            if len(set(given)) != len(given):
                raise Refused(
                    f"题目“{question.id}”的答案里有重复的选项。",
                    f'The answer to "{question.id}" names an option twice.',
                )
            if question.type is QuestionType.SINGLE and len(given) > 1:
                raise Refused(
                    f"题目“{question.id}”是单选题，最多选一个选项。",
                    f'"{question.id}" is a single-choice question: at most one option may be chosen.',
                )
            checked[question.id] = [letter for letter in letters if letter in given]
            chosen = set(given)
        if chosen == question.answer:
            right.add(question.id)
    score = percent(len(right), size)
    return Scored(score, score >= quiz.pass_mark, frozenset(right), checked)


def shown_value(value: Any) -> str:
    """A value from a record, as a message may repeat it: text cut short, control characters dropped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        text = value if isinstance(value, str) else str(value)
    except ValueError:  # an integer of more than 4,300 digits
        text = "…"
    return shorten(CONTROL_CHARACTERS.sub("", text), 40)
