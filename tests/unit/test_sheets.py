"""Question-bank sheets: the usual layouts read right, bad rows named by number, round trips exact."""

from __future__ import annotations

import dataclasses
import json

import pytest
from openpyxl import Workbook

from generator.load import load_quiz
from generator.model import QuestionType, Text
from generator.sheets import alt_lost_in_sheet, export_xlsx, import_sheet, sheet_rows
from generator.write import quiz_to_yaml

from ..conftest import FIXTURES

BEFORE_PICTURES = FIXTURES / "exports_without_pictures"
"""A quiz without pictures and what each export made of it before quizzes could have pictures."""
TITLE = Text("消防", "Fire")
HEADER = [
    "  题型 ",
    "题目",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "解析",
    "题目（英文）",
    "Option A (en)",
    "Option B (en)",
]
ROWS = [
    ["单选", "火警电话是？  ", "110", "119", "120", "", "B", "119 是火警。", "The fire number?", "110", "119"],
    ["多选", "逃生时应？", "湿毛巾捂口鼻", "乘电梯", "低姿前进", "沿指示走", "ACD", "", "", "", ""],
    ["多选", "防护用品？", "安全帽", "拖鞋", "安全带", "", "A,C", "", "", "", ""],
    ["多选", "三宝是？", "安全帽", "安全带", "安全网", "", "A、B、C", "", "", "", ""],
    ["判断", "门把手烫可开门。", "正确", "错误", "", "", "错误", "", "", "", ""],
    ["判断", "119 是火警。", "", "", "", "", "对", "", "", "", ""],
    ["判断", "可以乘电梯逃生。", "", "", "", "", "×", "", "", "", ""],
    ["判断", "应立即报警。", "", "", "", "", "√", "", "", "", ""],
]


def xlsx(tmp_path, rows, header=HEADER, name="bank.xlsx", merge=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    path = tmp_path / name
    book.save(path)
    return path


def test_reads_the_usual_sheet(tmp_path):
    """Types, answers in every usual form, English columns, trimmed spaces, blank rows skipped."""
    path = xlsx(tmp_path, ROWS[:2] + [[""] * 11] + ROWS[2:])
    result = import_sheet(path, "fire", TITLE)
    assert [p for p in result.problems if p.is_error] == []
    questions = result.quiz.questions
    assert [q.type for q in questions] == [QuestionType.SINGLE] + [QuestionType.MULTIPLE] * 3 + [
        QuestionType.TRUE_FALSE
    ] * 4
    assert [sorted(q.answer) for q in questions] == [
        ["B"],
        ["A", "C", "D"],
        ["A", "C"],
        ["A", "B", "C"],
        ["false"],
        ["true"],
        ["false"],
        ["true"],
    ]
    first = questions[0]
    assert first.prompt == Text("火警电话是？", "The fire number?")
    assert [o.text.en for o in first.options] == ["110", "119", "120"]
    assert first.explanation == Text("119 是火警。", "119 是火警。")
    assert [q.id for q in questions][:3] == ["q001", "q002", "q003"]


def test_merged_cells_count_for_every_row(tmp_path):
    """A type cell merged over several rows applies to each of them."""
    rows = [
        ["多选", "甲？", "a", "b", "c", "", "AB", "", "", "", ""],
        ["", "乙？", "a", "b", "c", "", "BC", "", "", "", ""],
    ]
    result = import_sheet(xlsx(tmp_path, rows, merge="A2:A3"), "m", TITLE)
    assert [q.type for q in result.quiz.questions] == [QuestionType.MULTIPLE, QuestionType.MULTIPLE]


def test_headers_in_english_and_any_order(tmp_path):
    """English headers, in another order, work the same; the type is inferred when there is no type column."""
    header = ["Answer", "Question", "Option B", "Option A", "Explanation"]
    result = import_sheet(
        xlsx(tmp_path, [["a", "Which?", "two", "one", "why"], ["正确", "True?", "", "", ""]], header), "e", TITLE
    )
    single, tf = result.quiz.questions
    assert single.type is QuestionType.SINGLE and single.answer == {"A"} and single.options[0].text.zh == "one"
    assert tf.type is QuestionType.TRUE_FALSE and tf.answer == {"true"}


@pytest.mark.parametrize(
    "row, words",
    [
        (["单选", "甲？", "a", "b", "", "", "E", "", "", "", ""], "“E”不在选项 A、B 中"),
        (["单选", "", "a", "b", "", "", "A", "", "", "", ""], "题目是空的"),
        (["填空", "甲？", "a", "b", "", "", "A", "", "", "", ""], "不认识的题型“填空”"),
        (["单选", "甲？", "a", "b", "c", "", "AB", "", "", "", ""], "单选题只能有一个答案"),
        (["单选", "甲？", "a", "", "c", "", "A", "", "", "", ""], "选项B是空的"),
        (["判断", "甲？", "", "", "", "", "也许", "", "", "", ""], "判断题的答案“也许”看不懂"),
        (["单选", "甲？", "a", "b", "", "", "", "", "", "", ""], "答案是空的"),
        (["单选", "甲？", "a", "", "", "", "A", "", "", "", ""], "至少要有两个选项"),
    ],
    ids=[
        "out-of-range",
        "no-prompt",
        "unknown-type",
        "two-answers-single",
        "option-gap",
        "bad-true-false",
        "no-answer",
        "one-option",
    ],
)
def test_bad_rows_are_named_by_row(tmp_path, row, words):
    """Each unreadable row gives a problem with its row number and reason; no quiz is made."""
    result = import_sheet(xlsx(tmp_path, [ROWS[0], row]), "bad", TITLE)
    assert result.quiz is None
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.line == 3 and problem.where == "第 3 行 row 3" and words in problem.zh, problem.format()


def test_missing_columns(tmp_path):
    """A sheet without a question or answer column says which column it needs."""
    result = import_sheet(xlsx(tmp_path, [["x"]], header=["题型"]), "x", TITLE)
    assert {p.zh for p in result.problems} == {"找不到“题目”列。", "找不到“答案”列。"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(tmp_path, encoding):
    """CSV from Excel: UTF-8 with or without BOM, and GBK/GB18030 from a Chinese Windows."""
    lines = [",".join(HEADER[:8])] + [",".join(f'"{c}"' for c in row[:8]) for row in ROWS]
    path = tmp_path / "bank.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    result = import_sheet(path, "csv", TITLE)
    assert result.quiz is not None and len(result.quiz.questions) == len(ROWS)
    assert result.quiz.questions[1].options[0].text.zh == "湿毛巾捂口鼻"


def plain(quiz):
    return tuple(dataclasses.replace(q, line=0) for q in quiz.questions)


def test_round_trip_through_xlsx_and_yaml(tmp_path):
    """import -> quiz file -> export xlsx -> import gives the same questions, English and all."""
    first = import_sheet(xlsx(tmp_path, ROWS), "fire", TITLE).quiz
    quiz_file = tmp_path / "fire.yaml"
    quiz_file.write_text(quiz_to_yaml(first, "imported"), encoding="utf-8")
    loaded, problems = load_quiz(quiz_file)
    assert problems == [] and plain(loaded) == plain(first)
    export_xlsx(loaded, tmp_path / "out.xlsx")
    again = import_sheet(tmp_path / "out.xlsx", "fire", TITLE).quiz
    assert plain(again) == plain(loaded)
    assert sheet_rows(loaded)[0][:3] == ["编号", "题型", "题目"]


def test_hostile_cells_arrive_as_the_same_text(tmp_path):
    """Injection payloads in a sheet from elsewhere stay exactly as typed through import and
    the quiz file (the pages then show them as text:
    tests/browser/test_injection.py); nothing is evaluated or dropped on the way."""
    payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[x](javascript:alert(3))",
        "&lt;b&gt;",
        "{{ 7*7 }}",
        "'><svg/onload=alert(4)>",
    ]
    rows = [["单选", p, p, "安全", "", "", "B", p, p, p, "safe"] for p in payloads]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "hostile.xlsx")
    quiz = import_sheet(tmp_path / "hostile.xlsx", "hostile", TITLE).quiz
    assert quiz is not None
    quiz_file = tmp_path / "hostile.yaml"
    quiz_file.write_text(quiz_to_yaml(quiz), encoding="utf-8")
    loaded, problems = load_quiz(quiz_file)
    assert [p for p in problems if p.is_error] == []
    assert [q.prompt.zh for q in loaded.questions] == payloads
    assert [q.options[0].text.zh for q in loaded.questions] == payloads
    assert [q.explanation.zh for q in loaded.questions] == payloads


def test_word_line_breaks_and_control_characters_are_cleaned(tmp_path):
    """Text pasted from Word into a cell carries vertical tabs for line breaks, and sometimes other
    invisible characters: the quiz gets real line breaks and nothing invisible, and loads."""
    rows = [HEADER, ["单选", "第一行\x0b第二行\x07", "甲\x01", "乙", "", "", "B", "", "", "", ""]]
    sheet = tmp_path / "clean.csv"  # openpyxl will not write such cells; Excel stores them as _x000B_
    sheet.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    quiz = import_sheet(sheet, "clean", TITLE).quiz
    assert quiz.questions[0].prompt.zh == "第一行\n第二行" and quiz.questions[0].options[0].text.zh == "甲"
    path = tmp_path / "clean.yaml"
    path.write_text(quiz_to_yaml(quiz), encoding="utf-8")
    assert load_quiz(path)[1] == []


def test_exported_cells_that_look_like_formulas_stay_text(tmp_path):
    """A question text "=1+1" is exported as that text, not as a formula Excel would run, and reads back."""
    from openpyxl import load_workbook

    rows = [["单选", f"{p}1+1 题", '=HYPERLINK("http://x")', "安全", "", "", "B", "", "", "", ""] for p in "=+-@"]
    path = xlsx(tmp_path, rows)
    book = load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            cell.data_type = "s"  # a sheet from elsewhere, typed as text
    book.save(path)
    first = import_sheet(path, "formulas", TITLE).quiz
    assert first.questions[0].prompt.zh == "=1+1 题"
    export_xlsx(first, tmp_path / "out.xlsx")
    cells = [c for row in load_workbook(tmp_path / "out.xlsx").active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert plain(import_sheet(tmp_path / "out.xlsx", "formulas", TITLE).quiz) == plain(first)


# -- pictures ---------------------------------------------------------------------------------

PICTURE_QUIZ = """\
title: {zh: 标志, en: Signs}
questions:
  - id: kind
    type: single
    prompt: {zh: 这个标志属于哪一类？, en: Which kind of sign is this?}
    image:
      file: signs/no-smoking.svg
      alt:
        zh: 红色圆环加斜杠，中间是点燃的香烟
        en: "A red ring and bar over a lit cigarette: no = here"
    options:
      - {zh: 禁止标志, en: Prohibition sign}
      - {zh: 警告标志, en: Warning sign}
    answer: A
  - id: which-mandatory
    type: multiple
    prompt: {zh: 哪些是指令标志？, en: Which are mandatory signs?}
    options:
      - image:
          file: signs/wear-helmet.svg
          alt: {zh: 蓝色圆形，白色安全帽, en: A blue circle with a white helmet}
      - image: {file: 'signs\\caution.svg', alt: 黄色三角形}
      - image:
          file: photos/gloves.jpg
          alt: {zh: 蓝色圆形，白色手套, en: A blue circle with a white glove}
      - 都不是
    answer: [A, C]
  - id: exit-sign
    type: true_false
    prompt: {zh: 这是提示标志。, en: This is a safe condition sign.}
    image:
      file: signs/exit.svg
      alt:
        zh: 绿色长方形，白色小人跑向门
        en: A green oblong, a running figure and a door
    answer: true
"""


def picture_quiz(tmp_path, source=PICTURE_QUIZ):
    path = tmp_path / "signs.yaml"
    path.write_text(source, encoding="utf-8")
    quiz, problems = load_quiz(path)
    assert problems == [], [p.format() for p in problems]
    return quiz


def without_lines(quiz):
    """The questions with every line number (of questions and pictures) zeroed: sheets number rows."""

    def bare(picture):
        return dataclasses.replace(picture, line=0) if picture else None

    return tuple(
        dataclasses.replace(
            q,
            line=0,
            image=bare(q.image),
            options=tuple(dataclasses.replace(o, image=bare(o.image)) for o in q.options),
        )
        for q in quiz.questions
    )


@pytest.mark.parametrize(
    "headers",
    [
        ["图片", "图片说明", "图片说明（英文）", "选项A图片", "选项B图片"],
        ["Image", "Image alt", "Image alt (en)", "Option A image", "Option B image"],
        ["picture", "图片描述", "图片描述(英文)", "A图片", "B 图片"],
    ],
    ids=["chinese", "english", "variants"],
)
def test_picture_columns_are_read(tmp_path, headers):
    """A question's picture with its alt text in both languages, and picture-only options whose text cells
    describe their pictures; files that do not exist yet are not import's business (check reports them)."""
    header = ["题型", "题目", "选项A", "选项B", "答案", "选项A（英文）", *headers]
    rows = [
        [
            "单选",
            "这是什么标志？",
            "禁止标志",
            "警告标志",
            "A",
            "Prohibition",
            "signs\\no-smoking.svg",
            "红圈",
            "A red ring",
            "",
            "",
        ],
        ["单选", "哪个是指令标志？", "蓝色圆形", "黄色三角形", "A", "A blue circle", "", "", "", "a.svg", "b.svg"],
    ]
    result = import_sheet(xlsx(tmp_path, rows, header), "signs", TITLE)
    assert [p for p in result.problems if p.is_error] == [] and not any("图片" in p.zh for p in result.problems)
    first, second = result.quiz.questions
    assert first.image.file == "signs/no-smoking.svg" and first.image.alt == Text("红圈", "A red ring")
    assert [o.image for o in first.options] == [None, None]
    assert second.image is None
    a, b = second.options
    assert (a.image.file, a.image.alt, a.text) == ("a.svg", Text("蓝色圆形", "A blue circle"), a.image.alt)
    assert (b.image.file, b.image.alt) == ("b.svg", Text("黄色三角形", "黄色三角形"))
    assert not a.text_shown and not b.text_shown


PICTURE_HEADER = [
    "题型",
    "题目",
    "选项A",
    "选项B",
    "选项C",
    "答案",
    "图片",
    "图片说明",
    "图片说明（英文）",
    "选项A图片",
    "选项B图片",
    "选项C图片",
]


@pytest.mark.parametrize(
    "row, words, fix",
    [
        (
            ["单选", "甲？", "a", "b", "", "A", "x.svg", "", "", "", "", ""],
            "有图片“x.svg”，但“图片说明”是空的",
            "在“图片说明”列写图上画的是什么",
        ),
        (["单选", "甲？", "a", "b", "", "A", "x.svg", "", "A ring", "", "", ""], "但“图片说明”是空的", "不要写出答案"),
        (
            ["单选", "甲？", "a", "b", "", "A", "", "红圈", "", "", "", ""],
            "有图片说明，但“图片”列是空的",
            "在“图片”列写图片的文件名",
        ),
        (
            ["单选", "甲？", "a", "", "", "A", "", "", "", "", "b.svg", ""],
            "选项B有图片“b.svg”，但“选项B”列是空的",
            "在“选项B”列写图上画的是什么",
        ),
        (
            ["单选", "甲？", "a", "", "c", "A", "", "", "", "", "", "c.svg"],
            "选项B是空的，但后面的选项C有内容",
            "选项要从 A 开始",
        ),
        (
            ["判断", "甲？", "", "", "", "对", "", "", "", "a.svg", "", ""],
            "判断题没有选项，但“选项A图片”列有图片",
            "题目的图片写在“图片”列",
        ),
        (
            ["单选", "甲？", "a", "b", "", "A", "", "", "", "", "", "c.svg"],
            "选项C有图片“c.svg”，但“选项C”列是空的",
            "它就是这张图片的说明",
        ),
    ],
    ids=[
        "picture-no-alt",
        "picture-english-alt-only",
        "alt-no-picture",
        "option-picture-no-text",
        "option-picture-after-gap",
        "option-picture-true-false",
        "option-picture-past-the-options",
    ],
)
def test_picture_rows_that_cannot_be_read(tmp_path, row, words, fix):
    """A picture without alt text, alt text without a picture and an option picture with nothing to say
    what it shows are each named by row, with what to write."""
    good = ["单选", "好？", "a", "b", "", "B", "", "", "", "", "", ""]
    result = import_sheet(xlsx(tmp_path, [good, row], PICTURE_HEADER), "bad", TITLE)
    assert result.quiz is None
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.line == 3 and problem.where == "第 3 行 row 3", problem.format()
    assert words in problem.zh and fix in problem.hint_zh, problem.format()


def test_round_trip_of_pictures_through_xlsx(tmp_path):
    """A quiz file with a question picture (alt in two languages), picture-only options (one file named
    with a Windows backslash) and a true/false question's picture -> export xlsx -> import: the same quiz."""
    quiz = picture_quiz(tmp_path)
    assert quiz.questions[1].options[1].image.file == "signs/caution.svg"
    export_xlsx(quiz, tmp_path / "signs.xlsx")
    again = import_sheet(tmp_path / "signs.xlsx", "signs", TITLE)
    assert [p for p in again.problems if p.is_error] == []
    assert without_lines(again.quiz) == without_lines(quiz)
    assert alt_lost_in_sheet(quiz) == []


def test_option_text_beside_its_own_alt_is_what_a_sheet_keeps(tmp_path):
    """An option with its own text and a picture whose alt says something else cannot round-trip: a sheet
    has one text per option.  Its text and picture come back, the text becoming the alt (and the export
    names the option: alt_lost_in_sheet); everything else of the quiz is unchanged."""
    own_alt = "image: {file: signs/caution.svg, alt: {zh: 黄色三角形, en: A yellow triangle}}"
    source = PICTURE_QUIZ.replace(
        "      - {zh: 警告标志, en: Warning sign}\n", f"      - {{zh: 警告标志, en: Warning sign, {own_alt}}}\n"
    )
    quiz = picture_quiz(tmp_path, source)
    option = quiz.questions[0].options[1]
    assert option.text_shown and alt_lost_in_sheet(quiz) == [(quiz.questions[0], option)]
    rows = sheet_rows(quiz)
    header, first = rows[0], rows[1]
    assert first[header.index("选项B")] == "警告标志" and first[header.index("选项B（英文）")] == "Warning sign"
    assert first[header.index("选项B图片")] == "signs/caution.svg"
    export_xlsx(quiz, tmp_path / "signs.xlsx")
    again = import_sheet(tmp_path / "signs.xlsx", "signs", TITLE).quiz
    back = again.questions[0].options[1]
    assert back.text == option.text and back.image.file == option.image.file
    assert back.image.alt == option.text and not back.text_shown
    (first_again, *rest_again), (first_before, *rest_before) = without_lines(again), without_lines(quiz)
    assert rest_again == rest_before and first_again.image == first_before.image


def test_picture_columns_only_in_the_sheet_of_a_quiz_with_pictures(tmp_path):
    """The picture columns come after the usual ones, in the sheet of a quiz with pictures only: a quiz
    without pictures exports the very rows it did before pictures existed (the stored sheet of
    tests/fixtures/exports_without_pictures), in the xlsx too."""
    from openpyxl import load_workbook

    rows = sheet_rows(picture_quiz(tmp_path))
    assert rows[0][-7:] == ["图片", "图片说明", "图片说明（英文）", "选项A图片", "选项B图片", "选项C图片", "选项D图片"]
    assert rows[3][-7:] == [
        "signs/exit.svg",
        "绿色长方形，白色小人跑向门",
        "A green oblong, a running figure and a door",
        "",
        "",
        "",
        "",
    ]
    plain_quiz, problems = load_quiz(BEFORE_PICTURES / "plain.yaml")
    assert problems == []
    expected = json.loads((BEFORE_PICTURES / "plain.sheet.json").read_text(encoding="utf-8"))
    assert sheet_rows(plain_quiz) == expected
    export_xlsx(plain_quiz, tmp_path / "plain.xlsx")
    cells = [
        [c if c is not None else "" for c in row]
        for row in load_workbook(tmp_path / "plain.xlsx").active.iter_rows(values_only=True)
    ]
    assert cells == expected
