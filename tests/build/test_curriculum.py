"""The sample content keeps the curriculum's rules, whatever a county has written in it.

These are the only build tests that read this repository's mkdocs.yml, content/ and quizzes/
(a county edits all three).  They check rules, never titles, numbers or ids: every module is in
both languages with its sources, every quiz marker names a quiz, every quiz mixes the three
question types, the nav lists every module, tables match across languages, `check` finds no
error, the site builds strictly and no file of it gives an answer away.  Modules and quizzes
are found by listing the folders.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.learn import PAGES as LEARN_PAGES
from generator.load import load_bank
from generator.markers import find_markers
from generator.model import QuestionType
from generator.settings import read_settings
from generator.vocabulary import LANGUAGE_PAGE

from ..conftest import ROOT, SITE_URL, dump_config, load_config, run_generator
from .test_protected import assert_no_readable_key, site_files

CONFIG = load_config(ROOT / "mkdocs.yml")
SETTINGS, _ = read_settings(ROOT / "mkdocs.yml")  # the folders as the generator reads them (!ENV and all)
CONTENT = SETTINGS.docs_dir
QUIZZES = SETTINGS.quiz_dir
LANGUAGES = ("zh", "en")
SOURCES = {"zh": "依据 / 来源", "en": "Sources"}
"""The heading of the sources section that ends a module (README: "Writing a module")."""


def stems(folder: Path) -> list[str]:
    """The pages under ``folder`` without language and suffix, e.g. "modules/fire"."""
    found = {
        (p.parent / m["stem"]).relative_to(CONTENT).as_posix()
        for p in folder.rglob("*.md")
        if (m := LANGUAGE_PAGE.match(p.name))
    }
    return sorted(found)


MODULES = stems(CONTENT / "modules")
PAGES = stems(CONTENT)


def page(stem: str, language: str) -> Path:
    return CONTENT / f"{stem}.{language}.md"


def headings(path: Path) -> list[str]:
    return [line[3:].strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.startswith("## ")]


def test_there_is_content():
    """The sample has modules and quizzes to check (the rules below would pass on nothing)."""
    assert MODULES and sorted(QUIZZES.glob("*.yaml"))


@pytest.mark.parametrize("stem", MODULES)
def test_module_has_both_languages_and_its_sources(stem):
    """Every module exists in Chinese and English, with as many sections in each, and a sources section."""
    for language in LANGUAGES:
        assert page(stem, language).is_file(), page(stem, language)
        assert SOURCES[language] in headings(page(stem, language)), (
            f"{page(stem, language)}: no “## {SOURCES[language]}”"
        )
    assert len(headings(page(stem, "zh"))) == len(headings(page(stem, "en"))), (
        f"{stem}: the languages differ in sections"
    )


def test_every_quiz_marker_names_a_quiz():
    """Each quiz marker in the content names a quiz file; a module embeds the same quizzes in both languages."""
    bank, problems = load_bank(ROOT, QUIZZES)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    for stem in PAGES:
        embedded = {}
        for language in LANGUAGES:
            if page(stem, language).is_file():
                markers, _ = find_markers(
                    page(stem, language).read_text(encoding="utf-8-sig"), page(stem, language).name
                )
                embedded[language] = [m.quiz_id for m in markers if m.quiz_id]
                missing = [q for q in embedded[language] if q not in bank]
                assert not missing, f"{page(stem, language)} embeds {missing}: no such quiz in {QUIZZES.name}/"
        assert len(set(map(tuple, embedded.values()))) <= 1, f"{stem}: the languages embed different quizzes {embedded}"


def test_every_quiz_mixes_the_question_types():
    """Each quiz loads without error and has single-choice, multiple-choice and true/false questions."""
    bank, problems = load_bank(ROOT, QUIZZES)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    assert sorted(bank.ids()) == sorted(p.stem for p in QUIZZES.glob("*.yaml")), "every quiz file loads"
    for quiz in bank:
        kinds = {q.type for q in quiz.questions}
        assert kinds == set(QuestionType), f"{quiz.id}: only {sorted(k.value for k in kinds)}"
        assert len({q.id for q in quiz.questions}) == len(quiz.questions), quiz.id


def _nav_files(items) -> list[str]:
    found = []
    for item in items or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += _nav_files(value) if isinstance(value, list) else [value]
    return found


def test_nav_lists_every_module():
    """mkdocs.yml's nav lists every module, and each file it names exists."""
    nav = _nav_files(CONFIG.get("nav"))
    if not nav:
        pytest.skip("no nav in mkdocs.yml: MkDocs lists every page itself")
    assert [stem for stem in MODULES if f"{stem}.md" not in nav] == []
    generated = {"quizzes/index.md"} | {f"learn/{kind}.md" for kind in LEARN_PAGES}
    for entry in nav:
        if entry.endswith(".md") and entry not in generated:
            stem = entry.removesuffix(".md")
            assert any(page(stem, language).is_file() for language in LANGUAGES), f"nav: {entry} has no file"


@pytest.mark.parametrize("stem", PAGES)
def test_tables_match_in_both_languages(stem):
    """A page's tables (the glossary, say) have as many rows in Chinese as in English."""
    if not all(page(stem, language).is_file() for language in LANGUAGES):
        pytest.skip("one language only (the module test names such modules)")
    rows = {
        language: [
            line
            for line in page(stem, language).read_text(encoding="utf-8-sig").splitlines()
            if line.startswith("|") and not re.match(r"^\|\s*:?-", line)
        ]
        for language in LANGUAGES
    }
    assert len(rows["zh"]) == len(rows["en"]), stem


def test_sample_checks_without_errors():
    """`python -m generator check` finds no error in the modules and quizzes."""
    result = run_generator("check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_builds_strictly_with_every_link_resolving(tmp_path):
    """In strict mode MkDocs fails on any broken link or nav entry: the real content passes."""
    project = tmp_path / "project"
    for folder in [CONTENT, QUIZZES, ROOT / "theme_overrides"]:
        shutil.copytree(folder, project / folder.relative_to(ROOT))
    config = dict(CONFIG, site_url=CONFIG.get("site_url") or SITE_URL)  # without one, MkDocs warns
    (project / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    result = run_generator("build", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]


def test_sample_site_hides_every_answer(sample_site):
    """The sample site: no answer key in any file, no explanation on any quiz page or in search."""
    bank, problems = load_bank(ROOT, QUIZZES)
    assert not [p for p in problems if p.is_error]
    # Module pages may quote the same law articles that explanations cite: only pages whose
    # whole content is generated (quiz and learner pages), scripts and the search index must not hold them.
    generated = lambda name: "quizzes/" in name or "learn/" in name or name.endswith((".js", ".json"))  # noqa: E731
    assert_no_readable_key(site_files(sample_site), bank, generated)
