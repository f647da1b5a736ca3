"""Shared helpers: the project root and small scenario projects built in tmp_path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

GOOD_QUIZ = """\
title:
  zh: 消防安全知识测验
  en: Fire safety quiz
pass_mark: 80
questions:
  - id: fire-number
    type: single
    prompt:
      zh: 发现火灾应拨打哪个电话报警？
      en: Which number do you call to report a fire?
    options:
      - "110"
      - "119"
      - {zh: 120（急救）, en: 120 (ambulance)}
    answer: B
    explanation:
      zh: 119 是火警电话。
      en: 119 is the fire number.
  - id: escape
    type: multiple
    prompt:
      zh: 火场逃生时应该怎么做？
      en: What should you do to escape a fire?
    options:
      - {zh: 用湿毛巾捂住口鼻, en: Cover mouth and nose with a wet towel}
      - {zh: 乘电梯, en: Take the lift}
      - {zh: 低姿前进, en: Stay low}
    answer: [A, C]
    explanation:
      zh: 不要乘电梯。
      en: Never use the lift.
  - id: hot-door
    type: true_false
    prompt:
      zh: 门把手很烫时可以开门。
      en: You may open a door whose handle is hot.
    answer: false
"""


def make_project(root: Path, quizzes: dict[str, str | bytes], pages: dict[str, str] | None = None,
                 config: str | None = None) -> Path:
    """A project folder like the real one: mkdocs.yml, theme_overrides, content/ and quizzes/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if config is not None:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "theme_overrides", root / "theme_overrides", dirs_exist_ok=True)
    (root / "quizzes").mkdir(exist_ok=True)
    for name, text in quizzes.items():
        path = root / "quizzes" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    pages = pages if pages is not None else {
        "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
        "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    }
    for name, text in pages.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    """A factory for scenario projects in a temporary folder."""
    return lambda quizzes, pages=None, config=None: make_project(tmp_path / "project", quizzes, pages, config)


def run_generator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator ...`` as staff run it, with its output and exit code."""
    import os
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def question_bank(count: int = 30) -> str:
    """``count`` questions of all three types, with answers spread over the letters."""
    lines = []
    for n in range(1, count + 1):
        kind = ("single", "multiple", "true_false")[n % 3]
        lines += [f"  - id: q{n:02d}", f"    type: {kind}", "    prompt:",
                  f"      zh: 第{n}道题的题干", f"      en: Prompt of question {n}"]
        if kind != "true_false":
            lines.append("    options:")
            lines += [f"      - {{zh: 第{n}题选项{letter}, en: Q{n} option {letter}}}" for letter in "ABCD"]
        answer = {"single": "ABCD"[n % 4], "multiple": "[A, C]" if n % 2 else "[B, D]", "true_false": "true" if n % 2 else "false"}[kind]
        lines += [f"    answer: {answer}", "    explanation:",
                  f"      zh: 第{n}题的解析依据第{n}条规定", f"      en: Explanation {n} rests on rule {n}"]
    return "\n".join(lines) + "\n"


EXAM_QUIZ = ("title:\n  zh: 安全生产月考试\n  en: Safety Month exam\npass_mark: 80\n"
             "mode: exam\ndraw: 10\nshuffle: true\ntime_limit: 10m\nquestions:\n" + question_bank(30))
SHORT_QUIZ = ("title:\n  zh: 限时三秒\n  en: Three seconds\nmode: exam\ntime_limit: 3s\nquestions:\n" + question_bank(3))
PRACTICE_QUIZ = ("title:\n  zh: 练习\n  en: Practice\nshuffle: true\nquestions:\n" + question_bank(6))


@pytest.fixture(scope="session")
def served_root(tmp_path_factory) -> Path:
    """One folder served on 127.0.0.1; each site is a sub-path of it."""
    return tmp_path_factory.mktemp("served")


def built(root: Path, out: Path) -> Path:
    """``python -m generator build -d out`` in the project ``root``, which must succeed."""
    result = run_generator("build", "-d", str(out), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def sample_site(served_root) -> Path:
    """The real project's site, built once per test run into a folder named like a sub-path."""
    return built(ROOT, served_root / "anquan")


@pytest.fixture(scope="session")
def exam_site(served_root, tmp_path_factory) -> Path:
    """A campaign-exam scenario: a 30-question exam bank, a 3-second quiz and a practice quiz."""
    root = make_project(tmp_path_factory.mktemp("exam-project"),
                        {"exam.yaml": EXAM_QUIZ, "short.yaml": SHORT_QUIZ, "practice.yaml": PRACTICE_QUIZ})
    return built(root, served_root / "exam")


SITE_URL = "https://example.gov.cn/anquan/"
MODULE_PAGES = {
    "index.zh.md": "# 首页\n\n<!-- campaign -->\n",
    "index.en.md": "# Home\n\n<!-- campaign -->\n",
    "modules/fire.zh.md": "# 消防\n\n见 [消防法](https://flk.npc.gov.cn/)。\n\n<!-- quiz: fire-safety -->\n",
    "modules/fire.en.md": "# Fire\n\nSee the [Fire Law](https://flk.npc.gov.cn/).\n\n<!-- quiz: fire-safety -->\n",
}


def with_site_url(config: str, url: str = SITE_URL) -> str:
    return config.replace('site_url: ""', f'site_url: "{url}"')


@pytest.fixture(scope="session")
def campaign_site(served_root, tmp_path_factory) -> Path:
    """A site with site_url set: posters and handouts carry QR codes."""
    config = with_site_url((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    root = make_project(tmp_path_factory.mktemp("campaign-project"), {"fire-safety.yaml": GOOD_QUIZ, "exam.yaml": EXAM_QUIZ},
                        MODULE_PAGES, config)
    return built(root, served_root / "campaign")


@pytest.fixture(scope="session")
def odd_site(served_root, tmp_path_factory) -> Path:
    """Big and odd inputs (tests/odd_inputs.py): a 5,000-question quiz, a 1 MB module in each language,
    astral CJK, emoji and RTL texts in a quiz and in every campaign field; built once per test run."""
    from .odd_inputs import big_quiz, odd_config, odd_pages, odd_quiz

    root = make_project(tmp_path_factory.mktemp("odd-project"), {"big.yaml": big_quiz(), "odd.yaml": odd_quiz()},
                        odd_pages(), odd_config())
    return built(root, served_root / "odd")
