"""The paper exam with pictures prints on A4: a question's picture at most 8 x 5 cm, four picture
options side by side, everything inside the one file."""

from __future__ import annotations

import re

from generator.exports import to_paper
from generator.images import PictureStore, locate
from generator.load import load_quiz

QUIZ = """\
title: {zh: 标志, en: Signs}
questions:
  - id: kind
    type: single
    prompt: {zh: 这是哪一类标志？, en: Which kind of sign is this?}
    image: {file: wide.svg, alt: {zh: 一块很宽的牌子, en: A wide board}}
    options: [禁止标志, 警告标志]
    answer: A
  - id: which
    type: single
    prompt: {zh: 哪一个是指令标志？, en: Which is a mandatory sign?}
    options:
      - image: {file: s1.svg, alt: 红圈}
      - image: {file: s2.svg, alt: 黄三角}
      - image: {file: s3.svg, alt: 蓝圆}
      - image: {file: s4.svg, alt: 绿方块}
    answer: C
"""


def svg(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" fill="#c00"/></svg>'
    )


def test_pictures_print_in_their_boxes(browser, tmp_path):
    """At A4's printable width: the wide picture is 8 cm wide, four picture options share one row,
    and the page asks for nothing but itself."""
    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    (images / "wide.svg").write_text(svg(800, 200), encoding="utf-8")
    for n in range(1, 5):
        (images / f"s{n}.svg").write_text(svg(100, 100), encoding="utf-8")
    quiz_file = tmp_path / "signs.yaml"
    quiz_file.write_text(QUIZ, encoding="utf-8")
    quiz = load_quiz(quiz_file)[0]
    store = PictureStore(tmp_path / "cache")
    pictures = {p.file: store.get(locate(p.file, tmp_path / "content")) for q in quiz.questions for p in q.pictures}
    paper = tmp_path / "paper.html"
    paper.write_text(to_paper(quiz, "zh", pictures), encoding="utf-8")
    page = browser.new_page(viewport={"width": 680, "height": 960})  # 180 mm: A4 within the @page margins
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(paper.as_uri())
    page.emulate_media(media="print")
    wide = page.locator("img.picture").bounding_box()
    assert round(wide["width"]) == 302 and round(wide["height"]) == 76  # 8 cm x 2 cm
    options = [box["y"] for box in (li.bounding_box() for li in page.locator(".choices--pictures li").all())]
    assert len(options) == 4 and max(options) - min(options) < 1, options
    pdf = page.pdf(format="A4")
    page.close()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2
    assert [url for url in requests if not url.startswith("data:")] == [paper.as_uri()], "a self-contained file"
