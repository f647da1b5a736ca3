"""Reading YAML nodes with their positions, and saying plainly what is wrong with them.

The quiz files and the campaign block of mkdocs.yml are read the same way: PyYAML's
``compose`` keeps each node's line and column, values come from the text the author
typed (not YAML's type guessing), and every problem is collected with a fix in Chinese
and English.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .model import LANGUAGES, Text
from .problems import Level, Problem
from .vocabulary import FALSE_WORDS, TRUE_WORDS

LANGUAGE_NAMES = {"zh": ("中文", "Chinese"), "en": ("英文", "English")}
LANGUAGE_ALIASES = {
    "zh": {"cn", "zh-cn", "zh_cn", "zh-hans", "chs", "chinese", "中文", "汉语", "简体"},
    "en": {"en-us", "en_us", "en-gb", "eng", "english", "英文", "英语"},
}
YAML_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""What PyYAML counts as a line break: its marks, and so every line number we report, count these."""


def yaml_lines(text: str) -> list[str]:
    """The lines of ``text`` numbered as PyYAML numbers them (the last one may be empty)."""
    return YAML_LINE_BREAK.split(text)


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest of ``choices`` to ``word``, if one is close enough to be a typo."""
    matches = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def shorten(raw: str, size: int = 40) -> str:
    """A value as typed, cut short for a message: a 5,000-digit number is not repeated in full."""
    return raw if len(raw) <= size else raw[:size] + "…"


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters a text may not hold (tab, line breaks and NEL are fine)."""


def scalar_text(node: yaml.ScalarNode) -> str:
    """The text as the author typed it; an empty value or ``~``/``null`` counts as empty."""
    if node.tag == "tag:yaml.org,2002:null":
        return ""
    return str(node.value).strip()


_DURATION = re.compile(
    r"^(?:(?P<h>\d{1,9})h)?(?:(?P<m>\d{1,9})m)?(?:(?P<s>\d{1,9})s)?$"
)  # int() reads 9 digits, not 5,000
MAX_TIME_LIMIT = 24 * 3600


@dataclass
class NodeReader:
    """Reads the nodes of one file, collecting problems; ``where`` names the part being read."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    where: str = ""
    guessed: set[str] = field(default_factory=set)
    """Keys suggested for a misspelt key in the current mapping: not reported missing as well."""

    def problem(
        self, node_or_line, zh: str, en: str, hint_zh: str = "", hint_en: str = "", level: Level = Level.ERROR
    ) -> None:
        if isinstance(node_or_line, yaml.Node):
            line, column = node_or_line.start_mark.line + 1, node_or_line.start_mark.column + 1
        elif isinstance(node_or_line, tuple):
            line, column = node_or_line
        else:
            line, column = (node_or_line or 0), 0
        self.problems.append(Problem(self.path, line, column, level, zh, en, hint_zh, hint_en, self.where))

    # -- the file ------------------------------------------------------------------

    def yaml_error(self, error: yaml.MarkedYAMLError, text: str | None = None) -> None:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if text is not None and line:
            # libyaml marks the end of a file without a final line break one line past it:
            # point at the end of the last line, which the author can find.
            lines = yaml_lines(text)
            if line > len(lines):
                line, column = len(lines), len(lines[-1]) + 1
        problem = (error.problem or "").strip()
        context = (error.context or "").strip()
        zh, en, hint_zh, hint_en = next(
            (texts for matches, texts in _YAML_ERRORS if matches(problem, context)),
            (
                "YAML 格式错误。",
                f"YAML syntax error: {problem or context}.",
                "对照 README 的例子检查这一行和上一行的冒号、缩进和引号。",
                "Compare this line and the one before with the example in README: colons, indentation, quotes.",
            ),
        )
        self.problem((line, column), zh, en, hint_zh, hint_en)

    # -- mappings ------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, known: tuple[str, ...], what_zh: str, what_en: str
    ) -> dict[str, yaml.Node] | None:
        """A mapping's values by key, reporting unknown and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"{what_zh}应由“键: 值”组成，这里写的不是。",
                f"{what_en} should be made of 'key: value' lines.",
                f"可用的键：{', '.join(known)}。",
                f"Known keys: {', '.join(known)}.",
            )
            return None
        values: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        self.guessed = set()
        for key_node, value_node in node.value:
            key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
            if key in values:
                self.problem(
                    key_node,
                    f"键“{shorten(key)}”重复了（第 {first_line[key]} 行已经有）。",
                    f'The key "{shorten(key)}" is repeated (it is already on line {first_line[key]}).',
                    "删除其中一个，只保留正确的那个。",
                    "Delete one of them and keep the right one.",
                )
                continue
            if key not in known:
                self.unknown_key(key_node, key, known)
                continue
            values[key] = value_node
            first_line[key] = key_node.start_mark.line + 1
        return values

    def unknown_key(self, node: yaml.Node, key: str, known: tuple[str, ...]) -> None:
        guess = suggest(key, known)
        if guess:
            self.guessed.add(guess)
            hint_zh, hint_en = f"是不是想写 {guess}？", f'Did you mean "{guess}"?'
        else:
            hint_zh, hint_en = f"这里可用的键：{', '.join(known)}。", f"Keys allowed here: {', '.join(known)}."
        self.problem(node, f"不认识的键“{shorten(key)}”。", f'Unknown key "{shorten(key)}".', hint_zh, hint_en)

    def require(
        self, values: dict[str, yaml.Node], key: str, parent: yaml.Node, zh: str, en: str, hint_zh: str, hint_en: str
    ) -> yaml.Node | None:
        if key not in values:
            if key in self.guessed:
                return None  # "did you mean <key>?" was said already
            self.problem(parent, f"缺少 {key}：{zh}。", f'"{key}" is missing: {en}.', hint_zh, hint_en)
            return None
        return values[key]

    # -- texts ---------------------------------------------------------------------

    def text(self, node: yaml.Node, name: str) -> Text | None:
        """A text field: a plain string (both languages) or a map of zh and en."""
        if isinstance(node, yaml.ScalarNode):
            value = scalar_text(node)
            if not value:
                self.problem(
                    node,
                    f"{name} 是空的。",
                    f'"{name}" is empty.',
                    f"在 {name}: 后面写上文字，或分别写 zh: 和 en:。",
                    f'Write the text after "{name}:", or give zh: and en: lines.',
                )
                return None
            if not self.printable(node, value, name):
                return None
            return Text(value, value)
        if isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                f"{name} 应是一段文字，这里是一个列表。",
                f'"{name}" should be a text, not a list.',
                f"去掉“- ”，写成 {name}: 文字，或分别写 zh: 和 en:。",
                f'Remove the "- " and write "{name}: text", or give zh: and en: lines.',
            )
            return None
        sides: dict[str, str] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            raw = (
                str(key_node.value).strip()
                if isinstance(key_node, yaml.ScalarNode)
                else "[…]"
                if isinstance(key_node, yaml.SequenceNode)
                else "{…}"
            )
            key = raw.lower()
            language = (
                key
                if key in LANGUAGES
                else next((lang for lang, names in LANGUAGE_ALIASES.items() if key in names), None)
            )
            if language is None:
                self.problem(
                    key_node,
                    f"{name} 里不认识的语言“{shorten(raw)}”。",
                    f'Unknown language "{shorten(raw)}" in "{name}".',
                    "语言只能写 zh（中文）和 en（英文）。",
                    "Languages are zh (Chinese) and en (English).",
                )
                continue
            if language != raw:
                self.problem(
                    key_node,
                    f"{name} 的语言要写成 {language}，不是“{shorten(raw)}”。",
                    f'Write the language in "{name}" as "{language}", not "{shorten(raw)}".',
                    f"把“{shorten(raw)}:”改为“{language}:”。",
                    f'Change "{shorten(raw)}:" to "{language}:".',
                )
                seen.setdefault(language, key_node.start_mark.line + 1)
                continue
            if language in seen:
                self.problem(
                    key_node,
                    f"{name} 里的 {language} 重复了（第 {seen[language]} 行已经有）。",
                    f'"{language}" is repeated in "{name}" (already on line {seen[language]}).',
                    "删除多余的一行。",
                    "Delete the extra line.",
                )
                continue
            seen[language] = key_node.start_mark.line + 1
            if not isinstance(value_node, yaml.ScalarNode):
                self.problem(
                    value_node,
                    f"{name} 的 {language} 应是一段文字。",
                    f'"{name}" in {language} should be a text.',
                    "在冒号后直接写文字。",
                    "Write the text right after the colon.",
                )
                continue
            value = scalar_text(value_node)
            if value and not self.printable(value_node, value, name):
                continue
            if not value:
                zh_name, en_name = LANGUAGE_NAMES[language]
                self.problem(
                    key_node,
                    f"{name} 的{zh_name}（{language}）是空的。",
                    f'The {en_name} side ({language}) of "{name}" is empty.',
                    f"在 {language}: 后面写上{zh_name}文字。",
                    f'Write the {en_name} text after "{language}:".',
                )
                continue
            sides[language] = value
        for language in LANGUAGES:
            if language not in sides and language not in seen:
                zh_name, en_name = LANGUAGE_NAMES[language]
                self.problem(
                    node,
                    f"{name} 缺少{zh_name}（{language}）。",
                    f'"{name}" has no {en_name} text ({language}).',
                    f"加一行 {language}: 写上{zh_name}；两种语言都一样时可以直接写 {name}: 文字。",
                    f'Add a line "{language}: ..." in {en_name}; if both languages are the same, write "{name}: text".',
                )
        if all(language in sides for language in LANGUAGES):
            return Text(sides["zh"], sides["en"])
        return None

    def printable(self, node: yaml.Node, value: str, name: str) -> bool:
        """False, with a problem, for a control character written as an escape ("\\x01"): YAML
        lets it through, the page would carry an invisible character."""
        bad = CONTROL_CHARACTERS.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.problem(
                node,
                f"{name} 里有看不见的控制字符 {code}（多半写成了 \\x01、\\u0001 这样的转义）。",
                f'"{name}" holds an invisible control character {code} (probably written as an escape such as \\x01).',
                "删除这个转义写法。",
                "Delete the escape.",
            )
        return not bad

    def time_limit(self, node: yaml.Node) -> int | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        text = unicodedata.normalize("NFKC", raw).lower().replace(" ", "")
        match = _DURATION.match(text) if text else None
        seconds = 0
        if match and any(match.groups()):
            seconds = int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)
        if not 0 < seconds <= MAX_TIME_LIMIT:
            self.problem(
                node,
                f"看不懂时间限制 time_limit“{shorten(raw)}”。",
                f'The time limit "{shorten(raw)}" cannot be read.',
                "用数字加单位：15m 表示 15 分钟，90s 表示 90 秒，1h 表示 1 小时（也可写 1h30m），最长 24 小时。",
                "Use a number and a unit: 15m (minutes), 90s (seconds), 1h (hours) or 1h30m; at most 24h.",
            )
            return None
        return seconds

    def switch(self, node: yaml.Node, name: str) -> bool | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        self.problem(
            node,
            f"{name} 只能是 true（是）或 false（否），这里是“{shorten(raw)}”。",
            f'{name} must be true or false; found "{shorten(raw)}".',
            f"写 {name}: true 或 {name}: false。",
            f"Write {name}: true or {name}: false.",
        )
        return None


_YAML_ERRORS = [
    (
        lambda problem, context: "mapping values are not allowed" in problem,
        (
            "这一行多了一个冒号，或者文字里有“冒号+空格”。",
            "This line has a colon too many, or a colon and space inside a text.",
            '如果文字里要用英文冒号，把整段文字放进英文引号里，例如 zh: "注意: 先断电"；或改用中文冒号“：”。',
            'If a text needs a colon, put the whole text in quotes, e.g. en: "Note: switch off first".',
        ),
    ),
    (
        lambda problem, context: "could not find expected ':'" in problem or "simple key" in context,
        (
            "这一行少了冒号，或者上一行的引号没有配对。",
            "This line lacks a colon, or a quote on an earlier line is not closed.",
            "每个键后面要有英文冒号和空格，如 prompt: ……；引号要成对。",
            'Every key needs a colon and a space ("prompt: ..."); quotes come in pairs.',
        ),
    ),
    (
        lambda problem, context: "quoted scalar" in context or "end of stream" in problem,
        (
            "引号没有配对：一个引号开始的文字没有结束。",
            "A quote was opened and never closed.",
            "检查这一行附近的引号，开头和结尾都要有同样的英文引号。",
            "Check the quotes near this line: each text in quotes needs a closing quote.",
        ),
    ),
    (
        lambda problem, context: any(
            words in problem
            for words in ("expected <block end>", "did not find expected key", "did not find expected '-'")
        ),
        (
            "缩进没有对齐。",
            "The indentation does not line up.",
            "同一层的行要用同样多的空格开头；题目列表的每一项以“- ”开头并对齐。",
            'Lines of the same level start with the same number of spaces; each question starts with "- ", lined up.',
        ),
    ),
    (
        lambda problem, context: "expected ',' or ']'" in problem or "expected ',' or '}'" in problem,
        (
            "方括号或花括号里的写法不对。",
            "A list in [ ] or a map in { } is malformed.",
            "用英文逗号分隔各项，如 answer: [A, C]；括号要用英文括号并成对。",
            "Separate items with ASCII commas, e.g. answer: [A, C], and close every bracket.",
        ),
    ),
    (
        lambda problem, context: "found character" in problem and "cannot start any token" in problem,
        (
            "这里有一个 YAML 不允许的字符（例如 Tab、@ 或 `）。",
            "A character YAML does not allow here (such as a tab, @ or `).",
            "用空格代替 Tab；以 @ 或 ` 开头的文字要放进英文引号。",
            "Use spaces instead of tabs; put a text that starts with @ or ` in quotes.",
        ),
    ),
    (
        lambda problem, context: "nesting depth" in problem,
        (
            "方括号或花括号套了太多层。",
            "Brackets [ ] or braces { } are nested too deeply.",
            "检查这一行的 [ ] 和 { } 是否成对；文字里的括号请放进英文引号。",
            "Check that every [ and { on this line is closed; put a text holding brackets in quotes.",
        ),
    ),
    (
        lambda problem, context: "expected a single document" in problem or "document" in context,
        (
            "文件里有多于一个“---”分隔的部分。",
            'The file holds more than one document separated by "---".',
            "一个文件只写一个测验，删除多余的 ---。",
            'One quiz per file: remove the extra "---".',
        ),
    ),
]
"""What libyaml's messages mean to an author, in order (first match wins): (matches(problem, context),
(zh, en, hint_zh, hint_en)).  Anything else is reported with libyaml's own words."""
