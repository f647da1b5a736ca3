"""The learner pages' core (generator/learn.py, DESIGN §12), in process: question fingerprints, the
daily challenge as a quiz, the question scripts learn/data/<quiz>.js, and the campaign's ``daily:``."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from generator.campaign import DailySettings, read_campaign
from generator.learn import daily_quiz, data_script, data_scripts, pooled, with_daily
from generator.load import load_bank
from generator.model import Mode, QuizBank, Text, question_fingerprint, quiz_version
from generator.project import Project
from generator.seal import seed_text, unseal
from generator.settings import read_settings
from generator.urls import Language
from tests.build.test_protected import assert_no_readable_key
from tests.conftest import GOOD_QUIZ, PRACTICE_QUIZ

ZH = Language.of("zh", ["zh", "en"])
EN = Language.of("en", ["zh", "en"])
SCRIPT = re.compile(
    r'\A\(window\.generatorLearnBank=window\.generatorLearnBank\|\|\{\}\)\[("[^"]*")\]=(?P<json>.*);\n\Z', re.S
)


def bank_of(tmp_path, sources: dict[str, str]) -> QuizBank:
    folder = tmp_path / "quizzes"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    bank, problems = load_bank(tmp_path, folder)
    assert problems == []
    return bank


@pytest.fixture
def bank(tmp_path) -> QuizBank:
    """Two quizzes: fire-safety (3 questions: single, multiple, true/false) and drill (6 questions)."""
    return bank_of(tmp_path, {"fire-safety.yaml": GOOD_QUIZ, "drill.yaml": PRACTICE_QUIZ})


def parsed(script: str) -> dict:
    """The data of a question script: the JSON after the assignment to window.generatorLearnBank[id]."""
    match = SCRIPT.match(script)
    assert match, script[:200]
    data = json.loads(match["json"])
    assert json.loads(match[1]) == data["id"]
    return data


# -- question_fingerprint -------------------------------------------------------------------------


def test_fingerprint_ignores_wording(bank):
    """A typo fixed in a prompt, an option's wording or an explanation keeps a question's fingerprint."""
    question = bank["fire-safety"].questions[0]
    reworded = replace(
        question,
        prompt=Text("发现火灾时应拨打哪个电话？", "Which number do you call for a fire?"),
        options=tuple(replace(o, text=Text(o.text.zh + "。", o.text.en + ".")) for o in question.options),
        explanation=None,
    )
    assert question_fingerprint(reworded) == question_fingerprint(question)
    assert re.fullmatch(r"[0-9a-f]{8}", question_fingerprint(question))


def test_fingerprint_follows_the_meaning(bank):
    """A new answer, one option more or a new type changes the fingerprint; different questions differ."""
    single, multiple, true_false = bank["fire-safety"].questions
    fingerprint = question_fingerprint(single)
    assert question_fingerprint(replace(single, answer=frozenset({"A"}))) != fingerprint
    assert question_fingerprint(replace(single, options=single.options + (single.options[0],))) != fingerprint
    assert question_fingerprint(replace(multiple, answer=frozenset({"A"}))) != question_fingerprint(multiple)
    assert question_fingerprint(replace(true_false, answer=frozenset({"true"}))) != question_fingerprint(true_false)
    every = [question_fingerprint(q) for quiz in bank for q in quiz.questions]
    assert len(set(every)) == len(every) == 9


def test_fingerprint_same_in_both_languages(bank):
    """Each question's fingerprint is the same in the Chinese and the English script, in the data and
    in its HTML (the mistakes book keeps one entry whichever language a worker used)."""
    project = Project(bank)
    for path, text in data_scripts(project, ZH).items():
        zh, en = parsed(text), parsed(data_scripts(project, EN)["en/" + path])
        assert [(q["id"], q["fp"]) for q in zh["questions"]] == [(q["id"], q["fp"]) for q in en["questions"]]
        for question in zh["questions"] + en["questions"]:
            assert f'data-question-fp="{question["fp"]}"' in question["html"]


# -- daily_quiz -----------------------------------------------------------------------------------


def test_pooled_ids_name_quiz_and_question(bank):
    """Every question of every quiz, in file order, as <quiz>/<question>; the bank itself is unchanged."""
    ids = [q.id for q in pooled(bank)]
    assert ids == [f"{quiz.id}/{q.id}" for quiz in bank for q in quiz.questions]
    assert ids[:3] == ["drill/q01", "drill/q02", "drill/q03"] and "fire-safety/hot-door" in ids
    assert bank["fire-safety"].questions[0].id == "fire-number"


def test_daily_quiz(bank):
    """The daily challenge: every pooled question, an exam drawing the settings' number, with their time limit."""
    quiz = daily_quiz(bank, DailySettings(questions=3, time_limit=90))
    assert quiz.id == "daily" and quiz.mode is Mode.EXAM
    assert [q.id for q in quiz.questions] == [q.id for q in pooled(bank)]
    assert quiz.draw == 3 and quiz.attempt_size == 3 and quiz.time_limit == 90 and quiz.pass_mark == 60
    defaults = daily_quiz(bank, DailySettings())
    assert (defaults.draw, defaults.time_limit) == (5, 150)


def test_daily_draw_never_exceeds_the_bank(tmp_path):
    """A site with 3 questions and a daily challenge of 50: each round draws the 3."""
    quiz = daily_quiz(bank_of(tmp_path, {"fire-safety.yaml": GOOD_QUIZ}), DailySettings(questions=50))
    assert quiz.draw == 3 and quiz.attempt_size == 3


def test_daily_quiz_of_an_empty_bank():
    """No quizzes, no daily challenge; with_daily leaves such a bank alone."""
    assert daily_quiz(QuizBank(), DailySettings()) is None
    assert len(with_daily(QuizBank(), DailySettings())) == 0


def test_with_daily_adds_it(bank):
    """with_daily: the bank's quizzes and "daily", which the results service scores against."""
    both = with_daily(bank, DailySettings(questions=4))
    assert both.ids() == ["drill", "fire-safety", "daily"] and both["daily"].draw == 4
    assert bank.ids() == ["drill", "fire-safety"]


def test_daily_version_follows_every_quiz(tmp_path, bank):
    """The daily version changes when any question's answer changes anywhere in the bank, not for a
    reworded prompt, nor for other daily settings (a phone's round stays valid)."""
    version = quiz_version(daily_quiz(bank, DailySettings()))
    assert quiz_version(daily_quiz(bank, DailySettings(questions=9, time_limit=600))) == version
    reworded = bank_of(
        tmp_path / "reworded",
        {"fire-safety.yaml": GOOD_QUIZ.replace("应拨打哪个电话", "该打哪个电话"), "drill.yaml": PRACTICE_QUIZ},
    )
    assert quiz_version(daily_quiz(reworded, DailySettings())) == version
    for name, text in [
        ("fire-safety.yaml", GOOD_QUIZ.replace("answer: B", "answer: C")),
        ("drill.yaml", PRACTICE_QUIZ.replace("answer: [A, C]", "answer: [A, B]", 1)),
        ("fire-safety.yaml", GOOD_QUIZ.replace("answer: false", "answer: true")),
    ]:
        sources = {"fire-safety.yaml": GOOD_QUIZ, "drill.yaml": PRACTICE_QUIZ, name: text}
        changed = bank_of(tmp_path / f"changed-{len(text)}-{name}", sources)
        assert quiz_version(daily_quiz(changed, DailySettings())) != version, name


# -- data scripts ---------------------------------------------------------------------------------


def test_data_scripts_hold_every_question(bank):
    """One script per quiz and language at learn/data/<quiz>.js (en/ for English), every question with
    its HTML in that language, fingerprint and sealed answer; the quiz's version."""
    project = Project(bank)
    zh, en = data_scripts(project, ZH), data_scripts(project, EN)
    assert sorted(zh) == ["learn/data/drill.js", "learn/data/fire-safety.js"]
    assert sorted(en) == ["en/learn/data/drill.js", "en/learn/data/fire-safety.js"]
    for quiz in bank:
        for scripts, language in ((zh, "zh"), (en, "en")):
            data = parsed(scripts[f"{'en/' if language == 'en' else ''}learn/data/{quiz.id}.js"])
            assert data["id"] == quiz.id and data["version"] == quiz_version(quiz)
            assert [q["id"] for q in data["questions"]] == [q.id for q in quiz.questions]
            for question, entry in zip(quiz.questions, data["questions"], strict=True):
                assert entry["fp"] == question_fingerprint(question)
                assert f'data-question-id="{quiz.id}/{question.id}"' in entry["html"]
                assert question.prompt.get(language) in entry["html"]
                opened = unseal(entry["sealed"], seed_text(quiz.id, question.id, quiz_version(quiz)))
                assert opened["a"] == sorted(question.answer)
    english = parsed(en["en/learn/data/fire-safety.js"])["questions"][0]["html"]
    assert "Which number do you call to report a fire?" in english and "发现火灾" not in english


def test_data_script_seals_the_explanation_in_its_language(bank):
    """The explanation is inside the seal, in the script's language."""
    quiz = bank["fire-safety"]
    version = quiz_version(quiz)
    for language, words in ((ZH, "119 是火警电话。"), (EN, "119 is the fire number.")):
        data = parsed(data_scripts(Project(bank), language)[f"{language.prefix}learn/data/fire-safety.js"])
        opened = unseal(data["questions"][0]["sealed"], seed_text("fire-safety", "fire-number", version))
        assert words in opened["e"]


def test_data_scripts_give_no_answer_away(bank):
    """No answer key or explanation can be read from any question script (tests/build/test_protected.py's check)."""
    project = Project(bank)
    files = {**data_scripts(project, ZH), **data_scripts(project, EN)}
    assert_no_readable_key(files, bank, lambda name: True)
    for text in files.values():
        for question in parsed(text)["questions"]:
            assert set(question) == {"id", "fp", "html", "sealed"}
            assert "data-quiz-explanation hidden></div>" in question["html"], "the explanation box is empty"


def test_data_script_of_hostile_text_stays_one_statement(tmp_path):
    """A prompt with quotes, "</script>", a line separator and a backslash: the script still parses,
    and the text is escaped in the question's HTML."""
    hostile = '</script><script>alert(1)</script> "引号" \\ a\u2028b'
    # A JSON string is a YAML double-quoted string.
    source = GOOD_QUIZ.replace("zh: 发现火灾应拨打哪个电话报警？", "zh: " + json.dumps(hostile))
    bank = bank_of(tmp_path, {"fire-safety.yaml": source})
    question = bank["fire-safety"].questions[0]
    assert question.prompt.zh == hostile
    script = data_scripts(Project(bank), ZH)["learn/data/fire-safety.js"]
    data = parsed(script)
    html = data["questions"][0]["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_data_script_takes_the_html_given(bank):
    """data_script keeps each question's HTML and seal as given, in the quiz's order."""
    quiz = bank["fire-safety"]
    questions = {q.id: (f"<li>{q.id}</li>", f"sealed-{q.id}") for q in quiz.questions}
    data = parsed(data_script(quiz, questions))
    assert [(q["html"], q["sealed"]) for q in data["questions"]] == list(questions.values())


# -- the campaign's daily: -----------------------------------------------------------------------

CONFIG = """\
site_name: 测试
plugins:
  - generator:
      quiz_dir: quizzes
      campaign:
        theme: {zh: 测试主题, en: Test theme}
        start: 2030-06-01
        end: 2030-06-30
"""
DAILY_LINE = CONFIG.count("\n") + 2
"""The line of the first key under ``daily:`` appended to CONFIG."""


def campaign_of(tmp_path, daily: str | None):
    text = CONFIG + (f"        daily:\n{daily}" if daily is not None else "")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings is not None, problems
    return read_campaign(settings.campaign)


def test_daily_defaults(tmp_path):
    """Without daily: 5 questions in 150 seconds (the national contest's round)."""
    campaign, problems = campaign_of(tmp_path, None)
    assert problems == [] and campaign.daily == DailySettings(5, 150)
    assert Project(campaign=campaign).daily == DailySettings() and Project().daily == DailySettings()


@pytest.mark.parametrize(
    "daily, expected",
    [
        ("          questions: 3\n          time_limit: 90s\n", (3, 90)),
        ("          questions: 50\n", (50, 150)),
        ("          questions: 1\n          time_limit: 1h30m\n", (1, 5400)),
        ("          time_limit: 3m\n", (5, 180)),
        ("          questions: １０\n          time_limit: 2m30s\n", (10, 150)),
    ],
    ids=["both", "most", "fewest", "time-only", "full-width-digits"],
)
def test_daily_values(tmp_path, daily, expected):
    """questions from 1 to 50 and a time limit as quiz files write it (90s, 3m, 1h30m)."""
    campaign, problems = campaign_of(tmp_path, daily)
    assert problems == []
    assert (campaign.daily.questions, campaign.daily.time_limit) == expected


@pytest.mark.parametrize(
    "daily, line, words, hint",
    [
        ("          questions: 0\n", DAILY_LINE, "questions 应是 1 到 50 之间的整数，这里是“0”", "questions:"),
        ("          questions: 51\n", DAILY_LINE, "questions 应是 1 到 50 之间的整数，这里是“51”", "questions:"),
        ("          questions: abc\n", DAILY_LINE, "这里是“abc”", "questions:"),
        ("          questions: 3\n          time_limit: soon\n", DAILY_LINE + 1, "看不懂时间限制", "90s"),
        ("          time_limit: 25h\n", DAILY_LINE, "看不懂时间限制", "24"),
        ("          questions: 3\n          question: 3\n", DAILY_LINE + 1, "不认识的键“question”", "questions"),
        ("          limit: 90s\n", DAILY_LINE, "不认识的键“limit”", "time_limit"),
        ("          - 3\n", DAILY_LINE, "daily（每日挑战）应由“键: 值”组成", "questions, time_limit"),
    ],
    ids=["zero", "fifty-one", "words", "bad-time", "too-long", "misspelt-key", "unknown-key", "a-list"],
)
def test_daily_errors(tmp_path, daily, line, words, hint):
    """Each mistake in daily: names mkdocs.yml, its line, what is wrong in plain words and the fix."""
    campaign, problems = campaign_of(tmp_path, daily)
    assert campaign is None
    [problem] = [p for p in problems if p.is_error]
    assert problem.path == "mkdocs.yml" and problem.line == line, problem.format()
    assert words in problem.zh, problem.format()
    assert hint in problem.hint_zh + problem.hint_en, problem.format()
    assert "int" not in problem.en.split() and "Traceback" not in problem.format()
