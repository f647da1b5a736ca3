"""The vendored Apache ECharts (generator/results/static/echarts/) is the file VERSION describes, with its
licences beside it, and the package ships it."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from generator.results import __file__ as results_init

RESULTS = Path(results_init).parent
ECHARTS = RESULTS / "static" / "echarts"
ROOT = Path(__file__).resolve().parents[2]


def version_file() -> dict[str, str]:
    lines = (ECHARTS / "VERSION").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_vendored_file_is_the_one_in_version():
    """echarts.min.js has the sha256 VERSION records, and says it is the version VERSION names."""
    pinned = version_file()
    script = (ECHARTS / "echarts.min.js").read_bytes()
    assert hashlib.sha256(script).hexdigest() == pinned["sha256"], "run `make vendor-echarts` again"
    assert re.search(rb'\.version="([^"]+)"', script).group(1).decode() == pinned["version"]
    assert pinned["file"] == "dist/echarts.common.min.js"
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", pinned["integrity"])


def test_licences_are_beside_it():
    """Apache-2.0 LICENSE and NOTICE, and the licences of the code bundled inside (d3's, zrender's)."""
    assert "Apache License" in (ECHARTS / "LICENSE").read_text(encoding="utf-8")
    assert "Apache ECharts" in (ECHARTS / "NOTICE").read_text(encoding="utf-8")
    assert "Mike Bostock" in (ECHARTS / "LICENSE-d3").read_text(encoding="utf-8")
    assert "Baidu" in (ECHARTS / "LICENSE-zrender").read_text(encoding="utf-8")


def test_package_data_takes_every_static_file():
    """Every file under generator/results/static/ matches a package-data pattern, so an install serves it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["generator.results"]
    shipped = {path for pattern in patterns for path in RESULTS.glob(pattern)}  # setuptools' globs, as it expands them
    files = {path for path in (RESULTS / "static").rglob("*") if path.is_file()}
    assert RESULTS / "static" / "admin.js" in files
    assert sorted(files - shipped) == []
