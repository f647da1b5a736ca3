"""Shared helpers: the project root, the test project in tests/fixtures/ and scenario projects built in tmp_path.

Tests of the generator build the test project (``tests/fixtures/project``: its own mkdocs.yml,
three modules and three quizzes) or small scenario projects made from its mkdocs.yml, changed
structurally for the scenario (``fixture_config``, ``make_project``).  They never read the sample's
``mkdocs.yml``, ``content/`` or ``quizzes/``: a county rewrites those, and its ``make test`` must
still pass.  Only the tests of the sample content itself (tests/build/test_curriculum.py,
tests/browser/test_sample_site.py) read them, and they check rules, not titles or numbers.
"""

from __future__ import annotations

import copy
import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PROJECT = FIXTURES / "project"
"""The test project: a small but complete site (modules with sections and quiz markers in both
languages, a glossary, a nav with sections, a campaign) that the browser tests use."""

# -- mkdocs.yml as data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A tagged YAML value kept as written (``!!python/object/apply:...``, ``!ENV``), to be written back."""

    tag: str
    value: Any


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_scalar(node))


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value, flow_style=True)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    return dumper.represent_scalar(data.tag, data.value)


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigDumper.add_representer(Tagged, _represent_tagged)


def load_config(path: Path) -> dict:
    """A mkdocs.yml as a dict; tags MkDocs resolves are kept as ``Tagged`` values."""
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ConfigLoader)


def dump_config(config: dict) -> str:
    """The text of a mkdocs.yml holding ``config`` (the reverse of ``load_config``)."""
    return yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False, width=1000)


@functools.cache
def _fixture_config() -> dict:
    return load_config(PROJECT / "mkdocs.yml")


def fixture_config() -> dict:
    """The test project's mkdocs.yml as a dict: a fresh copy, to change for one scenario."""
    return copy.deepcopy(_fixture_config())


def plugin_options(config: dict, name: str) -> dict:
    """The options of the plugin ``name`` in ``config`` (the dict itself: changes go into the config)."""
    for entry in config["plugins"]:
        if isinstance(entry, dict) and name in entry:
            return entry[name]
    raise KeyError(f"no plugin {name} with options in the config")


def campaign_of(config: dict) -> dict:
    """The campaign block of ``config`` (the dict itself: changes go into the config)."""
    return plugin_options(config, "generator")["campaign"]


SITE_URL = "https://example.gov.cn/anquan/"


def with_site_url(config: dict, url: str = SITE_URL) -> dict:
    """``config`` with ``site_url`` set (changed in place, and returned)."""
    config["site_url"] = url
    return config


UNITS_YAML = """\
units:
  - code: yjj
    name: {zh: 测试县应急管理局, en: Test County Emergency Management Bureau}
    headcount: 40
  - code: town-1
    name: {zh: 测试一镇, en: Test Town One}
  - code: plant
    name: {zh: 测试化工厂, en: Test Chemical Plant}
    headcount: 300
"""
"""The test project's units (units.yaml): scenarios that count participation write it beside mkdocs.yml."""


def with_results(
    config: dict, endpoint: str = "/anquan-api/", ask_name: str = "optional", public_summary: bool = False
) -> dict:
    """``config`` with a results: block (DESIGN §11.1) under the generator plugin (in place, and returned)."""
    plugin_options(config, "generator")["results"] = {
        "endpoint": endpoint,
        "ask_name": ask_name,
        "public_summary": public_summary,
        "notice": {
            "zh": "成绩和单位用于统计测试活动的参与情况。",
            "en": "Your score and unit count towards the test campaign.",
        },
    }
    return config


def nav_for(pages: dict[str, str]) -> list:
    """A nav like the test project's for a scenario's pages: the home page, each other page in the
    order given, the quiz index (MkDocs warns about nav entries whose file is missing)."""
    nav: list = []
    for stem in dict.fromkeys(name.rsplit(".", 2)[0] for name in pages if name.endswith(".md")):
        nav.append({"首页": "index.md"} if stem == "index" else f"{stem}.md")
    return nav + [{"测验": "quizzes/index.md"}]


# -- projects -------------------------------------------------------------------------------


HOME_PAGES = {
    "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
}
"""The pages of a scenario that gives none: a home page in each language that lists the quizzes."""


def copy_project(source: Path, root: Path) -> Path:
    """A copy of the project folder ``source`` in ``root``, with the theme code (theme_overrides/) it uses."""
    shutil.copytree(source, root, dirs_exist_ok=True)
    shutil.copytree(ROOT / "theme_overrides", root / "theme_overrides", dirs_exist_ok=True)
    return root


def make_project(
    root: Path, quizzes: dict[str, str | bytes], pages: dict[str, str] | None = None, config: dict | str | None = None
) -> Path:
    """A scenario project in ``root`` laid out like the real one; returns ``root``.

    quizzes: file name in quizzes/ -> its text (or bytes, written as they are).
    pages: path under content/ (``modules/fire.zh.md``) -> Markdown.  Default: ``HOME_PAGES``.
    config: mkdocs.yml as a dict (``fixture_config()``, changed for the scenario) whose ``nav:`` is
        replaced by ``nav_for(pages)``, or as text written as it is.  Default: ``fixture_config()``.
    The theme code (theme_overrides/) is copied in.
    """
    pages = pages if pages is not None else HOME_PAGES
    root.mkdir(parents=True, exist_ok=True)
    if not isinstance(config, str):
        config = dict(config if config is not None else fixture_config(), nav=nav_for(pages))
        config = dump_config(config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "theme_overrides", root / "theme_overrides", dirs_exist_ok=True)
    (root / "quizzes").mkdir(exist_ok=True)
    for name, text in quizzes.items():
        path = root / "quizzes" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    for name, text in pages.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    """A factory for one scenario project at tmp_path/project (called again, it writes over it)."""

    def make(
        quizzes: dict[str, str | bytes], pages: dict[str, str] | None = None, config: dict | str | None = None
    ) -> Path:
        """``make_project(tmp_path / "project", quizzes, pages, config)``: see make_project."""
        return make_project(tmp_path / "project", quizzes, pages, config)

    return make


def run_generator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator ...`` as staff run it, with its output and exit code."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator build [args]`` in the project ``root``, which must succeed;
    its result (for the warnings)."""
    result = run_generator("build", *args, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def built(root: Path, out: Path) -> Path:
    """The site folder ``out`` of ``build(root, "-d", out)``."""
    build(root, "-d", str(out))
    return out


# -- scenario data --------------------------------------------------------------------------

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


def question_bank(count: int = 30) -> str:
    """``count`` questions of all three types, with answers spread over the letters."""
    lines = []
    for n in range(1, count + 1):
        kind = ("single", "multiple", "true_false")[n % 3]
        lines += [
            f"  - id: q{n:02d}",
            f"    type: {kind}",
            "    prompt:",
            f"      zh: 第{n}道题的题干",
            f"      en: Prompt of question {n}",
        ]
        if kind != "true_false":
            lines.append("    options:")
            lines += [f"      - {{zh: 第{n}题选项{letter}, en: Q{n} option {letter}}}" for letter in "ABCD"]
        answer = {
            "single": "ABCD"[n % 4],
            "multiple": "[A, C]" if n % 2 else "[B, D]",
            "true_false": "true" if n % 2 else "false",
        }[kind]
        lines += [
            f"    answer: {answer}",
            "    explanation:",
            f"      zh: 第{n}题的解析依据第{n}条规定",
            f"      en: Explanation {n} rests on rule {n}",
        ]
    return "\n".join(lines) + "\n"


EXAM_QUIZ = (
    "title:\n  zh: 安全生产月考试\n  en: Safety Month exam\npass_mark: 80\n"
    "mode: exam\ndraw: 10\nshuffle: true\ntime_limit: 10m\nquestions:\n" + question_bank(30)
)
SHORT_QUIZ = "title:\n  zh: 限时三秒\n  en: Three seconds\nmode: exam\ntime_limit: 3s\nquestions:\n" + question_bank(3)
PRACTICE_QUIZ = "title:\n  zh: 练习\n  en: Practice\nshuffle: true\nquestions:\n" + question_bank(6)


# -- two workers ---------------------------------------------------------------------------

GROUPED = ("browser", "results")
"""Test packages whose tests run together on one pytest-xdist worker (``make test`` runs one per CPU)."""


def pytest_xdist_make_scheduler(config, log):
    """The browser tests run on one worker, one after another: Playwright's sync API keeps an event
    loop running in its worker's thread while its browser is open (the browser fixture lives as long
    as the tests of tests/browser/ follow each other), and the results tests' ``asyncio.run`` refuses
    to start inside it, so the two must never alternate in one process.  The results tests share one
    PostgreSQL server likewise, and the WebKit and Firefox tests (Selenium) go beside the browser tests.
    Everything else is spread over the workers test by test.

    A scheduler of our own rather than ``xdist_group`` marks: with pytest 9.2 and pytest-xdist 3.8 the
    marks group nothing (xdist tags a test with its group by setting ``item._nodeid``, and pytest 9 keeps
    the id in ``item._id``), and the suite ran grouped by the luck of its order alone
    (``--dist=loadfile`` failed 187 tests)."""
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path.endswith("/test_engines.py"):
                return "engines"
            return next((package for package in GROUPED if path.startswith(f"tests/{package}/")), nodeid)

    return Grouped(config, log)


# -- sites built once per test run ----------------------------------------------------------


@pytest.fixture(scope="session")
def served_root(tmp_path_factory) -> Path:
    """One folder served on 127.0.0.1; each site is a sub-path of it."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="session")
def project_site(served_root, tmp_path_factory) -> Path:
    """The test project's site (tests/fixtures/project), built once per run into a folder named like a sub-path."""
    return built(copy_project(PROJECT, tmp_path_factory.mktemp("test-project")), served_root / "anquan")


@pytest.fixture(scope="session")
def sample_site(served_root) -> Path:
    """The sample's site (this repository's content, as a county has edited it), built once per run.
    For the tests of the sample content: it may hold any pages, titles and quizzes."""
    return built(ROOT, served_root / "sample")


@pytest.fixture(scope="session")
def exam_site(served_root, tmp_path_factory) -> Path:
    """A campaign-exam scenario: a 30-question exam bank, a 3-second quiz and a practice quiz."""
    root = make_project(
        tmp_path_factory.mktemp("exam-project"),
        {"exam.yaml": EXAM_QUIZ, "short.yaml": SHORT_QUIZ, "drill.yaml": PRACTICE_QUIZ},
    )
    return built(root, served_root / "exam")


MODULE_PAGES = {
    "index.zh.md": "# 首页\n\n<!-- campaign -->\n",
    "index.en.md": "# Home\n\n<!-- campaign -->\n",
    "modules/fire.zh.md": "# 消防\n\n见 [消防法](https://flk.npc.gov.cn/)。\n\n<!-- quiz: fire-safety -->\n",
    "modules/fire.en.md": "# Fire\n\nSee the [Fire Law](https://flk.npc.gov.cn/).\n\n<!-- quiz: fire-safety -->\n",
}


@pytest.fixture(scope="session")
def campaign_site(served_root, tmp_path_factory) -> Path:
    """A site with site_url set: posters and handouts carry QR codes."""
    root = make_project(
        tmp_path_factory.mktemp("campaign-project"),
        {"fire-safety.yaml": GOOD_QUIZ, "exam.yaml": EXAM_QUIZ},
        MODULE_PAGES,
        with_site_url(fixture_config()),
    )
    return built(root, served_root / "campaign")


@pytest.fixture(scope="session")
def odd_site(served_root, tmp_path_factory) -> Path:
    """Big and odd inputs (tests/odd_inputs.py): a 5,000-question quiz, a 1 MB module in each language,
    astral CJK, emoji and RTL texts in a quiz and in every campaign field; built once per test run."""
    from .odd_inputs import big_quiz, odd_config, odd_pages, odd_quiz

    root = make_project(
        tmp_path_factory.mktemp("odd-project"),
        {"big.yaml": big_quiz(), "odd.yaml": odd_quiz()},
        odd_pages(),
        odd_config(),
    )
    return built(root, served_root / "odd")
