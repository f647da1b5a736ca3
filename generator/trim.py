"""Material's stylesheets trimmed to what the site can use (issue 18).

Every page carries Material's main stylesheet (137 KB) and its palette (12 KB), styles for every
feature Material has: tabs, tags, code annotations, a repository's stars, the dark scheme,
nineteen colour choices...  On a server that compresses only HTML (a stock nginx) or nothing,
those bytes go out raw on every first visit.  After the build, this module drops from the two
stylesheets

- each selector that names a class or an attribute that nothing in the built site can put on a
  page: no HTML page, no script (Material's bundle included) and no other stylesheet has the
  name anywhere, nor a prefix that a script completes at run time (``md-tag--${...}``); a rule
  goes when all its selectors have gone, an @media or @supports block when all its rules have;
- each custom property (``--md-...``) that no remaining rule, script or page reads.

It is conservative by construction: a name counts as used if it occurs anywhere, as a word, in
any of those files (in a script's string, in a page's text); names inside functional pseudo-
classes (``:not(.x)``, ``:has(.x)``) are never grounds to drop a selector; element and id
selectors are never looked at.  Parsing is tinycss2's (the CSS Syntax Module's tokenizer),
never regular expressions over CSS.

The trimmed file gets a new name from its content, and every page is pointed at it: the service
worker keeps files with a hash in their name for good (sw.js), so the same name must never
stand for two contents.  tests/browser/test_trim.py compares every page's screenshots, at 360 and
1280 px, with and without trimming.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2 import ast

STYLESHEETS = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css")
"""Material's stylesheets, as its theme writes them (the hash is Material's)."""
SCANNED = (".html", ".js", ".css")
"""The files whose words keep a class, attribute or custom property in use."""
_WORD_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_SPACES = bytes(c if c in _WORD_BYTES else 32 for c in range(256))
"""Every byte that cannot be part of a name becomes a space: what is left, split, is the words."""
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_PREFIX = re.compile(r"(-{0,2}[A-Za-z_][A-Za-z0-9_-]*)(?:\$\{|[\"']\s*\+)")
"""A name a script completes at run time: ``md-tag--${type}``, ``"md-nav--" + state``."""
_HASHED = re.compile(r"\.[0-9a-f]{8,}(?=\.min\.css$)")


@dataclass(frozen=True)
class Used:
    """The words found in the site's files, and the prefixes its scripts complete."""

    words: frozenset[bytes]
    prefixes: tuple[str, ...]

    def __contains__(self, name: str) -> bool:
        return name.encode("utf-8") in self.words or name.startswith(self.prefixes)

    @classmethod
    def scan(cls, files: Iterable[Path]) -> Used:
        """The words of ``files`` (a site's HTML of hundreds of MB takes seconds this way: bytes.translate)."""
        words: set[bytes] = set()
        prefixes: set[str] = set()
        for path in files:
            data = path.read_bytes()
            words.update(data.translate(_SPACES).split())
            if path.suffix == ".js":
                prefixes.update(_PREFIX.findall(data.decode("utf-8", errors="replace")))
        return cls(frozenset(words), tuple(sorted(p for p in prefixes if len(p) > 3)))


def trim_stylesheets(sheets: dict[str, str], used: Used) -> dict[str, str]:
    """Each stylesheet (name -> CSS text) without what ``used`` shows no page can use."""
    rules = {name: _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
             for name, css in sheets.items()}  # fmt: skip
    while True:  # a property read only by a dropped declaration goes too: to a fixed point
        read: set[str] = set()
        for kept in rules.values():
            _read_properties(kept, read)
        dropped = sum(_drop_properties(kept, read, used) for kept in rules.values())
        if not dropped:
            return {name: tinycss2.serialize(kept) for name, kept in rules.items()}


def trim_site(site_dir: Path) -> dict[str, tuple[int, int]]:
    """Trim Material's stylesheets in a built site, rename them and point every page at the new
    names; returns {new name: (bytes before, bytes after)}."""
    found = {path: path.read_text(encoding="utf-8") for pattern in STYLESHEETS for path in site_dir.glob(pattern)}
    if not found:
        return {}
    others = (
        path
        for path in site_dir.rglob("*")
        if path.suffix in SCANNED and path not in found and "/lunr/" not in path.as_posix() and path.is_file()
    )
    used = Used.scan(others)
    trimmed = trim_stylesheets({path.name: css for path, css in found.items()}, used)
    renamed, sizes = {}, {}
    for path, css in found.items():
        text = trimmed[path.name]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        new = path.with_name(_HASHED.sub(f".{digest}", path.name))
        path.unlink()
        path.with_name(path.name + ".map").unlink(missing_ok=True)  # a map of the untrimmed file
        new.write_text(text, encoding="utf-8")
        renamed[path.name] = new.name
        sizes[new.name] = (len(css.encode("utf-8")), len(text.encode("utf-8")))
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        changed = html
        for old, new in renamed.items():
            changed = changed.replace(f"/{old}", f"/{new}")
        if changed != html:
            page.write_text(changed, encoding="utf-8")
    return sizes


def _rules(rules: list, used: Used) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if _may_match(s, used)]
            if not selectors:
                continue
            rule.prelude = _join(selectors)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if not inner:
                continue
            rule.content = inner
        kept.append(rule)
    return kept


def _selectors(prelude: list) -> list[list]:
    """A rule's selector list, split at its top-level commas, each without surrounding spaces."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [_strip(s) for s in selectors if _strip(s)]


def _strip(tokens: list) -> list:
    while tokens and tokens[0].type in ("whitespace", "comment"):
        tokens = tokens[1:]
    while tokens and tokens[-1].type in ("whitespace", "comment"):
        tokens = tokens[:-1]
    return tokens


def _join(selectors: list[list]) -> list:
    joined: list = []
    for selector in selectors:
        if joined:
            joined.append(ast.LiteralToken(0, 0, ","))
        joined.extend(selector)
    return joined


def _may_match(selector: list, used: Used) -> bool:
    """False only when the selector names, outside any pseudo-class's parentheses, a class or an
    attribute (or an attribute's value) that nothing in the site has."""
    for before, token in zip([None, *selector], selector, strict=False):
        if token.type == "ident" and before is not None and before.type == "literal" and before.value == ".":
            if token.value not in used:
                return False
        elif token.type == "[] block":
            parts = [t for t in token.content if t.type not in ("whitespace", "comment")]
            if parts and parts[0].type == "ident" and parts[0].value not in used:
                return False
            value = parts[-1] if len(parts) >= 3 and parts[-2].type == "literal" and parts[-2].value == "=" else None
            if value is not None and value.type in ("ident", "string") and _WORD.fullmatch(value.value or ""):
                if value.value not in used:
                    return False
    return True


def _drop_properties(rules: list, read: set[str], used: Used) -> int:
    """Remove declarations of custom properties nobody reads; returns how many went."""
    dropped = 0
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            dropped += _drop_properties(rule.content, read, used)
        elif rule.type == "qualified-rule":
            declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            if any(d.type == "error" for d in declarations) or not any(_unread(d, read, used) for d in declarations):
                continue
            kept = [d for d in declarations if not _unread(d, read, used)]
            dropped += len(declarations) - len(kept)
            text = "".join(tinycss2.serialize([d]) for d in kept).removesuffix(";")  # each ends with ";"
            rule.content = tinycss2.parse_component_value_list(text)
    rules[:] = [rule for rule in rules if not (rule.type == "qualified-rule" and not rule.content)]
    return dropped


def _read_properties(nodes: Iterable, read: set[str]) -> None:
    """Add to ``read`` every custom property that a ``var()`` in ``nodes`` reads."""
    for node in nodes:
        if node.type == "function" and node.lower_name == "var":
            name = next((t for t in node.arguments if t.type == "ident"), None)
            if name is not None:
                read.add(name.value)
        for child in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, child, None)
            if isinstance(inner, list):
                _read_properties(inner, read)


def _unread(declaration, read: set[str], used: Used) -> bool:
    return (
        declaration.type == "declaration"
        and declaration.name.startswith("--")
        and declaration.name not in read
        and declaration.name not in used
    )
