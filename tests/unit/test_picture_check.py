"""picture_check.py: every picture says what it shows, is a file of the project, and is one the build can take."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_quiz
from generator.model import QuizBank
from generator.pages import read_pages
from generator.picture_check import check_page_pictures, check_picture_files, check_quiz_pictures, picture_uses
from generator.problems import Level
from tests.pictures import phone_photo

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


@pytest.fixture
def docs(tmp_path) -> Path:
    docs = tmp_path / "content"
    (docs / "images").mkdir(parents=True)
    (docs / "modules").mkdir()
    (docs / "images" / "exit.svg").write_text(SVG)
    (docs / "images" / "blocked-exit.svg").write_text(SVG)
    return docs


def problems_of(docs: Path, text: str) -> list:
    (docs / "modules" / "fire.zh.md").write_text(text, encoding="utf-8")
    return check_page_pictures(read_pages(docs, docs.parent), docs)


def test_pictures_of_a_page_with_lines_and_columns():
    text = (
        "# 标题\n\n"
        "![出口](../images/exit.svg)\n"
        '文字 ![](a.png "t"){ .decorative } 和 <img src="b.png" alt="乙">\n'
        "```\n![](in-code.png)\n```\n"
        "![参考][exit]\n\n[exit]: ../images/exit.svg\n"
    )
    uses = [(u.line, u.column, u.src, u.alt, u.decorative) for u in picture_uses(text)]
    assert uses == [
        (3, 1, "../images/exit.svg", "出口", False),
        (4, 4, "a.png", "", True),
        (4, 36, "b.png", "乙", False),
        (8, 1, "../images/exit.svg", "参考", False),
    ]


def test_a_picture_without_alt_text_is_an_error(docs):
    problems = problems_of(docs, "# 火\n\n![](../images/exit.svg)\n\n<img src='../images/exit.svg'>\n")
    assert [(p.path, p.line, p.column, p.level) for p in problems] == [
        ("content/modules/fire.zh.md", 3, 1, Level.ERROR),
        ("content/modules/fire.zh.md", 5, 1, Level.ERROR),
    ]
    assert "替代文字" in problems[0].zh and "{ .decorative }" in problems[0].hint_en


@pytest.mark.parametrize(
    "line",
    [
        "![](../images/exit.svg){ .decorative }",
        "![](../images/exit.svg){: .decorative }",
        '<img src="../images/exit.svg" alt="" role="presentation">',
        '<img src="../images/exit.svg" alt="" class="decorative">',
    ],
)
def test_a_decorative_picture_says_so_and_passes(docs, line):
    assert problems_of(docs, f"# 火\n\n{line}\n") == []


def test_a_missing_file_is_named_with_the_closest_one(docs):
    (problem,) = problems_of(docs, "# 火\n\n![出口](../images/exti.svg)\n")
    assert problem.level is Level.ERROR and problem.line == 3
    assert "“../images/exti.svg”" in problem.zh
    assert problem.hint_zh == "是不是 ../images/exit.svg？"


def test_a_missing_file_in_another_folder_is_found_by_its_name(docs):
    (problem,) = problems_of(docs, "# 火\n\n![出口](blocked-exit.svg)\n")
    assert problem.hint_en == 'Did you mean "../images/blocked-exit.svg"?'


@pytest.mark.parametrize("src", ["https://example.com/a.jpg", "//cdn.example.com/a.jpg", "HTTP://x.cn/a.png"])
def test_a_picture_from_another_site_is_an_error(docs, src):
    (problem,) = problems_of(docs, f"# 火\n\n![出口]({src})\n")
    assert problem.level is Level.ERROR and "another site" in problem.en


def test_a_heic_photo_is_an_error_where_used_and_where_it_lies(docs):
    (docs / "images" / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic")
    (problem,) = problems_of(docs, "# 火\n\n![出口](../images/IMG_0001.HEIC)\n")
    assert "JPG" in problem.hint_zh and problem.line == 3
    (lying,) = check_picture_files(docs, docs.parent)
    assert lying.path == "content/images/IMG_0001.HEIC" and lying.level is Level.ERROR


def test_a_file_that_is_no_picture_is_an_error_even_unused(docs):
    (docs / "images" / "photo.jpg").write_text("this is text")
    phone_photo(docs / "images" / "fine.jpg", 300, 200)
    (problem,) = check_picture_files(docs, docs.parent)
    assert problem.path == "content/images/photo.jpg" and "photo.jpg" in problem.zh


QUIZ = """title: 标志
questions:
  - id: sign
    type: single
    prompt: 这是什么？
    image: {{file: {question}, alt: 红圈}}
    options:
      - 禁止
      - image: {{file: {option}, alt: 蓝圈}}
    answer: A
"""


def test_a_quiz_picture_is_found_in_images_or_content(docs, tmp_path):
    (docs / "modules" / "here.svg").write_text(SVG)
    quiz_file = tmp_path / "quizzes" / "signs.yaml"
    quiz_file.parent.mkdir()
    quiz_file.write_text(QUIZ.format(question="exit.svg", option="modules/here.svg"), encoding="utf-8")
    quiz, problems = load_quiz(quiz_file, "quizzes/signs.yaml")
    assert problems == []
    assert check_quiz_pictures(QuizBank({"signs": quiz}), quiz_file.parent, docs, tmp_path) == []


def test_a_missing_quiz_picture_names_the_quiz_line_and_the_closest_file(docs, tmp_path):
    quiz_file = tmp_path / "quizzes" / "signs.yaml"
    quiz_file.parent.mkdir()
    quiz_file.write_text(QUIZ.format(question="exitt.svg", option="qq.png"), encoding="utf-8")
    quiz, _ = load_quiz(quiz_file, "quizzes/signs.yaml")
    first, second = check_quiz_pictures(QuizBank({"signs": quiz}), quiz_file.parent, docs, tmp_path)
    assert (first.path, first.line, first.level) == ("quizzes/signs.yaml", 6, Level.ERROR)
    assert first.hint_zh == "是不是 exit.svg？" and first.where == "第 1 题 question 1 · sign"
    assert second.line == 9 and "content/images/" in second.hint_zh


def test_a_quiz_picture_needs_alt_text(tmp_path):
    quiz_file = tmp_path / "signs.yaml"
    quiz_file.write_text(QUIZ.replace("{{file: {question}, alt: 红圈}}", "exit.svg").format(option="x.svg"))
    quiz, problems = load_quiz(quiz_file, "quizzes/signs.yaml")
    assert quiz is None
    (problem,) = problems
    assert problem.line == 6 and "alt" in problem.zh and "file: signs/no-smoking.svg" in problem.hint_en


def test_a_picture_in_a_question_text_is_a_warning_that_says_to_use_image(docs, tmp_path):
    quiz_file = tmp_path / "signs.yaml"
    quiz_file.write_text(
        "title: 标志\nquestions:\n  - id: sign\n    type: true_false\n"
        '    prompt:\n      zh: "看图 ![红圈](../images/exit.svg)"\n      en: Look\n    answer: true\n',
        encoding="utf-8",
    )
    quiz, _ = load_quiz(quiz_file, "quizzes/signs.yaml")
    (problem,) = check_quiz_pictures(QuizBank({"signs": quiz}), tmp_path, docs, tmp_path)
    assert (problem.line, problem.level) == (3, Level.WARNING) and "image: {file:" in problem.hint_en
