"""The one-line markers that place generated content in a module page.

``<!-- quiz: fire-safety -->`` on a line of its own embeds that quiz;
``<!-- quiz-list -->`` lists every quiz; ``<!-- campaign -->`` (on a home page) shows
the campaign: theme, dates, modules with their quizzes, calendar.  An HTML comment was chosen because any
Markdown viewer (an editor's preview, a Git web page) hides it instead of showing
stray syntax, and Python-Markdown passes it through unchanged, so the plugin can find
it again in the rendered HTML.  Inside fenced code blocks markers are left alone, so
README-style examples stay examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import QuizBank
from .nodes import suggest
from .pages import SourcePage
from .problems import Level, Problem

QUIZ_MARKER = re.compile(r"^[ ]{0,3}<!--\s*quiz:\s*(?P<id>[^\s]*?)\s*-->\s*$")
LIST_MARKER = re.compile(r"^[ ]{0,3}<!--\s*quiz-list\s*-->\s*$")
_LOOKS_LIKE_MARKER = re.compile(r"<!--\s*(?:quiz|测验|test)", re.IGNORECASE)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")

# In the rendered HTML the comment survives as written (Python-Markdown stashes raw HTML).
HTML_QUIZ_MARKER = re.compile(r"<!--\s*quiz:\s*(?P<id>[a-z0-9-]+)\s*-->")
HTML_LIST_MARKER = re.compile(r"<!--\s*quiz-list\s*-->")
HTML_CAMPAIGN_MARKER = re.compile(r"<!--\s*campaign\s*-->")
# Generated pages only: the share button of quiz pages, a learner page's body (learn.py).
HTML_SHARE_MARKER = re.compile(r"<!--\s*share\s*-->")
HTML_LEARN_MARKER = re.compile(r"<!--\s*learn:\s*(?P<kind>[a-z]+)\s*-->")


@dataclass(frozen=True)
class Marker:
    path: str
    line: int
    quiz_id: str | None
    """None for the quiz-list marker."""


def iter_marker_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line outside fenced code blocks."""
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = _FENCE.match(line)
        if match:
            mark = match.group(1)
            if fence is None:
                fence = mark[0] * len(mark)
            elif mark.startswith(fence):
                fence = None
            continue
        if fence is None:
            yield number, line


def find_markers(markdown: str, path: str) -> tuple[list[Marker], list[Problem]]:
    markers: list[Marker] = []
    problems: list[Problem] = []
    for number, line in iter_marker_lines(markdown):
        match = QUIZ_MARKER.match(line)
        if match:
            markers.append(Marker(path, number, match["id"]))
        elif LIST_MARKER.match(line):
            markers.append(Marker(path, number, None))
        elif _LOOKS_LIKE_MARKER.search(line):
            problems.append(
                Problem(
                    path,
                    number,
                    line.index("<!--") + 1,
                    Level.ERROR,
                    "这一行像是测验标记，但写法不对，不会显示测验。",
                    "This line looks like a quiz marker but is malformed, so no quiz would appear.",
                    "标记要单独占一行，写成 <!-- quiz: 测验编号 -->，例如 <!-- quiz: fire-safety -->。",
                    "Put the marker alone on its line as <!-- quiz: quiz-id -->, e.g. <!-- quiz: fire-safety -->.",
                )
            )
    return markers, problems


def check_markers(pages: Iterable[SourcePage], bank: QuizBank, known_ids: list[str] | None = None) -> list[Problem]:
    """Problems with markers in ``pages`` (every Markdown file under docs_dir), and pages not in UTF-8.

    ``known_ids`` are all quiz ids that exist, broken files included, so that a marker
    naming a quiz with errors is not reported a second time.
    """
    ids = known_ids if known_ids is not None else bank.ids()
    problems: list[Problem] = []
    for page in pages:
        shown = page.shown
        if not page.utf8:
            problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    Level.ERROR,
                    "文件不是 UTF-8 编码，无法读取。",
                    "The file is not UTF-8 and cannot be read.",
                    "用记事本或 VS Code“另存为”，编码选 UTF-8。",
                    'Open it and "Save as" with the encoding UTF-8.',
                )
            )
            continue
        markers, found = find_markers(page.text, shown)
        problems.extend(found)
        for marker in markers:
            if marker.quiz_id is None or marker.quiz_id in ids:
                continue
            guess = suggest(marker.quiz_id, ids) if ids else None
            if guess:
                hint_zh, hint_en = f"是不是想写 <!-- quiz: {guess} -->？", f"Did you mean <!-- quiz: {guess} -->?"
            elif ids:
                hint_zh = f"现有的测验：{'、'.join(ids)}。测验编号就是 quizzes/ 里的文件名（不含 .yaml）。"
                hint_en = f"Quizzes that exist: {', '.join(ids)}. A quiz id is its file name in quizzes/ without .yaml."
            else:
                hint_zh, hint_en = "quizzes/ 里还没有测验文件。", "There are no quiz files in quizzes/ yet."
            problems.append(
                Problem(
                    shown,
                    marker.line,
                    1,
                    Level.ERROR,
                    f"标记里的测验“{marker.quiz_id}”不存在。",
                    f'The marker names the quiz "{marker.quiz_id}", which does not exist.',
                    hint_zh,
                    hint_en,
                )
            )
    return problems
