"""The safe build: ``python -m generator build`` never leaves a half-written ``site/``.

It builds into a temporary folder beside ``site/`` and swaps it in only when everything
succeeded, under a lock (two builds of one folder cannot interfere), with ``kill`` and a closed
terminal turned into an interrupt that cleans up; a failure at any stage leaves the previous
site as it was.  ``cli.py`` only parses the command line and calls ``run_build``.
"""

from __future__ import annotations

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
from .settings import Settings

EXIT_OK, EXIT_ERRORS = 0, 1


def run_build(settings: Settings, site_dir: str | None = None, strict: bool = False) -> int:
    """Build into a temporary folder, then swap it in for the old site."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    checked = settings.check()
    if has_errors(checked.problems):
        print(format_report(checked.problems, after="build"), file=sys.stderr)
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
            print(
                f"另一个生成正在写 {target.name}/，请等它结束后再试。\n"
                f"Another build is writing {target.name}/; try again when it has finished.",
                file=sys.stderr,
            )
            return EXIT_ERRORS
        _tidy(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read site/
        with _signals_as_interrupt():
            try:
                config = load_config(str(config_file), site_dir=str(staging), strict=strict)
                plugin = config.plugins.get("generator")
                if plugin is not None:  # it need not load and check everything a second time
                    plugin.checked = checked
                build(config)
            except (MkDocsException, KeyboardInterrupt) as error:
                shutil.rmtree(staging, ignore_errors=True)
                message = str(error).strip()
                print(
                    "构建失败，原有的 site/ 保持不变。\nThe build failed; the previous site/ is unchanged."
                    + (f"\n{message}" if message else ""),
                    file=sys.stderr,
                )
                return EXIT_ERRORS
            except Exception as error:  # a bug or a broken dependency: say so plainly, keep the old site
                shutil.rmtree(staging, ignore_errors=True)
                print(
                    f"构建时出现意外错误，原有的 site/ 保持不变：{type(error).__name__}: {error}\n"
                    f"Unexpected error during the build; the previous site/ is unchanged. "
                    f"Run 'mkdocs build' to see the details.",
                    file=sys.stderr,
                )
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
