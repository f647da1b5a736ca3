"""Nothing lost at build time: whatever fails, wherever, the previous site/ stays as it was.

A failure is injected at every stage of a MkDocs build through a ``hooks:`` file (MkDocs'
own way to run code at each event), and builds are killed at several moments, as a
power cut or a closed terminal would.  Each time ``site/`` must hold exactly the files of
the last good build.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import GOOD_QUIZ, make_project, run_generator

EVENTS = ["on_config", "on_pre_build", "on_files", "on_nav", "on_page_markdown", "on_page_content",
          "on_page_context", "on_post_page", "on_post_build"]
HOOKS = """\
import os


def _fail(name):
    if os.environ.get("FAIL_AT") == name:
        raise RuntimeError("injected failure at " + name)


def on_config(config, **kw): _fail("on_config")
def on_pre_build(config, **kw): _fail("on_pre_build")
def on_files(files, config, **kw): _fail("on_files")
def on_nav(nav, config, files, **kw): _fail("on_nav")
def on_page_markdown(markdown, page, config, files, **kw): _fail("on_page_markdown")
def on_page_content(html, page, config, files, **kw): _fail("on_page_content")
def on_page_context(context, page, config, nav, **kw): _fail("on_page_context")
def on_post_page(output, page, config, **kw): _fail("on_post_page")
def on_post_build(config, **kw): _fail("on_post_build")
"""


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with the failure hooks, built once successfully."""
    root = make_project(tmp_path_factory.mktemp("lost"), {"fire-safety.yaml": GOOD_QUIZ})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    result = run_generator("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, snapshot(root / "site")


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site-build-", ".site-old-")))


@pytest.mark.parametrize("event", EVENTS)
def test_a_failure_at_any_stage_keeps_the_site(built, event, monkeypatch):
    root, before = built
    monkeypatch.setenv("FAIL_AT", event)
    result = run_generator("build", cwd=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "site/" in result.stderr and "injected failure" in result.stderr, result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


@pytest.mark.parametrize("after", [0.3, 1.0, 2.0, 3.0, 4.0])
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_killed_build_keeps_the_site(built, after, how):
    root, before = built
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    env.pop("FAIL_AT", None)
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)  # not a timing assertion: only where in the build the kill lands
    process.send_signal(how)
    process.wait(timeout=60)
    assert snapshot(root / "site") == before
    # the next build tidies whatever a killed one left behind, and succeeds
    result = run_generator("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []
