"""Nothing lost at build time: whatever fails, wherever, the previous site/ stays as it was.

A failure is injected at every stage of a MkDocs build through a ``hooks:`` file (MkDocs'
own way to run code at each event), and builds are paused at early, middle and late
stages and killed there (TERM as from a closed terminal or `kill`, KILL as a power cut).
Each time ``site/`` must hold exactly the files of the last good build.
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

from ..conftest import GOOD_QUIZ, fixture_config, make_project, run_generator

EVENTS = [
    "on_config",
    "on_pre_build",
    "on_files",
    "on_nav",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
    "on_post_build",
]
HOOKS = """\
import os
import pathlib
import time


def _fail(name):
    if os.environ.get("FAIL_AT") == name:
        raise RuntimeError("injected failure at " + name)
    if os.environ.get("PAUSE_AT") == name:  # the test kills the build while it waits here
        pathlib.Path(os.environ["PAUSE_MARK"]).write_text(name)
        time.sleep(120)


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
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A project with the failure hooks, built once successfully: its folder and the site's files."""
    config = dict(fixture_config(), hooks=["hooks.py"])
    root = make_project(tmp_path_factory.mktemp("lost"), {"fire-safety.yaml": GOOD_QUIZ}, config=config)
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    result = run_generator("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, snapshot(root / "site")


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site-build-", ".site-old-", ".site2-")))


@pytest.mark.parametrize("event", EVENTS)
def test_a_failure_at_any_stage_keeps_the_site(good_build, event, monkeypatch):
    root, before = good_build
    monkeypatch.setenv("FAIL_AT", event)
    result = run_generator("build", cwd=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "site/" in result.stderr and "injected failure" in result.stderr, result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


KILLS = [getattr(signal, name) for name in ("SIGTERM", "SIGKILL") if hasattr(signal, name)]


def start_paused(root: Path, event: str, *args: str) -> subprocess.Popen:
    """A build that stops at ``event`` and waits to be killed; returns once it is there."""
    mark = root / f"paused-{event}"
    mark.unlink(missing_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1", "PAUSE_AT": event, "PAUSE_MARK": str(mark)}
    env.pop("FAIL_AT", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *args],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(1200):  # a slow machine may take a while to get there; this is not a timing check
        if mark.exists() or process.poll() is not None:
            break
        time.sleep(0.1)
    assert mark.exists(), f"the build never reached {event}: {process.communicate()[1][-2000:]}"
    return process


@pytest.mark.parametrize("event", ["on_files", "on_page_content", "on_post_build"])
@pytest.mark.parametrize("how", KILLS, ids=[s.name for s in KILLS])
def test_a_killed_build_keeps_the_site(good_build, event, how):
    root, before = good_build
    process = start_paused(root, event)
    assert leftovers(root), "the build was writing beside site/"
    process.send_signal(how)
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0, "the kill landed before the build finished"
    assert snapshot(root / "site") == before
    if how == signal.SIGTERM:  # cleaned up at once, with the usual message
        assert leftovers(root) == [] and "site/" in errors and "Traceback" not in errors
    result = run_generator("build", cwd=root)  # the next build tidies what a hard kill left
    assert result.returncode == 0, result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_second_build_of_the_same_site_waits_its_turn(good_build):
    root, before = good_build
    first = start_paused(root, "on_page_content")
    try:
        second = run_generator("build", cwd=root)
        assert second.returncode != 0 and "Another build is writing site/" in second.stderr
        other = run_generator("build", "-d", "site2", cwd=root)  # another folder beside it is not touched
        assert other.returncode == 0, other.stderr
        assert leftovers(root), "the first build's folder is still there"
    finally:
        first.kill()
        first.communicate(timeout=60)
    assert snapshot(root / "site") == before
    assert snapshot(root / "site2") == before
    assert run_generator("build", cwd=root).returncode == 0 and leftovers(root) == []
