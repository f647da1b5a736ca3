"""The scale curve of issue 18 (part of ``make bench``): synthetic sites of 12, 100 and 500 modules in
both languages, each module as long and as built as the sample's and with a quiz of ten questions,
built three ways and loaded in Chromium.

The three builds of the same pages:

- **generator**: the sample mkdocs.yml with a nav made for the modules; the generator writes the
  quiz pages (and, as it always does, posters, the learner pages, the service worker and the
  compressed siblings);
- **by hand**: the same project with the generator's ``enabled: false``, and each quiz written by
  hand as a Markdown page of its questions (no engine, no posters): DESIGN §9's "≤ 1.0× the same
  pages written by hand";
- **plain Material**: mkdocs-material and mkdocs-static-i18n alone (``mkdocs build``) on the same
  Markdown pages as "by hand": no generator plugin, no ``custom_dir`` (theme_overrides), no favicon
  of ours; the search plugin and Markdown extensions as the sample has them.  DESIGN §9: 500 modules ×
  2 languages ≤ 1.1× this.

Every build is timed as bench.py times its builds (wall clock and the child process's CPU seconds,
median of the runs, the three builds interleaved so that they see the same machine).

First visit: each built site is served by ``audit.server.Sites`` as the three kinds of host of
DESIGN §9 ("all": every text file gzipped, "stock": HTML only, "none": nothing), and the home page
and the quiz page of the first module are loaded in Chromium at 360×740, a new context (an empty
cache) for each.  Counted: the encoded bytes on the wire (response headers and body) of the page's
own requests until the load event and network idle.  The generator's service worker then fetches
the language's pages in the background ("warm", generator/assets/sw.js): those requests are counted
apart, for as long as the worker keeps fetching (it stops after a 60 s slice per page view).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from audit.crawl import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402  (the crawl's and the tests' Chromium)
from generator.load import load_quiz  # noqa: E402
from generator.model import Question, QuestionType, Quiz, Text  # noqa: E402
from generator.write import quiz_to_yaml  # noqa: E402

LANGUAGES = ("zh", "en")
SIZES = (12, 100, 500)
QUESTIONS = 10
PER_SECTION = 10
KINDS = ("generator", "by hand", "plain Material")
MODES = ("all", "stock", "none")
MODE_LABELS = {"all": "gzip", "stock": "stock", "none": "none"}
KIB = 1024
HAND = "hand-quizzes"
"""Where the hand-written quiz pages go (content/quizzes/ is the generator's, even switched off)."""

# -- the sample's modules, measured ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Pool:
    """What a language's sample modules are made of: their median length and their parts."""

    chars: int  # median characters of a module file, figures (inline SVG) left out
    titles: tuple[str, ...]
    headings: tuple[str, ...]  # the ### headings
    paragraphs: tuple[str, ...]
    items: tuple[str, ...]  # list items, without their marks
    notes: tuple[tuple[str, str, str], ...]  # admonitions: kind, title, body
    tables: tuple[tuple[str, ...], ...]  # each table's lines


_ITEM = re.compile(r"^(?:[-*]|\d+\.) (.+)$")
_NOTE = re.compile(r'^!!! (\w+) "(.*)"$')


def without_figures(text: str) -> str:
    return re.sub(r"<figure>.*?</figure>\n?", "", text, flags=re.S)


def read_pool(files: Sequence[Path]) -> Pool:
    """The parts of some module files (the sample's, in one language)."""
    lengths, titles, headings, paragraphs, items, notes, tables = [], [], [], [], [], [], []
    for file in files:
        text = without_figures(file.read_text(encoding="utf-8"))
        lengths.append(len(text))
        lines = text.splitlines()
        table: list[str] = []
        for number, line in enumerate(lines):
            if line.startswith("|"):
                table.append(line)
                continue
            if table:
                tables.append(tuple(table))
                table = []
            if line.startswith("# "):
                titles.append(line[2:].strip())
            elif line.startswith("### "):
                headings.append(line[4:].strip())
            elif note := _NOTE.match(line):
                body = []
                for following in lines[number + 1 :]:
                    if not following.startswith("    "):
                        break
                    body.append(following.strip())
                notes.append((note[1], note[2], " ".join(body)))
            elif "http" in line or "<" in line or line.startswith(("#", "    ", "!!!", "✅", "❌")) or not line.strip():
                continue
            elif item := _ITEM.match(line):
                items.append(item[1])
            else:
                paragraphs.append(line.strip())
        if table:
            tables.append(tuple(table))
    return Pool(
        int(statistics.median(lengths)),
        tuple(titles),
        tuple(headings),
        tuple(paragraphs),
        tuple(items),
        tuple(notes),
        tuple(tables),
    )


def sample_pools(root: Path = ROOT) -> dict[str, Pool]:
    folder = root / "content" / "modules"
    return {lang: read_pool(sorted(folder.glob(f"*.{lang}.md"))) for lang in LANGUAGES}


# -- synthetic modules and quizzes ----------------------------------------------------------------------

SECTIONS = {
    "zh": ("你将学会", "要点", "该做和不该做", "✅ 要做", "❌ 不要", "案例", "法律依据", "测一测", "依据 / 来源"),
    "en": (
        "What you will be able to do",
        "Key rules",
        "Do and don't",
        "✅ Do",
        "❌ Don't",
        "A case",
        "Legal basis",
        "Test yourself",
        "Sources",
    ),
}


def lesson_title(title: str, number: int, lang: str) -> str:
    return f"{title} · 第 {number + 1} 课" if lang == "zh" else f"{title} · lesson {number + 1}"


def module_text(pool: Pool, lang: str, number: int, quiz_id: str) -> str:
    """A module shaped like the sample's: an introduction, what you will learn, six sub-sections of
    rules (lists, an ordered list, three admonitions, a table), do and don't, a case, the legal basis,
    the quiz marker and the sources; the case is as long as it takes to reach the sample's median
    length.  Its parts are the sample's own sentences, drawn anew for each module (seeded: the same
    module is the same text on every run)."""
    rng = random.Random(f"{lang}-{number}")
    learn, rules, dos, do, dont, case, basis, test, sources = SECTIONS[lang]

    def items(count: int, ordered: bool = False) -> str:
        picked = rng.sample(pool.items, count)
        return "\n".join(f"{n}. {text}" if ordered else f"- {text}" for n, text in enumerate(picked, 1))

    def note() -> str:
        kind, title, body = rng.choice(pool.notes)
        return f'!!! {kind} "{title}"\n    {body}'

    title = lesson_title(pool.titles[number % len(pool.titles)], number, lang)
    blocks = [f"# {title}", rng.choice(pool.paragraphs), f"## {learn}", items(5), f"## {rules}"]
    for part, heading in enumerate(rng.sample(pool.headings, 6)):
        blocks += [f"### {heading}", rng.choice(pool.paragraphs), items(4, ordered=part == 2)]
        if part in (0, 3, 5):
            blocks.append(note())
        if part == 4 and pool.tables:
            blocks.append("\n".join(rng.choice(pool.tables)))
    head = blocks + [f"## {dos}", do, items(5), dont, items(5), f"## {case}"]
    tail = [f"## {basis}", items(6), f"## {test}", f"<!-- quiz: {quiz_id} -->", f"## {sources}", items(2)]
    story: list[str] = []
    while len("\n\n".join(head + story + tail)) < pool.chars and len(story) < 40:
        story.append(rng.choice(pool.paragraphs))
    return "\n\n".join(head + story + tail) + "\n"


def sample_quizzes(root: Path = ROOT) -> list[Quiz]:
    quizzes = []
    for path in sorted((root / "quizzes").glob("*.yaml")):
        quiz, _ = load_quiz(path)
        if quiz is not None and len(quiz.questions) >= QUESTIONS:
            quizzes.append(quiz)
    if not quizzes:
        raise SystemExit(f"bench: no sample quiz of {QUESTIONS} questions or more in quizzes/")
    return quizzes


def module_quiz(samples: Sequence[Quiz], number: int, name: str) -> Quiz:
    """The quiz of module ``number``: ten questions of a sample quiz, under the module's name."""
    quiz = samples[number % len(samples)]
    title = Text(lesson_title(quiz.title.zh, number, "zh"), lesson_title(quiz.title.en, number, "en"))
    return dataclasses.replace(
        quiz,
        id=name,
        path=f"quizzes/{name}.yaml",
        title=title,
        questions=quiz.questions[:QUESTIONS],
        draw=min(quiz.draw, QUESTIONS) if quiz.draw else None,
    )


def _choices(question: Question, lang: str) -> list[tuple[str, bool]]:
    if question.type is QuestionType.TRUE_FALSE:
        labels = {"true": "对", "false": "错"} if lang == "zh" else {"true": "True", "false": "False"}
        return [(labels[key], key in question.answer) for key in ("true", "false")]
    return [(option.text.get(lang), option.letter in question.answer) for option in question.options]


def hand_quiz_page(quiz: Quiz, lang: str) -> str:
    """A quiz written by hand as a Markdown page: each question, its options and its answer as text."""
    blocks = [f"# {quiz.title.get(lang)}"]
    for n, question in enumerate(quiz.questions, 1):
        choices = _choices(question, lang)
        options = "\n".join(f"- {text}" for text, _ in choices)
        answer = ("、" if lang == "zh" else ", ").join(text for text, right in choices if right)
        explanation = question.explanation.get(lang) if question.explanation else ""
        heading, label = (f"第 {n} 题", "**答案**：") if lang == "zh" else (f"Question {n}", "**Answer**: ")
        blocks.append(f"## {heading}\n\n{question.prompt.get(lang)}\n\n{options}\n\n{label}{answer}. {explanation}")
    return "\n\n".join(blocks) + "\n"


def nav_yaml(modules: int, kind: str) -> str:
    """A nav shaped like the sample's: home, the modules in sections of ten, the quizzes, (with the
    generator) the learner pages, the glossary.  Section titles are numbers, the same in both languages."""
    lines = ["nav:", "  - 首页: index.md"]
    for start in range(0, modules, PER_SECTION):
        end = min(start + PER_SECTION, modules)
        lines.append(f'  - "{start + 1}–{end}":')
        lines += [f"      - modules/m{m:03d}.md" for m in range(start, end)]
    lines.append(f"  - 测验: {'quizzes' if kind == 'generator' else HAND}/index.md")
    if kind == "generator":
        lines.append("  - 我的学习:")
        lines += [f"      - learn/{page}.md" for page in ("progress", "mistakes", "daily", "practice")]
    lines.append("  - glossary.md")
    return "\n".join(lines) + "\n"


def project_config(sample: str, modules: int, kind: str) -> str:
    """The sample mkdocs.yml with the nav made for ``modules``; for "by hand" the generator is
    switched off; for "plain Material" it is taken out, with theme_overrides and our favicon."""
    head, rest = sample.split("\nnav:\n", 1)
    tail = rest.split("\nmarkdown_extensions:", 1)[1]
    config = head + "\n" + nav_yaml(modules, kind) + "\nmarkdown_extensions:" + tail
    if kind == "by hand":
        config = config.replace("  - generator:\n", "  - generator:\n      enabled: false\n", 1)
    elif kind == "plain Material":
        config = re.sub(r"\n  - generator:\n(?:      .*\n|\s*\n)*", "\n", config, count=1)
        config = re.sub(r"\n  custom_dir: .*", "", config, count=1)
        config = re.sub(r"\n  favicon: .*", "", config, count=1)
        config = re.sub(r"\nextra:\n  generator: false.*", "", config, count=1)
    return config


def make_project(
    folder: Path, modules: int, kind: str, pools: dict[str, Pool], quizzes: Sequence[Quiz], source: Path = ROOT
) -> Path:
    """A synthetic project of ``modules`` modules in both languages, each with its quiz; its mkdocs.yml,
    theme_overrides, home page and glossary from ``source`` (the checkout, or a snapshot of it)."""
    content = folder / "content"
    (content / "modules").mkdir(parents=True)
    config = project_config((source / "mkdocs.yml").read_text(encoding="utf-8"), modules, kind)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    if kind != "plain Material":
        shutil.copytree(source / "theme_overrides", folder / "theme_overrides")
        (folder / "quizzes").mkdir()
    for page in ("index", "glossary"):
        for lang in LANGUAGES:
            shutil.copy(source / "content" / f"{page}.{lang}.md", content / f"{page}.{lang}.md")
    for m in range(modules):
        name = f"m{m:03d}"
        quiz = module_quiz(quizzes, m, name)
        if kind != "plain Material":
            (folder / "quizzes" / f"{name}.yaml").write_text(quiz_to_yaml(quiz), encoding="utf-8")
        for lang in LANGUAGES:
            (content / "modules" / f"{name}.{lang}.md").write_text(
                module_text(pools[lang], lang, m, name), encoding="utf-8"
            )
            if kind != "generator":
                (content / HAND).mkdir(exist_ok=True)
                (content / HAND / f"{name}.{lang}.md").write_text(hand_quiz_page(quiz, lang), encoding="utf-8")
    if kind != "generator":
        for lang in LANGUAGES:
            title = "测验" if lang == "zh" else "Quizzes"
            links = "\n".join(
                f"- [{module_quiz(quizzes, m, f'm{m:03d}').title.get(lang)}](m{m:03d}.md)" for m in range(modules)
            )
            (content / HAND / f"index.{lang}.md").write_text(f"# {title}\n\n{links}\n", encoding="utf-8")
    return folder


# -- the code under test, held still -------------------------------------------------------------------

SNAPSHOT = ("generator", "theme_overrides", "content", "quizzes", "mkdocs.yml")


def snapshot(folder: Path) -> Path:
    """A copy of the checkout's generator, theme overrides, sample content and mkdocs.yml as they are
    now.  Other work goes on in the same checkout while the bench runs for many minutes: every build
    of the bench uses this copy (``build_env``), so that all sizes measure the same code."""
    folder.mkdir(parents=True)
    for name in SNAPSHOT:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(ROOT / name, folder / name)
    return folder


def build_env(source: Path | None = None) -> dict[str, str]:
    """The environment of a build: ``source``'s generator package ahead of the installed (editable) one."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH", "")]))
    return env


# -- builds ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Builds:
    """The timed builds of one size: per kind, (wall, CPU) seconds of each run and the pages built."""

    modules: int
    runs: dict[str, list[tuple[float, float]]] = dataclasses.field(default_factory=dict)
    pages: dict[str, int] = dataclasses.field(default_factory=dict)

    def wall(self, kind: str) -> float:
        return statistics.median(run[0] for run in self.runs[kind])

    def cpu(self, kind: str) -> float:
        return statistics.median(run[1] for run in self.runs[kind])


def build_command(kind: str) -> list[str]:
    if kind == "plain Material":
        return [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", "out"]
    return [sys.executable, "-m", "generator", "build", "-d", "out"]


def timed_build(project: Path, kind: str, source: Path | None = None, timeout: float = 1800) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one build of ``project`` into project/out; CPU is the build
    process's own (user + system, from getrusage of the children)."""
    env = build_env(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(build_command(kind), cwd=project, env=env, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(
            f"bench: the {kind} build of {project} failed:\n{result.stdout[-1000:]}{result.stderr[-2000:]}"
        )
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def pages_built(site: Path) -> int:
    """HTML pages written (posters and the learner pages included: the generator writes them)."""
    return sum(1 for _ in site.rglob("*.html"))


def time_builds(projects: dict[str, Path], modules: int, runs: int, source: Path | None = None, log=print) -> Builds:
    """Build each project ``runs`` times, the kinds interleaved so that all see the same machine."""
    result = Builds(modules, {kind: [] for kind in projects})
    for run in range(runs):
        for kind, project in projects.items():
            result.runs[kind].append(timed_build(project, kind, source))
            wall, cpu = result.runs[kind][-1]
            log(f"  {modules} modules, {kind}, run {run + 1}/{runs}: {wall:.1f} s ({cpu:.1f} s CPU)")
    for kind, project in projects.items():
        result.pages[kind] = pages_built(project / "out")
    return result


# -- bytes on the wire ------------------------------------------------------------------------------


def wire_bytes(sizes: dict[str, int], headers: dict[str, str]) -> int:
    """Encoded bytes of one response on the wire, from Playwright's ``request.sizes()``.

    A response from the browser's cache reports a body of minus its headers: 0 bytes.  The script
    of a worker (Material's search worker, the service worker) reports a body of 0 though the server
    sent one: its Content-Length, the encoded length, counts instead."""
    body = sizes.get("responseBodySize", 0)
    head = sizes.get("responseHeadersSize", 0)
    if body < 0:
        return max(0, head + body)
    if body == 0:
        try:
            body = int(headers.get("content-length", "0"))
        except ValueError:
            body = 0
    return head + body


def worker_lists(sw_js: str) -> tuple[list[str], dict[str, list[str]]]:
    """(ASSETS, PAGES) as the build wrote them at the top of sw.js (generator/offline.py)."""
    found = {}
    for name in ("ASSETS", "PAGES"):
        match = re.search(rf"^const {name} = (.*);$", sw_js, flags=re.M)
        found[name] = json.loads(match[1]) if match else ([] if name == "ASSETS" else {})
    return found["ASSETS"], found["PAGES"]


@dataclasses.dataclass
class Visit:
    site: str  # a kind
    lang: str
    page: str  # "home" or "quiz"
    mode: str
    bytes: int = 0  # the page's own requests until load and network idle
    requests: int = 0
    background: int | None = None  # the service worker's requests
    background_files: int = 0
    worker_list: int = 0  # files the worker would keep for this language
    failed: list[str] = dataclasses.field(default_factory=list)
    chromium: str = ""


def page_path(page: str, lang: str, site: str) -> str:
    prefix = "" if lang == "zh" else f"{lang}/"
    if page == "home":
        return f"{prefix}index.html"
    return f"{prefix}{'quizzes' if site == 'generator' else HAND}/m000.html"


QUIET = 3.0
"""Seconds without a request from the service worker after which its background fetching is over
(it pauses 100 ms between two files)."""


def first_visits(
    sites: dict[str, Path], modes: Sequence[str] = MODES, slice_seconds: float = 75, log=print
) -> list[Visit]:
    """Load the home and quiz pages of each site in both languages from each kind of host.

    The three hosts run at once.  The pages are loaded one after the other, each in a new context (an
    empty cache); the contexts of the generator's quiz pages stay open while their service workers
    fetch in the background, all at once, until none has fetched anything for QUIET seconds or
    ``slice_seconds`` after the last page was opened (sw.js ends its slice after 60 s)."""
    from playwright.sync_api import sync_playwright

    from audit.server import Sites

    with contextlib.ExitStack() as stack:
        hosts = {}
        for mode in modes:
            paths = {SITE_PATHS[site]: folder for site, folder in sites.items()}
            hosts[mode] = stack.enter_context(Sites(paths, compression=mode)).url
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        version = browser.version
        visits, waiting = [], []
        last_worker_request = [time.monotonic()]

        def done(request, finished: list) -> None:
            finished.append(request)
            if request.service_worker is not None:
                last_worker_request[0] = time.monotonic()

        for site, folder in sites.items():
            worker = folder / "sw.js"
            lists = worker_lists(worker.read_text(encoding="utf-8")) if worker.is_file() else None
            for lang in LANGUAGES:
                for page in ("home", "quiz"):
                    for mode in modes:
                        visit = Visit(site, lang, page, mode)
                        context = browser.new_context(viewport=PHONE, service_workers="allow")
                        stack.callback(context.close)
                        finished: list = []
                        failed: list = []
                        context.on("requestfinished", lambda request, finished=finished: done(request, finished))
                        context.on("requestfailed", lambda request, failed=failed: failed.append(request))
                        tab = context.new_page()
                        url = f"{hosts[mode]}{SITE_PATHS[site]}/{page_path(page, lang, site)}"
                        response = tab.goto(url, wait_until="load", timeout=60000)
                        if response is None or response.status != 200:
                            raise SystemExit(f"bench: {url} answered {response and response.status}")
                        tab.wait_for_load_state("networkidle", timeout=60000)
                        own = [r for r in finished if r.service_worker is None]
                        visit.requests = len(own)
                        visit.bytes = sum(wire_bytes(r.sizes(), r.response().headers) for r in own)
                        visit.failed = [f"{r.url} ({r.failure})" for r in failed if r.service_worker is None]
                        visit.failed += [f"{r.url} ({r.response().status})" for r in own if r.response().status >= 400]
                        visits.append(visit)
                        if lists and page == "quiz":
                            visit.worker_list = len(lists[0]) + len(lists[1].get(lang, []))
                            waiting.append((visit, finished, tab))
                            last_worker_request[0] = time.monotonic()
                        else:
                            context.close()
            log(f"  first visits: {site}, {len(visits)} pages so far")
        if waiting:
            deadline = time.monotonic() + slice_seconds
            while time.monotonic() < deadline and time.monotonic() - last_worker_request[0] < QUIET:
                waiting[-1][2].wait_for_timeout(250)
        for visit, finished, _tab in waiting:
            fetched = [r for r in finished if r.service_worker is not None]
            visit.background = sum(wire_bytes(r.sizes(), r.response().headers) for r in fetched)
            visit.background_files = sum(1 for r in fetched if urlsplit(r.url).path.rsplit("/", 1)[-1] != "sw.js")
    for visit in visits:
        visit.chromium = version
    return visits


SITE_PATHS = {"generator": "anquan", "by hand": "hand", "plain Material": "material"}


# -- the report -------------------------------------------------------------------------------------

QUIZ_GZIP_BUDGET = 100 * KIB
QUIZ_PLAIN_BUDGET = 300 * KIB
GROWTH_BUDGET = 0.05
BY_HAND_BUDGET = 1.0
MATERIAL_BUDGET = 1.1
MATERIAL_BUDGET_SIZE = 500


def kib(n: float) -> str:
    return f"{n / KIB:,.1f}"


def size_of(n: float) -> str:
    return f"{n / KIB / KIB:,.2f} MiB" if n >= KIB * KIB else f"{n / KIB:,.1f} KiB"


def growth(values: dict[int, int]) -> float | None:
    """The largest change from the smallest site's value, as a fraction (+0.12 is 12 % more)."""
    if len(values) < 2:
        return None
    sizes = sorted(values)
    first = values[sizes[0]]
    return max((values[n] - first for n in sizes[1:]), key=abs) / first if first else None


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:+.1f} %"


def build_tables(builds: dict[int, Builds]) -> list[str]:
    lines = [
        "| modules × 2 languages | build | runs | pages built | wall s (median) | CPU s (median) "
        "| per page, wall ms | per page, CPU ms |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, result in sorted(builds.items()):
        for kind in result.runs:
            pages = result.pages[kind]
            wall, cpu = result.wall(kind), result.cpu(kind)
            lines.append(
                f"| {n} | {kind} | {len(result.runs[kind])} | {pages:,} | {wall:.1f} | {cpu:.1f} "
                f"| {wall / pages * 1000:.1f} | {cpu / pages * 1000:.1f} |"
            )
    lines += [
        "",
        f"| modules × 2 languages | generator ÷ by hand, wall / CPU (budget ≤ {BY_HAND_BUDGET:.1f}) "
        f"| generator ÷ plain Material, wall / CPU (budget at {MATERIAL_BUDGET_SIZE}: ≤ {MATERIAL_BUDGET:.1f}) |",
        "| ---: | ---: | ---: |",
    ]
    for n, result in sorted(builds.items()):
        cells = []
        for other in ("by hand", "plain Material"):
            if other in result.runs and "generator" in result.runs:
                cells.append(
                    f"{result.wall('generator') / result.wall(other):.2f} / "
                    f"{result.cpu('generator') / result.cpu(other):.2f}"
                )
            else:
                cells.append("—")
        lines.append(f"| {n} | {cells[0]} | {cells[1]} |")
    return lines


def visit_tables(visits: dict[int, list[Visit]]) -> list[str]:
    sizes = sorted(visits)
    index = {(n, v.site, v.lang, v.page, v.mode): v for n in sizes for v in visits[n]}
    rows = sorted(
        {(v.site, v.page, v.lang) for n in sizes for v in visits[n]},
        key=lambda r: (KINDS.index(r[0]), r[1], LANGUAGES.index(r[2])),
    )
    head = " | ".join(f"{n} modules" for n in sizes)
    lines = [
        "KiB on the wire, gzip / stock / none (DESIGN §9's three hosts); the page's own requests until the "
        "load event and network idle, in a new context (an empty cache) at 360×740.",
        "",
        f"| page | language | site | {head} | change from {sizes[0]} modules, gzip / stock / none |",
        "| --- | --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: |",
    ]
    for site, page, lang in rows:
        cells = []
        for n in sizes:
            found = [index.get((n, site, lang, page, mode)) for mode in MODES]
            cells.append(" / ".join(kib(v.bytes) if v else "—" for v in found))
        changes = []
        for mode in MODES:
            values = {
                n: index[(n, site, lang, page, mode)].bytes for n in sizes if (n, site, lang, page, mode) in index
            }
            changes.append(percent(growth(values)))
        lines.append(f"| {page} | {lang} | {site} | {' | '.join(cells)} | {' / '.join(changes)} |")
    background = [v for n in sizes for v in visits[n] if v.background is not None]
    if background:
        lines += [
            "",
            "The generator's service worker after a first visit of the quiz page: the bytes it fetched in the "
            'background (its "warm", generator/assets/sw.js: the language\'s pages and the shared assets, one '
            "at a time, for at most 60 s per page view), and the files fetched of those in its list.",
            "",
            "| language | modules | gzip | stock | none |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for lang in LANGUAGES:
            for n in sizes:
                cells = []
                for mode in MODES:
                    v = index.get((n, "generator", lang, "quiz", mode))
                    cells.append(
                        "—"
                        if v is None or v.background is None
                        else f"{size_of(v.background)} ({v.background_files:,}/{v.worker_list:,} files)"
                    )
                lines.append(f"| {lang} | {n} | {' | '.join(cells)} |")
    failed = sorted({f"{v.site}: {f.split('/', 3)[-1]}" for n in sizes for v in visits[n] for f in v.failed})
    if failed:
        lines += ["", "Failed requests during first visits (each listed once):", ""]
        lines += [f"- {f}" for f in failed[:20]] + ([f"- … and {len(failed) - 20} more"] if len(failed) > 20 else [])
    return lines


@dataclasses.dataclass
class Verdict:
    budget: str
    measured: str
    ok: bool | None  # None: not measured

    @property
    def word(self) -> str:
        return "not measured" if self.ok is None else "met" if self.ok else "**missed**"


def verdicts(builds: dict[int, Builds], visits: dict[int, list[Visit]]) -> list[Verdict]:
    result = []
    quiz = [(n, v) for n in sorted(visits) for v in visits[n] if v.site == "generator" and v.page == "quiz"]
    for mode, budget, label in (
        ("all", QUIZ_GZIP_BUDGET, "a quiz page, first visit, server gzips all text: ≤ 100 KiB"),
        ("stock", QUIZ_PLAIN_BUDGET, "the same on a stock server (HTML compressed only): ≤ 300 KiB"),
        ("none", QUIZ_PLAIN_BUDGET, "the same on a server that compresses nothing: ≤ 300 KiB"),
    ):
        found = [(v.bytes, n, v.lang) for n, v in quiz if v.mode == mode]
        if found:
            worst = max(found)
            result.append(
                Verdict(label, f"heaviest {kib(worst[0])} KiB ({worst[2]}, {worst[1]} modules)", worst[0] <= budget)
            )
        else:
            result.append(Verdict(label, "", None))
    sizes = sorted(visits)
    label = f"first-visit weight the same (± 5 %) at {', '.join(map(str, sizes))} modules"
    if len(sizes) >= 2:
        changes = []
        keys = {(v.lang, v.page, v.mode) for n in sizes for v in visits[n] if v.site == "generator"}
        for lang, page, mode in sorted(keys):
            values = {
                n: v.bytes
                for n in sizes
                for v in visits[n]
                if (v.site, v.lang, v.page, v.mode) == ("generator", lang, page, mode)
            }
            change = growth(values)
            if change is not None:
                changes.append((abs(change), change, f"{page} page, {lang}, {MODE_LABELS[mode]}"))
        worst = max(changes)
        result.append(
            Verdict(
                label,
                f"largest change {percent(worst[1])} ({worst[2]}, from {sizes[0]} modules)",
                worst[0] <= GROWTH_BUDGET,
            )
        )
    else:
        result.append(Verdict(label, "", None))
    ratios = {
        n: b.cpu("generator") / b.cpu("by hand")
        for n, b in sorted(builds.items())
        if {"generator", "by hand"} <= b.runs.keys()
    }
    walls = {
        n: b.wall("generator") / b.wall("by hand")
        for n, b in sorted(builds.items())
        if {"generator", "by hand"} <= b.runs.keys()
    }
    result.append(
        Verdict(
            f"build ≤ {BY_HAND_BUDGET:.1f}× the same pages written by hand (CPU time)",
            ", ".join(f"{n} modules {ratios[n]:.2f}× (wall {walls[n]:.2f}×)" for n in ratios),
            all(r <= BY_HAND_BUDGET for r in ratios.values()) if ratios else None,
        )
    )
    big = builds.get(MATERIAL_BUDGET_SIZE)
    label = (
        f"{MATERIAL_BUDGET_SIZE} modules × 2 languages ≤ {MATERIAL_BUDGET:.1f}× plain Material on the same pages "
        "(CPU time)"
    )
    if big and {"generator", "plain Material"} <= big.runs.keys():
        cpu = big.cpu("generator") / big.cpu("plain Material")
        wall = big.wall("generator") / big.wall("plain Material")
        result.append(Verdict(label, f"{cpu:.2f}× (wall {wall:.2f}×)", cpu <= MATERIAL_BUDGET))
    else:
        result.append(Verdict(label, "", None))
    return result


def verdict_table(found: list[Verdict]) -> list[str]:
    lines = ["| budget (DESIGN §9) | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {v.budget} | {v.measured or '—'} | {v.word} |" for v in found]
    return lines


def machine() -> list[str]:
    """Lines on the machine, the date, the checkout and the versions."""
    import importlib.metadata as metadata

    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD")
    dirty = (
        " (with uncommitted changes in the checkout)" if git("status", "--porcelain", "--untracked-files=no") else ""
    )
    versions = []
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "jieba", "playwright"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return [
        f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; commit {commit or '?'}{dirty}",
        f"- Machine: {platform.system()} {platform.release()}, {cpu or 'CPU ?'} × {os.cpu_count()}{memory}",
        f"- Python {platform.python_version()}, " + ", ".join(versions),
    ]
