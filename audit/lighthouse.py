"""Lighthouse (npm, pinned in package-lock.json) on Debian's Chromium, mobile profile.

Installed into ``.cache/audit`` with ``npm ci`` on first use and again whenever the lock file
changes; ``make test`` never needs it.  Pages run one at a time: two Chromiums at once on a
shared machine would make each other's performance scores worse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .peers import ROOT, AuditError

HERE = Path(__file__).resolve().parent
TOOLS = ROOT / ".cache" / "audit"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
)
KINDS = ("document", "script", "stylesheet", "image", "font", "other")


@dataclass
class Result:
    url: str
    scores: dict[str, int]  # category -> 0..100
    bytes: dict[str, int]  # resource type (and "total", "third-party") -> bytes transferred
    requests: dict[str, int]
    metrics: dict[str, str]  # FCP, LCP... as Lighthouse shows them
    failing: list[dict] = field(default_factory=list)  # audits below full marks: id, title, category, score, value
    runs: list[int] = field(default_factory=list)  # the performance score of every run; the median run is reported


METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
"""The timings the report shows for each page."""


def install() -> Path:
    """The Lighthouse CLI script, installed on first use."""
    cli = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    lock = HERE / "package-lock.json"
    installed = TOOLS / "package-lock.json"
    if cli.exists() and installed.exists() and installed.read_bytes() == lock.read_bytes():
        return cli
    if not shutil.which("npm"):
        raise AuditError("npm is missing: install Node.js 20 or later (apt-get install nodejs npm).")
    print("audit: installing Lighthouse into .cache/audit (npm ci) …", flush=True)
    TOOLS.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "package.json", TOOLS / "package.json")
    shutil.copy(lock, installed)
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOLS, capture_output=True, text=True
    )
    if result.returncode or not cli.exists():
        installed.unlink(missing_ok=True)
        raise AuditError(f"npm could not install Lighthouse:\n{result.stderr[-2000:]}")
    return cli


def run(cli: Path, url: str, output: Path, runs: int = 3) -> Result:
    """The median of several runs by performance score: a single run's score moves by a few
    points on a shared machine (Lighthouse's own advice is to take the median of several)."""
    results = []
    for n in range(runs):
        result = _run_once(cli, url, output.with_suffix(f".{n}.json"))
        results.append((result.scores["performance"], n, result))
    _, median, result = sorted(results, key=lambda item: item[:2])[runs // 2]
    output.with_suffix(f".{median}.json").replace(output)
    for n in range(runs):
        output.with_suffix(f".{n}.json").unlink(missing_ok=True)
    result.runs = [item[0] for item in results]
    return result


def _run_once(cli: Path, url: str, output: Path) -> Result:
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        "node",
        str(cli),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300
    )
    if result.returncode or not output.exists():
        raise AuditError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return summarise(json.loads(output.read_text(encoding="utf-8")))


def summarise(report: dict) -> Result:
    audits = report["audits"]
    if report.get("runtimeError"):
        raise AuditError(f"Lighthouse could not load {report['requestedUrl']}: {report['runtimeError']['message']}")
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    summary = {item["resourceType"]: item for item in audits["resource-summary"]["details"]["items"]}
    bytes_ = {kind: summary[kind]["transferSize"] for kind in ("total", *KINDS, "third-party") if kind in summary}
    requests = {kind: summary[kind]["requestCount"] for kind in ("total", "third-party") if kind in summary}
    metrics = {name: audits[name].get("displayValue", "") for name in METRICS}
    failing = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if audit.get("score") is None or audit["score"] >= 1 or mode in ("informative", "notApplicable", "manual"):
                continue
            failing.append(
                {
                    "id": ref["id"],
                    "title": audit["title"],
                    "category": name,
                    "score": audit["score"],
                    "weight": ref.get("weight", 0),
                    "value": audit.get("displayValue", ""),
                }
            )
    return Result(report["finalDisplayedUrl"], scores, bytes_, requests, metrics, failing)
