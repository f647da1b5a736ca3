"""make audit: build, serve on three kinds of server, Lighthouse, crawl, report, budgets.

The sites are built once and served at the same time by three servers (audit/server.py), one
per kind of host of DESIGN §9: "all" (every text file gzipped), "stock" (HTML only) and
"none".  The build's site_url names the "all" server, so on the other two the canonical and
share links point at another port: they are never fetched, and Lighthouse's canonical audit
compares hosts, not ports.  Every audited page runs on "all", with the crawl; home, module and
quiz pages in both languages and the peers run on all three.

Exit status 0 when every budget of DESIGN §9 is met, 1 when one is missed, 2 when the audit
itself could not run.  The report is written to build/audit/report.md (and .json).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import crawl, lighthouse, peers, report, validate
from .peers import ROOT, AuditError
from .server import Sites

OUT = ROOT / "build" / "audit"
SUB_PATH = "anquan"
AUDITED = (
    "index.html",
    "modules/fire.html",
    "quizzes/fire-safety.html",
    "modules/hazards.html",  # the safety signs: pictures (issue 19)
    "quizzes/safety-signs.html",  # pictures in questions and options
    "learn/daily.html",
    "learn/mistakes.html",
    "learn/practice.html",
    "learn/progress.html",
)
"""The pages measured with gzip for all text (server "all")."""
ON_EVERY_SERVER = ("index.html", "modules/fire.html", "quizzes/fire-safety.html")
"""The pages measured on the "stock" and "none" servers too (both languages)."""
RUNS = {"all": 3, "stock": 3, "none": 1}
"""Lighthouse runs per page (median by performance): three where a performance budget applies,
one where only bytes and the other categories count (bytes do not vary between runs)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make audit", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT), help="report folder (default build/audit)")
    args = parser.parse_args(argv)
    out = ROOT / args.out
    try:
        return _audit(out)
    except AuditError as error:
        print(f"audit: could not run: {error}", file=sys.stderr)
        return 2


def _audit(out: Path) -> int:
    started = time.monotonic()
    work = out / "work"
    for folder in (work, out / "lighthouse"):
        if folder.exists():
            shutil.rmtree(folder)
    work.mkdir(parents=True)
    cli = lighthouse.install()
    sites = {SUB_PATH: work / "sample" / "site"}
    sites.update({f"peers/{name}": work / name / "site" for name in ("ours", "material", "mkdocs-quiz")})
    timings = {}
    loads = []  # the 1-minute load average before each page's Lighthouse runs
    ours: dict[str, dict] = {}
    side: dict[str, dict] = {}
    with Sites(sites, "all") as gzip_all, Sites(sites, "stock") as stock, Sites(sites, "none") as plain:
        servers = {"all": gzip_all, "stock": stock, "none": plain}
        print(f"audit: building the sample site and the peers, served at {gzip_all.url}", flush=True)
        clock = time.monotonic()
        sample = peers.build_sample(work, f"{gzip_all.url}{SUB_PATH}/")
        built = peers.build_peers(work, f"{gzip_all.url}peers/ours/")
        timings["build"] = time.monotonic() - clock
        for condition, server in servers.items():
            clock = time.monotonic()
            runs = RUNS[condition]
            pages = AUDITED if condition == "all" else ON_EVERY_SERVER
            folder = out / "lighthouse" / condition
            ours[condition], side[condition] = {}, {}
            for prefix in ("", "en/"):
                for page in pages:
                    name = f"{prefix}{page}"
                    print(f"audit: Lighthouse, server {condition}, {name} ({runs} runs)", flush=True)
                    loads.append(os.getloadavg()[0])
                    url = f"{server.url}{SUB_PATH}/{name}"
                    ours[condition][name] = lighthouse.run(cli, url, folder / f"{name}.json", runs)
            for peer in built:
                print(f"audit: Lighthouse, server {condition}, peer {peer.name} ({runs} runs)", flush=True)
                loads.append(os.getloadavg()[0])
                side[condition][f"{peer.label} (`{peer.page}`)"] = lighthouse.run(
                    cli, f"{server.url}peers/{peer.name}/{peer.page}", folder / f"peer-{peer.name}.json", runs
                )
            timings[f"Lighthouse {condition}"] = time.monotonic() - clock
        print(f"audit: crawling {len(crawl.pages_of(sample))} pages", flush=True)
        clock = time.monotonic()
        crawled = crawl.crawl(sample, f"{gzip_all.url}{SUB_PATH}/")
        timings["crawl"] = time.monotonic() - clock
    print("audit: W3C Nu HTML checker on every page", flush=True)
    clock = time.monotonic()
    checked = validate.validate(sample)
    timings["checker"] = time.monotonic() - clock
    found = report.budgets(sample, ours, crawled, checked)
    context = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "Lighthouse": _version(cli),
        "Chromium": _chromium(),
        "machine": platform.machine(),
        "served": f"127.0.0.1 under /{SUB_PATH}/ by three servers (all, stock, none)",
        "Lighthouse runs per page": ", ".join(f"{c} {n}" for c, n in RUNS.items()),
        "load average during Lighthouse": _load(loads),
        "audit took": f"{time.monotonic() - started:.0f} s ("
        + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in timings.items())
        + ")",
    }
    path = report.write(out, ours, side, crawled, checked, found, context)
    print(path.read_text(encoding="utf-8"))
    missed = [b for b in found if not b.met]
    for budget in missed:
        print(f"audit: budget missed: {budget.what}: {budget.measured} (budget {budget.limit})", file=sys.stderr)
    print(f"audit: report in {path.relative_to(ROOT)}; {len(missed)} budget(s) missed", flush=True)
    return 1 if missed else 0


def _load(loads: list[float]) -> str:
    """The machine's load while Lighthouse ran: performance scores sink when it passes the CPU count."""
    cpus = os.cpu_count() or 1
    text = f"median {statistics.median(loads):.1f}, max {max(loads):.1f} on {cpus} CPUs"
    if statistics.median(loads) > cpus:
        text += " (a busy machine: performance scores are lower than on a quiet one)"
    return text


def _version(cli) -> str:
    return subprocess.run(["node", str(cli), "--version"], capture_output=True, text=True).stdout.strip()


def _chromium() -> str:
    return subprocess.run([crawl.CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
