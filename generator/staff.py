"""The staff commands behind ``python -m generator new | import | export``.

Each prints what it did, or what is wrong and how to fix it, in Chinese and English, and
returns an exit code: 0 done, 1 nothing written because of a problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .exports import to_gift, to_paper
from .load import ID_PATTERN, RESERVED_IDS, load_quiz
from .model import Text
from .nodes import suggest
from .problems import format_report, has_errors
from .project import ProjectPaths
from .scaffold import Exists, new_module, new_quiz
from .sheets import export_xlsx, import_sheet
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
    paths.quiz_dir.mkdir(parents=True, exist_ok=True)
    header = f"导入自 Imported from {file.name}：{len(result.quiz.questions)} 题 questions。"
    target.write_text(quiz_to_yaml(result.quiz, header), encoding="utf-8")
    # Read it back as the site will: what was written must load cleanly.
    _, problems = load_quiz(target, target_shown)
    if has_errors(problems):  # pragma: no cover - a bug in writing, never expected
        print(format_report(problems), file=sys.stderr)
        return FAILED
    print(
        f"已导入 {len(result.quiz.questions)} 题到 {target_shown}。\n"
        f"Imported {len(result.quiz.questions)} questions into {target_shown}."
    )
    return OK


def run_export(paths: ProjectPaths, quiz_id: str, fmt: str, language: str, output: str | None) -> int:
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
    if fmt == "xlsx":
        target = out if out.suffix == ".xlsx" else out / f"{quiz_id}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        export_xlsx(quiz, target)
        written.append(target)
    elif fmt == "gift":
        target = out if out.suffix == ".gift" or out.suffix == ".txt" else out / f"{quiz_id}.{language}.gift"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_gift(quiz, language), encoding="utf-8")
        written.append(target)
    else:
        languages = ["zh", "en"] if language == "both" else [language]
        for lang in languages:
            target = out / f"{quiz_id}.paper.{lang}.html" if out.suffix != ".html" or len(languages) > 1 else out
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_paper(quiz, lang), encoding="utf-8")
            written.append(target)
    for target in written:
        print(f"已导出 Exported: {target}")
    return OK
