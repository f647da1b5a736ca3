"""`make serve` at scale (issue 18): the time from saving a quiz file to the reloaded page.

``mkdocs serve`` runs in a synthetic project (bench.py makes one of 100 modules); a quiz page is open
in Chromium; the quiz file is written again with a new prompt for its first question, and the clock
runs until the page shows the new prompt (MkDocs rebuilds the site and its livereload script
reloads the page).  Run on its own: ``.venv/bin/python benchmarks/serve_reload.py PROJECT [QUIZ]``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.load import load_quiz  # noqa: E402
from generator.model import Text  # noqa: E402
from generator.write import quiz_to_yaml  # noqa: E402

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
STARTUP = 600.0  # seconds for the first build of the served site
RELOAD = 300.0  # seconds for one rebuild and reload


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edited(yaml_text_source: Path, marker: str) -> str:
    """The quiz file with its first question's prompt replaced by ``marker`` (in both languages)."""
    quiz, problems = load_quiz(yaml_text_source)
    if quiz is None:
        raise SystemExit(f"bench: {yaml_text_source} does not load: {problems}")
    first = dataclasses.replace(quiz.questions[0], prompt=Text(marker, marker))
    return quiz_to_yaml(dataclasses.replace(quiz, questions=(first, *quiz.questions[1:])))


def _wait_for(url: str, timeout: float, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: mkdocs serve stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: mkdocs serve did not answer {url} within {timeout:.0f} s")


def _stop(server: subprocess.Popen) -> None:
    """Stop the server we started (its own process group: mkdocs and anything it started)."""
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def builds_in(log_text: str) -> list[float]:
    """The durations of the builds MkDocs reported in some of its output."""
    return [float(seconds) for seconds in BUILT.findall(log_text)]


@dataclasses.dataclass
class Reload:
    seconds: float  # from saving the file to the page showing the change
    builds: list[float]  # the builds MkDocs reported meanwhile, in seconds


def reload_seconds(
    project: Path, quiz: str = "m000", edits: int = 3, source: Path | None = None, log=print
) -> list[Reload]:
    """From saving quizzes/<quiz>.yaml to the open quiz page showing the change, per edit.

    ``source``: a snapshot of the checkout to serve with (scale.snapshot).  The quiz file is put back
    as it was afterwards."""
    from playwright.sync_api import sync_playwright

    from benchmarks.scale import CHROMIUM, CHROMIUM_ARGS, PHONE, build_env

    quiz_file = project / "quizzes" / f"{quiz}.yaml"
    original = quiz_file.read_bytes()
    port = free_port()
    url = f"http://127.0.0.1:{port}/quizzes/{quiz}.html"
    env = build_env(source)
    reloads: list[Reload] = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, open(Path(tmp) / "serve.log", "ab") as output:
        log_file = Path(tmp) / "serve.log"
        server = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            start = time.monotonic()
            _wait_for(url, STARTUP, server)
            log(f"  mkdocs serve: first build and answer in {time.monotonic() - start:.1f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_context(viewport=PHONE).new_page()
                    page.goto(url, wait_until="load", timeout=60000)
                    for edit in range(edits):
                        marker = f"改过的题目 edited prompt {edit + 1} {time.time_ns()}"
                        text = edited(quiz_file, marker)
                        page.wait_for_timeout(1000)  # the server settled after the previous reload
                        before = log_file.stat().st_size
                        saved = time.monotonic()
                        quiz_file.write_text(text, encoding="utf-8")
                        page.get_by_text(marker).first.wait_for(state="attached", timeout=RELOAD * 1000)
                        shown = time.monotonic() - saved
                        page.wait_for_timeout(500)  # MkDocs logs the build after the reload it starts
                        written = log_file.read_bytes()[before:].decode("utf-8", "replace")
                        reloads.append(Reload(shown, builds_in(written)))
                        built = ", ".join(f"{b:.1f} s" for b in reloads[-1].builds)
                        log(f"  mkdocs serve: edit {edit + 1}/{edits} shown after {shown:.1f} s (builds: {built})")
                finally:
                    browser.close()
        except BaseException:
            sys.stderr.write(log_file.read_bytes()[-3000:].decode("utf-8", "replace"))
            raise
        finally:
            _stop(server)
            quiz_file.write_bytes(original)
    return reloads


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    times = [r.seconds for r in reload_seconds(Path(argv[0]), *(argv[1:2] or ["m000"]))]
    print(f"median {statistics.median(times):.1f} s of {', '.join(f'{t:.1f}' for t in times)}")


if __name__ == "__main__":
    main(sys.argv[1:])
