"""The service worker's build-time part: its version and the files it keeps for offline use.

The version is a hash of every built file, so any rebuild that changes the site gives a new
worker, which drops the old cache once no page uses the old one.  One worker serves every
language (assets/sw.js says why); a page asks it to keep its language's pages (modules, quizzes,
home, glossary, learner pages and their question scripts: about 520 KB gzipped for the sample site in
Chinese, 80 KB of it the question scripts; measured 2026-11-30), fetched one at a time in the
background after the first visit); shared assets are kept for every language, and so is each picture's
narrowest file (``offline_pictures``); posters are left out (staff
print them), and so are source maps, lunr's files for other languages and the iframe-worker
shim (theme_overrides/main.html loads it on file:// pages only, where no service worker runs).
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path

from .compress import SIBLINGS
from .images import IMAGE_URL_DIR
from .learn import DATA_DIR as LEARN_DATA_DIR

WORKER = "sw.js"
_SKIP_DIRS = ("posters/", "search/")
_FILE_URL_ONLY = {"iframe-worker.js"}
_SIZED = re.compile(r"^(?P<key>[0-9a-f]{12})-(?P<width>\d+)\.webp$")


def offline_pictures(site_dir: Path) -> list[str]:
    """The pictures kept for offline reading: each picture's narrowest WebP (the worker answers a request for
    any other width of it with that one when offline: sw.js), and each drawing (SVG, GIF) as it is."""
    folder = site_dir / IMAGE_URL_DIR
    if not folder.is_dir():
        return []
    narrowest: dict[str, tuple[int, str]] = {}
    drawings = []
    for path in sorted(folder.iterdir()):
        match = _SIZED.match(path.name)
        if match:
            width = int(match["width"])
            if match["key"] not in narrowest or width < narrowest[match["key"]][0]:
                narrowest[match["key"]] = (width, path.name)
        elif path.suffix in (".svg", ".gif"):
            drawings.append(path.name)
    return sorted(f"{IMAGE_URL_DIR}/{name}" for name in [name for _, name in narrowest.values()] + drawings)


_UNDATED = {WORKER, "sitemap.xml", "sitemap.xml.gz"}
"""Left out of the version: the worker itself, and the sitemaps, whose only change from one
day's build to the next is the date (the same sources must give the same worker)."""


def site_version(site_dir: Path) -> str:
    digest = hashlib.sha256()
    files = (p for p in site_dir.rglob("*") if p.is_file() and p.name not in _UNDATED and p.suffix not in SIBLINGS)
    for path in sorted(files):
        digest.update(path.relative_to(site_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def offline_lists(site_dir: Path, prefixes: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """(shared assets, pages per language code) as paths relative to the site root."""
    # Of lunr's language files, the search worker loads the support file and the site's languages only.
    lunr = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{code}.min.js" for code in prefixes.values()}
    assets = (
        sorted(
            p.relative_to(site_dir).as_posix()
            for p in (site_dir / "assets").rglob("*")
            if p.is_file()
            and p.suffix not in (".map", *SIBLINGS)  # the server picks a .gz or .br sibling itself
            and p.name not in _FILE_URL_ONLY
            and ("/lunr/" not in p.as_posix() or p.name in lunr)
        )
        if (site_dir / "assets").is_dir()
        else []
    ) + offline_pictures(site_dir)
    pages: dict[str, list[str]] = {}
    others = [prefix for prefix in prefixes if prefix]
    for prefix, language in prefixes.items():
        folder = site_dir / prefix if prefix else site_dir
        found = []
        scripts = sorted((folder / LEARN_DATA_DIR).glob("*.js")) if (folder / LEARN_DATA_DIR).is_dir() else []
        for path in sorted(folder.rglob("*.html")) + scripts:
            relative = path.relative_to(site_dir).as_posix()
            inner = relative[len(prefix) :]
            if (
                inner == "404.html"
                or inner.startswith(_SKIP_DIRS)
                or (not prefix and relative.startswith(tuple(others)))
            ):
                continue
            found.append(relative)
        pages[language] = found + [f"{prefix}search/search_index.json"]
    return assets, pages


def write_worker(site_dir: Path, prefixes: dict[str, str]) -> str:
    """Write sw.js at the site root; returns its version."""
    version = site_version(site_dir)
    assets, pages = offline_lists(site_dir, prefixes)
    source = resources.files("generator").joinpath("assets", WORKER).read_text(encoding="utf-8")
    head = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const ASSETS = {json.dumps(assets)};\n"
        f"const PAGES = {json.dumps(pages, ensure_ascii=False)};\n"
    )
    (site_dir / WORKER).write_text(head + source, encoding="utf-8")
    return version
