"""The paper exam prints on A4: questions first, the answer key on a page of its own."""

from __future__ import annotations

import re

from generator.exports import to_paper
from generator.load import load_quiz

from ..conftest import GOOD_QUIZ


def test_paper_exam_prints_on_a4(browser, tmp_path):
    """Three questions fit one sheet; the key starts the second. The file needs no network."""
    quiz_file = tmp_path / "fire-safety.yaml"
    quiz_file.write_text(GOOD_QUIZ, encoding="utf-8")
    paper = tmp_path / "paper.html"
    paper.write_text(to_paper(load_quiz(quiz_file)[0], "zh"), encoding="utf-8")
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(paper.as_uri())
    pdf = page.pdf(format="A4")
    page.close()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2
    assert requests == [paper.as_uri()], "a self-contained file"
