"""The Markdown pages under docs_dir, read once per check and handed to every check of them.

Markers, translations, reserved folders, links and the modules all look at the same files: one
sorted walk that reads each file once, instead of one walk per check, five reads of each page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .vocabulary import shown


@dataclass(frozen=True)
class SourcePage:
    path: Path
    shown: str
    """The path as messages show it, relative to the project."""
    text: str
    """The text, line ends as "\\n", with U+FFFD for what is not UTF-8 (links and titles are still found)."""
    utf8: bool = True
    """False when the file is not UTF-8: the marker check reports it."""


def read_pages(docs_dir: Path, root: Path) -> list[SourcePage]:
    """Every ``*.md`` file under ``docs_dir``, in path order."""
    pages = []
    for path in sorted(p for p in docs_dir.rglob("*.md") if p.is_file()):  # a folder may be named x.md
        data = path.read_bytes()
        try:
            text, utf8 = data.decode("utf-8-sig"), True
        except UnicodeDecodeError:
            text, utf8 = data.decode("utf-8-sig", errors="replace"), False
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
        pages.append(SourcePage(path, shown(root, path), text, utf8))
    return pages
