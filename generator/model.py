"""The quiz model: what a quiz file means once it has been loaded and checked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum

LANGUAGES = ("zh", "en")
"""The site's languages, Chinese first: it is the default and is listed first everywhere."""


class Mode(str, Enum):
    PRACTICE = "practice"
    """Right or wrong and the explanation as soon as a question is answered."""
    EXAM = "exam"
    """Nothing until the whole quiz is handed in."""


class QuestionType(str, Enum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


@dataclass(frozen=True)
class Text:
    """A text in both languages; a plain string in a quiz file gives the same text twice."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class Picture:
    """A picture in a quiz file (``image:`` of a question or an option): its file and what it shows."""

    file: str
    """As written in the quiz file: a path under content/images/ (or under content/), with "/"."""
    alt: Text
    """What the picture shows, for screen readers and when it cannot load; both languages."""
    line: int = 0


@dataclass(frozen=True)
class Option:
    letter: str
    text: Text
    """An option with a picture and no text of its own has the picture's alt as its text (exports, sheets)."""
    image: Picture | None = None

    @property
    def text_shown(self) -> bool:
        """False for an option that is only a picture: its label is the picture (its alt names it).  An
        option whose own text is word for word its picture's alt counts as one: the label would say it twice."""
        return self.image is None or self.text != self.image.alt


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    prompt: Text
    options: tuple[Option, ...]
    answer: frozenset[str]
    """Option letters for single and multiple; ``{"true"}`` or ``{"false"}`` for true_false."""
    explanation: Text | None = None
    line: int = 0
    image: Picture | None = None

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """The question's picture and its options', in page order."""
        found = [self.image] + [option.image for option in self.options]
        return tuple(picture for picture in found if picture is not None)

    @property
    def choices(self) -> tuple[str, ...]:
        """The input values a worker can pick from, in display order."""
        if self.type is QuestionType.TRUE_FALSE:
            return ("true", "false")
        return tuple(option.letter for option in self.options)


@dataclass(frozen=True)
class Quiz:
    id: str
    path: str
    title: Text
    questions: tuple[Question, ...]
    pass_mark: float = 60
    description: Text | None = None
    mode: Mode = Mode.PRACTICE
    draw: int | None = None
    """Questions per attempt, drawn at random from the bank; None for all of them."""
    shuffle: bool = False
    """Option order shuffled per attempt (never for true/false)."""
    time_limit: int | None = None
    """Seconds from the start of an attempt; None for no limit."""

    @property
    def attempt_size(self) -> int:
        return self.draw or len(self.questions)


@dataclass
class QuizBank:
    """Every quiz of a project, by id, in file-name order."""

    quizzes: dict[str, Quiz] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.quizzes.values())

    def __len__(self) -> int:
        return len(self.quizzes)

    def __contains__(self, quiz_id: object) -> bool:
        return quiz_id in self.quizzes

    def __getitem__(self, quiz_id: str) -> Quiz:
        return self.quizzes[quiz_id]

    def ids(self) -> list[str]:
        return list(self.quizzes)


def _meaning(question: Question) -> bytes:
    """What a stored answer to ``question`` depends on: its id, type, choices, answer and pictures' files
    (not its wording: fixing a typo in a prompt keeps what the answers mean)."""
    choices, answer = ",".join(question.choices), ",".join(sorted(question.answer))
    meaning = f"{question.id}|{question.type.value}|{choices}|{answer}"
    if question.pictures:  # another picture asks another question (a sign to recognise); none: as before
        files = ",".join(option.image.file if option.image else "" for option in question.options)
        meaning += f"|{question.image.file if question.image else ''}|{files}"
    return f"{meaning}\n".encode()


def quiz_version(quiz: Quiz) -> str:
    """A short fingerprint of what a stored answer depends on: question ids, types, choices, answers.

    The engine drops answers stored under another fingerprint, so a worker never sees last
    year's answers applied to this year's questions.
    """
    digest = hashlib.sha256()
    for question in quiz.questions:
        digest.update(_meaning(question))
    return digest.hexdigest()[:12]


def question_fingerprint(question: Question) -> str:
    """The same fingerprint for one question: the mistakes book (assets/learn.js) drops a question
    whose fingerprint changed in a rebuilt site.  It is the same in both languages.  Like the
    sealed answers (seal.py), it hides the answer from the eye only: anyone who hashes each
    possible answer finds it, as anyone who runs quiz.js's steps does."""
    return hashlib.sha256(_meaning(question)).hexdigest()[:8]
