"""The curriculum keeps its promises: twelve modules in both languages with the same sections,
each with a quiz of the agreed size and mix, and a site that builds with every link resolving."""

from __future__ import annotations

import re
import shutil

import pytest

from generator.load import load_bank
from generator.model import QuestionType
from generator.modules import find_modules

from ..conftest import ROOT, run_generator, with_site_url

MODULES = {
    "principles": "principles", "rights-duties": "rights-duties", "hazards": "hazards",
    "hazardous-chemicals": "hazardous-chemicals", "mines": "mine-safety", "construction": "construction",
    "road-transport": "road-transport", "confined-hot-work": "confined-hot-work",
    "fire": "fire-safety", "forest-fire": "forest-fire", "emergency": "emergency", "safety-month": "safety-month",
}
SECTIONS = {
    "zh": ["你将学会", "要点", "该做和不该做", "案例", "法律依据", "测一测", "依据 / 来源"],
    "en": ["What you will be able to do", "Key rules", "Do and don't", "Scenario", "Legal basis", "Test yourself", "Sources"],
}


def headings(path):
    return [line[3:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("stem", MODULES)
def test_module_has_both_languages_and_the_standard_sections(stem):
    """Every module exists in Chinese and English with the same sections, in the same order."""
    for language, expected in SECTIONS.items():
        path = ROOT / "content" / "modules" / f"{stem}.{language}.md"
        assert path.is_file(), path
        assert headings(path) == expected, path


def test_every_module_embeds_its_quiz():
    """Each module's page holds its own quiz, in both languages."""
    modules = {m.stem: m for m in find_modules(ROOT / "content")}
    assert sorted(modules) == sorted(f"modules/{stem}" for stem in MODULES)
    for stem, quiz_id in MODULES.items():
        assert modules[f"modules/{stem}"].quiz_ids == [quiz_id]
        for language in SECTIONS:
            assert f"<!-- quiz: {quiz_id} -->" in (ROOT / "content/modules" / f"{stem}.{language}.md").read_text(encoding="utf-8")


def test_quiz_sizes_and_mix():
    """At least 12 questions per quiz, 3 multiple-choice and 2 true/false; 150 in all; every one explained."""
    bank, problems = load_bank(ROOT, ROOT / "quizzes")
    assert problems == []
    assert sorted(bank.ids()) == sorted(MODULES.values())
    for quiz in bank:
        kinds = [q.type for q in quiz.questions]
        assert len(kinds) >= 12 and kinds.count(QuestionType.MULTIPLE) >= 3 and kinds.count(QuestionType.TRUE_FALSE) >= 2, quiz.id
        for question in quiz.questions:
            assert question.explanation and question.explanation.zh != question.explanation.en, (quiz.id, question.id)
    assert sum(len(quiz.questions) for quiz in bank) >= 150


def test_glossary_in_both_languages():
    """The glossary lists the same terms in both languages."""
    rows = {lang: [line for line in (ROOT / f"content/glossary.{lang}.md").read_text(encoding="utf-8").splitlines()
                   if line.startswith("|") and not re.match(r"^\|\s*-", line)] for lang in SECTIONS}
    assert len(rows["zh"]) == len(rows["en"]) >= 25


def test_site_builds_strictly_with_every_link_resolving(tmp_path):
    """In strict mode MkDocs fails on any broken link or nav entry: the real content passes."""
    project = tmp_path / "project"
    for name in ["content", "quizzes", "theme_overrides"]:
        shutil.copytree(ROOT / name, project / name)
    (project / "mkdocs.yml").write_text(with_site_url((ROOT / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    result = run_generator("build", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
