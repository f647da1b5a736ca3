"""The staff commands behind ``python -m generator new | import | export``.

Each prints what it did, or what is wrong and how to fix it, in Chinese and English, and
returns an exit code: 0 done, 1 nothing written because of a problem.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .exports import to_gift, to_paper
from .images import PictureError, PictureStore, Processed, locate
from .load import ID_PATTERN, RESERVED_IDS, load_quiz
from .model import Quiz, Text
from .nodes import suggest
from .problems import Level, Problem, format_report, has_errors
from .project import ProjectPaths
from .scaffold import Exists, new_module, new_quiz
from .settings import read_settings
from .sheets import alt_lost_in_sheet, export_xlsx, import_sheet
from .vocabulary import MAX_SHEET_OPTIONS, SHEET_LETTERS, shown, slug
from .write import quiz_to_yaml

OK, FAILED = 0, 1


def _fail(zh: str, en: str) -> int:
    print(f"{zh}\n{en}", file=sys.stderr)
    return FAILED


def _name_ok(name: str) -> bool:
    return bool(ID_PATTERN.match(name))


def _reserved(name: str) -> int:
    return _fail(
        f"“{name}”已被网站自己使用（{name}.html 是目录页或海报页），换一个名字，例如 {name}-quiz。",
        f'"{name}" is taken by the site itself ({name}.html is an index or poster page): pick another, '
        f"e.g. {name}-quiz.",
    )


def _bad_name(name: str) -> int:
    example = slug(name) or "my-quiz"
    return _fail(
        f"名字“{name}”不能用：只能用小写英文字母、数字和连字符 -，例如 {example}。",
        f'"{name}" cannot be used: only a-z, 0-9 and "-", e.g. {example}.',
    )


def run_new(paths: ProjectPaths, kind: str, name: str) -> int:
    if not _name_ok(name):
        return _bad_name(name)
    if kind == "quiz" and name in RESERVED_IDS:
        return _reserved(name)
    try:
        written = new_module(paths.docs_dir, name) if kind == "module" else [new_quiz(paths.quiz_dir, name)]
    except Exists as exists:
        existing = shown(paths.root, Path(str(exists)))
        return _fail(
            f"{existing} 已经存在，没有覆盖。换一个名字，或先改名/删除旧文件。",
            f"{existing} already exists and was not overwritten. Pick another name, or move the old file first.",
        )
    for path in written:
        print(f"已新建 Created: {shown(paths.root, path)}")
    if kind == "module":
        print(
            f"在“测一测”下面单独一行写 <!-- quiz: {name} --> 就能放进同名测验"
            f"（先运行 python -m generator new quiz {name}）。\n"
            f"Under 'Test yourself', a line <!-- quiz: {name} --> embeds the quiz of that name "
            f"(create it with: python -m generator new quiz {name})."
        )
    return OK


def _title(raw: str | None, fallback: str) -> Text:
    if not raw:
        return Text(fallback, fallback)
    zh, _, en = raw.partition("/")
    return Text(zh.strip() or fallback, (en or zh).strip() or fallback)


def run_import(paths: ProjectPaths, file: Path, quiz_id: str, title: str | None, pass_mark: float, force: bool) -> int:
    if not _name_ok(quiz_id):
        return _bad_name(quiz_id)
    if quiz_id in RESERVED_IDS:
        return _reserved(quiz_id)
    if not file.is_file():
        return _fail(f"找不到文件 {file}。", f"Cannot find {file}.")
    if file.suffix.lower() not in (".xlsx", ".csv"):
        hint = "（.xls 是旧格式：请在 Excel 里另存为 .xlsx）" if file.suffix.lower() == ".xls" else ""
        return _fail(
            f"只能导入 .xlsx 或 .csv 文件{hint}。",
            "Only .xlsx and .csv files can be imported (save an old .xls as .xlsx).",
        )
    target = paths.quiz_dir / f"{quiz_id}.yaml"
    target_shown = shown(paths.root, target)
    if target.exists() and not force:
        return _fail(
            f"{target_shown} 已经存在，没有覆盖。要覆盖请加 --force。",
            f"{target_shown} exists and was not overwritten; add --force to replace it.",
        )
    result = import_sheet(file, quiz_id, _title(title, file.stem), pass_mark, shown=file.name)
    if result.problems:
        print(format_report(result.problems, after="import"), file=sys.stderr)
    if result.quiz is None or has_errors(result.problems):
        bad = len({p.line for p in result.problems if p.is_error})
        return _fail(
            f"有 {bad} 处读不懂（见上面的行号），没有写入任何文件。改好表格后再导入一次。",
            f"{bad} place(s) could not be read (see the rows above); nothing was written. "
            "Fix the sheet and import again.",
        )
    header = f"导入自 Imported from {file.name}：{len(result.quiz.questions)} 题 questions。"
    text = quiz_to_yaml(result.quiz, header)
    # Read it back as the site will, before it replaces anything: it must load cleanly, pictures and all.
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / target.name
        trial.write_text(text, encoding="utf-8")
        written, problems = load_quiz(trial, target_shown)
    if has_errors(problems):  # pragma: no cover - a bug in writing, never expected
        print(format_report(problems), file=sys.stderr)
        return FAILED
    if _pictures(written) != _pictures(result.quiz):  # a bug in writing: never lose what the sheet gave
        return _fail(
            "导入的图片没能写进测验文件（程序的问题），没有写入任何文件。请把表格发给维护网站的同事。",
            "The sheet's pictures could not be written into the quiz file (a fault in the program); nothing "
            "was written. Send the sheet to whoever maintains the site.",
        )
    paths.quiz_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(
        f"已导入 {len(result.quiz.questions)} 题到 {target_shown}。\n"
        f"Imported {len(result.quiz.questions)} questions into {target_shown}."
    )
    count = sum(len(q.pictures) for q in result.quiz.questions)
    if count:
        images = shown(paths.root, paths.docs_dir / "images")
        print(
            f"表格里有 {count} 张图片：把图片文件放进 {images}/（文件名和表格里写的一样），"
            "再运行 python -m generator check，找不到的图片会一一列出。\n"
            f"The sheet names {count} picture(s): put the files in {images}/ (named as in the sheet), then run "
            "python -m generator check, which lists any it cannot find."
        )
    return OK


def _pictures(quiz: Quiz | None) -> list[tuple[str, Text] | None]:
    """What a quiz's pictures are (file and alt), question by question, without their lines."""
    if quiz is None:
        return []
    return [
        (picture.file, picture.alt) if picture else None
        for q in quiz.questions
        for picture in (q.image, *(o.image for o in q.options))
    ]


def run_export(
    paths: ProjectPaths, quiz_id: str, fmt: str, language: str, output: str | None, site_url: str | None = None
) -> int:
    """Export a quiz; ``site_url`` (read from mkdocs.yml when not given) is where GIFT's pictures point."""
    path = paths.quiz_dir / f"{quiz_id}.yaml"
    if not path.is_file():
        existing = sorted(p.stem for p in paths.quiz_dir.glob("*.yaml"))
        guess = suggest(quiz_id, existing) if existing else None
        return _fail(
            f"没有测验“{quiz_id}”。" + (f"是不是想写 {guess}？" if guess else ""),
            f'There is no quiz "{quiz_id}".' + (f" Did you mean {guess}?" if guess else ""),
        )
    quiz, problems = load_quiz(path, shown(paths.root, path))
    if quiz is None:
        print(format_report(problems, after="export"), file=sys.stderr)
        return FAILED
    out = Path(output) if output else paths.root / "exports"
    written = []
    too_wide = [q.id for q in quiz.questions if len(q.options) > MAX_SHEET_OPTIONS]
    if fmt == "xlsx" and too_wide:
        return _fail(
            f"表格最多放 {MAX_SHEET_OPTIONS} 个选项（选项A–{SHEET_LETTERS[-1]}），"
            f"题目 {'、'.join(too_wide)} 的选项更多，没有导出。可以改用 --format gift 或 --format paper。",
            f"A sheet holds at most {MAX_SHEET_OPTIONS} options (A-{SHEET_LETTERS[-1]}); question(s) "
            f"{', '.join(too_wide)} have more, so nothing was exported. Use --format gift or --format paper instead.",
        )
    has_pictures = any(q.pictures for q in quiz.questions)
    if fmt == "gift" and has_pictures and site_url is None:
        site_url = _site_url(paths)
    pictures: dict[str, Processed] = {}
    if has_pictures and (fmt == "paper" or (fmt == "gift" and site_url)):
        pictures, problems = _process_pictures(quiz, shown(paths.root, path), paths)
        if problems:
            print(format_report(problems, after="export"), file=sys.stderr)
            return FAILED
    if fmt == "xlsx":
        target = out if out.suffix == ".xlsx" else out / f"{quiz_id}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        export_xlsx(quiz, target)
        written.append(target)
    elif fmt == "gift":
        target = out if out.suffix == ".gift" or out.suffix == ".txt" else out / f"{quiz_id}.{language}.gift"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_gift(quiz, language, pictures, site_url or ""), encoding="utf-8")
        written.append(target)
    else:
        languages = ["zh", "en"] if language == "both" else [language]
        for lang in languages:
            target = out / f"{quiz_id}.paper.{lang}.html" if out.suffix != ".html" or len(languages) > 1 else out
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_paper(quiz, lang, pictures), encoding="utf-8")
            written.append(target)
    for target in written:
        print(f"已导出 Exported: {target}")
    if fmt == "gift" and has_pictures:
        _gift_pictures_note(site_url or "")
    if fmt == "xlsx":
        _alt_lost_note(quiz)
    return OK


def _site_url(paths: ProjectPaths) -> str:
    """The site's address from mkdocs.yml ("" when it has none or cannot be read: pictures are then described)."""
    if paths.config_file is None or not paths.config_file.is_file():
        return ""
    settings, _ = read_settings(paths.config_file)
    return settings.site_url if settings else ""


def _process_pictures(quiz: Quiz, quiz_shown: str, paths: ProjectPaths) -> tuple[dict[str, Processed], list[Problem]]:
    """Each picture of the quiz made as the site makes it (in the build's cache, so usually already done),
    by its ``file``; an error naming the quiz file, line and picture for each that is missing or unreadable."""
    store = PictureStore(paths.root / ".cache" / "pictures")
    images = shown(paths.root, paths.docs_dir / "images")
    found: dict[str, Processed] = {}
    problems = []
    for number, question in enumerate(quiz.questions, start=1):
        where = f"第 {number} 题 question {number} · {question.id}"
        for picture in question.pictures:
            if picture.file in found:
                continue
            source = locate(picture.file, paths.docs_dir)
            if source is None:
                problems.append(
                    Problem(
                        quiz_shown,
                        picture.line,
                        0,
                        Level.ERROR,
                        f"找不到图片文件“{picture.file}”，没法把它放进导出的文件。",
                        f'The picture file "{picture.file}" does not exist, so it cannot go into the export.',
                        f"把图片放进 {images}/，或改正 file: 后面的文件名；"
                        "python -m generator check 会给出最接近的文件名。",
                        f"Put the picture in {images}/, or correct the name after file:; "
                        "python -m generator check suggests the closest name.",
                        where,
                    )
                )
                continue
            try:
                found[picture.file] = store.get(source)
            except PictureError as error:
                zh, _, en = str(error).partition("\n")
                problems.append(Problem(quiz_shown, picture.line, 0, Level.ERROR, zh, en, where=where))
    return found, problems


def _gift_pictures_note(site_url: str) -> None:
    if site_url:
        print(
            f"GIFT 带不了图片文件：题目里的图片指向网站 {site_url} 上的图片，"
            "网站发布（带上这些图片）以后 Moodle 里才看得到。\n"
            f"GIFT cannot carry picture files: the questions show the pictures from the site at {site_url}, "
            "so Moodle shows them once the site is published with them."
        )
        return
    print(
        "警告 warning：GIFT 带不了图片文件，mkdocs.yml 里又没有 site_url（网站的完整地址），"
        "所以图片只写成了文字说明“[图片：……]”，Moodle 里看不到图。"
        "在 mkdocs.yml 写上 site_url（例如 site_url: https://example.gov.cn/anquan/），网站发布后再导出一次。\n"
        "Warning: GIFT cannot carry picture files and mkdocs.yml has no site_url (the site's full address), "
        'so the pictures are described in words ("[Picture: ...]"), not shown, in Moodle. Set site_url in '
        "mkdocs.yml (e.g. site_url: https://example.gov.cn/anquan/) and export again once the site is published.",
        file=sys.stderr,
    )


def _alt_lost_note(quiz: Quiz) -> None:
    lost = [f"{q.id} {o.letter}" for q, o in alt_lost_in_sheet(quiz)]
    if lost:
        print(
            f"注意：表格每个选项只有一格文字，这些选项的图片说明没有导出：{'、'.join(lost)}。"
            "把表格再导入时，选项文字会变成图片说明。\n"
            f"Note: a sheet has one text per option, so the picture alt text of these options is not in it: "
            f"{', '.join(lost)}. Imported again, the option's text becomes its picture's alt text.",
            file=sys.stderr,
        )
