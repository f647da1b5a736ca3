"""``python -m generator``: check a project, or build its site safely.

``build`` differs from a bare ``mkdocs build`` in one way that matters to people who
host the site: it builds into a temporary folder beside ``site/`` and swaps it in only
when everything succeeded, so a failure at any stage leaves the previous site as it was.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from .problems import format_report, has_errors
from .project import check_project, summary
from .settings import CheckedProject, Settings, read_settings

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


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
    exporter.add_argument("--language", choices=["zh", "en", "both"], default="both",
                          help="GIFT 和纸质试卷的语言 / language of GIFT and paper (paper: both = one file each)")
    exporter.add_argument("-o", "--output", help="输出文件或文件夹 / output file or folder (default: exports/)")
    args = parser.parse_args(argv)
    _utf8_output()
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"找不到配置文件 {config_file}。请在项目文件夹里运行，或用 -f 指定 mkdocs.yml。\n"
              f"Cannot find {config_file}: run this in the project folder or pass -f mkdocs.yml.", file=sys.stderr)
        return EXIT_ERRORS
    settings, problems = read_settings(config_file)
    if settings is None:
        print(format_report(problems, after="build" if args.command == "build" else "check"), file=sys.stderr)
        return EXIT_ERRORS
    from . import staff

    if args.command == "check":
        return run_check(settings, args.strict)
    if args.command == "new":
        return staff.run_new(settings.paths, args.kind, args.name)
    if args.command == "import":
        return staff.run_import(settings.paths, Path(args.file), args.quiz, args.title, args.pass_mark, args.force)
    if args.command == "export":
        return staff.run_export(settings.paths, args.quiz, args.format, args.language, args.output)
    return run_build(settings, args.site_dir, args.strict)


def run_check(settings: Settings, strict: bool = False) -> int:
    """The report of ``make check``: the same problems a build finds, and nothing built."""
    project, problems = check_project(settings.paths, settings.site_url)
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


def run_build(settings: Settings, site_dir: str | None = None, strict: bool = False) -> int:
    """Build into a temporary folder, then swap it in for the old site."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    project, problems = check_project(settings.paths, settings.site_url)
    if has_errors(problems):
        print(format_report(problems, after="build"), file=sys.stderr)
        return EXIT_ERRORS

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
    config_file = settings.config_file
    target = Path(site_dir) if site_dir else settings.site_dir
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock(target) as locked:
        if not locked:
            print(f"另一个生成正在写 {target.name}/，请等它结束后再试。\n"
                  f"Another build is writing {target.name}/; try again when it has finished.", file=sys.stderr)
            return EXIT_ERRORS
        _tidy(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read site/
        with _signals_as_interrupt():
            try:
                config = load_config(str(config_file), site_dir=str(staging), strict=strict)
                plugin = config.plugins.get("generator")
                if plugin is not None:  # it need not load and check everything a second time
                    plugin.checked = CheckedProject(settings, project, tuple(problems))
                build(config)
            except (MkDocsException, KeyboardInterrupt) as error:
                shutil.rmtree(staging, ignore_errors=True)
                message = str(error).strip()
                print("构建失败，原有的 site/ 保持不变。\nThe build failed; the previous site/ is unchanged."
                      + (f"\n{message}" if message else ""), file=sys.stderr)
                return EXIT_ERRORS
            except Exception as error:  # a bug or a broken dependency: say so plainly, keep the old site
                shutil.rmtree(staging, ignore_errors=True)
                print(f"构建时出现意外错误，原有的 site/ 保持不变：{type(error).__name__}: {error}\n"
                      f"Unexpected error during the build; the previous site/ is unchanged. "
                      f"Run 'mkdocs build' to see the details.", file=sys.stderr)
                return EXIT_ERRORS
            _swap(staging, target)
    print(f"网站已生成：{target}\nSite built in {target}")
    return EXIT_OK


@contextmanager
def _lock(target: Path):
    """Held for the whole build of ``target``: yields False when another build holds it.

    Two builds writing the same site/ (a double-clicked script, two terminals) would tidy away
    each other's folders; the second one stops with a message instead.  The operating system
    releases the lock when the process ends, however it ends.
    """
    handle = open(target.parent / f".{target.name}.lock", "a+b")
    try:
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()


@contextmanager
def _signals_as_interrupt():
    """``kill`` and a closed terminal (SIGTERM, SIGHUP) end the build like Ctrl-C: cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {name: signal.signal(getattr(signal, name), _interrupted) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def _tidy(target: Path) -> None:
    """Finish what a killed build of ``target`` left behind (called under its lock): put back a
    site moved aside in the middle of a swap (only where the swap takes two renames), and
    remove half-built folders."""
    parked = list(target.parent.glob(f".{target.name}-old-*"))
    if not target.exists() and parked:
        newest = max(parked, key=_modified)
        parked.remove(newest)
        newest.rename(target)
    for leftover in [*parked, *target.parent.glob(f".{target.name}-build-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _modified(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):  # Windows, macOS, or an old C library
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def _swap(staging: Path, target: Path) -> None:
    """Put the new site in place so that ``site/`` is never half-written or missing: one atomic
    exchange where the system has it, else two renames (a kill between them is undone by the
    next build's ``_tidy``)."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _utf8_output() -> None:
    """Chinese messages must print on a Windows console that defaults to a legacy code page."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
