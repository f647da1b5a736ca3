"""units.yaml: the units workers choose from when a result is sent (DESIGN §11.1), checked like quiz files.

A unit is what a campaign counts by: a company, a bureau, a township.  Each has a short code
(what the page sends and the results service stores), a name in both languages, and optionally
its headcount, for participation rates.  Workers pick from this list; they never type a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .load import decode
from .model import Text
from .nodes import NodeReader, scalar_text, shorten
from .problems import Problem, has_errors

UNITS_FILE = "units.yaml"
UNIT_KEYS = ("code", "name", "headcount")
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_HEADCOUNT = 10_000_000


@dataclass(frozen=True)
class Unit:
    code: str
    name: Text
    headcount: int | None = None


def load_units(path: Path, shown: str = UNITS_FILE) -> tuple[tuple[Unit, ...] | None, list[Problem]]:
    """The units of ``path`` in file order, or None when the file has errors."""
    reader = _UnitsReader(shown)
    try:
        text, _ = decode(path.read_bytes())
    except OSError as error:
        reader.problem(
            0,
            f"无法打开这个文件（{error.strerror or error}）。",
            f"The file cannot be opened ({error.strerror or error}).",
            "检查文件是否还在，以及你有没有读取它的权限。",
            "Check that the file is still there and that you may read it.",
        )
        return None, reader.problems
    if text is None:
        reader.problem(
            0,
            "无法读取文件的文字编码。",
            "The file's text encoding cannot be read.",
            "用记事本或 VS Code 打开，选择“另存为”，编码选 UTF-8。",
            'Open it in Notepad or VS Code, "Save as" with the encoding UTF-8.',
        )
        return None, reader.problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        reader.yaml_error(error, text)
        return None, reader.problems
    units = reader.units(root)
    return (None if has_errors(reader.problems) else units), reader.problems


class _UnitsReader(NodeReader):
    def units(self, root: yaml.Node | None) -> tuple[Unit, ...] | None:
        values = self.mapping(root, ("units",), "units.yaml", "units.yaml") if root is not None else {}
        if values is None:
            return None  # not "key: value" lines: said already
        node = values.get("units")
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(
                node if node is not None else 0,
                "units.yaml 里要有单位列表：units: 下面每个单位以“- code: ……”开头。",
                'units.yaml needs a list of units: under "units:", each unit starts "- code: ...".',
                "参照 README“统计参与情况”一节的例子。",
                'See the example in README, "Counting participation".',
            )
            return None
        units: list[Unit] = []
        first_line: dict[str, int] = {}
        for number, item in enumerate(node.value, start=1):
            self.where = f"第 {number} 个单位 unit {number}"
            fields = self.mapping(item, UNIT_KEYS, "一个单位", "A unit")
            if fields is None:
                continue
            code = self._code(item, fields.get("code"), first_line)
            name_node = self.require(
                fields,
                "name",
                item,
                "单位名称",
                "the unit's name",
                "加上 name:，写 zh: 和 en:，例如 name: {zh: 县应急管理局, en: County Emergency Management Bureau}。",
                'Add "name:" with zh and en, e.g. name: {zh: 县应急管理局, en: County Emergency Management Bureau}.',
            )
            name = self.text(name_node, "name") if name_node is not None else None
            headcount = self._headcount(fields["headcount"]) if "headcount" in fields else None
            if code and name:
                units.append(Unit(code, name, headcount))
        self.where = ""
        return tuple(units)

    def _code(self, item: yaml.Node, node: yaml.Node | None, first_line: dict[str, int]) -> str | None:
        if node is None:
            self.problem(
                item,
                "这个单位缺少 code（单位代码）。",
                'This unit has no "code".',
                "加一行 code:，用小写英文字母、数字和连字符，例如 code: yjj。",
                'Add "code:" in a-z, 0-9 and "-", e.g. code: yjj.',
            )
            return None
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        if not CODE_PATTERN.match(raw):
            self.problem(
                node,
                f"单位代码“{shorten(raw)}”不能用：只能用小写英文字母、数字和连字符 -。",
                f'The unit code "{shorten(raw)}" cannot be used: only a-z, 0-9 and "-".',
                "例如 code: yjj 或 code: town-1（代码会存进统计结果，不要用中文）。",
                "For example code: yjj or code: town-1 (the code is what the results store).",
            )
            return None
        line = node.start_mark.line + 1
        if raw in first_line:
            self.problem(
                node,
                f"单位代码“{raw}”重复了，第 {first_line[raw]} 行已经用过。",
                f'The unit code "{raw}" is used twice; line {first_line[raw]} has it already.',
                "每个单位的代码要不同。",
                "Give each unit its own code.",
            )
            return None
        first_line[raw] = line
        return raw

    def _headcount(self, node: yaml.Node) -> int | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_HEADCOUNT:
            return int(raw)
        self.problem(
            node,
            f"headcount（职工人数）应是正整数，这里是“{shorten(raw)}”。",
            f'headcount (the number of workers) must be a whole number above 0; found "{shorten(raw)}".',
            "只写数字，例如 headcount: 120；不知道人数就删掉这一行。",
            "Write the number only, e.g. headcount: 120, or remove the line.",
        )
        return None
