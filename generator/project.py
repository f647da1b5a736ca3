"""Checking a whole project: every quiz file and every module that refers to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .campaign import Campaign, load_campaign
from .load import load_bank
from .markers import check_markers
from .model import LANGUAGES, QuizBank
from .modules import Module, find_modules
from .problems import Level, Problem, sort_problems

QUIZ_URL_DIR = "quizzes"
"""Where quiz pages are generated, per language (DESIGN §5)."""
POSTER_URL_DIR = "posters"
"""Where poster pages are generated, per language."""

_LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    docs_dir: Path
    quiz_dir: Path
    config_file: Path | None = None

    @classmethod
    def default(cls, root: Path) -> "ProjectPaths":
        return cls(root, root / "content", root / "quizzes", root / "mkdocs.yml")


@dataclass
class Project:
    """What a checked project holds: its quizzes, its campaign and its modules."""

    bank: QuizBank = field(default_factory=QuizBank)
    campaign: Campaign | None = None
    modules: list[Module] = field(default_factory=list)


def check_project(paths: ProjectPaths) -> tuple[Project, list[Problem]]:
    """Load and check every quiz, the markers that name them, module translations and the campaign."""
    bank, problems = load_bank(paths.root, paths.quiz_dir)
    project = Project(bank)
    existing = sorted(p.stem for p in paths.quiz_dir.glob("*.yaml")) if paths.quiz_dir.is_dir() else []
    if paths.docs_dir.is_dir():
        problems += check_markers(paths.docs_dir, paths.root, bank, existing)
        problems += _check_translations(paths)
        problems += _check_reserved(paths)
        project.modules = find_modules(paths.docs_dir)
    if paths.config_file and paths.config_file.is_file():
        project.campaign, found = load_campaign(paths.config_file, _shown(paths, paths.config_file))
        problems += found
    return project, sort_problems(problems)


def _shown(paths: ProjectPaths, path: Path) -> str:
    return path.relative_to(paths.root).as_posix() if path.is_relative_to(paths.root) else path.as_posix()


def _check_translations(paths: ProjectPaths) -> list[Problem]:
    """A module written in one language only is a warning: the other language falls back to it."""
    found: dict[Path, set[str]] = {}
    for path in paths.docs_dir.rglob("*.md"):
        match = _LANGUAGE_SUFFIX.match(path.name)
        if match and match["lang"] in LANGUAGES:
            found.setdefault(path.with_name(match["stem"]), set()).add(match["lang"])
    problems = []
    for stem, languages in sorted(found.items()):
        for missing in LANGUAGES:
            if missing in languages:
                continue
            present = sorted(languages)[0]
            shown = _shown(paths, stem.with_name(f"{stem.name}.{present}.md"))
            name_zh, name_en = ("中文", "Chinese") if missing == "zh" else ("英文", "English")
            problems.append(Problem(
                shown, 0, 0, Level.WARNING,
                f"这个模块没有{name_zh}版，{name_zh}页面会显示原文。",
                f"This module has no {name_en} version; the {name_en} site shows the original instead.",
                f"新建 {stem.name}.{missing}.md 写上{name_zh}译文。",
                f"Create {stem.name}.{missing}.md with the {name_en} text."))
    return problems


def _check_reserved(paths: ProjectPaths) -> list[Problem]:
    """content/quizzes/ and content/posters/ hold generated pages; a page of one's own there would clash."""
    return [
        Problem(_shown(paths, path), 0, 0, Level.ERROR,
                f"content/{folder}/ 是自动生成页面的位置，不能放自己写的页面。",
                f"content/{folder}/ is where pages are generated; pages of your own cannot go there.",
                "把这个文件移到别的文件夹，例如 content/modules/。",
                "Move the file to another folder, e.g. content/modules/.")
        for folder in (QUIZ_URL_DIR, POSTER_URL_DIR)
        for path in sorted((paths.docs_dir / folder).rglob("*.md"))
    ]
