"""Reproducible builds: the same sources give the same files.

Two builds of the same project, from two different folders, with different hash seeds
(Python's set and dict order of strings changes with PYTHONHASHSEED) give identical files.
Built on another day, only the sitemaps (and their .gz and .br siblings) differ: they carry the build
date as <lastmod> (MkDocs takes it from SOURCE_DATE_EPOCH when set).  README documents this.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ..conftest import GOOD_QUIZ, MODULE_PAGES, fixture_config, make_project, with_site_url

DATED = {"sitemap.xml", "sitemap.xml.gz", "sitemap.xml.br"}  # the last two: compress.py's siblings
DAY = 86_400


def files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def build(tmp_path: Path, name: str, seed: str, epoch: int) -> dict[str, str]:
    root = make_project(tmp_path / name, {"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES, with_site_url(fixture_config()))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return files(root / "site")


def test_same_sources_same_files(tmp_path):
    epoch = 1_780_000_000
    first = build(tmp_path, "one", "1", epoch)
    second = build(tmp_path, "two", "2", epoch)
    assert len(first) > 50
    assert [name for name in first if first[name] != second.get(name)] == []
    assert first.keys() == second.keys()
    later = build(tmp_path, "three", "3", epoch + 3 * DAY)
    assert {name for name in first if first[name] != later.get(name)} == DATED
