"""Problems found in a project's files, and how they are printed.

A problem is a value, as in yamllint: checking collects every problem, sorted by file
and line, and printing is separate from checking.  Every message is bilingual, Chinese
first, because the people who read them are Chinese publicity staff; the English line
is for everyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


_LEVEL_LABEL = {Level.ERROR: "错误 error", Level.WARNING: "警告 warning"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, with the fix, in Chinese and English.

    ``where`` names the place inside the file for people ("第 3 题 fire-number"),
    ``line`` and ``column`` count from 1 (0 when the whole file is meant).
    """

    path: str
    line: int
    column: int
    level: Level
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""
    where: str = ""

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)

    def format(self) -> str:
        """The problem as a short block of text: place, then message, then the fix."""
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        head = f"{place}: {_LEVEL_LABEL[self.level]}"
        if self.where:
            head += f" [{self.where}]"
        lines = [head, f"  {self.zh}", f"  {self.en}"]
        if self.hint_zh:
            lines.append(f"  提示：{self.hint_zh}")
        if self.hint_en:
            lines.append(f"  Hint: {self.hint_en}")
        return "\n".join(lines)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


_AFTER_ERRORS = {
    "check": ("请按提示修改后重新检查。", "Fix them as hinted and check again."),
    "build": (
        "网站没有生成，原有的 site/ 保持不变。请按提示修改后重试。",
        "The site was not built and the previous site/ is unchanged. Fix them as hinted and try again.",
    ),
    "serve": (
        "有错误的测验在预览里显示为错误提示；改好保存后预览会自动刷新。",
        "The preview shows a note where a quiz has errors; it reloads when you save the fix.",
    ),
    "settings": ("请按提示改好 mkdocs.yml 再运行。", "Fix mkdocs.yml as hinted and run it again."),
    "import": ("", ""),
    "results": (
        "统计服务的命令没有执行：服务没有启动，数据库没有改动。请按提示修改后重试。",
        "Nothing was done: the results service was not started and its database is unchanged. "
        "Fix them as hinted and try again.",
    ),
    "export": (
        "没有导出任何文件。请按提示修改测验文件后重试。",
        "Nothing was exported. Fix the quiz file as hinted and try again.",
    ),
}
"""What the errors meant for what the person just ran: the last line of a report."""


def format_report(problems: Iterable[Problem], after: str = "check") -> str:
    """All problems, sorted, followed by a count in both languages and what the errors meant for
    ``after``, the command that found them (check, build, serve, settings, import, export or results)."""
    ordered = sort_problems(problems)
    errors = sum(p.is_error for p in ordered)
    warnings = len(ordered) - errors
    blocks = [p.format() for p in ordered]
    if errors:
        zh, en = _AFTER_ERRORS[after]
        blocks.append(
            f"发现 {errors} 个错误、{warnings} 个警告。{zh}\n"
            f"Found {errors} error(s) and {warnings} warning(s). {en}".rstrip()
        )
    elif warnings:
        blocks.append(f"发现 {warnings} 个警告。\nFound {warnings} warning(s).")
    else:
        blocks.append("没有发现问题。\nNo problems found.")
    return "\n\n".join(blocks)
