"""The knowledge modules of a site: their pages per language, titles and quizzes.

The home page lists each module with the quizzes it embeds, so a worker sees which
ones they have passed; the printed handout of a module ends with a QR code to its quiz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .markers import find_markers
from .model import LANGUAGES

_PAGE = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")
_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")


@dataclass
class Module:
    stem: str
    """Path under docs_dir without the language and suffix, e.g. "modules/fire"."""
    titles: dict[str, str] = field(default_factory=dict)
    quiz_ids: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)

    def title(self, language: str) -> str:
        return self.titles.get(language) or next(iter(self.titles.values()), self.stem)

    @property
    def url(self) -> str:
        return f"{self.stem}.html"


def find_modules(docs_dir: Path, folder: str = "modules") -> list[Module]:
    """Modules under ``docs_dir/folder``, in file-name order."""
    modules: dict[str, Module] = {}
    base = docs_dir / folder
    for path in sorted(base.rglob("*.md")) if base.is_dir() else []:
        match = _PAGE.match(path.name)
        if not match or match["lang"] not in LANGUAGES:
            continue
        stem = (path.parent / match["stem"]).relative_to(docs_dir).as_posix()
        module = modules.setdefault(stem, Module(stem))
        module.languages.add(match["lang"])
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        title = next((m["title"] for line in text.splitlines() if (m := _HEADING.match(line))), None)
        if title:
            module.titles[match["lang"]] = title
        for marker in find_markers(text, path.name)[0]:
            if marker.quiz_id and marker.quiz_id not in module.quiz_ids:
                module.quiz_ids.append(marker.quiz_id)
    return list(modules.values())
