"""Every script the site ships that is ours parses as ES2019 (DESIGN §13): older phones' browsers
(iOS 12 Safari, Chromium 69-era kernels) do not load a script with newer syntax at all, such as
optional chaining (?.), and the quiz would not score.  Checked with acorn (tests/js, installed by
`make test`: make node-tools), on the sources and on the files as shipped (minified)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site import Assets

ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "tests" / "js" / "parse.mjs"
SOURCES = sorted((ROOT / "generator" / "assets").glob("*.js"))


def parse(files: list[Path], version: int = 2019) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if not node or not (ROOT / "tests" / "js" / "node_modules" / "acorn").exists():
        pytest.fail("Node and acorn are missing: `make test` installs them (make node-tools).")
    return subprocess.run(
        [node, str(PARSER), str(version), *map(str, files)], capture_output=True, text=True, check=False
    )


def test_sources_parse_as_es2019():
    assert len(SOURCES) >= 8
    result = parse(SOURCES)
    assert result.returncode == 0, result.stdout


def test_shipped_files_parse_as_es2019(tmp_path):
    assets = Assets.load(endpoint="https://example.invalid/api", summary=True)
    files = []
    for path, content in assets.files.items():
        if path.endswith(".js"):
            files.append(tmp_path / Path(path).name)
            files[-1].write_bytes(content)
    assert len(files) == len([s for s in SOURCES if s.name != "sw.js"])
    result = parse(files)
    assert result.returncode == 0, result.stdout


def test_the_head_script_parses_as_es5(tmp_path):
    """theme_overrides/main.html's inline scripts: the reading choice in every page's head, and the ones
    that run before Material's bundle (search on demand, the file:// worker stand-in)."""
    html = (ROOT / "theme_overrides" / "main.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert any("generator-reading" in script for script in scripts)
    assert any("search_index" in script for script in scripts)
    files = []
    for i, script in enumerate(scripts):
        files.append(tmp_path / f"inline{i}.js")
        files[-1].write_text(re.sub(r"\{\{.*?\}\}", "x", script), encoding="utf-8")  # Jinja's {{ expressions }}
    result = parse(files, 5)
    assert result.returncode == 0, result.stdout


def test_newer_syntax_is_caught(tmp_path):
    """The check fails where it should: optional chaining and ?? are ES2020."""
    newer = tmp_path / "newer.js"
    newer.write_text("const a = {};\nconst b = a?.b ?? 1;\n", encoding="utf-8")
    result = parse([newer])
    assert result.returncode == 1
    assert "newer.js:2:" in result.stdout
