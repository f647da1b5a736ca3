"""No file of a built site lets anyone read the answer key or an explanation by eye."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from generator.load import load_bank
from generator.render import quiz_version
from generator.seal import seed_text, unseal

from ..conftest import EXAM_QUIZ, PRACTICE_QUIZ, PROJECT, SHORT_QUIZ

TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".txt", ".svg", ".map"}
DATA = re.compile(r'<script type="application/json" data-quiz-data>(.*?)</script>', re.S)


def site_files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in TEXT_SUFFIXES
    }


def bank_of(folder: Path, sources: dict[str, str] | None = None):
    if sources:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in sources.items():
            (folder / name).write_text(text, encoding="utf-8")
    bank, problems = load_bank(folder, folder)
    assert not problems
    return bank


def plain(text: str) -> str:
    return re.sub(r"[*_`>#\[\]()]", "", text).strip()


def assert_no_readable_key(files: dict[str, str], bank, explanation_pages) -> None:
    for quiz in bank:
        version = quiz_version(quiz)
        for question in quiz.questions:
            answer = "|".join(sorted(question.answer))
            readable = re.compile(rf'["\']?{re.escape(question.id)}["\']?\s*[:=]\s*\[?\s*["\']?(?:{answer})\b')
            for name, text in files.items():
                assert not readable.search(text), f"{name} maps {question.id} to its answer"
            if question.explanation:
                for side in (question.explanation.zh, question.explanation.en):
                    snippet = plain(side)  # whole: its opening may repeat an option
                    for name, text in files.items():
                        if explanation_pages(name):
                            assert snippet not in text, f"{name} shows the explanation of {quiz.id}/{question.id}"
        for name, text in files.items():
            for match in DATA.finditer(text):
                data = json.loads(match.group(1))
                if f'data-quiz-id="{quiz.id}"' not in text:
                    continue
                for qid, sealed in data.get("sealed", {}).items():
                    raw = base64.b64decode(sealed)
                    assert b'"a"' not in raw and b'"e"' not in raw, f"{name}: {qid} is only base64, not sealed"
                    opened = unseal(sealed, seed_text(quiz.id, qid, version))
                    assert opened["a"] == sorted(next(q for q in quiz.questions if q.id == qid).answer)
    for name, text in files.items():
        assert not re.search(r"data-(?:answer|correct)|\"key\"\s*:|<!--[^>]*answer", text), name


def test_exam_site_hides_every_answer(exam_site, tmp_path):
    """Every file of the exam scenario site: no answer key, and no explanation anywhere."""
    bank = bank_of(
        tmp_path / "quizzes", {"exam.yaml": EXAM_QUIZ, "short.yaml": SHORT_QUIZ, "drill.yaml": PRACTICE_QUIZ}
    )
    assert_no_readable_key(site_files(exam_site), bank, lambda name: True)


def test_project_site_hides_every_answer(project_site):
    """The test project's site, modules with embedded quizzes included: no answer key, and no explanation anywhere.
    (tests/build/test_curriculum.py checks the sample site the same way.)"""
    assert_no_readable_key(site_files(project_site), bank_of(PROJECT / "quizzes"), lambda name: True)


@pytest.mark.parametrize("leak", ['data-answer="B"', "<!-- answer: B -->", "<p>第7题的解析依据第7条规定</p>"])
def test_the_check_catches_a_leak(exam_site, tmp_path, leak):
    """The check above fails when a page does give an answer away."""
    bank = bank_of(tmp_path / "quizzes", {"exam.yaml": EXAM_QUIZ})
    files = {
        "quizzes/exam.html": site_files(exam_site)["quizzes/exam.html"].replace("<fieldset>", f"<fieldset>{leak}", 1)
    }
    with pytest.raises(AssertionError):
        assert_no_readable_key(files, bank, lambda name: True)
