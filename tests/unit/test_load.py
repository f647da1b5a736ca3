"""Loading quiz files: the model of a good file, and a message for every bad one."""

from __future__ import annotations

import codecs
import dataclasses

import pytest

from generator.load import PHONE_QUESTIONS, load_bank, load_quiz
from generator.model import Mode, Option, Question, QuestionType, Quiz, Text
from generator.problems import Level
from generator.write import quiz_to_yaml

from ..conftest import GOOD_QUIZ, question_bank


def load(tmp_path, source: str | bytes, name: str = "fire-safety.yaml"):
    path = tmp_path / name
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")
    return load_quiz(path, f"quizzes/{name}")


def only_error(tmp_path, source, name="fire-safety.yaml"):
    quiz, problems = load(tmp_path, source, name)
    errors = [p for p in problems if p.level is Level.ERROR]
    assert quiz is None, "a file with errors gives no quiz"
    assert len(errors) == 1, "\n\n".join(p.format() for p in errors)
    return errors[0]


def one_question(body: str) -> str:
    return "title: 测验\nquestions:\n" + body


def test_good_file_gives_the_model(tmp_path):
    """A well-formed file loads into questions with letters, answers and both languages."""
    quiz, problems = load(tmp_path, GOOD_QUIZ)
    assert problems == []
    assert quiz.id == "fire-safety" and quiz.pass_mark == 80
    assert quiz.title.zh == "消防安全知识测验" and quiz.title.en == "Fire safety quiz"
    first, second, third = quiz.questions
    assert first.type is QuestionType.SINGLE and first.answer == {"B"}
    assert [o.letter for o in first.options] == ["A", "B", "C"]
    assert first.options[2].text.en == "120 (ambulance)"
    assert first.line == 6
    assert second.answer == {"A", "C"}
    assert third.type is QuestionType.TRUE_FALSE and third.answer == {"false"} and third.choices == ("true", "false")


def test_unusual_but_fine_inputs_just_work(tmp_path):
    """Numbers and YAML words as option text, a plain string for both languages, lower-case or full-width answers."""
    quiz, problems = load(
        tmp_path,
        one_question(
            "  - id: q1\n    type: single\n    prompt: 同一句话\n    options: [119, no, 1.50, ~x]\n    answer: ｂ\n"
            "  - id: q2\n    type: multiple\n    prompt: p\n    options: [a, b, c]\n    answer: [a, C]\n"
            "  - id: q3\n    type: true_false\n    prompt: p\n    answer: 对\n"
        ),
    )
    assert problems == []
    q1, q2, q3 = quiz.questions
    assert [o.text.zh for o in q1.options] == ["119", "no", "1.50", "~x"]
    assert q1.prompt.zh == q1.prompt.en == "同一句话"
    assert q1.answer == {"B"} and q2.answer == {"A", "C"} and q3.answer == {"true"}
    assert quiz.pass_mark == 60


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + GOOD_QUIZ.encode("utf-8"),
        GOOD_QUIZ.replace("\n", "\r\n").encode("utf-8"),
        GOOD_QUIZ.encode("utf-16"),
    ],
    ids=["utf8-bom", "crlf", "utf16-notepad"],
)
def test_windows_encodings_and_line_ends_load(tmp_path, encoded):
    """Files saved by Windows editors (BOM, CRLF, Notepad's UTF-16) load as if they were plain UTF-8."""
    quiz, problems = load(tmp_path, encoded)
    assert problems == []
    assert quiz.questions[0].prompt.zh == "发现火灾应拨打哪个电话报警？"


def test_gbk_file_loads_with_a_warning(tmp_path):
    """A GBK file from an old editor is read, with a warning that says to save it as UTF-8."""
    quiz, problems = load(tmp_path, GOOD_QUIZ.encode("gbk"))
    assert quiz is not None and quiz.title.zh == "消防安全知识测验"
    [warning] = problems
    assert warning.level is Level.WARNING and "GBK" in warning.zh and "UTF-8" in warning.hint_zh


# (source, line, column or None, words in the message, words in the hint)
BAD_FILES = {
    "yaml-unclosed-quote": ('title: "测验\nquestions: []\n', 3, None, "引号", "引号"),
    "yaml-colon-in-text": (one_question("  - id: a\n    prompt:\n      zh: 注意: 先断电\n"), 5, 13, "冒号", "引号"),
    "yaml-bad-indent": ("title: x\n questions: []\n", 2, None, "", ""),
    "tab-indent": ("title:\n\tzh: 测验\n", 2, 1, "Tab", "空格"),
    "fullwidth-space-indent": ("title:\n\u3000\u3000zh: 测验\n", 2, 1, "全角空格", "空格"),
    "fullwidth-colon": ("title:\n  zh：测验\n", 2, 5, "中文冒号", "zh: "),
    "no-space-after-colon": ("title: x\nquestions:\n  - id:a\n", 3, 8, "空格", "id: "),
    "misspelt-key": (
        GOOD_QUIZ.replace("    explanation:\n      zh: 不要", "    explaination:\n      zh: 不要"),
        29,
        5,
        "explaination",
        "explanation",
    ),
    "repeated-key": (GOOD_QUIZ.replace("pass_mark: 80\n", "pass_mark: 80\npass_mark: 70\n"), 5, 1, "重复", "删除"),
    "missing-english": (
        GOOD_QUIZ.replace("      en: Which number do you call to report a fire?\n", ""),
        9,
        7,
        "缺少英文",
        "en:",
    ),
    "empty-chinese": (GOOD_QUIZ.replace("zh: 发现火灾应拨打哪个电话报警？", "zh:"), 9, 7, "中文（zh）是空的", "zh:"),
    "wrong-language-name": (GOOD_QUIZ.replace("  zh: 消防安全知识测验", "  cn: 消防安全知识测验"), 2, 3, "cn", "zh:"),
    "bad-question-id": (GOOD_QUIZ.replace("id: escape", "id: Escape Route"), 19, 9, "Escape Route", "escape-route"),
    "repeated-question-id": (GOOD_QUIZ.replace("id: escape", "id: fire-number"), 19, 9, "重复", "不同"),
    "missing-id": (
        GOOD_QUIZ.replace("  - id: hot-door\n    type: true_false", "  - type: true_false"),
        32,
        5,
        "缺少编号",
        "id: q3",
    ),
    "unknown-type": (GOOD_QUIZ.replace("type: multiple", "type: 多选"), 20, 11, "多选", "multiple"),
    "answer-out-of-range": (GOOD_QUIZ.replace("answer: B", "answer: E"), 15, 13, "“E”不在选项 A、B、C 中", "A、B、C"),
    "answer-missing": (GOOD_QUIZ.replace("    answer: B\n", ""), 6, 5, "缺少答案", "answer: B"),
    "single-with-two-answers": (GOOD_QUIZ.replace("answer: B", "answer: [A, B]"), 15, 13, "只能有一个答案", "multiple"),
    "multiple-as-string": (GOOD_QUIZ.replace("answer: [A, C]", "answer: AC"), 28, 13, "方括号", "[A, C]"),
    "multiple-chinese-comma": (GOOD_QUIZ.replace("answer: [A, C]", "answer: [A，C]"), 28, 14, "中文逗号", "英文逗号"),
    "multiple-repeated-letter": (GOOD_QUIZ.replace("answer: [A, C]", "answer: [A, A]"), 28, 17, "写了两次", "一次"),
    "true-false-not-bool": (
        GOOD_QUIZ.replace("answer: false", "answer: B"),
        37,
        13,
        "true（正确）或 false（错误）",
        "answer: true",
    ),
    "options-on-true-false": (
        GOOD_QUIZ.replace("    answer: false", "    options: [a, b]\n    answer: false"),
        37,
        14,
        "判断题不需要选项",
        "删除 options",
    ),
    "one-option": (
        GOOD_QUIZ.replace(
            '      - "110"\n      - "119"\n      - {zh: 120（急救）, en: 120 (ambulance)}\n', '      - "119"\n'
        ),
        12,
        7,
        "至少要有两个选项",
        "true_false",
    ),
    "no-options": (
        GOOD_QUIZ.replace(
            '    options:\n      - "110"\n      - "119"\n      - {zh: 120（急救）, en: 120 (ambulance)}\n', ""
        ),
        6,
        5,
        "缺少选项",
        "options:",
    ),
    "pass-mark-too-high": (GOOD_QUIZ.replace("pass_mark: 80", "pass_mark: 120"), 4, 12, "0 到 100", "pass_mark: 80"),
    "pass-mark-word": (GOOD_QUIZ.replace("pass_mark: 80", "pass_mark: 八十"), 4, 12, "0 到 100", "pass_mark: 80"),
    "empty-quiz": ("title: 测验\nquestions: []\n", 2, 12, "没有题目", "- id:"),
    "no-questions-key": ("title: 测验\n", 1, 1, "缺少 questions", "questions:"),
    "empty-file": ("", 0, None, "空的", "title"),
    "two-documents": ("title: a\n---\ntitle: b\n", 2, None, "---", "---"),
    # Found by tests/unit/test_load_fuzz.py:
    "control-character": ("title: 测验\x01\nquestions: []\n", 1, 10, "控制字符 U+0001", "删除"),
    "brackets-nested-too-deep": ("title: " + "[" * 2000 + "\n", 1, 1007, "太多层", "成对"),
    "no-final-line-break": ("title: x\nquestions:\n  - id: a\n    p", 4, 6, "少了冒号", "冒号"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_gives_one_clear_error(tmp_path, case):
    """Each kind of mistake gives one error with the file, the line and a fix, in Chinese and English."""
    source, line, column, words, hint = BAD_FILES[case]
    error = only_error(tmp_path, source)
    assert error.path == "quizzes/fire-safety.yaml"
    assert error.line == line, error.format()
    if column is not None:
        assert error.column == column, error.format()
    assert words in error.zh, error.format()
    assert hint in error.hint_zh + error.hint_en, error.format()
    assert error.en and error.hint_en, "every message has its English side"
    text = error.format()
    assert "Traceback" not in text and "Node" not in text and "str" not in text.split()


def test_question_errors_name_the_question(tmp_path):
    """An error inside a question names its number and id."""
    error = only_error(tmp_path, GOOD_QUIZ.replace("answer: [A, C]", "answer: [A, F]"))
    assert error.where == "第 2 题 question 2 · escape"
    assert error.format().startswith("quizzes/fire-safety.yaml:28:17: 错误 error [第 2 题 question 2 · escape]")


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    """Checking goes on after the first problem, so staff fix everything in one pass."""
    source = (
        GOOD_QUIZ.replace("answer: B", "answer: E")
        .replace("type: multiple", "type: multi")
        .replace("pass_mark: 80", "pass_mark: -5")
    )
    quiz, problems = load(tmp_path, source)
    assert quiz is None
    assert [p.line for p in problems] == [4, 15, 20]


def test_misspelt_required_key_is_not_also_reported_missing(tmp_path):
    """ "promt" gets "did you mean prompt?", not a second message that prompt is missing."""
    error = only_error(tmp_path, GOOD_QUIZ.replace("    prompt:\n      zh: 发现火灾", "    promt:\n      zh: 发现火灾"))
    assert "promt" in error.zh and "prompt" in error.hint_zh


def test_bad_file_name(tmp_path):
    """A file name that cannot be a quiz id (it becomes the web address) is reported with a usable name."""
    error = only_error(tmp_path, GOOD_QUIZ, name="Fire Safety.yaml")
    assert error.line == 0 and "fire-safety.yaml" in error.hint_zh


def test_unreadable_encoding(tmp_path):
    """Bytes that are no known encoding give a message about saving as UTF-8."""
    error = only_error(tmp_path, b"title: \xff\xfe\xfa\x80\x81\n")
    assert "编码" in error.zh and "UTF-8" in error.hint_zh


EXAM_KEYS = "mode: exam\ndraw: 2\nshuffle: yes\ntime_limit: 1h30m\n"


def test_exam_keys(tmp_path):
    """mode, draw, shuffle and time_limit load into the model."""
    quiz, problems = load(tmp_path, GOOD_QUIZ.replace("pass_mark: 80\n", "pass_mark: 80\n" + EXAM_KEYS))
    assert problems == []
    assert quiz.mode.value == "exam" and quiz.draw == 2 and quiz.shuffle is True and quiz.time_limit == 5400
    assert quiz.attempt_size == 2


@pytest.mark.parametrize(
    "line, words, hint",
    [
        ("mode: 考试", "不认识的模式", "mode: exam"),
        ("mode: exma", "不认识的模式", "mode: exam"),
        ("draw: 40", "题库只有 3 题", "3 或更小"),
        ("draw: 0", "1 或更大的整数", "draw: 10"),
        ("draw: ten", "1 或更大的整数", "draw: 10"),
        ("shuffle: maybe", "true（是）或 false（否）", "shuffle: true"),
        ("time_limit: 15 minutes", "看不懂时间限制", "15m"),
        ("time_limit: 0s", "看不懂时间限制", "90s"),
        ("time_limit: 25h", "看不懂时间限制", "24"),
    ],
    ids=lambda v: v if isinstance(v, str) and ":" in v else "",
)
def test_exam_key_errors(tmp_path, line, words, hint):
    """Each new key gets its own plain message on its own line."""
    error = only_error(tmp_path, GOOD_QUIZ.replace("pass_mark: 80\n", f"pass_mark: 80\n{line}\n"))
    assert error.line == 5 and words in error.zh and hint in error.hint_zh, error.format()


# -- found by fuzzing (tests/unit/test_load_fuzz.py) ---------------------------------------


@pytest.mark.parametrize(
    "line, words, hint",
    [
        ("draw: ᧚", "1 或更大的整数", "draw: 10"),  # a digit (isdigit) that int() cannot read: was a ValueError
        ("draw: " + "9" * 5000, "题库只有 3 题", "3 或更小"),  # more digits than int() reads: was a ValueError
        ("draw: " + "0" * 5000 + "2", "", ""),  # still the number 2
        ("time_limit: " + "9" * 5000 + "m", "看不懂时间限制", "24"),  # was a ValueError
        ("pass_mark: " + "9" * 5000, "0 到 100", "pass_mark: 80"),
        ("mode: " + "x" * 5000, "不认识的模式", "mode: exam"),
    ],
    ids=["odd-digit", "huge-draw", "zeros-draw", "huge-time-limit", "huge-pass-mark", "long-mode"],
)
def test_huge_and_odd_numbers(tmp_path, line, words, hint):
    """Numbers of thousands of digits or digits int() cannot read: a message (with the value cut short), not a crash."""
    source = GOOD_QUIZ.replace("pass_mark: 80\n", "" if line.startswith("pass_mark") else "pass_mark: 80\n")
    source = source.replace("questions:\n", f"{line}\nquestions:\n", 1)
    quiz, problems = load(tmp_path, source)
    if not words:
        assert problems == [] and quiz.draw == 2
        return
    [error] = problems
    assert words in error.zh and hint in error.hint_zh, error.format()
    assert len(error.format()) < 400, "a 5,000-character value is not repeated in full"


def test_line_numbers_count_lines_as_yaml_does(tmp_path):
    """A form feed copied from Word is reported, and does not shift the line numbers of later problems."""
    _, problems = load(tmp_path, "title: 测验\x0c题\nquestions:\n\t- id: a\n")
    assert [(p.line, p.column) for p in problems] == [(1, 10), (3, 1)], "\n\n".join(p.format() for p in problems)
    assert "U+000C" in problems[0].zh


def test_a_map_as_language_key_is_named_plainly(tmp_path):
    """ "title: {[a]: b}": no Python node in the message."""
    quiz, problems = load(tmp_path, "title: {[a]: b}\nquestions: []\n")
    assert quiz is None and problems
    assert all("Node" not in p.format() for p in problems), "\n\n".join(p.format() for p in problems)
    assert "“[…]”" in problems[0].zh


def test_unreadable_file(tmp_path, monkeypatch):
    """A file that cannot be opened is a message, not a crash of the whole build."""
    path = tmp_path / "fire-safety.yaml"
    path.write_text(GOOD_QUIZ, encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", refuse)
    quiz, [error] = load_quiz(path, "quizzes/fire-safety.yaml")
    assert quiz is None and "无法打开" in error.zh and "Permission denied" in error.en and error.hint_zh


def test_upper_case_extension_is_not_silently_skipped(tmp_path):
    """ "fire.YAML" (Windows hides the case) is named with the fix, like "fire.yml"."""
    (tmp_path / "fire.YAML").write_text(GOOD_QUIZ, encoding="utf-8")
    bank, [error] = load_bank(tmp_path, tmp_path)
    assert len(bank) == 0 and error.path == "fire.YAML" and "fire.yaml" in error.hint_zh


def _quiz(**texts) -> Quiz:
    text = Text(texts.get("zh", "题"), texts.get("en", "Q"))
    question = Question(
        "q1", QuestionType.SINGLE, text, (Option("A", text), Option("B", Text("b", "b"))), frozenset({"A"}), text
    )
    return Quiz(
        "fire-safety",
        "quizzes/fire-safety.yaml",
        texts.get("title", text),
        (question,),
        60,
        None,
        Mode.EXAM,
        None,
        False,
        texts.get("time_limit"),
    )


@pytest.mark.parametrize(
    "quiz",
    [
        _quiz(zh="第一行\x85第二行"),  # NEL: written single-quoted it folded into a space
        _quiz(zh="第一行\n第二行", en="line one\n\nline two"),
        _quiz(zh="a\u2028b\u2029c", en="a\rb"),
        _quiz(title=Text("Some\nquestions:\nhere", "t"), time_limit=600),  # time_limit went inside the title
    ],
    ids=["nel", "line-breaks", "separators", "title-with-questions"],
)
def test_written_quiz_loads_back_the_same(tmp_path, quiz):
    """quiz_to_yaml (import, new quiz) writes texts that load back unchanged."""
    quiz_again, problems = load(tmp_path, quiz_to_yaml(quiz))
    assert problems == []
    strip = lambda q: [dataclasses.replace(x, line=0) for x in q.questions]  # noqa: E731
    assert (
        quiz_again.title == quiz.title and strip(quiz_again) == strip(quiz) and quiz_again.time_limit == quiz.time_limit
    )


def test_a_bank_too_big_for_a_phone_is_a_warning(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(
        "title: {zh: 大题库, en: Big bank}\nquestions:\n" + question_bank(PHONE_QUESTIONS + 1), encoding="utf-8"
    )
    quiz, problems = load_quiz(path)
    assert quiz is not None and len(quiz.questions) == PHONE_QUESTIONS + 1
    assert [(p.level, p.line) for p in problems] == [(Level.WARNING, 3)]
    assert "拆成几个测验文件" in problems[0].hint_zh and "split the bank" in problems[0].hint_en
    path.write_text("title: {zh: 题库, en: Bank}\nquestions:\n" + question_bank(PHONE_QUESTIONS), encoding="utf-8")
    assert load_quiz(path)[1] == []


@pytest.mark.parametrize("name", ["index", "home"])
def test_names_the_site_uses_itself_cannot_be_quiz_ids(tmp_path, name):
    """quizzes/index.html lists all quizzes, posters/home.html and posters/index.html exist: a quiz
    file named so would silently replace one of them."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(GOOD_QUIZ, encoding="utf-8")
    _, problems = load_quiz(path)
    assert [p.level for p in problems] == [Level.ERROR]
    assert f"{name}-quiz.yaml" in problems[0].hint_zh and "taken by the site" in problems[0].en


def test_escaped_control_characters_in_texts_are_refused(tmp_path):
    """YAML's escapes let an invisible control character into a text ("\\x01"): it is named, not published."""
    path = tmp_path / "cc.yaml"
    path.write_text(GOOD_QUIZ.replace("zh: 消防安全知识测验", 'zh: "消防安全\\x01知识测验"'), encoding="utf-8")
    quiz, problems = load_quiz(path)
    assert quiz is None and [(p.line, p.level) for p in problems] == [(2, Level.ERROR)]
    assert "U+0001" in problems[0].zh and "U+0001" in problems[0].en
