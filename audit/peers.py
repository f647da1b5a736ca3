"""The sites `make audit` measures: the sample site, and one ten-question quiz built three ways.

The peers are what a county office would otherwise pick (DESIGN §9): plain Material with its
defaults and the questions as text, and Material with the mkdocs-quiz plugin.  They are built
in their own virtualenv (``.cache/audit/venv``, pinned by ``requirements-peers.txt``) so the
generator's pins never move.  Ours is the same quiz through the generator, with the sample
site's configuration.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from generator.load import load_quiz
from generator.model import Question, QuestionType, Quiz
from generator.write import quiz_to_yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PEER_QUIZ = "fire-safety"
QUESTIONS = 10
LANGUAGE = "zh"


@dataclasses.dataclass(frozen=True)
class Peer:
    name: str
    label: str
    folder: Path  # the built site
    page: str  # the audited page, relative to the site


class AuditError(Exception):
    """A step of the audit could not run (not a missed budget)."""


def build_sample(work: Path, site_url: str) -> Path:
    """The sample project copied and built with site_url set, as a deployed site has it."""
    project = work / "sample"
    _copy_project(project)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(_set_site_url(config, site_url), encoding="utf-8")
    return _generator_build(project)


def build_peers(work: Path, site_url: str) -> list[Peer]:
    quiz = _peer_quiz()
    return [
        _ours(work / "ours", quiz, site_url),
        _material(work / "material", quiz, plugin=False),
        _material(work / "mkdocs-quiz", quiz, plugin=True),
    ]


def _peer_quiz() -> Quiz:
    quiz, _ = load_quiz(ROOT / "quizzes" / f"{PEER_QUIZ}.yaml")
    if quiz is None:
        raise AuditError(f"quizzes/{PEER_QUIZ}.yaml does not load: run `make check`.")
    if len(quiz.questions) < QUESTIONS:
        raise AuditError(f"quizzes/{PEER_QUIZ}.yaml has fewer than {QUESTIONS} questions.")
    return dataclasses.replace(quiz, questions=quiz.questions[:QUESTIONS])


def _ours(project: Path, quiz: Quiz, site_url: str) -> Peer:
    _copy_project(project, with_content=False)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:\n")[0] + "\nmarkdown_extensions:" + config.split("\nmarkdown_extensions:", 1)[1]
    (project / "mkdocs.yml").write_text(_set_site_url(config, site_url), encoding="utf-8")
    (project / "quizzes").mkdir()
    (project / "quizzes" / f"{quiz.id}.yaml").write_text(quiz_to_yaml(quiz), encoding="utf-8")
    for language in ("zh", "en"):
        title = quiz.title.get(language)
        (project / "content" / f"index.{language}.md").write_text(
            f"# {title}\n\n<!-- quiz-list -->\n", encoding="utf-8"
        )
    site = _generator_build(project)
    return Peer("ours", "本生成器 generator", site, f"quizzes/{quiz.id}.html")


def _material(project: Path, quiz: Quiz, plugin: bool) -> Peer:
    docs = project / "docs"
    docs.mkdir(parents=True)
    plugins = "  - search\n" + ("  - mkdocs_quiz\n" if plugin else "")
    (project / "mkdocs.yml").write_text(
        f"site_name: {quiz.title.zh}\ntheme:\n  name: material\n  language: zh\nplugins:\n{plugins}", encoding="utf-8"
    )
    body = _mkdocs_quiz_page(quiz) if plugin else _plain_page(quiz)
    (docs / "index.md").write_text(f"# {quiz.title.zh}\n\n{body}", encoding="utf-8")
    python = _peer_python()
    result = subprocess.run(
        [str(python), "-m", "mkdocs", "build", "--quiet", "-d", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env(),
    )
    if result.returncode:
        raise AuditError(f"building the {project.name} peer failed:\n{result.stderr[-2000:]}")
    name = "mkdocs-quiz" if plugin else "material"
    label = "Material + mkdocs-quiz 1.7.1" if plugin else "Material, questions as text"
    return Peer(name, label, project / "site", "index.html")


def _options(question: Question) -> list[tuple[str, bool]]:
    if question.type is QuestionType.TRUE_FALSE:
        return [("对", "true" in question.answer), ("错", "false" in question.answer)]
    return [(option.text.zh, option.letter in question.answer) for option in question.options]


def _mkdocs_quiz_page(quiz: Quiz) -> str:
    blocks = ["<!-- mkdocs-quiz intro -->"]
    for question in quiz.questions:
        options = "\n".join(f"- [{'x' if right else ' '}] {text}" for text, right in _options(question))
        explanation = question.explanation.zh if question.explanation else ""
        blocks.append(f"<quiz>\n{question.prompt.zh}\n{options}\n\n{explanation}\n</quiz>")
    blocks.append("<!-- mkdocs-quiz results -->")
    return "\n\n".join(blocks) + "\n"


def _plain_page(quiz: Quiz) -> str:
    blocks = []
    for n, question in enumerate(quiz.questions, 1):
        options = "\n".join(f"- {text}" for text, _ in _options(question))
        answer = "、".join(text for text, right in _options(question) if right)
        explanation = question.explanation.zh if question.explanation else ""
        blocks.append(f"## 第 {n} 题\n\n{question.prompt.zh}\n\n{options}\n\n**答案：**{answer}。{explanation}")
    return "\n\n".join(blocks) + "\n"


def _peer_python() -> Path:
    """The peers' virtualenv, made and filled from requirements-peers.txt on first use."""
    folder = ROOT / ".cache" / "audit" / "venv"
    python = folder / "bin" / "python"
    requirements = HERE / "requirements-peers.txt"
    stamp = folder / ".installed"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == requirements.read_text(encoding="utf-8"):
        return python
    print("audit: installing the peers (mkdocs-quiz, Material) into .cache/audit/venv …", flush=True)
    if not python.exists():
        venv.create(folder, with_pip=True)
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise AuditError(f"pip could not install the peers:\n{result.stderr[-2000:]}")
    stamp.write_text(requirements.read_text(encoding="utf-8"), encoding="utf-8")
    return python


def _copy_project(project: Path, with_content: bool = True) -> None:
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
    if with_content:
        shutil.copytree(ROOT / "content", project / "content")
        shutil.copytree(ROOT / "quizzes", project / "quizzes")
    else:
        (project / "content").mkdir()


def _set_site_url(config: str, site_url: str) -> str:
    lines = [f'site_url: "{site_url}"' if line.startswith("site_url:") else line for line in config.splitlines()]
    return "\n".join(lines) + "\n"


def _generator_build(project: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-d", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env(),
    )
    if result.returncode:
        raise AuditError(f"building {project.name} failed:\n{result.stdout[-1000:]}{result.stderr[-2000:]}")
    return project / "site"


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
