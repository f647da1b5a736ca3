"""Checking a whole project: every quiz file and every module that refers to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .load import load_bank
from .markers import check_markers
from .model import LANGUAGES, QuizBank
from .problems import Level, Problem, sort_problems

QUIZ_URL_DIR = "quizzes"
"""Where quiz pages are generated, per language (DESIGN §5)."""

_LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    docs_dir: Path
    quiz_dir: Path

    @classmethod
    def default(cls, root: Path) -> "ProjectPaths":
        return cls(root, root / "content", root / "quizzes")


def check_project(paths: ProjectPaths) -> tuple[QuizBank, list[Problem]]:
    """Load and check every quiz, the markers that name them, and module translations."""
    bank, problems = load_bank(paths.root, paths.quiz_dir)
    existing = sorted(p.stem for p in paths.quiz_dir.glob("*.yaml")) if paths.quiz_dir.is_dir() else []
    if paths.docs_dir.is_dir():
        problems += check_markers(paths.docs_dir, paths.root, bank, existing)
        problems += _check_translations(paths)
        problems += _check_reserved(paths)
    return bank, sort_problems(problems)


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
    """content/quizzes/ is where quiz pages are generated; a page of its own there would clash."""
    reserved = paths.docs_dir / QUIZ_URL_DIR
    if not reserved.is_dir():
        return []
    return [
        Problem(_shown(paths, path), 0, 0, Level.ERROR,
                f"content/{QUIZ_URL_DIR}/ 是自动生成测验页面的位置，不能放自己写的页面。",
                f"content/{QUIZ_URL_DIR}/ is where quiz pages are generated; pages of your own cannot go there.",
                "把这个文件移到别的文件夹，例如 content/modules/。",
                "Move the file to another folder, e.g. content/modules/.")
        for path in sorted(reserved.rglob("*.md"))
    ]
