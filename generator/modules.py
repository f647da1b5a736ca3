"""The knowledge modules of a site: their pages per language, titles and quizzes.

The home page lists each module with the quizzes it embeds, so a worker sees which
ones they have passed; the printed handout of a module ends with a QR code to its quiz.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .markers import find_markers
from .model import LANGUAGES
from .pages import SourcePage, read_pages
from .vocabulary import LANGUAGE_PAGE

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
    return modules_of(read_pages(docs_dir / folder, docs_dir), docs_dir, folder)


def modules_of(pages: Iterable[SourcePage], docs_dir: Path, folder: str = "modules") -> list[Module]:
    """The modules among ``pages`` (docs_dir's, in path order): those under ``docs_dir/folder``."""
    modules: dict[str, Module] = {}
    base = docs_dir / folder
    for page in pages:
        path = page.path
        match = LANGUAGE_PAGE.match(path.name)
        if not path.is_relative_to(base) or not match or match["lang"] not in LANGUAGES:
            continue
        stem = (path.parent / match["stem"]).relative_to(docs_dir).as_posix()
        module = modules.setdefault(stem, Module(stem))
        module.languages.add(match["lang"])
        title = next((m["title"] for line in page.text.splitlines() if (m := _HEADING.match(line))), None)
        if title:
            module.titles[match["lang"]] = title
        for marker in find_markers(page.text, path.name)[0]:
            if marker.quiz_id and marker.quiz_id not in module.quiz_ids:
                module.quiz_ids.append(marker.quiz_id)
    return list(modules.values())
