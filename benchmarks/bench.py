"""Build cost at scale (make bench): a synthetic site of 100 modules in both languages and
1,000 questions, built with the generator on and off in the same run, and the time to load
and check growing question banks.  Times are medians on a shared machine: read the ratios,
not the seconds.  Each build is also timed in CPU seconds (the build process's own), which
other work on the machine disturbs less than wall-clock time.

The site is built four ways, on and off each:

- as the sample mkdocs.yml is set up: a ``nav:`` (modules in sections, the quiz index) and no
  ``site_url``: the budget of DESIGN §9 is read on this one;
- with ``site_url`` set, as a site that prints posters must be: QR codes on 202 posters and
  at the end of 200 modules;
- without ``nav:``, so that MkDocs makes the navigation from every page;
- as the first, but the off site is given the same pages the generator adds for workers: each
  quiz written by hand as a Markdown page of its questions (no engine, no posters).  This row
  separates the cost of having 200 more pages (MkDocs' and Material's) from the generator's own.

"Off" is the same site with ``enabled: false`` for the generator: the same modules, with the
quiz markers left as comments, and no quiz pages or posters.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import load_bank  # noqa: E402

PARAGRAPH = (
    "安全生产人人有责。发现隐患要立即报告，不能冒险作业。"
    "Everyone is responsible for safety: report hazards at once and never take risks. "
) * 4


def question(n: int) -> str:
    kind = ("single", "multiple", "true_false")[n % 3]
    lines = [
        f"  - id: q{n}",
        f"    type: {kind}",
        "    prompt:",
        f"      zh: 第{n}题：发现隐患应当怎么做？",
        f'      en: "Question {n}: what do you do about a hazard?"',
    ]
    if kind != "true_false":
        lines += ["    options:"] + [f"      - {{zh: 选项{c}, en: Option {c}}}" for c in "ABCD"]
    lines += [
        f"    answer: {'B' if kind == 'single' else '[A, C]' if kind == 'multiple' else 'true'}",
        "    explanation:",
        "      zh: 《安全生产法》第五十九条。",
        "      en: Work Safety Law Art. 59.",
    ]
    return "\n".join(lines)


def quiz(name: str, start: int, count: int) -> str:
    body = "\n".join(question(n) for n in range(start, start + count))
    return f"title:\n  zh: 测验 {name}\n  en: Quiz {name}\nquestions:\n{body}\n"


def site_nav(modules: int, quiz_index: str | None, per_section: int = 10) -> str:
    """A nav shaped like the sample mkdocs.yml's: home, modules in titled sections, the quiz index.

    Without the generator there is no quiz index to list; everything else is the same.
    """
    lines = ["nav:", "  - 首页: index.md"]
    for start in range(0, modules, per_section):
        lines.append(f"  - 第{start // per_section + 1}组:")
        lines += [f"      - modules/m{m:03d}.md" for m in range(start, min(start + per_section, modules))]
    if quiz_index:
        lines.append(f"  - 测验: {quiz_index}")
    return "\n".join(lines) + "\n"


HAND = "hand-quizzes"
"""Where the off site keeps its hand-written quiz pages (content/quizzes/ is the generator's)."""


def quiz_page(name: str, start: int, count: int, lang: str) -> str:
    """A quiz written by hand as a Markdown page: its questions and options as text."""
    blocks = [f"# {'测验' if lang == 'zh' else 'Quiz'} {name}"]
    for n in range(start, start + count):
        options = "\n".join(f"- {'选项' if lang == 'zh' else 'Option '}{c}" for c in "ABCD")
        blocks.append(
            f"## {n}\n\n{'发现隐患应当怎么做？' if lang == 'zh' else 'What do you do about a hazard?'}\n\n{options}"
        )
    return "\n\n".join(blocks) + "\n"


def make_site(
    folder: Path,
    modules: int = 100,
    per_quiz: int = 10,
    generator: bool = True,
    nav: bool = True,
    site_url: str = "",
    quiz_pages: bool = False,
) -> Path:
    """The synthetic site; ``nav=False`` leaves MkDocs to make the navigation from every page;
    ``quiz_pages`` (with the generator off) adds each quiz as a hand-written Markdown page, so
    the site has the same pages as with the generator on."""
    folder.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    head, tail = config.split("\nnav:\n")[0], config.split("\nmarkdown_extensions:", 1)[1]
    quiz_index = "quizzes/index.md" if generator else f"{HAND}/index.md" if quiz_pages else None
    config = head + "\n" + (site_nav(modules, quiz_index) if nav else "") + "\nmarkdown_extensions:" + tail
    config = config.replace('\nsite_url: ""', f'\nsite_url: "{site_url}"', 1)
    if not generator:
        config = config.replace("  - generator:\n", "  - generator:\n      enabled: false\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "theme_overrides", folder / "theme_overrides")
    (folder / "quizzes").mkdir()
    for lang, title in (("zh", "首页"), ("en", "Home")):
        (folder / "content" / "modules").mkdir(parents=True, exist_ok=True)
        (folder / "content" / f"index.{lang}.md").write_text(f"# {title}\n\n<!-- campaign -->\n", encoding="utf-8")
    for m in range(modules):
        name = f"m{m:03d}"
        (folder / "quizzes" / f"{name}.yaml").write_text(quiz(name, m * per_quiz, per_quiz), encoding="utf-8")
        for lang in ("zh", "en"):
            sections = "\n\n".join(f"## 第{s}节 Section {s}\n\n{PARAGRAPH}" for s in range(6))
            (folder / "content" / "modules" / f"{name}.{lang}.md").write_text(
                f"# 模块 Module {name}\n\n{sections}\n\n## 测一测\n\n<!-- quiz: {name} -->\n", encoding="utf-8"
            )
            if quiz_pages:
                (folder / "content" / HAND).mkdir(exist_ok=True)
                (folder / "content" / HAND / f"{name}.{lang}.md").write_text(
                    quiz_page(name, m * per_quiz, per_quiz, lang), encoding="utf-8"
                )
    if quiz_pages:
        for lang in ("zh", "en"):
            links = "\n".join(f"- [{m:03d}](m{m:03d}.md)" for m in range(modules))
            (folder / "content" / HAND / f"index.{lang}.md").write_text(
                f"# 测验 Quizzes\n\n{links}\n", encoding="utf-8"
            )
    return folder


def build_seconds(folder: Path) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of ``python -m generator build`` in ``folder``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-d", str(folder / "out")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def validate_seconds(folder: Path, total: int, per_file: int = 100) -> float:
    quizzes = folder / f"bank-{total}"
    quizzes.mkdir()
    for f in range(total // per_file):
        (quizzes / f"b{f:04d}.yaml").write_text(quiz(f"b{f}", f * per_file, per_file), encoding="utf-8")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        bank, problems = load_bank(folder, quizzes)
        runs.append(time.perf_counter() - start)
        assert not problems and sum(len(q.questions) for q in bank) == total
    return min(runs)


VARIANTS = [
    ("as the sample mkdocs.yml: a nav:, no site_url (the budget)", {}, {}),
    ("with site_url (QR codes on posters and handouts)", {"site_url": "https://example.gov.cn/anquan/"}, {}),
    ("without nav: (MkDocs lists every page)", {"nav": False}, {}),
    ("off site given the same pages: each quiz hand-written as a Markdown page", {}, {"quiz_pages": True}),
]


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print(
            f"| build, 100 modules × 2 languages, 1,000 questions (median of {runs}) | generator on | off | on / off "
            f"(target ≤ 1.10) | on / off, CPU time |\n| --- | --- | --- | --- | --- |"
        )
        for number, (label, options, off_options) in enumerate(VARIANTS):
            on = make_site(base / f"on-{number}", **options)
            off = make_site(base / f"off-{number}", generator=False, **options, **off_options)
            times = {"on": [], "off": []}
            for _ in range(runs):  # interleaved, so both see the same machine load
                times["on"].append(build_seconds(on))
                times["off"].append(build_seconds(off))
            wall = {key: statistics.median(t[0] for t in value) for key, value in times.items()}
            cpu = {key: statistics.median(t[1] for t in value) for key, value in times.items()}
            print(
                f"| {label} | {wall['on']:.2f} s | {wall['off']:.2f} s | {wall['on'] / wall['off']:.2f} "
                f"| {cpu['on'] / cpu['off']:.2f} |",
                flush=True,
            )
        print("\n| measure | value |\n| --- | --- |")
        previous, seconds = None, {}
        for total in (1000, 2000, 5000, 10000):
            seconds[total] = validate_seconds(base, total)
            growth = (
                f" ({seconds[total] / seconds[previous]:.2f}× for {total / previous:.1f}× questions)"
                if previous
                else ""
            )
            print(f"| load and check {total:,} questions | {seconds[total]:.3f} s{growth} |")
            previous = total
        print(f"| growth, 1,000 → 10,000 questions | {seconds[10000] / seconds[1000]:.1f}× (10× is linear) |")


if __name__ == "__main__":
    main()
