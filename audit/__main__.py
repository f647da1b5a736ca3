"""make audit: build, serve under a sub-path with gzip, Lighthouse, crawl, report, budgets.

Exit status 0 when every budget of DESIGN §9 is met, 1 when one is missed, 2 when the audit
itself could not run.  The report is written to build/audit/report.md (and .json).
"""

from __future__ import annotations

import argparse
import platform
import shutil
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
    "learn/daily.html",
    "learn/mistakes.html",
    "learn/practice.html",
    "learn/progress.html",
)


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
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    cli = lighthouse.install()
    sites = {SUB_PATH: work / "sample" / "site"}
    sites.update({f"peers/{name}": work / name / "site" for name in ("ours", "material", "mkdocs-quiz")})
    with Sites(sites) as server:
        print(f"audit: building the sample site and the peers, served at {server.url}", flush=True)
        sample = peers.build_sample(work, f"{server.url}{SUB_PATH}/")
        built = peers.build_peers(work, f"{server.url}peers/ours/")
        ours = {}
        for prefix in ("", "en/"):
            for page in AUDITED:
                name = f"{prefix}{page}"
                print(f"audit: Lighthouse {name}", flush=True)
                ours[name] = lighthouse.run(cli, f"{server.url}{SUB_PATH}/{name}", out / "lighthouse" / f"{name}.json")
        side = {}
        for peer in built:
            print(f"audit: Lighthouse peer {peer.name}", flush=True)
            side[f"{peer.label} (`{peer.page}`)"] = lighthouse.run(
                cli, f"{server.url}peers/{peer.name}/{peer.page}", out / "lighthouse" / f"peer-{peer.name}.json"
            )
        print(f"audit: crawling {len(crawl.pages_of(sample))} pages", flush=True)
        crawled = crawl.crawl(sample, f"{server.url}{SUB_PATH}/")
    print("audit: W3C Nu HTML checker on every page", flush=True)
    checked = validate.validate(sample)
    found = report.budgets(sample, ours, crawled, checked)
    context = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "Lighthouse": _version(cli),
        "Chromium": _chromium(),
        "machine": platform.machine(),
        "served": f"127.0.0.1 under /{SUB_PATH}/, gzip -6",
        "audit took": f"{time.monotonic() - started:.0f} s",
    }
    path = report.write(out, ours, side, crawled, checked, found, context)
    print(path.read_text(encoding="utf-8"))
    missed = [b for b in found if not b.met]
    for budget in missed:
        print(f"audit: budget missed: {budget.what}: {budget.measured} (budget {budget.limit})", file=sys.stderr)
    print(f"audit: report in {path.relative_to(ROOT)}; {len(missed)} budget(s) missed", flush=True)
    return 1 if missed else 0


def _version(cli) -> str:
    return subprocess.run(["node", str(cli), "--version"], capture_output=True, text=True).stdout.strip()


def _chromium() -> str:
    return subprocess.run([crawl.CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
