"""`make bench`: build cost and first-visit weight as a site grows (issue 18), the reload time of
`make serve`, and the time to load and check growing question banks.  The report goes to
build/bench/scale.md (and to the terminal); the exit status is 1 when a budget of DESIGN §9 is missed, 2
when the bench stopped before the end (the report then has what was measured).

1. The scale curve (benchmarks/scale.py says how): synthetic sites of 12, 100 and 500 modules × 2
   languages, each module as long and as built as the sample's with a quiz of ten questions, built
   with the generator, "by hand" (the generator off, each quiz a hand-written Markdown page) and as
   plain Material on the same pages; build time in wall and CPU seconds and per page; the first-visit
   bytes of the home page and a quiz page from the three kinds of host, and what the service worker
   fetches in the background afterwards.
2. `make serve` at 100 modules (benchmarks/serve_reload.py): from saving a quiz file to the page
   showing the change, median of three edits.
3. At 100 modules, what else the build cost depends on: ``site_url`` set (QR codes on every poster
   and handout) and no ``nav:`` (MkDocs lists every page), each generator against by hand.  (Earlier
   versions of this file also built the site with the generator off and no quiz pages at all: the
   budget is now read against the same pages written by hand, the scale curve's own comparison.)
4. Loading and checking 1,000 to 10,000 questions.

Times are medians on a shared machine: read the ratios, and the CPU seconds (the build process's
own), which other work on the machine disturbs less than wall-clock time.  The load average at the
start and the end is in the report.

Settings (environment): BENCH_SIZES (default "12,100,500"), BENCH_RUNS (runs per build below 500
modules, default 3), BENCH_RUNS_LARGE (at 500 modules and more, default 1), BENCH_VARIANT_RUNS
(part 3, default 1), BENCH_SERVE (0 leaves out part 2), BENCH_VARIANTS (0 leaves out part 3).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import scale  # noqa: E402
from benchmarks.serve_reload import reload_seconds  # noqa: E402
from generator.load import load_bank  # noqa: E402

REPORT = ROOT / "build" / "bench" / "scale.md"
SERVE_SIZE = 100
VARIANT_SIZE = 100
LARGE = 500


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


def validation_table(folder: Path) -> list[str]:
    lines = ["| measure | value |", "| --- | --- |"]
    previous, seconds = None, {}
    for total in (1000, 2000, 5000, 10000):
        seconds[total] = validate_seconds(folder, total)
        growth = (
            f" ({seconds[total] / seconds[previous]:.2f}× for {total / previous:.1f}× questions)" if previous else ""
        )
        lines.append(f"| load and check {total:,} questions | {seconds[total]:.3f} s{growth} |")
        previous = total
    lines.append(f"| growth, 1,000 → 10,000 questions | {seconds[10000] / seconds[1000]:.1f}× (10× is linear) |")
    return lines


VARIANTS = [
    ("with site_url (QR codes on posters and handouts)", "site_url"),
    ("without nav: (MkDocs lists every page)", "no nav"),
]


def variant_config(config: str, variant: str) -> str:
    if variant == "site_url":
        return config.replace('\nsite_url: ""', '\nsite_url: "https://example.gov.cn/anquan/"', 1)
    if variant == "no nav":
        return re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config, count=1)
    raise ValueError(variant)


def variant_table(projects: dict[str, Path], baseline: scale.Builds | None, runs: int, source: Path, log) -> list[str]:
    """Part 3: the 100-module generator and by-hand projects with their mkdocs.yml changed."""
    lines = [
        f"| {VARIANT_SIZE} modules × 2 languages | runs | generator | by hand | ratio, wall | ratio, CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    if baseline:
        lines.append(_variant_row("as the sample mkdocs.yml: a nav:, no site_url (the scale curve)", baseline))
    originals = {kind: (project / "mkdocs.yml").read_text(encoding="utf-8") for kind, project in projects.items()}
    try:
        for label, variant in VARIANTS:
            for kind, project in projects.items():
                (project / "mkdocs.yml").write_text(variant_config(originals[kind], variant), encoding="utf-8")
            lines.append(_variant_row(label, scale.time_builds(projects, VARIANT_SIZE, runs, source, log=log)))
            log(lines[-1])
    finally:
        for kind, project in projects.items():
            (project / "mkdocs.yml").write_text(originals[kind], encoding="utf-8")
    return lines


def _variant_row(label: str, builds: scale.Builds) -> str:
    on, off = "generator", "by hand"
    runs = len(builds.runs[on])
    return (
        f"| {label} | {runs} | {builds.wall(on):.1f} s | {builds.wall(off):.1f} s "
        f"| {builds.wall(on) / builds.wall(off):.2f} | {builds.cpu(on) / builds.cpu(off):.2f} |"
    )


def main() -> int:
    started = time.monotonic()
    load_start = os.getloadavg()[0]
    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", ",".join(map(str, scale.SIZES))).split(",") if n.strip()]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    large_runs = int(os.environ.get("BENCH_RUNS_LARGE", "1"))
    variant_runs = int(os.environ.get("BENCH_VARIANT_RUNS", "1"))
    serve = os.environ.get("BENCH_SERVE", "1") != "0"
    variants = os.environ.get("BENCH_VARIANTS", "1") != "0"

    def log(line: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {line}", flush=True)

    builds: dict[int, scale.Builds] = {}
    visits: dict[int, list[scale.Visit]] = {}
    reload: list = []
    variant_lines: list[str] = []
    validation: list[str] = []
    failure = ""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        source = scale.snapshot(work / "snapshot")
        pools, quizzes = scale.sample_pools(source), scale.sample_quizzes(source)
        log(
            "sample modules: median "
            + ", ".join(f"{lang} {pool.chars:,} characters" for lang, pool in pools.items())
            + f"; {len(quizzes)} sample quizzes, {scale.QUESTIONS} questions each"
        )
        try:
            for n in sorted(set(sizes) | ({SERVE_SIZE} if serve or variants else set())):
                projects = {
                    kind: scale.make_project(work / f"{n}-{kind.replace(' ', '-')}", n, kind, pools, quizzes, source)
                    for kind in scale.KINDS
                }
                log(f"{n} modules: projects written")
                if n in sizes:
                    builds[n] = scale.time_builds(projects, n, large_runs if n >= LARGE else runs, source, log=log)
                    sites = {kind: projects[kind] / "out" for kind in ("generator", "plain Material")}
                    visits[n] = scale.first_visits(sites, log=log)
                if n == SERVE_SIZE and serve:
                    reload = reload_seconds(projects["generator"], "m000", source=source, log=log)
                if n == VARIANT_SIZE and variants:
                    hand = {kind: projects[kind] for kind in ("generator", "by hand")}
                    variant_lines = variant_table(hand, builds.get(n), variant_runs, source, log)
                for project in projects.values():  # 500 modules built three ways take room
                    shutil.rmtree(project, ignore_errors=True)
            log("question banks: load and check")
            validation = validation_table(work)
        except (Exception, SystemExit) as error:  # the report of what was measured is still written
            failure = f"{type(error).__name__}: {error}"
            log(f"bench stopped: {failure}")
    found = scale.verdicts(builds, visits)
    elapsed = time.monotonic() - started
    lines = [
        "# `make bench`: the scale curve (issue 18)",
        "",
        *scale.machine(),
        f"- Chromium {next((v.chromium for vs in visits.values() for v in vs), '?')} (/usr/bin/chromium)",
        f"- Load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        f"({os.cpu_count()} CPUs); the whole bench took {elapsed / 60:.1f} min",
        f"- Command: `make bench` (BENCH_SIZES={','.join(map(str, sizes))} BENCH_RUNS={runs} "
        f"BENCH_RUNS_LARGE={large_runs} BENCH_VARIANT_RUNS={variant_runs})",
        "- Modules: the sample's median length ("
        + ", ".join(f"{lang} {pool.chars:,} characters" for lang, pool in pools.items())
        + ") and build (7 sections, 6 sub-sections, about 50 list items, 3 admonitions, a table), of the "
        f"sample's sentences; a quiz of {scale.QUESTIONS} of a sample quiz's questions each, embedded at "
        "the end of its module as the sample's are.",
        "- Code: the checkout's generator/, theme_overrides/, sample content and mkdocs.yml as they were at the "
        "start, copied: every build of the bench used the copy (others may change the checkout meanwhile).",
        "",
        "## Budgets",
        "",
        *scale.verdict_table(found),
        "",
        "## Build time",
        "",
        *scale.build_tables(builds),
        "",
        "## First visit",
        "",
        *scale.visit_tables(visits),
    ]
    if reload:
        seconds = [r.seconds for r in reload]
        builds_seen = "; ".join(", ".join(f"{b:.1f}" for b in r.builds) or "none logged" for r in reload)
        lines += [
            "",
            f"## `make serve` at {SERVE_SIZE} modules",
            "",
            f"From saving a quiz file (a new prompt for its first question) to the open quiz page showing it "
            f"(`mkdocs serve` rebuilds the site, its livereload script reloads the page): median "
            f"{statistics.median(seconds):.1f} s of {len(seconds)} edits ({', '.join(f'{t:.1f}' for t in seconds)} s). "
            f"The builds MkDocs logged meanwhile, per edit: {builds_seen} s.",
        ]
    if variant_lines:
        lines += ["", "## What else the build cost depends on", "", *variant_lines]
    if validation:
        lines += ["", "## Question banks", "", *validation]
    if failure:
        lines += ["", "## Not finished", "", "The bench stopped before the end:", "", "```", failure[-3000:], "```"]
    text = "\n".join(lines) + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"Report: {REPORT.relative_to(ROOT)}")
    return 2 if failure else 1 if any(v.ok is False for v in found) else 0


if __name__ == "__main__":
    sys.exit(main())
