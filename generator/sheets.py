"""Question-bank sheets: the usual Chinese layout in Excel (.xlsx) or CSV, in and out.

One row per question.  Columns are found by their header, in Chinese or English and in
any order: 编号, 题型 (单选 / 多选 / 判断), 题目, 选项A … 选项H, 答案, 解析, and the same
with （英文） / (en) for the English side.  Answers may be written B, ACD, A,C, A、C,
正确 / 错误, 对 / 错, √ / ×.  Merged cells count for every cell they cover, blank rows
are skipped and spaces trimmed.  A sheet's text is only ever text: the site escapes it.

Pictures: 图片 (the file's name as a quiz file gives it, e.g. signs/no-smoking.svg) with
图片说明 / 图片说明（英文） (what it shows), and 选项A图片 … 选项H图片 for options.  A sheet
has no room for an option's alt text beside its text, so an option's text cells describe
its picture: an option with a picture is a picture-only option (its text is the picture's
alt).  Whether the files exist is left to ``check``: a sheet is often filled in before the
pictures are collected.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .load import ID_PATTERN, decode
from .model import Option, Picture, Question, QuestionType, Quiz, Text
from .nodes import CONTROL_CHARACTERS
from .problems import Level, Problem, has_errors
from .vocabulary import SHEET_FALSE, SHEET_LETTERS, SHEET_TRUE, SHEET_TYPES

_FIELDS = {
    "id": {"编号", "题号", "id"},
    "type": {"题型", "类型", "题目类型", "试题类型", "type", "questiontype"},
    "prompt": {"题目", "题干", "试题", "问题", "题目内容", "试题内容", "prompt", "question", "questiontext"},
    "answer": {"答案", "正确答案", "标准答案", "参考答案", "answer", "correctanswer", "key"},
    "explanation": {"解析", "答案解析", "试题解析", "说明", "解释", "explanation", "analysis", "feedback"},
    "image": {
        "图片",
        "图片文件",
        "图片文件名",
        "图片名",
        "配图",
        "插图",
        "image",
        "imagefile",
        "picture",
        "picturefile",
    },
    "image_alt": {
        "图片说明",
        "图片描述",
        "图片文字",
        "图片替代文字",
        "替代文字",
        "图片alt",
        "imagealt",
        "imagealttext",
        "imagedescription",
        "picturealt",
        "picturedescription",
        "alt",
        "alttext",
    },
}
_EN_SUFFIX = re.compile(r"(?:\((?:英文|英|en|english)\)|英文|_en|en|english)$")
_OPTION = re.compile(r"^(?:选项|option|opt)?([a-h])$")
_OPTION_IMAGE = re.compile(r"^(?:选项|option|opt)?([a-h])(?:图片|图片文件|配图|图|image|picture|pic)$")


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
    if match := _OPTION_IMAGE.match(key):
        return f"option{match.group(1).upper()}image", english
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
            "列名可用：编号、题型、题目、选项A…选项H、答案、解析、图片、图片说明、选项A图片…选项H图片，"
            "以及加“（英文）”的英文列。",
            "Known columns: id, type, prompt, option A-H, answer, explanation, image, image alt, "
            "option A-H image, and the same with (en).",
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
    file, alt_zh, alt_en = cell(row, "image"), cell(row, "image_alt"), cell(row, "image_alt", True)
    if file and not alt_zh:
        problem(
            number,
            f"有图片“{file}”，但“图片说明”是空的：看不见图片的人（读屏软件）和图片加载不出来时，要靠它知道图上是什么。",
            f'The picture "{file}" has no alt text in the "图片说明" (image alt) column: people who cannot see '
            "it (screen readers), and everyone when it fails to load, rely on it.",
            "在“图片说明”列写图上画的是什么（不要写出答案），例如：红色圆环加斜杠，中间是点燃的香烟；"
            "英文写在“图片说明（英文）”列。",
            'In "图片说明" (image alt), say what the picture shows without giving the answer away, e.g. '
            '"A red ring and bar over a lit cigarette"; the English goes in "图片说明（英文）" (image alt (en)).',
        )
        return None
    if (alt_zh or alt_en) and not file:
        problem(
            number,
            "有图片说明，但“图片”列是空的。",
            'The row has an image alt text but the "图片" (image) column is empty.',
            "在“图片”列写图片的文件名（content/images/ 里的），例如 signs/no-smoking.svg；这道题不用图片就删掉说明。",
            'Give the picture\'s file name in "图片" (image), as it is in content/images/, e.g. '
            "signs/no-smoking.svg; without a picture, clear the alt text.",
        )
        return None
    image = Picture(_file_name(file), Text(alt_zh, alt_en or alt_zh), number) if file else None
    if qtype is QuestionType.TRUE_FALSE:
        stray = [letter for letter in SHEET_LETTERS if cell(row, f"option{letter}image")]
        if stray:
            problem(
                number,
                f"判断题没有选项，但“选项{stray[0]}图片”列有图片。",
                f'A true/false question has no options, but the "选项{stray[0]}图片" (option {stray[0]} image) '
                "column holds a picture.",
                "题目的图片写在“图片”列（说明写在“图片说明”列）；不用就删掉。",
                'Put the question\'s picture in "图片" (image), with its alt text in "图片说明"; or clear the cell.',
            )
            return None
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
        return Question(question_id, qtype, prompt, (), frozenset({value}), explanation, number, image)
    options = []
    for letter in SHEET_LETTERS:
        text, option_file = cell(row, f"option{letter}"), cell(row, f"option{letter}image")
        if not text and not option_file:
            break
        if not text:
            problem(
                number,
                f"选项{letter}有图片“{option_file}”，但“选项{letter}”列是空的。",
                f'Option {letter} has the picture "{option_file}" but its "选项{letter}" (option {letter}) '
                "cell is empty.",
                f"在“选项{letter}”列写图上画的是什么：它就是这张图片的说明，看不见图片的人靠它作答"
                f"（英文写在“选项{letter}（英文）”列）。",
                f'Say what the picture shows in "选项{letter}" (option {letter}): it is the picture\'s alt text, '
                f'which people who cannot see it answer by (English in "选项{letter}（英文）").',
            )
            return None
        option_text = Text(text, cell(row, f"option{letter}", True) or text)
        option_image = Picture(_file_name(option_file), option_text, number) if option_file else None
        options.append(Option(letter, option_text, option_image))
    later = [
        letter
        for letter in SHEET_LETTERS[len(options) :]
        if cell(row, f"option{letter}") or cell(row, f"option{letter}image")
    ]
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
    return Question(question_id, qtype, prompt, tuple(options), frozenset(letters), explanation, number, image)


def _file_name(file: str) -> str:
    """A picture's file name as a quiz file writes it: "/" between folders, as Windows staff may type "\\"."""
    return file.replace("\\", "/")


# -- export ---------------------------------------------------------------------------

_TYPE_NAMES = {QuestionType.SINGLE: "单选", QuestionType.MULTIPLE: "多选", QuestionType.TRUE_FALSE: "判断"}


def sheet_rows(quiz: Quiz) -> list[list[str]]:
    """The quiz in the sheet layout that import reads back to the same quiz (but see ``alt_lost_in_sheet``).

    The picture columns come last, and only in the sheet of a quiz that has pictures: the sheet of
    a quiz without them is the one staff have always had.
    """
    width = max((len(q.options) for q in quiz.questions), default=0)
    width = max(width, 4)
    pictures = any(q.pictures for q in quiz.questions)
    header = (
        ["编号", "题型", "题目"]
        + [f"选项{SHEET_LETTERS[i]}" for i in range(width)]
        + ["答案", "解析", "题目（英文）"]
        + [f"选项{SHEET_LETTERS[i]}（英文）" for i in range(width)]
        + ["解析（英文）"]
    )
    if pictures:
        header += ["图片", "图片说明", "图片说明（英文）"] + [f"选项{SHEET_LETTERS[i]}图片" for i in range(width)]
    rows = [header]
    for q in quiz.questions:
        options_zh = [o.text.zh for o in q.options] + [""] * (width - len(q.options))
        options_en = [o.text.en for o in q.options] + [""] * (width - len(q.options))
        answer = (
            ("正确" if "true" in q.answer else "错误")
            if q.type is QuestionType.TRUE_FALSE
            else "".join(sorted(q.answer))
        )
        row = [
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
        if pictures:
            image = [q.image.file, q.image.alt.zh, q.image.alt.en] if q.image else ["", "", ""]
            files = [o.image.file if o.image else "" for o in q.options] + [""] * (width - len(q.options))
            row += image + files
        rows.append(row)
    return rows


def alt_lost_in_sheet(quiz: Quiz) -> list[tuple[Question, Option]]:
    """The options whose picture has an alt text of its own beside the option's text: a sheet has one
    text per option, so the alt is not exported, and importing the sheet again makes the option's text
    the picture's alt (the option becomes picture-only)."""
    return [(q, o) for q in quiz.questions for o in q.options if o.image is not None and o.text_shown]


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
