"""The budgets of DESIGN §9 checked against what the audit measured, and the report files."""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .crawl import Crawl
from .lighthouse import KINDS, Result
from .validate import Validation

KIB = 1024
ENGINE_BUDGET = 8 * KIB
QUIZ_PAGE_BUDGET = 200 * KIB
PERFORMANCE_BUDGET = 95
FULL_MARKS = ("accessibility", "best-practices", "seo")


@dataclass
class Budget:
    what: str
    limit: str
    measured: str
    met: bool


def engine_bytes(site: Path) -> int:
    """quiz.js + quiz.css gzipped at level 9 (the certificate script loads only on demand)."""
    files = [f for f in (site / "assets" / "generator").glob("quiz.*") if f.suffix in (".js", ".css")]
    return sum(len(gzip.compress(f.read_bytes(), 9, mtime=0)) for f in files)


def budgets(site: Path, ours: dict[str, Result], crawl: Crawl, checked: Validation | None = None) -> list[Budget]:
    engine = engine_bytes(site)
    # The daily challenge loads its questions (five quizzes' question scripts) on a first visit.
    quiz_pages = {page: result for page, result in ours.items() if "quizzes/" in page or "learn/daily" in page}
    heaviest = max(quiz_pages.items(), key=lambda item: item[1].bytes["total"])
    found = [
        Budget("quiz engine JS + CSS, gzip -9", f"≤ {ENGINE_BUDGET:,} B", f"{engine:,} B", engine <= ENGINE_BUDGET),
        Budget(
            "quiz engine only on pages with a quiz",
            "0 pages wrong",
            f"{crawl.count('engine_misplaced')} pages wrong",
            crawl.count("engine_misplaced") == 0,
        ),
        Budget(
            "a quiz page, first visit",
            f"≤ {QUIZ_PAGE_BUDGET // KIB} KiB",
            f"{heaviest[1].bytes['total'] / KIB:.1f} KiB ({heaviest[0]})",
            heaviest[1].bytes["total"] <= QUIZ_PAGE_BUDGET,
        ),
    ]
    for page, result in ours.items():
        low = [f"{name} {result.scores[name]}" for name in FULL_MARKS if result.scores[name] < 100]
        found.append(
            Budget(
                f"Lighthouse {page}",
                f"a11y/BP/SEO 100, perf ≥ {PERFORMANCE_BUDGET}",
                " ".join(f"{result.scores[n]}" for n in ("performance", *FULL_MARKS)),
                not low and result.scores["performance"] >= PERFORMANCE_BUDGET,
            )
        )
    other = crawl.count("other_hosts") + sum(r.requests.get("third-party", 0) for r in ours.values())
    found += [
        Budget("requests to other hosts (crawl + Lighthouse)", "0", str(other), other == 0),
        Budget("console errors (crawl)", "0", str(crawl.count("console_errors")), crawl.count("console_errors") == 0),
        Budget(
            "failed requests and HTTP errors (crawl)",
            "0",
            str(crawl.count("failed_requests")),
            crawl.count("failed_requests") == 0,
        ),
    ]
    if checked is not None:
        found.append(
            Budget(
                "Nu HTML checker errors in the generator's own HTML",
                "0",
                f"{len(checked.ours)} ({checked.pages} pages; {len(checked.theirs)} in MkDocs/Material markup)",
                not checked.ours,
            )
        )
    return found


def _kib(n: int) -> str:
    return f"{n / KIB:.1f}"


def _score_row(name: str, result: Result) -> str:
    runs = "/".join(map(str, result.runs))
    scores = " | ".join([f"{result.scores['performance']} ({runs})"] + [str(result.scores[n]) for n in FULL_MARKS])
    kinds = " | ".join(_kib(result.bytes.get(kind, 0)) for kind in KINDS)
    return (
        f"| {name} | {scores} | **{_kib(result.bytes['total'])}** | {kinds} | {result.requests['total']} | "
        f"{result.requests.get('third-party', 0)} |"
    )


HEADER = (
    "| page | perf | a11y | BP | SEO | KiB total | " + " | ".join(KINDS) + " | requests | other hosts |\n"
    "| --- |" + " ---: |" * (7 + len(KINDS))
)


def markdown(
    ours: dict[str, Result],
    peers: dict[str, Result],
    crawl: Crawl,
    found: list[Budget],
    context: dict[str, str],
    checked: Validation | None = None,
) -> str:
    lines = [
        "# Audit report",
        "",
        " · ".join(f"{k}: {v}" for k, v in context.items()),
        "",
        "## Budgets (DESIGN §9)",
        "",
        "| what | budget | measured | |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {b.what} | {b.limit} | {b.measured} | {'✅' if b.met else '❌ missed'} |" for b in found]
    lines += [
        "",
        "## Lighthouse, mobile, the sample site (bytes transferred, KiB, by type)",
        "",
        "Performance is the median of the runs shown in brackets; the other columns are from that run.",
        "",
        HEADER,
    ]
    lines += [_score_row(page, result) for page, result in ours.items()]
    lines += [
        "",
        "## The same ten-question quiz, side by side, in the same run",
        "",
        "The peers use Material's defaults, which load Google Fonts: here that request fails at once "
        "(no route), on a mainland network it hangs until it times out, so their real performance is worse "
        "than shown.",
        "",
        HEADER,
    ]
    lines += [_score_row(name, result) for name, result in peers.items()]
    lines += [
        "",
        "## Crawl: every page in Chromium at 360×740",
        "",
        f"{len(crawl.pages)} pages; console errors {crawl.count('console_errors')}, "
        f"failed requests {crawl.count('failed_requests')}, requests to other hosts "
        f"{crawl.count('other_hosts')}, quiz engine misplaced {crawl.count('engine_misplaced')}.",
        "",
    ]
    for page in crawl.pages:
        for kind in ("console_errors", "failed_requests", "other_hosts", "engine_misplaced"):
            lines += [f"- `{page.path}` {kind.replace('_', ' ')}: {item}" for item in getattr(page, kind)]
    if checked is not None:
        lines += [
            "",
            "## W3C Nu HTML checker",
            "",
            f"{checked.pages} pages. Errors in the generator's own HTML: {len(checked.ours)}; in MkDocs' and "
            f"Material's markup (not ours, not budgeted): {len(checked.theirs)}.",
            "",
        ]
        lines += [f"- ours: `{entry}`" for entry in checked.ours]
        for message, count in Counter(e.split(": ", 1)[1] for e in checked.theirs).most_common():
            lines.append(f"- theirs, {count}×: {message}")
    lines += ["", "## What stands between our pages and full marks", ""]
    for page, result in ours.items():
        # Scored audits, and the diagnostics that estimate a time saving; the rest is noise here.
        shown = [a for a in result.failing if a["weight"] or a["value"].endswith(" ms")]
        for audit in sorted(shown, key=lambda a: -a["weight"]):
            lines.append(
                f"- `{page}` {audit['category']}: {audit['title']} (score {audit['score']:.2f}, weight "
                f"{audit['weight']}) {audit['value']}"
            )
    return "\n".join(lines) + "\n"


def write(
    folder: Path, ours, peers, crawl: Crawl, checked: Validation, found: list[Budget], context: dict[str, str]
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "context": context,
        "budgets": [dataclasses.asdict(b) for b in found],
        "lighthouse": {page: dataclasses.asdict(r) for page, r in ours.items()},
        "peers": {name: dataclasses.asdict(r) for name, r in peers.items()},
        "crawl": [dataclasses.asdict(p) for p in crawl.pages],
        "html_checker": dataclasses.asdict(checked),
    }
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    path = folder / "report.md"
    path.write_text(markdown(ours, peers, crawl, found, context, checked), encoding="utf-8")
    return path
