"""Checking a whole project: every quiz file and every module that refers to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .campaign import Campaign, DailySettings, read_campaign
from .learn import LEARN_URL_DIR, RESERVED_QUIZ_IDS
from .learn import PAGES as LEARN_PAGES
from .load import load_bank
from .markers import check_markers, iter_marker_lines
from .model import LANGUAGES, QuizBank
from .modules import Module, modules_of
from .pages import SourcePage, read_pages
from .picture_check import check_pictures
from .problems import Level, Problem, sort_problems
from .results_config import ResultsConfig, read_results
from .units import UNITS_FILE, Unit, load_units
from .urls import POSTER_URL_DIR, QUIZ_URL_DIR
from .vocabulary import LANGUAGE_PAGE, shown


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    docs_dir: Path
    quiz_dir: Path
    config_file: Path | None = None

    @classmethod
    def default(cls, root: Path) -> ProjectPaths:
        return cls(root, root / "content", root / "quizzes", root / "mkdocs.yml")


@dataclass
class Project:
    """What a checked project holds: its quizzes, its campaign, its modules, and where results go."""

    bank: QuizBank = field(default_factory=QuizBank)
    campaign: Campaign | None = None
    modules: list[Module] = field(default_factory=list)
    results: ResultsConfig | None = None
    """None: the site sends nothing anywhere (DESIGN §11)."""
    units: tuple[Unit, ...] = ()

    @property
    def daily(self) -> DailySettings:
        """The learner pages' daily challenge: the campaign block's ``daily:``, or the defaults."""
        return self.campaign.daily if self.campaign else DailySettings()


def check_project(
    paths: ProjectPaths,
    site_url: str | None = None,
    campaign: yaml.Node | None = None,
    results: yaml.Node | None = None,
) -> tuple[Project, list[Problem]]:
    """Load and check every quiz, the markers that name them, module translations, ``campaign`` and
    ``results`` (those blocks' nodes in mkdocs.yml, from ``Settings``; None: not there) with units.yaml;
    with ``site_url`` given (mkdocs.yml's, "" when it has none), also that the site's address is set."""
    bank, problems = load_bank(paths.root, paths.quiz_dir)
    problems += check_reserved_quiz_ids(paths)
    project = Project(bank)
    existing = sorted(p.stem for p in paths.quiz_dir.glob("*.yaml")) if paths.quiz_dir.is_dir() else []
    if paths.docs_dir.is_dir():
        pages = read_pages(paths.docs_dir, paths.root)
        problems += check_markers(pages, bank, existing)
        problems += _check_translations(pages, paths)
        problems += _check_reserved(pages, paths)
        problems += _check_links(pages, paths, bank)
        problems += check_pictures(pages, bank, paths)
        project.modules = modules_of(pages, paths.docs_dir)
    config_shown = shown(paths.root, paths.config_file) if paths.config_file else "mkdocs.yml"
    if campaign is not None:
        project.campaign, found = read_campaign(campaign, config_shown)
        problems += found
    if results is not None:
        project.results, found = read_results(results, site_url or "", config_shown)
        problems += found
    units_file = paths.root / UNITS_FILE
    if units_file.is_file():
        units, found = load_units(units_file, shown(paths.root, units_file))
        project.units = units or ()
        problems += found
    elif results is not None:
        problems.append(_NO_UNITS)
    if site_url == "":
        problems.append(_NO_SITE_URL)
    return project, sort_problems(problems)


_NO_UNITS = Problem(
    UNITS_FILE,
    0,
    0,
    Level.ERROR,
    "mkdocs.yml 里设了 results（统计参与情况），但没有 units.yaml：职工没有单位可选。",
    "mkdocs.yml has a results block (counting participation) but there is no units.yaml for workers to choose from.",
    "在 mkdocs.yml 旁边新建 units.yaml，列出各单位，格式见 README“统计参与情况”。",
    'Create units.yaml beside mkdocs.yml listing the units; README, "Counting participation", has the format.',
)


_NO_SITE_URL = Problem(
    "mkdocs.yml",
    0,
    0,
    Level.WARNING,
    "没有填写 site_url（网站的完整地址），海报和讲义上不会有二维码。",
    "site_url (the site's full address) is not set, so posters and handouts get no QR code.",
    "在 mkdocs.yml 里写上 site_url: https://你的网站/子目录/ ，再重新生成。",
    "Set site_url: https://your.host/sub-path/ in mkdocs.yml and build again.",
)


def _check_translations(pages: list[SourcePage], paths: ProjectPaths) -> list[Problem]:
    """A module written in one language only is a warning: the other language falls back to it."""
    found: dict[Path, set[str]] = {}
    for page in pages:
        match = LANGUAGE_PAGE.match(page.path.name)
        if match and match["lang"] in LANGUAGES:
            found.setdefault(page.path.with_name(match["stem"]), set()).add(match["lang"])
    problems = []
    for stem, languages in sorted(found.items()):
        for missing in LANGUAGES:
            if missing in languages:
                continue
            present = sorted(languages)[0]
            name_zh, name_en = ("中文", "Chinese") if missing == "zh" else ("英文", "English")
            problems.append(
                Problem(
                    shown(paths.root, stem.with_name(f"{stem.name}.{present}.md")),
                    0,
                    0,
                    Level.WARNING,
                    f"这个模块没有{name_zh}版，{name_zh}页面会显示原文。",
                    f"This module has no {name_en} version; the {name_en} site shows the original instead.",
                    f"新建 {stem.name}.{missing}.md 写上{name_zh}译文。",
                    f"Create {stem.name}.{missing}.md with the {name_en} text.",
                )
            )
    return problems


def check_reserved_quiz_ids(paths: ProjectPaths) -> list[Problem]:
    """The learner pages' quizzes (daily, practice, mistakes) are generated: a quiz file of that name would clash."""
    return [
        Problem(
            shown(paths.root, path),
            0,
            0,
            Level.ERROR,
            f"测验编号“{path.stem}”留给了学习页面（错题本、每日挑战、随机练习），不能用作测验文件名。",
            f'The quiz id "{path.stem}" belongs to the learner pages (mistakes, daily challenge, random practice).',
            f"给文件改个名字，例如 {path.stem}-quiz.yaml。",
            f"Rename the file, e.g. {path.stem}-quiz.yaml.",
        )
        for path in sorted(paths.quiz_dir.glob("*.yaml"))
        if paths.quiz_dir.is_dir()
        if path.stem in RESERVED_QUIZ_IDS
    ]


def _check_reserved(pages: list[SourcePage], paths: ProjectPaths) -> list[Problem]:
    """content/quizzes/, posters/ and learn/ hold generated pages; a page of one's own there would clash."""
    return [
        Problem(
            page.shown,
            0,
            0,
            Level.ERROR,
            f"content/{folder}/ 是自动生成页面的位置，不能放自己写的页面。",
            f"content/{folder}/ is where pages are generated; pages of your own cannot go there.",
            "把这个文件移到别的文件夹，例如 content/modules/。",
            "Move the file to another folder, e.g. content/modules/.",
        )
        for folder in (QUIZ_URL_DIR, POSTER_URL_DIR, LEARN_URL_DIR)
        for page in pages
        if page.path.is_relative_to(paths.docs_dir / folder)
    ]


_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _check_links(pages: list[SourcePage], paths: ProjectPaths, bank: QuizBank) -> list[Problem]:
    """Links inside the site that lead nowhere (pictures: picture_check.py)."""
    # Quiz pages are MkDocs pages, linked as .md or .html; posters are plain files (not pages), linked as .html.
    generated = (
        {f"{QUIZ_URL_DIR}/index.html"}
        | {f"{QUIZ_URL_DIR}/{quiz_id}.html" for quiz_id in bank.ids()}
        | ({f"{LEARN_URL_DIR}/{name}.html" for name in LEARN_PAGES} if len(bank) else set())
    )
    posters = {f"{POSTER_URL_DIR}/{name}.html" for name in ["index", "home", *bank.ids()]}
    problems = []
    for page in pages:
        for number, line in iter_marker_lines(page.text):
            for match in _LINK.finditer(line):
                target = match.group(1)
                if not _leads_somewhere(paths.docs_dir, page.path, target, generated, posters):
                    problems.append(
                        Problem(
                            page.shown,
                            number,
                            match.start() + 1,
                            Level.ERROR,
                            f"链接“{target}”指向的页面不存在。",
                            f'The link "{target}" leads to no page.',
                            "检查文件名和路径：链接写相对于本文件的路径，例如 ../modules/fire.md（不写 .zh/.en）。",
                            "Check the name and path: link relative to this file, "
                            "e.g. ../modules/fire.md (without .zh/.en).",
                        )
                    )
    return problems


def _leads_somewhere(docs_dir: Path, page: Path, target: str, generated: set[str], files: set[str]) -> bool:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith(("#", "//")):
        return True  # another site, mail, phone, or a place on this page
    target = re.split(r"[#?]", target, maxsplit=1)[0]
    if not target:
        return True
    resolved = (page.parent / target).resolve()
    try:
        relative = resolved.relative_to(docs_dir.resolve()).as_posix()
    except ValueError:
        return False
    if relative in files:
        return True
    stem, _, suffix = relative.rpartition(".")
    if suffix in ("md", "html"):
        candidates = [f"{stem}.md"] + [f"{stem}.{lang}.md" for lang in LANGUAGES]
        if any((docs_dir / c).is_file() for c in candidates):
            return True
        return f"{stem}.html" in generated
    return resolved.exists()


def summary(project: Project) -> str:
    """Two plain-text tables for the check report: modules by language, quizzes by question type."""
    lines = ["模块 Modules                          中文 zh  英文 en  测验 quiz"]
    for module in project.modules:
        marks = ["✓" if lang in module.languages else "✗ 缺 missing" for lang in LANGUAGES]
        lines.append(f"  {module.stem:<34} {marks[0]:<8} {marks[1]:<8} {', '.join(module.quiz_ids) or '—'}")
    lines += ["", "测验 Quizzes                          单选 single  多选 multiple  判断 true/false  合计 total"]
    for quiz in project.bank:
        counts = [sum(q.type.value == kind for q in quiz.questions) for kind in ("single", "multiple", "true_false")]
        lines.append(f"  {quiz.id:<34} {counts[0]:<11} {counts[1]:<14} {counts[2]:<16} {len(quiz.questions)}")
    return "\n".join(lines)
