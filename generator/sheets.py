"""Question-bank sheets: the usual Chinese layout in Excel (.xlsx) or CSV, in and out.

One row per question.  Columns are found by their header, in Chinese or English and in
any order: 编号, 题型 (单选 / 多选 / 判断), 题目, 选项A … 选项H, 答案, 解析, and the same
with （英文） / (en) for the English side.  Answers may be written B, ACD, A,C, A、C,
正确 / 错误, 对 / 错, √ / ×.  Merged cells count for every cell they cover, blank rows
are skipped and spaces trimmed.  A sheet's text is only ever text: the site escapes it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .load import ID_PATTERN, decode
from .model import Option, Question, QuestionType, Quiz, Text
from .nodes import CONTROL_CHARACTERS
from .problems import Level, Problem, has_errors
from .vocabulary import SHEET_FALSE, SHEET_LETTERS, SHEET_TRUE, SHEET_TYPES

_FIELDS = {
    "id": {"编号", "题号", "id"},
    "type": {"题型", "类型", "题目类型", "试题类型", "type", "questiontype"},
    "prompt": {"题目", "题干", "试题", "问题", "题目内容", "试题内容", "prompt", "question", "questiontext"},
    "answer": {"答案", "正确答案", "标准答案", "参考答案", "answer", "correctanswer", "key"},
    "explanation": {"解析", "答案解析", "试题解析", "说明", "解释", "explanation", "analysis", "feedback"},
}
_EN_SUFFIX = re.compile(r"(?:\((?:英文|英|en|english)\)|英文|_en|en|english)$")
_OPTION = re.compile(r"^(?:选项|option|opt)?([a-h])$")


def _cell(value) -> str:
    """A cell as the text the author typed (full-width punctuation kept), trimmed.

    Text pasted from Word brings its line breaks as vertical tabs (U+000B) and sometimes other
    invisible control characters, which a quiz text may not hold: line breaks become line
    breaks, the rest is dropped.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_CHARACTERS.sub("", str(value).replace("\x0b", "\n")).strip()


def _nfkc(text: str) -> str:
    """Full-width letters, brackets and commas as ASCII: for headers, answers and types only."""
    return unicodedata.normalize("NFKC", text)


def _header_key(header: str) -> tuple[str, bool] | None:
    """(field, is English) for a header cell, or None when it is not a column we know."""
    key = re.sub(r"[\s:_\-]", "", _nfkc(header).lower().replace("(中文)", "").replace("中文", ""))
    english = False
    if key != "en" and (match := _EN_SUFFIX.search(key)) and key[: match.start()]:
        key, english = key[: match.start()], True
    elif key.startswith("英文") and len(key) > 2:
        key, english = key[2:], True
    if match := _OPTION.match(key):
        return f"option{match.group(1).upper()}", english
    for name, words in _FIELDS.items():
        if key in words or (name == "type" and key.startswith("题型")):
            return name, english
    return None


@dataclass
class SheetResult:
    quiz: Quiz | None
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def read_rows(path: Path) -> list[list[str]]:
    """The cells of the first sheet (xlsx) or the file (csv), merged cells filled in, as text."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, data_only=True).worksheets[0]
        grid = [[_cell(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row - 1, merged.max_row):
                for col in range(merged.min_col - 1, merged.max_col):
                    grid[row][col] = value
        return grid
    text, _ = decode(path.read_bytes())
    if text is None:
        raise ValueError("encoding")
    return [[_cell(cell) for cell in row] for row in csv.reader(io.StringIO(text))]


def import_sheet(path: Path, quiz_id: str, title: Text, pass_mark: float = 60, shown: str | None = None) -> SheetResult:
    """Read a question-bank sheet into a quiz; every row that cannot be read is a problem naming its row."""
    shown = shown or path.name
    result = SheetResult(None)

    def problem(row: int, zh: str, en: str, hint_zh: str = "", hint_en: str = "", level=Level.ERROR) -> None:
        where = f"第 {row} 行 row {row}" if row else ""
        result.problems.append(Problem(shown, row, 0, level, zh, en, hint_zh, hint_en, where))

    try:
        rows = read_rows(path)
    except ValueError:
        problem(
            0,
            "无法读取文件的文字编码。",
            "The file's text encoding cannot be read.",
            "在 Excel 里另存为“CSV UTF-8”或 .xlsx。",
            'In Excel, "Save as" CSV UTF-8 or .xlsx.',
        )
        return result
    except Exception as error:  # a damaged or password-protected workbook, say
        problem(
            0,
            f"无法打开这个表格：{error}",
            f"The sheet cannot be opened: {error}",
            "确认文件能用 Excel 打开，并另存为 .xlsx。",
            "Check that Excel opens it, and save it as .xlsx.",
        )
        return result
    header_index = next((i for i, row in enumerate(rows) if any(row)), None)
    if header_index is None:
        problem(
            0,
            "表格是空的。",
            "The sheet is empty.",
            "第一行写列名（题型、题目、选项A……、答案、解析），下面每行一道题。",
            "Put the column names in the first row and one question per row below.",
        )
        return result
    columns: dict[tuple[str, bool], int] = {}
    unknown = []
    for index, header in enumerate(rows[header_index]):
        key = _header_key(header) if header else None
        if key and key not in columns:
            columns[key] = index
        elif header:
            unknown.append(header)
    for needed, zh in (("prompt", "题目"), ("answer", "答案")):
        if (needed, False) not in columns:
            problem(
                header_index + 1,
                f"找不到“{zh}”列。",
                f'No "{needed}" column was found.',
                f"第一行要有列名“{zh}”（也可以写 {needed}）。",
                f'The first row needs a "{zh}" (or "{needed}") column.',
            )
    if unknown:
        problem(
            header_index + 1,
            f"不认识的列，已忽略：{'、'.join(unknown)}。",
            f"Columns not recognised, ignored: {', '.join(unknown)}.",
            "列名可用：编号、题型、题目、选项A…选项H、答案、解析，以及加“（英文）”的英文列。",
            "Known columns: id, type, prompt, option A-H, answer, explanation, and the same with (en).",
            Level.WARNING,
        )
    if has_errors(result.problems):
        return result

    def cell(row: list[str], name: str, english: bool = False) -> str:
        index = columns.get((name, english))
        return row[index] if index is not None and index < len(row) else ""

    questions: list[Question] = []
    seen_ids: set[str] = set()
    for index in range(header_index + 1, len(rows)):
        row, number = rows[index], index + 1
        if not any(row):
            continue
        result.rows += 1
        question = _question(row, number, cell, len(questions) + 1, seen_ids, problem)
        if question:
            questions.append(question)
            seen_ids.add(question.id)
    if not questions and not result.problems:
        problem(
            0,
            "表格里没有题目。",
            "The sheet holds no questions.",
            "每道题占一行，写在列名下面。",
            "One question per row, below the column names.",
        )
    if questions and not has_errors(result.problems):
        result.quiz = Quiz(quiz_id, shown, title, tuple(questions), pass_mark)
    return result


def _question(row, number, cell, position, seen_ids, problem) -> Question | None:
    prompt_zh = cell(row, "prompt")
    if not prompt_zh:
        problem(
            number,
            "题目是空的。",
            "The question text is empty.",
            "在“题目”列写上题目，或删除这一行。",
            "Fill in the question, or delete the row.",
        )
        return None
    raw_answer = cell(row, "answer")
    answer = re.sub(r"[\s,、;/]", "", _nfkc(raw_answer).upper())
    raw_type = cell(row, "type")
    qtype = next((t for t, words in SHEET_TYPES.items() if re.sub(r"\s", "", _nfkc(raw_type).lower()) in words), None)
    if raw_type and qtype is None:
        problem(
            number,
            f"不认识的题型“{raw_type}”。",
            f'Unknown question type "{raw_type}".',
            "题型写 单选、多选 或 判断。",
            "Write 单选 (single), 多选 (multiple) or 判断 (true/false).",
        )
        return None
    if not answer:
        problem(
            number,
            "答案是空的。",
            "The answer is empty.",
            "在“答案”列写上答案，例如 B、ACD 或 正确。",
            "Fill in the answer, e.g. B, ACD or 正确.",
        )
        return None
    if qtype is None:  # no type column: tell from the answer
        qtype = (
            QuestionType.TRUE_FALSE
            if answer in SHEET_TRUE | SHEET_FALSE
            else QuestionType.MULTIPLE
            if len(answer) > 1
            else QuestionType.SINGLE
        )
    question_id = cell(row, "id").lower()
    if not ID_PATTERN.match(question_id) or question_id in seen_ids:
        question_id = f"q{position:03d}"
        while question_id in seen_ids:
            position += 1
            question_id = f"q{position:03d}"
    prompt = Text(prompt_zh, cell(row, "prompt", True) or prompt_zh)
    explanation_zh = cell(row, "explanation")
    explanation = Text(explanation_zh, cell(row, "explanation", True) or explanation_zh) if explanation_zh else None
    if qtype is QuestionType.TRUE_FALSE:
        if answer not in SHEET_TRUE | SHEET_FALSE:
            problem(
                number,
                f"判断题的答案“{raw_answer}”看不懂。",
                f'The true/false answer "{raw_answer}" cannot be read.',
                "写 正确 / 错误、对 / 错 或 √ / ×。",
                "Write 正确/错误, 对/错 or √/×.",
            )
            return None
        value = "true" if answer in SHEET_TRUE else "false"
        return Question(question_id, qtype, prompt, (), frozenset({value}), explanation, number)
    options = []
    for letter in SHEET_LETTERS:
        text = cell(row, f"option{letter}")
        if not text:
            break
        options.append(Option(letter, Text(text, cell(row, f"option{letter}", True) or text)))
    later = [letter for letter in SHEET_LETTERS[len(options) :] if cell(row, f"option{letter}")]
    if later:
        problem(
            number,
            f"选项{SHEET_LETTERS[len(options)]}是空的，但后面的选项{later[0]}有内容。",
            f"Option {SHEET_LETTERS[len(options)]} is empty but option {later[0]} is not.",
            "选项要从 A 开始连续填写。",
            "Fill the options in order from A, without gaps.",
        )
        return None
    if len(options) < 2:
        problem(
            number,
            f"选择题至少要有两个选项，这一行只有 {len(options)} 个。",
            f"A choice question needs two options; this row has {len(options)}.",
            "填写“选项A”“选项B”等列。",
            "Fill in the option columns.",
        )
        return None
    letters = list(dict.fromkeys(answer))
    allowed = SHEET_LETTERS[: len(options)]
    wrong = [letter for letter in letters if letter not in allowed]
    if wrong:
        problem(
            number,
            f"答案“{raw_answer}”里的“{''.join(wrong)}”不在选项 {'、'.join(allowed)} 中。",
            f'"{"".join(wrong)}" in the answer "{raw_answer}" is not one of the options {", ".join(allowed)}.',
            "答案只能用有内容的选项的字母。",
            "Use only letters of options that are filled in.",
        )
        return None
    if qtype is QuestionType.SINGLE and len(letters) != 1:
        problem(
            number,
            f"单选题只能有一个答案，这里是“{raw_answer}”。",
            f'A single-choice question has one answer; found "{raw_answer}".',
            "把题型改为“多选”，或只留一个答案。",
            "Change the type to 多选 (multiple), or keep one letter.",
        )
        return None
    return Question(question_id, qtype, prompt, tuple(options), frozenset(letters), explanation, number)


# -- export ---------------------------------------------------------------------------

_TYPE_NAMES = {QuestionType.SINGLE: "单选", QuestionType.MULTIPLE: "多选", QuestionType.TRUE_FALSE: "判断"}


def sheet_rows(quiz: Quiz) -> list[list[str]]:
    """The quiz in the sheet layout that import reads back to the same quiz."""
    width = max((len(q.options) for q in quiz.questions), default=0)
    width = max(width, 4)
    header = (
        ["编号", "题型", "题目"]
        + [f"选项{SHEET_LETTERS[i]}" for i in range(width)]
        + ["答案", "解析", "题目（英文）"]
        + [f"选项{SHEET_LETTERS[i]}（英文）" for i in range(width)]
        + ["解析（英文）"]
    )
    rows = [header]
    for q in quiz.questions:
        options_zh = [o.text.zh for o in q.options] + [""] * (width - len(q.options))
        options_en = [o.text.en for o in q.options] + [""] * (width - len(q.options))
        answer = (
            ("正确" if "true" in q.answer else "错误")
            if q.type is QuestionType.TRUE_FALSE
            else "".join(sorted(q.answer))
        )
        rows.append(
            [
                q.id,
                _TYPE_NAMES[q.type],
                q.prompt.zh,
                *options_zh,
                answer,
                q.explanation.zh if q.explanation else "",
                q.prompt.en,
                *options_en,
                q.explanation.en if q.explanation else "",
            ]
        )
    return rows


def export_xlsx(quiz: Quiz, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = quiz.id[:31]
    for row in sheet_rows(quiz):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(60, max(8, max(len(str(c.value or "")) for c in column) + 2))
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if c.data_type == "f":
                # openpyxl takes text that starts with "=" for a formula, which Excel would run:
                # it stays the text it is (and is read back as such by import).
                c.data_type = "s"
    book.save(path)
