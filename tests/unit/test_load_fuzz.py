"""Fuzzing the quiz loader: random bytes, YAML-ish text and, above all, mutated real quiz files.

The property (DESIGN §6, README "出错时"): whatever the bytes of a quiz file, ``load_quiz`` and
``load_bank`` never raise.  They return problems, each naming the file, a line that is in the
file (0 only for the whole file), and a message in Chinese and English; or, when nothing is an
error, a quiz that holds together (ids, letters, answers, texts in valid UTF-8) and that
``quiz_to_yaml`` writes back to a file that loads into the same quiz.

The inputs:

- ``test_mutated_real_files``: a quiz file of quizzes/ (or tests' GOOD_QUIZ) with one to six
  mutations: lines deleted, duplicated, swapped or re-indented (spaces, tabs, full-width
  spaces); characters inserted, deleted or replaced (``: - " ' [ ] { } # & * ! | > ? %`` and
  full-width ``：，「」、``, BOM, CR, NUL, U+2028, U+0085, control characters, astral CJK, emoji);
  a value replaced by another type (list, map, number, huge number, null, boolean, anchors and
  aliases, tags, block scalars, escapes, dates); every value of the file made a boolean; then
  saved as UTF-8, UTF-8 with BOM, CRLF, UTF-16 or GBK and, last, the bytes truncated, a byte
  flipped or NUL bytes inserted.
- ``test_every_field_every_value`` (exhaustive, not random) and ``test_any_values_in_any_fields``
  (two to four at once, or random text): each key line of a short quiz with exam keys given each
  value of the pool above, so that every field meets every type.
- ``test_random_yaml_text``: lines of quiz keys, indentation, indicators and random words.
- ``test_random_bytes``: any bytes, and any bytes after a BOM.
- ``test_generated_quizzes_round_trip``: quiz models with random Unicode texts, ids, types,
  answers and exam keys, written by ``quiz_to_yaml``: they must load into the same model.
- ``test_bank_of_mutated_files``: ``load_bank`` on a folder of several mutated files with odd names.

Runs are reproducible: ``derandomize=True`` and no example database (nothing is written to
.hypothesis/), so CI sees the same inputs each time: 1,500 mutated files, 800 + 800 field and
YAML-ish texts, 400 byte strings, 400 generated quizzes, 60 folders and 39 × 111 exhaustive field
values; about 20 s in all.
A longer fuzz with fresh random inputs, locally:

    QUIZ_FUZZ_EXAMPLES=20000 NO_MKDOCS_2_WARNING=1 .venv/bin/python -m pytest tests/unit/test_load_fuzz.py -x

With ``QUIZ_FUZZ_EXAMPLES`` set, each test runs that many examples, random rather than derandomized;
a failure prints the shrunk input and a ``@reproduce_failure`` line to paste above the test.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import DEFAULT_PASS_MARK, ID_PATTERN, decode, load_bank, load_quiz
from generator.model import LANGUAGES, Mode, Option, Question, QuestionType, Quiz, Text
from generator.nodes import CONTROL_CHARACTERS, MAX_TIME_LIMIT
from generator.problems import Level, Problem
from generator.vocabulary import LETTERS
from generator.write import quiz_to_yaml

from ..conftest import GOOD_QUIZ, PROJECT

_LONG = os.environ.get("QUIZ_FUZZ_EXAMPLES")


def fuzz_settings(examples: int):
    """``examples`` per test in CI (derandomized, no database); QUIZ_FUZZ_EXAMPLES for a longer random run."""
    return settings(
        max_examples=int(_LONG) if _LONG else examples,
        derandomize=not _LONG,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


SOURCES = {path.name: path.read_text(encoding="utf-8") for path in sorted((PROJECT / "quizzes").glob("*.yaml"))}
SOURCES["good-quiz.yaml"] = GOOD_QUIZ
SOURCES["exam-keys.yaml"] = GOOD_QUIZ.replace(
    "pass_mark: 80\n", "pass_mark: 80\nmode: exam\ndraw: 2\nshuffle: yes\ntime_limit: 1h30m\n"
)
assert len(SOURCES) >= 5, "the fuzz starts from the test project's quiz files"

# Lines as PyYAML counts them (its marks are what the messages report).
_YAML_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SHOWN = "quizzes/fuzz.yaml"


# -- the property ----------------------------------------------------------------------


def check(data: bytes, folder: Path, name: str = "fuzz.yaml") -> tuple[Quiz | None, list[Problem]]:
    """Load ``data`` as a quiz file and check everything the loader promises about the result."""
    path = folder / name
    path.write_bytes(data)
    shown = f"quizzes/{name}"
    quiz, problems = load_quiz(path, shown)  # must not raise
    text, _ = decode(data)
    lines = _YAML_BREAKS.split(text) if text is not None else []
    for problem in problems:
        check_problem(problem, shown, lines)
    errors = [p for p in problems if p.is_error]
    assert (quiz is None) == bool(errors), "a quiz comes back exactly when there is no error"
    if quiz is not None:
        check_quiz(quiz, path.stem)
        check_round_trip(quiz, folder, name)
    return quiz, problems


def check_problem(problem: Problem, shown: str, lines: list[str]) -> None:
    text = problem.format()
    assert isinstance(problem, Problem) and problem.level in (Level.ERROR, Level.WARNING), text
    assert problem.path == shown, text
    assert problem.zh.strip() and problem.en.strip(), f"both languages are said:\n{text}"
    assert bool(problem.hint_zh.strip()) == bool(problem.hint_en.strip()), (
        f"a hint is in both languages or neither:\n{text}"
    )
    assert "Node(" not in text and " object at 0x" not in text and "Traceback" not in text, (
        f"no Python internals:\n{text}"
    )
    assert "<unicode string>" not in text and "#x" not in text, f"no parser internals:\n{text}"
    assert len(text) < 2000, f"a value is not repeated at any length:\n{text[:300]}"
    assert problem.line >= 0 and problem.column >= 0, text
    if problem.line == 0:
        assert problem.column == 0 and not problem.zh.startswith("YAML"), f"a YAML error names its line:\n{text}"
        return
    # The line is in the file; an unclosed quote is reported at the end, one past the last line break.
    assert problem.line <= len(lines), f"line {problem.line} of a {len(lines)}-line file:\n{text}"
    if problem.column:
        assert problem.column <= len(lines[problem.line - 1]) + 1, (
            f"column {problem.column} of {lines[problem.line - 1]!r}:\n{text}"
        )


def check_text(text: Text) -> None:
    assert isinstance(text, Text)
    for language in LANGUAGES:
        value = text.get(language)
        assert isinstance(value, str) and value and value == value.strip(), repr(text)
        value.encode("utf-8")  # no lone surrogates: the pages are UTF-8


def check_quiz(quiz: Quiz, quiz_id: str) -> None:
    assert quiz.id == quiz_id and ID_PATTERN.match(quiz.id)
    check_text(quiz.title)
    if quiz.description is not None:
        check_text(quiz.description)
    assert 0 <= quiz.pass_mark <= 100
    assert isinstance(quiz.mode, Mode) and isinstance(quiz.shuffle, bool)
    assert quiz.questions, "a quiz has questions"
    assert quiz.draw is None or 1 <= quiz.draw <= len(quiz.questions)
    assert quiz.time_limit is None or 0 < quiz.time_limit <= MAX_TIME_LIMIT
    ids = [q.id for q in quiz.questions]
    assert len(set(ids)) == len(ids), "question ids are unique"
    for question in quiz.questions:
        assert ID_PATTERN.match(question.id), question.id
        assert isinstance(question.type, QuestionType) and question.line >= 1
        check_text(question.prompt)
        if question.explanation is not None:
            check_text(question.explanation)
        if question.type is QuestionType.TRUE_FALSE:
            assert question.options == () and question.answer in ({"true"}, {"false"})
            continue
        assert 2 <= len(question.options) <= len(LETTERS)
        assert [o.letter for o in question.options] == list(LETTERS[: len(question.options)])
        for option in question.options:
            check_text(option.text)
        assert question.answer and question.answer <= set(question.choices)
        if question.type is QuestionType.SINGLE:
            assert len(question.answer) == 1


def _without_lines(quiz: Quiz) -> Quiz:
    return dataclasses.replace(quiz, questions=tuple(dataclasses.replace(q, line=0) for q in quiz.questions))


def check_round_trip(quiz: Quiz, folder: Path, name: str) -> None:
    """quiz_to_yaml writes a file that loads into the same quiz (only the questions' lines move)."""
    again_folder = folder / "again"
    again_folder.mkdir(exist_ok=True)
    path = again_folder / name
    written = quiz_to_yaml(quiz, "written back by the fuzz test")
    path.write_text(written, encoding="utf-8")
    again, problems = load_quiz(path, quiz.path)
    assert problems == [], "\n\n".join(p.format() for p in problems) + "\n\n" + written
    assert _without_lines(again) == _without_lines(quiz), written


# -- mutations of real files -------------------------------------------------------------

INSERTS = (
    ":",
    ": ",
    "-",
    "- ",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&",
    "*",
    "!",
    "|",
    ">",
    "?",
    "%",
    "@",
    "`",
    "~",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\ufeff",
    "\u3000",
    "\u2028",
    "\x85",
    "\x01",
    "\x1b",
    "\x7f",
    "\ufffe",
    "：",
    "，",
    "「",
    "」",
    "、",
    "；",
    "（",
    "）",
    "“",
    "”",
    "－",
    "𠀀",
    "𪚥",
    "𰻞",
    "👷‍♀️",
    "🇨🇳",
    "مرحبا",
    "שלום",
    "\u202e",
    "\u200b",
    "\\",
    "\\u",
    "\\x",
    "\\ud800",
)
VALUES = (
    "",
    "~",
    "null",
    "Null",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "对",
    "错",
    "0",
    "-1",
    "1",
    "80",
    "100",
    "101",
    "3.5",
    "1e400",
    "-1e400",
    ".inf",
    ".nan",
    "nan",
    "0x1F",
    "0o17",
    "1_000",
    "9" * 5000,
    "1" + "0" * 400,
    "八十",
    "８０",
    "８０％",
    "80%",
    "᧚",
    "١٥m",
    "²",
    "99999999999999999999h",
    "9" * 5000 + "m",
    "1h30m",
    "0s",
    "25h",
    "[]",
    "{}",
    "[A, C]",
    "[A，C]",
    "A、C",
    "AC",
    "ｂ",
    "[[A]]",
    "[{zh: a}]",
    "{zh: x}",
    "{en: x}",
    "{zh: {a: b}}",
    "{zh: [a], en: b}",
    "{cn: a, en: b}",
    "{zh: a, zh: b}",
    "{? [a] : b}",
    "{[a]: b}",
    "[a, b, c]",
    "[a]",
    "&a x",
    "*a",
    "*nowhere",
    "&a [*a]",
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!custom x",
    "!!str 1",
    "!!int x",
    "!!map {}",
    "2025-06-01",
    "12:30",
    "'quoted'",
    '"dq\\u0000"',
    '"\\ud800"',
    '"\\U0001F477"',
    '"\\x01"',
    '"\\e"',
    "'",
    '"',
    "? x",
    "- item",
    "|\n  block\n",
    ">-\n  folded",
    "|",
    "single",
    "multiple",
    "true_false",
    "practice",
    "exam",
    "𠀀𪚥𰻞",
    "👷‍♀️🇨🇳",
    "مرحبا بالعالم",
    "<script>alert(1)</script>",
    "x: y",
    "\n  - nested\n  - list",
    "\n  zh: a\n  en: b",
    "\n  - {zh: a, en: b}\n  - b",
    "\n  - 1\n  - 2\n",
)
BOOLEANS = ("true", "false", "yes", "no", "on", "off", "True", "FALSE", "对", "错")
_KEY_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[^\s:#][^:#]*?):(?P<value>(?:[ ].*)?)$")

LINE_KINDS = (
    "delete",
    "duplicate",
    "swap",
    "move",
    "indent+",
    "indent-",
    "indent-tab",
    "indent-fullwidth",
    "blank",
    "join",
    "split",
)
CHAR_KINDS = ("insert", "delete-char", "replace-char", "strip-colons", "fullwidth-colons", "fullwidth-commas")
VALUE_KINDS = ("value", "value-generated", "top-value", "all-booleans", "line-booleans", "value-swap", "key-rename")
TEXT_KINDS = LINE_KINDS + CHAR_KINDS + VALUE_KINDS
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-bom", "crlf", "utf-16", "gbk")
BYTE_KINDS = ("none", "none", "none", "truncate", "flip", "nul", "invalid-utf8", "double-bom")

mutation = st.tuples(
    st.sampled_from(TEXT_KINDS),
    st.integers(0, 1 << 20),
    st.integers(0, 1 << 20),
    st.sampled_from(INSERTS),
    st.sampled_from(VALUES),
    st.text(st.characters(codec="utf-8"), max_size=12),
)


def _at(seq, index):
    return index % len(seq) if seq else 0


def mutate(text: str, kind: str, i: int, j: int, insert: str, value: str, generated: str) -> str:
    lines = text.split("\n")
    n, m = _at(lines, i), _at(lines, j)
    keyed = [k for k, line in enumerate(lines) if _KEY_LINE.match(line)]
    if kind == "top-value":  # title, pass_mark, mode, draw, shuffle, time_limit, questions: few lines, many checks
        keyed = [k for k in keyed if not lines[k].startswith(" ")]
    if kind == "delete":
        del lines[n]
    elif kind == "duplicate":
        lines.insert(n, lines[n])
    elif kind == "swap":
        lines[n], lines[m] = lines[m], lines[n]
    elif kind == "move":
        lines.insert(m, lines.pop(n))
    elif kind == "indent+":
        lines[n] = " " * (1 + j % 4) + lines[n]
    elif kind == "indent-":
        lines[n] = lines[n][min(1 + j % 4, len(lines[n]) - len(lines[n].lstrip(" "))) :]
    elif kind == "indent-tab":
        lines[n] = re.sub(r"^ {1,4}", "\t", lines[n])
    elif kind == "indent-fullwidth":
        lines[n] = re.sub(r"^  ", "\u3000", lines[n])
    elif kind == "blank":
        lines.insert(n, " " * (j % 8))
    elif kind == "join" and n + 1 < len(lines):
        lines[n : n + 2] = [lines[n] + (" " if j % 2 else "") + lines[n + 1].lstrip()]
    elif kind == "split" and lines[n]:
        cut = _at(lines[n], j)
        lines[n : n + 1] = [lines[n][:cut], lines[n][cut:]]
    elif kind in CHAR_KINDS:
        line = lines[n]
        cut = j % (len(line) + 1)
        if kind == "insert":
            line = line[:cut] + insert + line[cut:]
        elif kind == "delete-char":
            line = line[:cut] + line[cut + 1 :]
        elif kind == "replace-char":
            line = line[:cut] + insert + line[cut + 1 :]
        elif kind == "strip-colons":
            line = line.replace(":", "", 1)
        elif kind == "fullwidth-colons":
            line = line.replace(": ", "：", 1) if j % 2 else line.replace(":", "：")
        elif kind == "fullwidth-commas":
            line = line.replace(",", "，").replace(", ", "、")
        lines[n] = line
    elif kind in ("value", "value-generated", "top-value", "line-booleans", "value-swap", "key-rename") and keyed:
        k = keyed[_at(keyed, i)]
        match = _KEY_LINE.match(lines[k])
        lead, key = match["lead"], match["key"]
        if kind in ("value", "top-value"):
            new = value
        elif kind == "value-generated":
            new = generated
        elif kind == "line-booleans":
            new = BOOLEANS[j % len(BOOLEANS)]
        elif kind == "value-swap":
            other = _KEY_LINE.match(lines[keyed[_at(keyed, j)]])
            new = other["value"].strip()
        else:  # key-rename: a misspelt, translated or other key
            key = (
                (generated.strip().replace(":", "") or key[::-1])
                if j % 2
                else ("标题", "Title", "answers", "optoins", "zh-cn", "id ")[j % 6]
            )
            new = match["value"].strip()
        indent = " " * (len(lead) + 2)
        lines[k] = f"{lead}{key}: {new.replace(chr(10), chr(10) + indent)}".rstrip(" ") if new else f"{lead}{key}:"
    elif kind == "all-booleans":
        for k in keyed:
            match = _KEY_LINE.match(lines[k])
            if match["value"].strip():
                lines[k] = f"{match['lead']}{match['key']}: {BOOLEANS[(k + j) % len(BOOLEANS)]}"
    return "\n".join(lines)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if encoding == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if encoding == "gbk":
        return text.encode("gbk", "replace")
    return text.encode("utf-8", "surrogatepass")


def spoil(data: bytes, kind: str, i: int) -> bytes:
    cut = i % (len(data) + 1)
    if kind == "truncate":
        return data[:cut]
    if kind == "flip" and data:
        cut = min(cut, len(data) - 1)
        return data[:cut] + bytes([data[cut] ^ (1 << (i % 8))]) + data[cut + 1 :]
    if kind == "nul":
        return data[:cut] + b"\x00" + data[cut:]
    if kind == "invalid-utf8":
        return data[:cut] + (b"\xff", b"\xc3", b"\xe4\xb8", b"\xf0\x9f\x98", b"\xed\xa0\x80")[i % 5] + data[cut:]
    if kind == "double-bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    return data


mutated_file = st.tuples(
    st.sampled_from(sorted(SOURCES)),
    st.lists(mutation, min_size=1, max_size=6),
    st.sampled_from(ENCODINGS),
    st.sampled_from(BYTE_KINDS),
    st.integers(0, 1 << 20),
)


def build_mutated(source: str, mutations, encoding: str, byte_kind: str, position: int) -> bytes:
    text = SOURCES[source]
    for args in mutations:
        text = mutate(text, *args)
    return spoil(encode(text, encoding), byte_kind, position)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="quiz-fuzz-") as name:
        yield Path(name)


@fuzz_settings(1500)
@given(mutated_file)
def test_mutated_real_files(folder, case):
    """Real quiz files with lines, characters, values, encodings and bytes spoilt:
    problems or a sound quiz, never a crash."""
    check(build_mutated(*case), folder)


def test_the_real_files_load_and_round_trip(folder):
    """Before any mutation: every source file loads without a problem and writes back the same."""
    for name, text in SOURCES.items():
        quiz, problems = check(text.encode("utf-8"), folder)
        assert quiz is not None and problems == [], name


_SHORT = SOURCES["exam-keys.yaml"]
_SHORT_KEYED = [k for k, line in enumerate(_SHORT.split("\n")) if _KEY_LINE.match(line)]
field_value = st.one_of(
    st.sampled_from(VALUES), st.sampled_from(BOOLEANS), st.text(st.characters(codec="utf-8"), max_size=12)
)


@fuzz_settings(800)
@given(st.dictionaries(st.sampled_from(_SHORT_KEYED), field_value, min_size=2, max_size=4))
def test_any_values_in_any_fields(folder, values):
    """Up to four keys of a short quiz given values of other types, or random text, at once:
    problems or a sound quiz."""
    check(with_values(values).encode("utf-8"), folder)


def with_values(values: dict[int, str]) -> str:
    lines = _SHORT.split("\n")
    for k, value in values.items():
        match = _KEY_LINE.match(lines[k])
        indent = " " * (len(match["lead"]) + 2)
        lines[k] = f"{match['lead']}{match['key']}: {value.replace(chr(10), chr(10) + indent)}".rstrip(" ")
    return "\n".join(lines)


def test_every_field_every_value(folder):
    """Exhaustively: each key line of the short quiz (every key of DESIGN §6 and the exam keys) with each
    value of the pool (VALUES and BOOLEANS: types, huge numbers, odd digits, tags, aliases, escapes)."""
    for k in _SHORT_KEYED:
        for value in VALUES + BOOLEANS:
            try:
                check(with_values({k: value}).encode("utf-8"), folder)
            except Exception as error:
                raise AssertionError(f"line {k + 1} set to {value[:60]!r}") from error


# -- random YAML-ish text and random bytes -----------------------------------------------

_TOKENS = st.sampled_from(
    (
        "title",
        "questions",
        "id",
        "type",
        "prompt",
        "options",
        "answer",
        "explanation",
        "pass_mark",
        "mode",
        "draw",
        "shuffle",
        "time_limit",
        "description",
        "zh",
        "en",
        "single",
        "multiple",
        "true_false",
        "A",
        "B",
        "[A, C]",
        ":",
        ": ",
        "- ",
        "-",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "'",
        '"',
        "&a",
        "*a",
        "!!str",
        "|",
        ">",
        "?",
        "---",
        "...",
        "%YAML 1.1",
        "\t",
        "\u3000",
        "：",
        "，",
        "~",
        "null",
        "true",
        "no",
        "119",
        "1e9",
        "对",
    )
)
_WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=8)
_LINE = st.tuples(st.integers(0, 8), st.lists(st.one_of(_TOKENS, _WORDS), max_size=6)).map(
    lambda parts: " " * parts[0] + " ".join(parts[1])
)
yamlish = st.lists(_LINE, max_size=40).map("\n".join)


@fuzz_settings(800)
@given(yamlish, st.sampled_from(ENCODINGS))
def test_random_yaml_text(folder, text, encoding):
    """Lines of quiz keys, indicators and random words: problems or a sound quiz, never a crash."""
    check(encode(text, encoding), folder)


@fuzz_settings(400)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.binary(max_size=300).map(lambda b: b"\xef\xbb\xbf" + b),
        st.binary(max_size=300).map(lambda b: b"\xff\xfe" + b),
        st.binary(max_size=300).map(lambda b: b"\xfe\xff" + b),
    )
)
def test_random_bytes(folder, data):
    """Any bytes at all: problems (an encoding problem is about the whole file), never a crash."""
    check(data, folder)


# -- generated quizzes: quiz_to_yaml and load_quiz are inverses ---------------------------

_TEXT = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda text: text and not CONTROL_CHARACTERS.search(text))
)  # those are refused (test_load.py)
_ODD = st.sampled_from(
    (
        "𠀀𪚥𰻞",
        "👷‍♀️ 🇨🇳 🏳️‍🌈",
        "مرحبا بالعالم",
        "שלום עולם",
        "119",
        "no",
        "null",
        "~",
        "- a",
        "a: b",
        "#1",
        "'",
        '"',
        "[A]",
        "<b>x</b>",
        "**加粗**",
        "line\nbreak",
        "tab\there",
        "questions:\nx",
    )
)
text_value = st.one_of(_TEXT, _ODD)
bilingual = st.one_of(text_value.map(lambda t: Text(t, t)), st.builds(Text, text_value, text_value))
question_id = st.lists(st.text("abcxyz0189", min_size=1, max_size=4), min_size=1, max_size=3).map("-".join)


@st.composite
def questions(draw):
    qtype = draw(st.sampled_from(QuestionType))
    prompt = draw(bilingual)
    explanation = draw(st.none() | bilingual)
    if qtype is QuestionType.TRUE_FALSE:
        return qtype, prompt, (), frozenset({draw(st.sampled_from(("true", "false")))}), explanation
    count = draw(st.integers(2, 8))
    options = tuple(Option(LETTERS[n], draw(bilingual)) for n in range(count))
    if qtype is QuestionType.SINGLE:
        answer = frozenset({draw(st.sampled_from(LETTERS[:count]))})
    else:
        answer = frozenset(draw(st.sets(st.sampled_from(LETTERS[:count]), min_size=1)))
    return qtype, prompt, options, answer, explanation


@st.composite
def quizzes(draw):
    parts = draw(st.lists(questions(), min_size=1, max_size=6))
    ids = draw(st.lists(question_id, min_size=len(parts), max_size=len(parts), unique=True))
    qs = tuple(Question(qid, *part) for qid, part in zip(ids, parts, strict=True))
    pass_mark = draw(st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False), st.just(DEFAULT_PASS_MARK)))
    pass_mark = int(pass_mark) if float(pass_mark).is_integer() else pass_mark
    return Quiz(
        "fuzz",
        _SHOWN,
        draw(bilingual),
        qs,
        pass_mark,
        draw(st.none() | bilingual),
        draw(st.sampled_from(Mode)),
        draw(st.none() | st.integers(1, len(qs))),
        draw(st.booleans()),
        draw(st.none() | st.integers(1, MAX_TIME_LIMIT)),
    )


@fuzz_settings(400)
@given(quizzes())
def test_generated_quizzes_round_trip(folder, quiz):
    """Any quiz the model allows (Unicode texts, RTL, emoji, astral CJK, YAML-looking words)
    is written and read back unchanged."""
    again, problems = check(quiz_to_yaml(quiz).encode("utf-8"), folder)
    assert problems == []
    assert _without_lines(again) == quiz


# -- a folder of files -------------------------------------------------------------------

_NAME = st.text(st.sampled_from("abcxyz019-_ .ABC中文𠀀"), min_size=1, max_size=10).filter(
    lambda s: not s.startswith(".")
)
_SUFFIX = st.sampled_from((".yaml", ".yaml", ".yaml", ".yml", ".YAML", ".YML", ".txt", ".yaml.bak", ""))


@fuzz_settings(60)
@given(st.dictionaries(st.tuples(_NAME, _SUFFIX).map("".join), mutated_file, min_size=1, max_size=5))
def test_bank_of_mutated_files(case_folder, files):
    """load_bank on a folder of mutated files with odd names: every problem names its file, the good ones load."""
    root = case_folder / "project"
    quiz_dir = root / "quizzes"
    for old in quiz_dir.glob("*"):
        old.unlink()
    quiz_dir.mkdir(parents=True, exist_ok=True)
    for name, case in files.items():
        (quiz_dir / name).write_bytes(build_mutated(*case))
    bank, problems = load_bank(root, quiz_dir)  # must not raise
    names = {f"quizzes/{name}" for name in files}
    for problem in problems:
        assert problem.path in names, problem.format()
        assert problem.zh.strip() and problem.en.strip(), problem.format()
    for quiz in bank:
        assert f"quizzes/{quiz.id}.yaml" in names
        assert not any(p.is_error and p.path == quiz.path for p in problems)
        check_quiz(quiz, quiz.id)


@pytest.fixture(scope="module")
def case_folder():
    with tempfile.TemporaryDirectory(prefix="quiz-bank-fuzz-") as name:
        yield Path(name)
