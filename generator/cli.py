"""``python -m generator``: the command line (argparse and dispatch).

``build`` differs from a bare ``mkdocs build`` in one way that matters to people who host
the site: a failure at any stage leaves the previous site as it was (``build.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import EXIT_ERRORS, EXIT_OK, run_build
from .problems import format_report, has_errors
from .project import summary
from .results import commands as results_commands
from .settings import Settings, read_settings

EXIT_WARNINGS = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="安全生产月网站生成器 / Safety-education site generator",
    )
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="mkdocs.yml 的位置 / path of mkdocs.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="检查测验和模块 / check quizzes and modules")
    check.add_argument("--strict", action="store_true", help="有警告时也返回非零 / exit 2 on warnings")
    build = commands.add_parser("build", help="生成网站到 site/ / build the site into site/")
    build.add_argument("-d", "--site-dir", help="输出目录 / output folder (default: site_dir of mkdocs.yml)")
    build.add_argument("--strict", action="store_true", help="MkDocs 的警告也算错误 / treat MkDocs warnings as errors")
    new = commands.add_parser("new", help="新建模块或测验 / start a new module or quiz")
    new.add_argument("kind", choices=["module", "quiz"])
    new.add_argument("name", help="英文小写名字，例如 fire-safety / a-z, 0-9 and -")
    importer = commands.add_parser("import", help="从 Excel/CSV 题库导入 / import a question bank from .xlsx or .csv")
    importer.add_argument("file")
    importer.add_argument("--quiz", required=True, help="测验编号（文件名）/ quiz id, e.g. fire-safety")
    importer.add_argument("--title", help="测验标题，“中文/English” / title, as 中文/English")
    importer.add_argument("--pass-mark", type=float, default=60)
    importer.add_argument("--force", action="store_true", help="覆盖已有的测验文件 / overwrite an existing quiz file")
    exporter = commands.add_parser("export", help="导出测验 / export a quiz: xlsx, gift, paper")
    exporter.add_argument("quiz", help="测验编号 / quiz id")
    exporter.add_argument("--format", choices=["xlsx", "gift", "paper"], required=True)
    exporter.add_argument(
        "--language",
        choices=["zh", "en", "both"],
        default="both",
        help="GIFT 和纸质试卷的语言 / language of GIFT and paper (paper: both = one file each)",
    )
    exporter.add_argument("-o", "--output", help="输出文件或文件夹 / output file or folder (default: exports/)")
    results_commands.add_parser(commands)
    args = parser.parse_args(argv)
    _utf8_output()
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(
            f"找不到配置文件 {config_file}。请在项目文件夹里运行，或用 -f 指定 mkdocs.yml。\n"
            f"Cannot find {config_file}: run this in the project folder or pass -f mkdocs.yml.",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    settings, problems = read_settings(config_file)
    if settings is None:
        after = args.command if args.command in ("build", "results") else "check"
        print(format_report(problems, after=after), file=sys.stderr)
        return EXIT_ERRORS
    from . import staff

    if args.command == "results":
        return results_commands.run(settings, args)
    if args.command == "check":
        return run_check(settings, args.strict)
    if args.command == "new":
        return staff.run_new(settings.paths, args.kind, args.name)
    if args.command == "import":
        return staff.run_import(settings.paths, Path(args.file), args.quiz, args.title, args.pass_mark, args.force)
    if args.command == "export":
        return staff.run_export(settings.paths, args.quiz, args.format, args.language, args.output, settings.site_url)
    return run_build(settings, args.site_dir, args.strict)


def run_check(settings: Settings, strict: bool = False) -> int:
    """The report of ``make check``: the same problems a build finds, and nothing built."""
    checked = settings.check()
    project, problems = checked.project, checked.problems
    bank = project.bank
    print(summary(project) + "\n")
    print(format_report(problems, after="check"))
    if has_errors(problems):
        return EXIT_ERRORS
    if problems and strict:
        return EXIT_WARNINGS
    questions = sum(len(quiz.questions) for quiz in bank)
    print(f"测验 {len(bank)} 个，题目 {questions} 道。\n{len(bank)} quizzes, {questions} questions.")
    return EXIT_OK


def _utf8_output() -> None:
    """Chinese messages must print on a Windows console that defaults to a legacy code page."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
