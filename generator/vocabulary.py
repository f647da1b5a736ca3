"""The words and small helpers that quiz files, question-bank sheets and the checks share.

Each set of words exists once, and the YAML and sheet sets stand side by side, because they
differ on purpose: a quiz file states each question's type and is read one key at a time,
so a word only has to mean one thing in its place; a sheet's 题型 column may be empty, and
then the answer alone says whether a row is true/false (正确), single (B) or multiple (ACD).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .model import QuestionType

# -- option letters ----------------------------------------------------------------------
# A quiz file may list up to 26 options (assets/quiz.js keeps its own copy: no build step).  A
# sheet has one column per option: 选项A … 选项H, the usual layout of Chinese question banks.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_SHEET_OPTIONS = 8
SHEET_LETTERS = LETTERS[:MAX_SHEET_OPTIONS]

# -- true and false ----------------------------------------------------------------------
# Quiz files: compared in lower case.  on/off are YAML's own words for a switch.
TRUE_WORDS = {"true", "yes", "on", "对", "正确", "是", "√", "✓", "✔"}
FALSE_WORDS = {"false", "no", "off", "错", "错误", "否", "×", "✗", "✘", "x"}
# Sheets: compared in upper case, after NFKC, with the one-letter answers exported banks use
# (T/F, Y/N, X).  A row without a type is true/false when its answer is one of these, so a
# single answer "F" there reads as false: such a sheet needs its 题型 column.
SHEET_TRUE = {"正确", "对", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES", "RIGHT"}
SHEET_FALSE = {"错误", "错", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO", "WRONG"}

# -- question types ----------------------------------------------------------------------
# Quiz files: what authors write instead of single/multiple/true_false, each only suggested in
# the message (type: must be one of the three).  Sheets: the words of the 题型 column, accepted
# as they are (compared in lower case, spaces removed), including the one-character 单/多/判.
TYPE_ALIASES = {
    QuestionType.SINGLE: {"单选", "单选题", "radio", "single_choice", "single-choice", "choice"},
    QuestionType.MULTIPLE: {"多选", "多选题", "checkbox", "multi", "multiple_choice", "multiple-choice"},
    QuestionType.TRUE_FALSE: {"判断", "判断题", "truefalse", "true-false", "tf", "boolean", "bool", "yes_no"},
}
SHEET_TYPES = {
    QuestionType.SINGLE: {"单选", "单选题", "单项选择", "单项选择题", "single", "radio", "单"},
    QuestionType.MULTIPLE: {
        "多选",
        "多选题",
        "多项选择",
        "多项选择题",
        "不定项",
        "不定项选择",
        "multiple",
        "checkbox",
        "多",
    },
    QuestionType.TRUE_FALSE: {"判断", "判断题", "是非题", "对错题", "truefalse", "true_false", "tf", "判"},
}

# -- names and paths ---------------------------------------------------------------------
LANGUAGE_PAGE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")
"""A page in one language, ``name.<lang>.md`` (mkdocs-static-i18n's suffix structure)."""


def slug(value: str) -> str:
    """``value`` as an id to suggest: full-width letters as ASCII, lower case, other runs as "-"."""
    text = unicodedata.normalize("NFKC", value).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def shown(root: Path, path: Path) -> str:
    """``path`` as messages show it: relative to the project's folder when it lies inside it.

    Compared as written first, so a folder linked into the project is shown where it is linked;
    then both resolved, for a relative path beside an absolute root; else the path as given."""
    for base, target in ((root, path), (root.resolve(), path.resolve())):
        if target.is_relative_to(base):
            return target.relative_to(base).as_posix()
    return path.as_posix()
