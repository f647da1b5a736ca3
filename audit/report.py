"""The budgets of DESIGN §9 checked against what the audit measured, and the report files.

Measurements come per kind of server (``CONDITIONS``, served by audit/server.py): a dict
{condition: {page: Result}} for our pages and the same for the peers.
"""

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
CONDITIONS = {
    "all": "every text file gzip -6 (nginx with `gzip_types` or `gzip_static`, a tuned server)",
    "stock": "HTML only, like nginx `gzip on;` without `gzip_types`: scripts, styles and JSON go out raw",
    "none": "nothing compressed, like `python -m http.server` and many intranet servers",
}
"""The three kinds of host (audit/server.py's ``compression``), in the order the report shows them."""
HEADING = {"all": "gzip for every text file", "stock": "HTML compressed only", "none": "nothing compressed"}
QUIZ_PAGE_BUDGET = {"all": 100 * KIB, "stock": 300 * KIB, "none": 300 * KIB}
PERFORMANCE_BUDGET = {"all": 100, "stock": 95}
"""Lighthouse performance, lowest score allowed; none on a server that compresses nothing (reported only)."""
FULL_MARKS = ("accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "BP", "seo": "SEO"}

Measured = dict[str, dict[str, Result]]
"""{condition: {page or peer: Result}}"""


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


def is_quiz_page(page: str) -> bool:
    # The daily challenge loads its questions (five quizzes' question scripts) on a first visit.
    return "quizzes/" in page or "learn/daily" in page


def budgets(site: Path, ours: Measured, crawl: Crawl, checked: Validation | None = None) -> list[Budget]:
    engine = engine_bytes(site)
    found = [
        Budget("quiz engine JS + CSS, gzip -9", f"≤ {ENGINE_BUDGET:,} B", f"{engine:,} B", engine <= ENGINE_BUDGET),
        Budget(
            "quiz engine only on pages with a quiz",
            "0 pages wrong",
            f"{crawl.count('engine_misplaced')} pages wrong",
            crawl.count("engine_misplaced") == 0,
        ),
    ]
    for condition, results in _ordered(ours).items():
        found += _server_budgets(condition, results)
    third_party = sum(r.requests.get("third-party", 0) for results in ours.values() for r in results.values())
    other = crawl.count("other_hosts") + third_party
    found += [
        Budget("requests to other hosts (crawl + Lighthouse, every server)", "0", str(other), other == 0),
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


def _server_budgets(condition: str, results: dict[str, Result]) -> list[Budget]:
    """A quiz page's weight, performance and the other three categories on one kind of server."""
    found = []
    where = f"(server: {condition})"
    quiz_pages = {page: r for page, r in results.items() if is_quiz_page(page)}
    if quiz_pages and condition in QUIZ_PAGE_BUDGET:
        limit = QUIZ_PAGE_BUDGET[condition]
        page, heaviest = max(quiz_pages.items(), key=lambda item: item[1].bytes["total"])
        found.append(
            Budget(
                f"a quiz page, first visit {where}",
                f"≤ {limit // KIB} KiB",
                f"{_kib(heaviest.bytes['total'])} KiB ({page}; heaviest of {len(quiz_pages)})",
                heaviest.bytes["total"] <= limit,
            )
        )
    if not results:
        return found
    if condition in PERFORMANCE_BUDGET:
        floor = PERFORMANCE_BUDGET[condition]
        below = [(page, r.scores["performance"]) for page, r in results.items() if r.scores["performance"] < floor]
        lowest_page, lowest = min(((p, r.scores["performance"]) for p, r in results.items()), key=lambda x: x[1])
        measured = (
            f"{len(below)} of {len(results)} pages below: " + ", ".join(f"{p} {s}" for p, s in below)
            if below
            else f"{len(results)} pages, lowest {lowest} ({lowest_page})"
        )
        found.append(
            Budget(
                f"Lighthouse performance {where}",
                "100" if floor == 100 else f"≥ {floor}",
                measured,
                not below,
            )
        )
    low = [
        f"{page} {SHORT[name]} {r.scores[name]}"
        for page, r in results.items()
        for name in FULL_MARKS
        if r.scores[name] < 100
    ]
    found.append(
        Budget(
            f"Lighthouse a11y/BP/SEO {where}",
            "100",
            f"below on {', '.join(low)}" if low else f"100 on all {len(results)} pages",
            not low,
        )
    )
    return found


def _ordered(measured: Measured) -> Measured:
    """The conditions in CONDITIONS' order (unknown ones last)."""
    order = list(CONDITIONS)
    return dict(sorted(measured.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


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
PEER_NOTE = (
    "Rows marked *peer* are the same ten-question quiz built three ways (the generator alone, plain Material "
    "with the questions as text, Material + mkdocs-quiz). The peers use Material's defaults, which load "
    "Google Fonts: here that request fails at once (no route), on a mainland network it hangs until it times "
    "out, so their real performance is worse than shown."
)


def _side_by_side(ours: Measured, peers: Measured) -> list[str]:
    """KiB and performance of every page measured on more than one kind of server, one column per server."""
    conditions = list(_ordered({**peers, **ours}))
    rows: dict[str, dict[str, Result]] = {}
    for source, label in ((ours, "{}"), (peers, "*peer* {}")):
        for condition in conditions:
            for page, result in source.get(condition, {}).items():
                rows.setdefault(label.format(page), {})[condition] = result
    shown = {name: by for name, by in rows.items() if len(by) > 1}
    if not shown:
        return []
    head = ["page"] + [f"KiB {c}" for c in conditions] + [f"perf {c}" for c in conditions]
    lines = [
        "## The three servers side by side",
        "",
        "First visit, KiB transferred and Lighthouse performance, for the pages measured on every kind of server. "
        "Budgets: a quiz page ≤ 100 KiB on all, ≤ 300 KiB on stock and none; performance 100 on all, ≥ 95 on "
        "stock, none on none (reported only).",
        "",
        "| " + " | ".join(head) + " |",
        "| --- |" + " ---: |" * (len(head) - 1),
    ]
    for name, by in shown.items():
        kib = [_kib(by[c].bytes["total"]) if c in by else "–" for c in conditions]
        perf = [str(by[c].scores["performance"]) if c in by else "–" for c in conditions]
        lines.append(f"| {name} | " + " | ".join(kib + perf) + " |")
    return [*lines, ""]


def markdown(
    ours: Measured,
    peers: Measured,
    crawl: Crawl,
    found: list[Budget],
    context: dict[str, str],
    checked: Validation | None = None,
) -> str:
    ours, peers = _ordered(ours), _ordered(peers)
    lines = [
        "# Audit report",
        "",
        " · ".join(f"{k}: {v}" for k, v in context.items()),
        "",
        "Each page is measured on three kinds of server (DESIGN §9), the same built folders served by audit/server.py:",
        "",
    ]
    lines += [f"- **{name}**: {meaning}" for name, meaning in CONDITIONS.items()]
    lines += [
        "",
        "## Budgets (DESIGN §9)",
        "",
        "| what | budget | measured | |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {b.what} | {b.limit} | {b.measured} | {'✅' if b.met else '❌ missed'} |" for b in found]
    lines += ["", *_side_by_side(ours, peers)]
    if any(peers.values()):
        lines += [PEER_NOTE, ""]
    for condition in _ordered({**peers, **ours}):
        lines += [
            f"## Lighthouse, mobile, server: {condition} ({HEADING.get(condition, '')})",
            "",
            "Bytes transferred, KiB, by type. Performance is the median of the runs shown in brackets; the other "
            "columns are from that run.",
            "",
            HEADER,
        ]
        lines += [_score_row(page, result) for page, result in ours.get(condition, {}).items()]
        lines += [_score_row(f"*peer* {name}", result) for name, result in peers.get(condition, {}).items()]
        lines.append("")
    lines += [
        "## Crawl: every page in Chromium at 360×740 (server: all)",
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
    lines += ["", "## What stands between our pages and full marks"]
    for condition, results in ours.items():
        found_here = []
        for page, result in results.items():
            # Scored audits, and the diagnostics that estimate a time saving; the rest is noise here.
            shown = [a for a in result.failing if a["weight"] or a["value"].endswith(" ms")]
            for audit in sorted(shown, key=lambda a: -a["weight"]):
                found_here.append(
                    f"- `{page}` {audit['category']}: {audit['title']} (score {audit['score']:.2f}, weight "
                    f"{audit['weight']}) {audit['value']}"
                )
        if found_here:
            lines += ["", f"### Server: {condition}", "", *found_here]
    return "\n".join(lines) + "\n"


def write(
    folder: Path,
    ours: Measured,
    peers: Measured,
    crawl: Crawl,
    checked: Validation,
    found: list[Budget],
    context: dict[str, str],
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "context": context,
        "conditions": CONDITIONS,
        "budgets": [dataclasses.asdict(b) for b in found],
        "lighthouse": {c: {page: dataclasses.asdict(r) for page, r in by.items()} for c, by in ours.items()},
        "peers": {c: {name: dataclasses.asdict(r) for name, r in by.items()} for c, by in peers.items()},
        "crawl": [dataclasses.asdict(p) for p in crawl.pages],
        "html_checker": dataclasses.asdict(checked),
    }
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    path = folder / "report.md"
    path.write_text(markdown(ours, peers, crawl, found, context, checked), encoding="utf-8")
    return path
