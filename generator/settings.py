"""The site's settings: mkdocs.yml, read once, the way MkDocs reads it, into one object.

``check``, ``build``, the staff tools and the plugin under a bare ``mkdocs serve`` all take
their folders, the site's address and the plugin's options from here.  Values come from
MkDocs' own YAML loader, so ``!ENV``, ``INHERIT`` and Python tags mean what they mean to
MkDocs; lines come from the YAML nodes, so every problem names its line in mkdocs.yml and
says, in both languages, what is expected, with an example.  Nothing here builds anything;
MkDocs' loader is imported only when a file is read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .campaign import read_campaign
from .load import decode
from .nodes import NodeReader, suggest
from .problems import Problem
from .project import Project, ProjectPaths, check_project

PLUGIN = "generator"
PLUGIN_OPTIONS = ("enabled", "quiz_dir", "campaign", "results")
"""The options of ``plugins: - generator:``; campaign.py and results_config.py check what their blocks hold."""
_TEXT_SETTINGS = {
    # key: (default, what it is in Chinese, in English, an example)
    "docs_dir": ("docs", "放模块的文件夹", "the folder of the modules", "docs_dir: content"),
    "site_dir": ("site", "生成网站的文件夹", "the folder the site is built into", "site_dir: site"),
    "site_url": ("", "网站的完整地址", "the site's full address", "site_url: https://example.gov.cn/anquan/"),
    "site_name": ("", "网站名称", "the site's name", "site_name: 安全生产月 · 安全知识学习"),
}


@dataclass(frozen=True)
class Settings:
    """What the generator needs of mkdocs.yml, with folders resolved against its folder."""

    config_file: Path
    docs_dir: Path
    site_dir: Path
    quiz_dir: Path
    site_url: str = ""
    site_name: str = ""
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    """The plugin's options as written (the campaign is checked with its lines by campaign.py)."""
    campaign: yaml.Node | None = field(default=None, compare=False, repr=False)
    """The campaign block as a YAML node, with its lines, for campaign.py; None when there is none.
    Not compared: nodes are equal only to themselves, and two readings of one file are equal settings."""
    results: yaml.Node | None = field(default=None, compare=False, repr=False)
    """The results block (DESIGN §11.1) as a YAML node, for results_config.py; None when results are off."""

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def picture_cache(self) -> Path:
        """Where processed pictures are kept between builds (images.py); not part of the site or of git."""
        return self.root / ".cache" / "pictures"

    @property
    def paths(self) -> ProjectPaths:
        return ProjectPaths(self.root, self.docs_dir, self.quiz_dir, self.config_file)

    def check(self) -> CheckedProject:
        """Load and check the whole project (quizzes, modules, campaign, site_url) with these settings."""
        project, problems = check_project(self.paths, self.site_url, self.campaign, self.results)
        return CheckedProject(self, project, tuple(problems))


@dataclass(frozen=True)
class CheckedProject:
    """A project just checked (``Settings.check``); ``python -m generator build`` hands it to the
    plugin so that the build does not read and check everything a second time."""

    settings: Settings
    project: Project
    problems: tuple[Problem, ...]


def read_settings(config_file: Path) -> tuple[Settings | None, list[Problem]]:
    """The settings of ``config_file``, or None with the problems that keep it from being read."""
    config_file = config_file.resolve()
    shown = config_file.name
    reader = NodeReader(shown)
    text, encoding = decode(config_file.read_bytes())
    if text is None or encoding not in ("utf-8", "utf-16"):
        reader.problem(
            0,
            "mkdocs.yml 不是 UTF-8 编码，MkDocs 读不了（记事本的“ANSI”就是这种情况）。",
            "mkdocs.yml is not saved as UTF-8, which MkDocs needs (Notepad's 'ANSI' is not).",
            "用记事本打开 mkdocs.yml，“另存为”时编码选“UTF-8”。",
            "Open it and save it again with the encoding UTF-8.",
        )
        return None, reader.problems
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes and lines; tags are kept, not run
    except yaml.MarkedYAMLError as error:
        reader.yaml_error(error, text)
        return None, reader.problems
    _check_shape(document, reader)
    if reader.problems:
        return None, reader.problems
    try:
        values = _mkdocs_values(config_file, text)
    except Exception as error:  # MkDocs' loader: an unknown tag, a missing INHERIT file, a failing !!python tag
        mark = getattr(error, "problem_mark", None)
        place = (mark.line + 1, mark.column + 1) if mark else 0
        said = getattr(error, "problem", None) or str(error)
        reader.problem(
            place,
            "MkDocs 读不懂 mkdocs.yml。",
            "MkDocs cannot read mkdocs.yml.",
            f"它说 / it says: {said}",
            "Compare this line with README's example.",
        )
        campaign = _node(document, "plugins", PLUGIN, "campaign")
        if mark is None and campaign is not None:  # an impossible date (2025-02-30) fails with no line: say where
            reader.problems += read_campaign(campaign, shown)[1]
        return None, reader.problems
    if not isinstance(values, dict):
        reader.problem(
            document or 0,
            "mkdocs.yml 应由“键: 值”组成，例如 site_name: ……。",
            "mkdocs.yml should be made of 'key: value' lines, such as site_name: ...",
            "对照 README 检查文件开头。",
            "Compare the start of the file with README's example.",
        )
        return None, reader.problems
    lines = _Lines(document)
    texts = {}
    for key, (default, zh, en, example) in _TEXT_SETTINGS.items():
        value = values.get(key)
        if value is None:  # absent, empty, or an !ENV variable that is not set
            texts[key] = default
        elif isinstance(value, str):
            texts[key] = value.strip()
            if key == "site_url" and texts[key] and not _is_web_address(texts[key]):
                reader.problem(
                    lines.of(key),
                    f"site_url“{texts[key]}”不是完整的网址：要以 https:// 或 http:// 开头，带上域名。",
                    f'site_url "{texts[key]}" is not a full address: '
                    "it starts with https:// or http:// and names the host.",
                    f"例如 / for example: {example}",
                    f"For example: {example}",
                )
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            reader.problem(
                lines.of(key),
                f"{key}（{zh}）写成了数字 {value}；它应是一行文字。",
                f"{key} ({en}) is written as the number {value}; it should be text.",
                f'把它放进英文引号：{key}: "{value}"',
                f'Put it in quotes: {key}: "{value}"',
            )
        else:
            reader.problem(
                lines.of(key),
                f"{key}（{zh}）应是一行文字，这里写的是{_kind(value)[0]}。",
                f"{key} ({en}) should be one line of text; found {_kind(value)[1]}.",
                f"例如 / for example: {example}",
                f"For example: {example}",
            )
    options, enabled = _plugin_options(values, lines, reader)
    quiz_dir = options.get("quiz_dir", "quizzes")
    if reader.problems:
        return None, reader.problems
    root = config_file.parent
    return Settings(
        config_file,
        root / (texts["docs_dir"] or "docs"),
        root / (texts["site_dir"] or "site"),
        root / quiz_dir,
        texts["site_url"],
        texts["site_name"],
        enabled,
        options,
        _node(document, "plugins", PLUGIN, "campaign"),
        _node(document, "plugins", PLUGIN, "results"),
    ), []


def _check_plugin_options(options: dict[str, Any], reader: NodeReader, lines: _Lines) -> None:
    """The plugin's own options, in plain words (MkDocs passes them through unchecked: adapter/config.py)."""
    for key in options:
        if key not in PLUGIN_OPTIONS:
            close = suggest(str(key), PLUGIN_OPTIONS)
            reader.problem(
                lines.key("plugins", PLUGIN, key),
                f"generator 插件没有“{key}”这个设置。",
                f'The generator plugin has no setting "{key}".',
                (f"是不是 {close}？" if close else "") + f"可用的设置：{'、'.join(PLUGIN_OPTIONS)}。",
                (f"Did you mean {close}? " if close else "") + f"Its settings: {', '.join(PLUGIN_OPTIONS)}.",
            )
    if "enabled" in options and not isinstance(options["enabled"], bool):
        reader.problem(
            lines.of("plugins", PLUGIN, "enabled"),
            "enabled 只能写 true（启用）或 false（停用）。",
            "enabled must be true (on) or false (off).",
            "例如 enabled: true",
            "For example: enabled: true",
        )
    quiz_dir = options.get("quiz_dir", "quizzes")
    if not isinstance(quiz_dir, str) or not quiz_dir.strip():
        reader.problem(
            lines.of("plugins", PLUGIN, "quiz_dir"),
            f"quiz_dir（放测验的文件夹）应是一个文件夹名，这里写的是{_kind(quiz_dir)[0]}。",
            f"quiz_dir (the folder of the quiz files) should be a folder name; found {_kind(quiz_dir)[1]}.",
            "例如 quiz_dir: quizzes",
            "For example: quiz_dir: quizzes",
        )
    # campaign and results: checked with their lines by campaign.py and results_config.py, whatever they hold.


def _plugin_options(values: dict, lines: _Lines, reader: NodeReader) -> tuple[dict[str, Any], bool]:
    """The generator plugin's options from ``plugins`` (a list of names and {name: options}, or one mapping)."""
    plugins = values.get("plugins") or []
    entries = [{name: options} for name, options in plugins.items()] if isinstance(plugins, dict) else plugins
    for entry in entries if isinstance(entries, list) else []:
        if entry == PLUGIN:
            return {}, True
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN]
            if options is None:
                return {}, True
            if not isinstance(options, dict):
                reader.problem(
                    lines.of("plugins", PLUGIN),
                    "generator 插件下面应是几行“键: 值”。",
                    "The generator plugin's settings should be 'key: value' lines.",
                    "在 - generator: 下一行缩进写 quiz_dir: quizzes 这样的设置。",
                    "Under - generator:, indented, write settings such as quiz_dir: quizzes.",
                )
                return {}, True
            _check_plugin_options(options, reader, lines)
            return options, options.get("enabled", True) is not False
    return {}, False


def _is_web_address(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check_shape(document: yaml.Node | None, reader: NodeReader) -> None:
    """Mistakes YAML and MkDocs let through silently: a key written twice (the last one wins, so a
    second ``plugins:`` turns the generator off), and a plugin's settings not indented under it."""

    def walk(node: yaml.Node | None) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key, value in node.value:
                name = getattr(key, "value", None)
                if isinstance(name, str) and name in seen:
                    first = seen[name].start_mark.line + 1
                    reader.problem(
                        key,
                        f"“{name}”在这里又写了一次（第 {first} 行已经有），只有后写的那个算数。",
                        f'"{name}" is written a second time here (already on line {first}); only the last one counts.',
                        "把两处合并成一处。",
                        "Merge the two into one.",
                    )
                seen.setdefault(name, key)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(document)
    inherit = _child(document, "INHERIT") if isinstance(document, yaml.MappingNode) else None
    if inherit is not None and not isinstance(inherit, yaml.ScalarNode):
        reader.problem(
            inherit,
            "INHERIT 后面应写一个文件名。",
            "INHERIT takes one file name.",
            "例如 INHERIT: base.yml",
            "For example: INHERIT: base.yml",
        )
    plugins = _child(document, "plugins") if isinstance(document, yaml.MappingNode) else None
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        if isinstance(item, yaml.MappingNode) and len(item.value) > 1:
            names = "、".join(str(k.value) for k, _ in item.value)
            first = item.value[0][0].value
            reader.problem(
                item.value[1][0],
                f"plugins 列表的一项里有好几个名字（{names}）：设置没有缩进到 - {first}: 下面。",
                f"One item of the plugins list holds several names ({names.replace('、', ', ')}): "
                f"the settings are not indented under - {first}:.",
                f"设置要比 {first} 多缩进两个空格。",
                f"Indent the settings two more spaces than {first}.",
            )


def _mkdocs_values(config_file: Path, text: str) -> Any:
    """mkdocs.yml's values (already read as ``text``) through MkDocs' own loader (``!ENV``, ``INHERIT``,
    ``!!python/...``); the stream carries the file's name, which INHERIT is resolved against."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    loader = get_yaml_loader()
    # !relative needs a loaded MkDocs config; its value (a folder for Markdown extensions) is not needed here.
    loader.add_constructor("!relative", lambda loader, node: None)
    stream = io.StringIO(text)
    stream.name = str(config_file)
    return yaml_load(stream, loader)


class _Lines:
    """The line and column of a key in the composed document, for messages (0 where not found)."""

    def __init__(self, document: yaml.Node | None) -> None:
        self.document = document

    def of(self, *keys: str) -> tuple[int, int] | int:
        """Where the value of ``keys`` (a path of keys) starts."""
        node = _node(self.document, *keys)
        return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else 0

    def key(self, *keys: str) -> tuple[int, int] | int:
        """Where the last of ``keys`` itself is written (for a key that should not be there)."""
        parent = self.document
        for key in keys[:-1]:
            parent = _child(parent, key)
        for k, _ in parent.value if isinstance(parent, yaml.MappingNode) else []:
            if getattr(k, "value", None) == keys[-1]:
                return (k.start_mark.line + 1, k.start_mark.column + 1)
        return 0


def _node(document: yaml.Node | None, *keys: str) -> yaml.Node | None:
    """The value at a path of keys, e.g. ("plugins", "generator", "campaign"); None where one is missing."""
    node = document
    for key in keys:
        node = _child(node, key)
    return node


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    if isinstance(node, yaml.SequenceNode):  # plugins: a list of names and {name: options}
        for item in node.value:
            found = _child(item, key)
            if found is not None:
                return found
            if isinstance(item, yaml.ScalarNode) and item.value == key:
                return item
    return None


def _kind(value: Any) -> tuple[str, str]:
    """What was found instead, in words (Chinese, English): never a Python type name."""
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"“{word}”（是/否）", f'"{word}" (yes/no)'
    if isinstance(value, dict):
        return "几行“键: 值”", "'key: value' lines"
    if isinstance(value, list):
        return "一个列表", "a list"
    if value is None:
        return "空的", "nothing"
    return f"“{value}”", f'"{value}"'
