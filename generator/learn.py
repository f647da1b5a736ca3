"""The learner pages (DESIGN §12): my mistakes, the daily challenge, random practice, my progress.

What a worker learns from lives on the phone (assets/learn.js keeps it in localStorage); the build
gives the pages and the questions.  Each learner page that asks questions holds a quiz root of its
own (``mistakes``, ``daily``, ``practice``) whose questions come from every quiz of the site: its
question ids are ``<quiz>/<question>`` (a quiz id and a question id never hold "/"), so the same
question is one question in both languages and on every page.

The questions are not in the learner pages: a page would grow with every quiz a county adds.  Each
quiz has a data script per language (``learn/data/<quiz>.js``), with each question's HTML as the
quiz page shows it, its fingerprint (``question_fingerprint``) and its answer sealed exactly as on
the quiz page (seal.py); a page loads the scripts of the quizzes it draws from.  Scripts rather
than JSON, because a page opened from a folder (file://) may load scripts but not fetch files.
The pages carry a small index: each quiz's title, module, number of questions and its script's hash.

The daily challenge is also a quiz the results service knows (``daily_quiz``): every question of
every quiz, drawn ``DailySettings.questions`` at a time, so a day's first round counts for the unit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from .campaign import DailySettings
from .model import Mode, Question, Quiz, QuizBank, Text, question_fingerprint, quiz_version
from .render import PictureMarkup, environment, render_learner_quiz, render_question, sealed_answers
from .texts import LEARN_TEXT, duration
from .urls import QUIZ_URL_DIR, Language, relative_url

if TYPE_CHECKING:
    from .project import Project
    from .results_config import ResultsConfig


LEARN_URL_DIR = "learn"
DATA_DIR = f"{LEARN_URL_DIR}/data"
PAGES = ("progress", "mistakes", "daily", "practice")
"""In the order the navigation and the progress page list them."""
ASKING = ("mistakes", "daily", "practice")
"""The pages with a quiz root; their ids are reserved: no quiz file may take them (check says so)."""
RESERVED_QUIZ_IDS = frozenset(ASKING)


def pooled(bank: QuizBank) -> tuple[Question, ...]:
    """Every question of every quiz, in file order, with ``<quiz>/<question>`` ids."""
    return tuple(replace(question, id=f"{quiz.id}/{question.id}") for quiz in bank for question in quiz.questions)


def daily_quiz(bank: QuizBank, daily: DailySettings) -> Quiz | None:
    """The daily challenge as a quiz: what the results service scores a day's first round against,
    and whose version the daily page carries; None for a site without questions."""
    questions = pooled(bank)
    if not questions:
        return None
    return Quiz(
        "daily",
        "",
        Text("每日挑战", "Daily challenge"),
        questions,
        pass_mark=daily.pass_mark,
        mode=Mode.EXAM,
        draw=min(daily.questions, len(questions)),
        time_limit=daily.time_limit,
    )


def with_daily(bank: QuizBank, daily: DailySettings) -> QuizBank:
    """``bank`` and the daily challenge (for the results service)."""
    quiz = daily_quiz(bank, daily)
    return QuizBank({**bank.quizzes, "daily": quiz}) if quiz else bank


def data_path(quiz_id: str) -> str:
    """The data script of a quiz, from the language's folder."""
    return f"{DATA_DIR}/{quiz_id}.js"


def data_script(quiz: Quiz, questions: dict[str, tuple[str, str]]) -> str:
    """The data script of ``quiz`` in one language; ``questions``: question id -> (its HTML as the
    quiz page shows it, its sealed answer).  It adds the quiz to ``window.generatorLearnBank``."""
    data = {
        "id": quiz.id,
        "version": quiz_version(quiz),
        "questions": [
            {
                "id": question.id,
                "fp": question_fingerprint(question),
                "html": questions[question.id][0],
                "sealed": questions[question.id][1],
            }
            for question in quiz.questions
        ],
    }
    # U+2028 and U+2029 end a line in JavaScript before ES2019 (Safari before 12.1): escaped.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028")
    text = text.replace("\u2029", "\\u2029")
    return f"(window.generatorLearnBank=window.generatorLearnBank||{{}})[{json.dumps(quiz.id)}]={text};\n"


# -- the pages ------------------------------------------------------------------------------------


def learn_links(language: Language, here: str) -> list[tuple[str, str, str]]:
    """(kind, address relative to ``here``, title) of each learner page."""
    text = LEARN_TEXT[language.code]
    return [(kind, relative_url(f"{language.prefix}{LEARN_URL_DIR}/{kind}.html", here), text[kind]) for kind in PAGES]


def render_learn_home(language: Language, here: str) -> str:
    """The home page's box: the learner pages, where the worker left off, the mistakes waiting."""
    template = environment().get_template("learn_home.html")
    return template.render(t=LEARN_TEXT[language.code], links=learn_links(language, here)) + "\n"


def render_learn_page(
    kind: str, project: Project, language: Language, here: str, order: list[str], scripts: dict[str, str]
) -> str:
    """The body of the learner page ``kind`` at ``here``, in place of its ``<!-- learn: kind -->``
    marker; ``order``: the module stems in the navigation's order (site.py's module_groups);
    ``scripts``: the language's question scripts (``data_scripts``), whose hashes the page asks for
    (``?v=``), so that a page and its questions always come from the same build, whatever a browser's
    cache holds (the worker's cache keys leave the query out, and offline the same script answers)."""
    code, bank, daily = language.code, project.bank, project.daily
    text = LEARN_TEXT[code]

    def relative(path: str) -> str:
        return relative_url(language.prefix + path, here)

    home_of: dict[str, int] = {}  # quiz id -> index of the first module that embeds it
    modules = []
    by_stem = {module.stem: module for module in project.modules}
    for module in (by_stem[stem] for stem in order if stem in by_stem):
        quiz_ids = [q for q in module.quiz_ids if q in bank]
        for quiz_id in quiz_ids:
            home_of.setdefault(quiz_id, len(modules))
        modules.append(
            {"stem": module.stem, "title": module.title(code), "href": relative(module.url), "quizzes": quiz_ids}
        )
    index = {
        "lang": code,
        "text": text,
        "daily": {"questions": daily.questions, "seconds": daily.time_limit},
        "modules": [{key: m[key] for key in ("stem", "title", "href")} for m in modules],
        "quizzes": {
            quiz.id: {
                "title": quiz.title.get(code),
                "href": relative(f"{QUIZ_URL_DIR}/{quiz.id}.html"),
                "n": len(quiz.questions),
                "module": home_of.get(quiz.id, -1),
                "v": hashlib.sha256(scripts[language.prefix + data_path(quiz.id)].encode()).hexdigest()[:8],
            }
            for quiz in bank
        },
    }
    groups = [{"title": m["title"], "quizzes": m["quizzes"]} for m in modules if m["quizzes"]]
    loose = [quiz.id for quiz in bank if quiz.id not in home_of]
    if loose:
        groups.append({"title": text["others"], "quizzes": loose})
    quiz = ""
    if kind in ASKING:
        quiz = learner_quiz(kind, bank, language, daily, project.results, project.units)
    about = text[f"{kind}_about"]
    if kind == "daily":
        drawn = min(daily.questions, sum(len(quiz.questions) for quiz in bank))  # as daily_quiz draws
        about = about.format(count=drawn, time=duration(daily.time_limit, code))
    return (
        environment()
        .get_template("learn.html")
        .render(
            kind=kind,
            t=text,
            about=about,
            base=relative(DATA_DIR + "/"),
            modules=modules,
            groups=groups,
            quiz_count=len(bank),
            quiz=Markup(quiz),
            links=learn_links(language, here),
            index=Markup(json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")),
        )
    )


def learner_quiz(
    kind: str, bank: QuizBank, language: Language, daily: DailySettings, results: ResultsConfig | None, units: tuple
) -> str:
    """The quiz root of a learner page, without questions: the daily challenge is an exam with a time
    limit whose first round of the day may be sent to the results service; the others are practice."""
    daily_version = quiz_version(daily_quiz(bank, daily))
    if kind == "daily":
        quiz = replace(daily_quiz(bank, daily), questions=(), draw=None)
        return render_learner_quiz(quiz, daily_version, language.code, "", results, units)
    title = Text(LEARN_TEXT["zh"][kind], LEARN_TEXT["en"][kind])
    quiz = Quiz(kind, "", title, (), mode=Mode.PRACTICE)
    return render_learner_quiz(quiz, daily_version, language.code, "")


def data_scripts(project: Project, language: Language, picture: PictureMarkup | None = None) -> dict[str, str]:
    """The data script of each quiz in ``language``: path from the site root -> its text; ``picture``
    shows the questions' pictures on the learner pages (they are all in ``learn/``)."""
    scripts = {}
    for quiz in project.bank:
        sealed = sealed_answers(quiz, language.code)
        questions = {q.id: (render_question(quiz, q, language.code, picture), sealed[q.id]) for q in quiz.questions}
        scripts[language.prefix + data_path(quiz.id)] = data_script(quiz, questions)
    return scripts
