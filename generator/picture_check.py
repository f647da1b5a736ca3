"""Checking pictures: in modules (Markdown images and ``<img>`` tags) and in quiz files (``image:``).

Every picture needs alternative text: what it shows, for a worker who cannot see it (a screen
reader reads it) and for everyone when it fails to load on a weak signal.  A picture that is only
decoration says so: ``![](line.png){ .decorative }``.  A picture must be a file of the project
(a picture from another site is not loaded in mainland networks, and the site asks no other host);
a missing file is named with the closest file that exists.  Every picture file under docs_dir must
be one the build can make small and clean (images.py): a HEIC from an iPhone would otherwise be
published as it is, with its GPS position.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .images import IMAGE_FOLDER, PICTURES, UNSUPPORTED, PictureError, locate, read_size, tag_attributes
from .markers import iter_marker_lines
from .model import QuizBank
from .pages import SourcePage
from .problems import Level, Problem
from .vocabulary import shown

if TYPE_CHECKING:
    from .project import ProjectPaths

_MD_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]"
    r"(?:\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)|\[(?P<ref>[^\]]*)\])"
    r"(?P<attrs>\{[^}\n]*\})?"
)
_IMG_TAG = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_REFERENCE = re.compile(r"^ {0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<src>[^\s>]+)>?", re.MULTILINE)
_DECORATIVE = re.compile(r"(?:^|[\s{:])\.decorative(?=[\s}]|$)")


@dataclass(frozen=True)
class PictureUse:
    """A picture as a page uses it."""

    line: int
    column: int
    src: str
    alt: str
    decorative: bool


def picture_uses(text: str) -> Iterator[PictureUse]:
    """Every picture of a Markdown page outside code blocks, with its line and column."""
    references = {m["ref"].strip().lower(): m["src"] for m in _REFERENCE.finditer(text)}
    for number, line in iter_marker_lines(text):
        for match in _MD_IMAGE.finditer(line):
            src = match["src"]
            if src is None:
                src = references.get((match["ref"] or match["alt"]).strip().lower(), "")
            decorative = bool(match["attrs"] and _DECORATIVE.search(match["attrs"][1:-1]))
            yield PictureUse(number, match.start() + 1, src, match["alt"].strip(), decorative)
        for match in _IMG_TAG.finditer(line):
            attributes = tag_attributes(match["attrs"])
            alt = attributes.get("alt")
            decorative = alt == "" and (
                attributes.get("role") in ("presentation", "none")
                or "decorative" in attributes.get("class", "").split()
            )
            yield PictureUse(number, match.start() + 1, attributes.get("src", ""), (alt or "").strip(), decorative)


def check_pictures(pages: list[SourcePage], bank: QuizBank, paths: ProjectPaths) -> list[Problem]:
    """Every check of pictures (pages, files, quizzes), with one walk of docs_dir."""
    found = picture_files(paths.docs_dir, PICTURES | UNSUPPORTED)
    files = [file for file in found if posixpath.splitext(file)[1].lower() in PICTURES]
    return (
        check_page_pictures(pages, paths.docs_dir, files)
        + check_picture_files(paths.docs_dir, paths.root, found)
        + check_quiz_pictures(bank, paths.quiz_dir, paths.docs_dir, paths.root, files)
    )


def check_page_pictures(pages: list[SourcePage], docs_dir: Path, files: list[str] | None = None) -> list[Problem]:
    """Alternative text, a file of the project, and one the build can take, for every picture of every page;
    ``files``: ``picture_files(docs_dir)``, when the caller has it."""
    files = picture_files(docs_dir) if files is None else files
    problems = []
    for page in pages:
        for use in picture_uses(page.text):
            where = (page.shown, use.line, use.column)
            if not use.alt and not use.decorative:
                problems.append(_no_alt(*where))
            problem = _check_source(use.src, page.path.parent, docs_dir, files, where)
            if problem:
                problems.append(problem)
    return problems


def check_picture_files(docs_dir: Path, root: Path, found: list[str] | None = None) -> list[Problem]:
    """Every picture file under docs_dir is one the build can publish (whether a page uses it or not:
    MkDocs would copy any other file as it is); ``found``: ``picture_files(docs_dir, PICTURES | UNSUPPORTED)``."""
    problems = []
    for relative in picture_files(docs_dir, PICTURES | UNSUPPORTED) if found is None else found:
        path = docs_dir / relative
        suffix = path.suffix.lower()
        if suffix in UNSUPPORTED:
            problems.append(_unsupported(shown(root, path), 0, 0, path.name))
        elif suffix in PICTURES:
            try:
                read_size(path)
            except PictureError as error:
                zh, _, en = str(error).partition("\n")
                problems.append(Problem(shown(root, path), 0, 0, Level.ERROR, zh, en))
    return problems


_TEXT_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|//)")
"""A picture written into a quiz text as Markdown, from this site (render.py drops other hosts' and scripts)."""


def check_quiz_pictures(
    bank: QuizBank, quiz_dir: Path, docs_dir: Path, root: Path, files: list[str] | None = None
) -> list[Problem]:
    """Each ``image:`` of a quiz file names a picture file of the project that the build can take.  A picture
    written into a question's text as Markdown (DESIGN §6 allows local ones) is a warning: its original is no
    longer published (only ``image:`` makes its small, clean files), so the page would show a broken image."""
    files = picture_files(docs_dir) if files is None else files
    problems = []
    for quiz in bank:
        shown_as = shown(root, quiz_dir / f"{quiz.id}.yaml")
        for number, question in enumerate(quiz.questions, start=1):
            texts = [question.prompt, question.explanation, *(option.text for option in question.options)]
            if any(text and (_TEXT_IMAGE.search(text.zh) or _TEXT_IMAGE.search(text.en)) for text in texts):
                problems.append(
                    Problem(
                        shown_as,
                        question.line,
                        0,
                        Level.WARNING,
                        "题目文字里写了图片 ![…](…)：这样的图片不会发布，页面上会是一张打不开的图。",
                        "A picture is written into the question's text as ![…](…): such a picture is not "
                        "published, and the page would show a broken image.",
                        "删掉文字里的 ![…](…)，在这道题下面加 image: {file: 文件名, alt: {zh: 图上是什么, en: …}}。",
                        "Remove the ![…](…) from the text and give the question "
                        "image: {file: name, alt: {zh: …, en: what it shows}}.",
                        f"第 {number} 题 question {number} · {question.id}",
                    )
                )
            for picture in question.pictures:
                if locate(picture.file, docs_dir) is not None:
                    continue
                problem = _check_source(
                    picture.file, docs_dir / IMAGE_FOLDER, docs_dir, files, (shown_as, picture.line, 0), in_quiz=True
                )
                if problem:
                    problems.append(replace(problem, where=f"第 {number} 题 question {number} · {question.id}"))
    return problems


def picture_files(docs_dir: Path, suffixes: frozenset[str] = PICTURES) -> list[str]:
    """The picture files under docs_dir (by default those the build takes), relative to it, in order."""
    if not docs_dir.is_dir():
        return []
    return sorted(
        p.relative_to(docs_dir).as_posix()
        for p in docs_dir.rglob("*")
        if p.suffix.lower() in suffixes and p.is_file() and not _hidden(p, docs_dir)
    )


def _hidden(path: Path, docs_dir: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(docs_dir).parts)


def _check_source(
    src: str, folder: Path, docs_dir: Path, files: list[str], where: tuple[str, int, int], in_quiz: bool = False
) -> Problem | None:
    if not src:
        return None  # no address at all: Markdown shows the alt text; nothing to publish
    lowered = src.lower()
    if lowered.startswith("data:"):
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered) or lowered.startswith("//"):
        return Problem(
            *where,
            Level.ERROR,
            "这张图片来自别的网站：网站不向其他网站请求任何东西（国内网络常常打不开外网），图片也可能随时被删。",
            "This picture comes from another site: the site asks no other host for anything "
            "(mainland networks often block them), and the picture may vanish.",
            "把图片下载下来，放进 content/images/，再写相对路径，例如 ![说明](../images/photo.jpg)。",
            "Download the picture into content/images/ and link it by its path, "
            "e.g. ![what it shows](../images/photo.jpg).",
        )
    relative = unquote(re.split(r"[#?]", src, maxsplit=1)[0])
    suffix = posixpath.splitext(relative)[1].lower()
    if suffix in UNSUPPORTED:
        return _unsupported(*where, posixpath.basename(relative))
    path = (folder / relative).resolve()
    inside = path.is_relative_to(docs_dir.resolve())
    if inside and path.is_file():
        return None
    target = path.relative_to(docs_dir.resolve()).as_posix() if inside else relative
    nearest = _nearest(target, files)
    if in_quiz:
        hint = (
            (f"是不是 {_quiz_name(nearest)}？", f'Did you mean "{_quiz_name(nearest)}"?')
            if nearest
            else (
                "把图片放进 content/images/，这里写它在那里的文件名。",
                "Put the picture in content/images/ and give its name there.",
            )
        )
    else:
        base = (
            folder.resolve().relative_to(docs_dir.resolve()).as_posix()
            if folder.resolve().is_relative_to(docs_dir.resolve())
            else ""
        )
        hint = (
            (
                f"是不是 {posixpath.relpath(nearest, base or '.')}？",
                f'Did you mean "{posixpath.relpath(nearest, base or ".")}"?',
            )
            if nearest
            else (
                "把图片放进 content/images/，路径相对于本文件来写，例如 ../images/photo.jpg。",
                "Put the picture in content/images/ and give its path from this file, e.g. ../images/photo.jpg.",
            )
        )
    return Problem(
        *where,
        Level.ERROR,
        f"找不到图片文件“{src}”。",
        f'The picture file "{src}" does not exist.',
        *hint,
    )


def _quiz_name(path: str) -> str:
    return path[len(IMAGE_FOLDER) + 1 :] if path.startswith(IMAGE_FOLDER + "/") else path


def _nearest(target: str, files: list[str]) -> str | None:
    """The picture file whose name is closest to ``target``'s (a typo, another case, another folder);
    of several with that name, the one whose folder is closest.  Names only: the folder they share
    ("images/") would make any two paths look alike."""
    by_name: dict[str, list[str]] = {}
    for file in files:
        by_name.setdefault(posixpath.basename(file).lower(), []).append(file)
    found = difflib.get_close_matches(posixpath.basename(target).lower(), list(by_name), n=1, cutoff=0.6)
    if not found:
        return None
    folder = posixpath.dirname(target).lower()
    return max(
        by_name[found[0]], key=lambda f: difflib.SequenceMatcher(None, posixpath.dirname(f).lower(), folder).ratio()
    )


def _no_alt(path: str, line: int, column: int) -> Problem:
    return Problem(
        path,
        line,
        column,
        Level.ERROR,
        "图片没有替代文字：用读屏软件的人，以及图片加载不出来时，都不知道图上是什么。",
        "The picture has no alternative text: people using a screen reader, and everyone when it fails "
        "to load, cannot tell what it shows.",
        "在方括号里写图上是什么，例如 ![堵住的安全出口](../images/exit.jpg)；只是装饰的图片写成 "
        "![](../images/line.png){ .decorative }。",
        "Say what it shows in the brackets, e.g. ![A blocked emergency exit](../images/exit.jpg); "
        "for a picture that is only decoration: ![](../images/line.png){ .decorative }.",
    )


def _unsupported(path: str, line: int, column: int, name: str) -> Problem:
    return Problem(
        path,
        line,
        column,
        Level.ERROR,
        f"{name} 这种格式浏览器显示不了，也去不掉里面的拍摄地点等信息。",
        f"Browsers cannot show {name}'s format, and its details (where it was taken) cannot be removed.",
        "把它另存为 JPG（照片）或 PNG（截图）：苹果手机在“设置 > 相机 > 格式”选“兼容性最佳”，或用画图另存为。",
        'Save it as JPG (photos) or PNG (screenshots): on an iPhone, Settings > Camera > Formats > "Most Compatible".',
    )
