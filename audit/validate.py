"""The W3C Nu HTML checker (npm vnu-jar, run with Java) on every built page.

The budget is on the generator's own HTML: the pages it writes itself (posters and the
poster index) entirely, and in MkDocs pages the elements it inserts (quiz, campaign banner
and home block, quiz list, share button, handout QR code, learner pages and their home box), found by
their root classes.
Errors elsewhere in a page come from MkDocs or Material; they are counted and shown apart.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .lighthouse import TOOLS
from .peers import AuditError

OUR_ROOTS = {"quiz", "campaign-banner", "campaign-hero", "quiz-list", "share", "handout-qr", "learn", "learn-home"}
STANDALONE = ("posters/",)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Validation:
    pages: int = 0
    ours: list[str] = field(default_factory=list)  # "page:line: message"
    theirs: list[str] = field(default_factory=list)


class _Spans(HTMLParser):
    """Line ranges of the elements the generator inserts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int, bool]] = []
        self.spans: list[tuple[int, int]] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, self.getpos()[0], bool(classes & OUR_ROOTS)))

    def handle_endtag(self, tag) -> None:
        while self.stack:
            name, line, ours = self.stack.pop()
            if ours:
                self.spans.append((line, self.getpos()[0]))
            if name == tag:
                return


def _spans(text: str) -> list[tuple[int, int]]:
    parser = _Spans()
    parser.feed(text)
    return parser.spans


def validate(site: Path) -> Validation:
    jar = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists() or not shutil.which("java"):
        raise AuditError("the Nu HTML checker needs Java (apt-get install default-jre-headless) and vnu-jar (npm ci).")
    pages = sorted(site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AuditError(f"the Nu HTML checker gave no report: {result.stderr[-1000:]}") from error
    found = Validation(len(pages))
    spans: dict[str, list[tuple[int, int]]] = {}
    for message in messages:
        if message.get("type") != "error":
            continue
        path = Path(message["url"].removeprefix("file:")).resolve().relative_to(site.resolve()).as_posix()
        line = message.get("lastLine") or message.get("firstLine") or 0
        if path not in spans:
            spans[path] = _spans((site / path).read_text(encoding="utf-8"))
        standalone = any(f"{part}" in path for part in STANDALONE)
        entry = f"{path}:{line}: {message['message']}"
        if standalone or any(start <= line <= end for start, end in spans[path]):
            found.ours.append(entry)
        else:
            found.theirs.append(entry)
    return found
