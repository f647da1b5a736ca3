"""What of Material's stylesheet, palette and bundle the site's pages use (issue 18's measurement).

Builds the sample site into a temporary folder, serves it on 127.0.0.1 (audit/server.py) and opens
every page that carries Material's files, in both languages, in Debian's Chromium at 360x740 (a phone:
touch, mobile viewport) and at 1280x800, with the service worker blocked so each page loads its own
files.  On each page it does what a worker does: tabs through the first links, scrolls down and back
up until back-to-top shows and presses it, hovers links (1280), opens the navigation drawer and a
section in it (360), opens search and types a query, answers and submits the quiz where the page has
one, opens the text-size control and chooses extra large and high contrast, opens the language menu
and switches language.

Coverage comes from the Chrome DevTools Protocol: ``CSS.startRuleUsageTracking`` /
``CSS.takeCoverageDelta`` gives the style rules that matched an element at some moment (Chromium's
Coverage panel does the same), ``Profiler.startPreciseCoverage`` (block coverage, no counts) /
``Profiler.takePreciseCoverage`` the blocks of the bundle that ran.  The union over every page, both
widths and every interaction is what the site as measured uses; what lies outside it is at most what a
build step could drop.

For each file the table gives its size, the bytes covered, and what the unused part weighs gzipped:
the file gzipped whole (level 6, as the build's .gz siblings and audit/server.py) against the file
with every unused style rule removed (at-rules that group rules, @media and @supports, kept where a rule
inside them is kept; @font-face, @keyframes and other at-rules kept whole), or, for the bundle, only its
covered blocks concatenated (not runnable: the floor of what any removal could reach).  To find the
rules of the stylesheet the script walks its braces (strings and comments skipped), for this estimate
only; every range Chromium reports as used must start where that walk found a rule (or an @media
condition, which Chromium reports too), or the script stops.

A second pass loads every page without interactions at 768x1024, then 1024x768, then emulating print:
states the two main widths do not show, whose rules a site-wide purge would also have to keep.

Tools that purge CSS can be checked against the coverage: ``--purgecss BIN``, ``--refreshcss BIN``
(neither is a dependency of the project: install them in a scratch folder) or ``--purged NAME=DIR``
(any tool's output) count the rules the site used that the purged copy lost.

    .venv/bin/python benchmarks/coverage.py                 # the tables on standard output
    .venv/bin/python benchmarks/coverage.py --json out.json # and the numbers, per page too
    .venv/bin/python benchmarks/coverage.py --site DIR      # a site already built (skips the build)
    .venv/bin/python benchmarks/coverage.py --pages quizzes/fire --no-extra   # a quick look

Findings and method in benchmarks/coverage.md.  The whole run took 17 minutes (two Chromiums at a
time, on a shared 2-core machine); it prints its own time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.crawl import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from audit.server import COMPRESSED, Sites  # noqa: E402

FILES = {
    "main.css": "assets/stylesheets/main.*.min.css",
    "palette.css": "assets/stylesheets/palette.*.min.css",
    "bundle.js": "assets/javascripts/bundle.*.min.js",
}
"""Material's three files that every page carries, by the name the report gives them."""
VIEWPORTS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}
EXTRA_VIEWPORTS = {"768": {"width": 768, "height": 1024}, "1024": {"width": 1024, "height": 768}}
SEARCH_FILES = ("/search/", "/javascripts/workers/", "/javascripts/lunr/")
PREFIX = "anquan"
QUERY = {"zh": "火灾", "en": "fire"}
LANGUAGE_BUTTON = ".md-header .md-select:has([hreflang]) > button"
READING = "[data-text-size-control]"
CLOSE = """() => {
  for (const id of ["__search", "__drawer"]) {
    const toggle = document.getElementById(id);
    if (toggle && toggle.checked) toggle.click();
  }
  if (document.activeElement) document.activeElement.blur();
}"""
"""After each step: search and the drawer closed (a Tab that reached the search field opens search),
so that the next step starts from the page as loaded."""
GROUPING = {"media", "supports", "layer", "container", "scope", "document", "-moz-document", "starting-style"}
"""At-rules whose block holds rules: kept when a rule inside is kept."""


# The stylesheet's rules: a walk over its braces, for the estimate only.


def _string_end(text: str, i: int) -> int:
    quote, i = text[i], i + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _matching(text: str, i: int) -> int:
    """The index of the brace that closes the one at ``i``."""
    depth = 0
    while i < len(text):
        c = text[i]
        if text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
            continue
        if c in "\"'":
            i = _string_end(text, i)
            continue
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unclosed brace at {i}")


def blocks(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The rules between ``start`` and ``end``: (start of the prelude, its ``{``, its ``}``)."""
    found, head, i = [], None, start
    while i < end:
        c = text[i]
        if text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
            continue
        if c.isspace():
            i += 1
            continue
        if head is None:
            head = i
        if c in "\"'":
            i = _string_end(text, i)
        elif c == "\\":
            i += 2
        elif c == ";":  # @import, @charset, @layer a, b;
            head, i = None, i + 1
        elif c == "{":
            close = _matching(text, i)
            found.append((head, i, close))
            head, i = None, close + 1
        else:
            i += 1
    return found


def _at_name(prelude: str) -> str | None:
    match = re.match(r"@([-\w]+)", prelude)
    return match.group(1).lower() if match else None


def style_rules(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Every style rule of the sheet, inside grouping at-rules too: (start, end) as CDP counts them."""
    rules = []
    for head, open_, close in blocks(text, start, len(text) if end is None else end):
        name = _at_name(text[head:open_])
        if name is None:
            rules.append((head, close + 1))
        elif name in GROUPING:
            rules += style_rules(text, open_ + 1, close)
    return rules


def conditions(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The preludes of the grouping at-rules, ``@media`` to ``{``: Chromium reports the condition of an
    @media whose rules matched as used too."""
    found = []
    for head, open_, close in blocks(text, start, len(text) if end is None else end):
        if _at_name(text[head:open_]) in GROUPING:
            found += [(head, open_ + 1), *conditions(text, open_ + 1, close)]
    return found


def trim_css(text: str, used: set[int], start: int = 0, end: int | None = None, top: bool = True) -> str:
    """The sheet without the style rules whose start is not in ``used``; grouping at-rules left empty
    go too; comments between top-level rules (the licence) and other at-rules stay."""
    end = len(text) if end is None else end
    pieces, pos = [], start
    for head, open_, close in blocks(text, start, end):
        if top:
            pieces.append(text[pos:head])
        name = _at_name(text[head:open_])
        if name is None:
            if head in used:
                pieces.append(text[head : close + 1])
        elif name in GROUPING:
            inner = trim_css(text, used, open_ + 1, close, top=False)
            if inner:
                pieces.append(text[head : open_ + 1] + inner + "}")
        else:
            pieces.append(text[head : close + 1])
        pos = close + 1
    if top:
        pieces.append(text[pos:end])
    return "".join(pieces)


def split_selectors(prelude: str) -> list[str]:
    """A selector list's selectors (commas inside brackets and parentheses kept), spaces removed."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return ["".join(part.split()) for part in parts]


def selector_index(text: str, start: int = 0, end: int | None = None, context: tuple = ()) -> list[tuple]:
    """((enclosing at-rule preludes, selector), start of its rule) for every selector of every style rule."""
    index = []
    for head, open_, close in blocks(text, start, len(text) if end is None else end):
        prelude = text[head:open_]
        name = _at_name(prelude)
        if name is None:
            index += [((context, selector), head) for selector in split_selectors(prelude)]
        elif name in GROUPING:
            index += selector_index(text, open_ + 1, close, (*context, "".join(prelude.split())))
    return index


def check_purged(text: str, mask: bytearray, purged: str) -> dict:
    """The rules that coverage saw used and a purged copy of the sheet lost: all of their selectors
    (their style is gone) or some (gone if the lost one was the one that matched).  A selector found
    in the purged copy counts as kept for every rule of the original that has it."""
    kept = {key for key, _ in selector_index(purged)}
    by_rule: dict[int, list[bool]] = {}
    for key, head in selector_index(text):
        by_rule.setdefault(head, []).append(key in kept)
    rules = dict(style_rules(text))
    used = [head for head in by_rule if any(mask[head : rules[head]])]
    lost = [head for head in used if not any(by_rule[head])]
    thinned = [head for head in used if any(by_rule[head]) and not all(by_rule[head])]
    return {
        "size": len(purged.encode()),
        "gzip": gz(purged),
        "used_rules": len(used),
        "lost": len(lost),
        "thinned": len(thinned),
        "lost_examples": [text[head : rules[head]][:100] for head in lost[:12]],
    }


# Byte sets: a bytearray of 0 and 1 per character of a file.


def union(a: bytearray, b: bytearray) -> bytearray:
    return bytearray((int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little"))


def runs(mask: bytearray) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(b"\x01+", mask)]


def utf8(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(len(text[s:e].encode()) for s, e in spans)


def gz(data: str | bytes) -> int:
    return len(gzip.compress(data.encode() if isinstance(data, str) else data, compresslevel=6, mtime=0))


def js_mask(length: int, functions: list[dict]) -> bytearray:
    """V8's block coverage as 0/1 per character: ranges nest, the innermost one's count decides."""
    mask = bytearray(length)
    ranges = sorted((r["startOffset"], -r["endOffset"], 1 if r["count"] else 0) for f in functions for r in f["ranges"])
    for start, neg_end, used in ranges:
        end = min(-neg_end, length)
        mask[start:end] = (b"\x01" if used else b"\x00") * (end - start)
    return mask


# Measuring.


@dataclass
class Usage:
    """What one or more visits used: per file, the 0/1 mask of its characters."""

    lengths: dict[str, int]
    masks: dict[str, bytearray] = field(default_factory=dict)

    def add(self, key: str, mask: bytearray) -> None:
        self.masks[key] = union(self.masks[key], mask) if key in self.masks else mask

    def add_css(self, key: str, spans) -> None:
        mask = bytearray(self.lengths[key])
        for start, end in spans:
            mask[start:end] = b"\x01" * (end - start)
        self.add(key, mask)

    def merge(self, other: Usage) -> None:
        for key, mask in other.masks.items():
            self.add(key, mask)

    def mask(self, key: str) -> bytearray:
        return self.masks.get(key, bytearray(self.lengths[key]))


@dataclass
class Visit:
    page: str
    viewport: str
    usage: Usage
    steps: dict[str, str] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Recorder:
    """One page in a fresh context with CSS rule tracking and precise JS coverage on."""

    def __init__(self, browser, viewport: dict, files: dict[str, str], lengths: dict[str, int]) -> None:
        phone = viewport["width"] < 600
        self.context = browser.new_context(
            viewport=viewport, is_mobile=phone, has_touch=phone, service_workers="block", locale="zh-CN"
        )
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.files, self.sheets = files, {}
        self.usage = Usage(lengths)
        self.left = False
        self.cdp.on("CSS.styleSheetAdded", lambda e: self.sheets.update({e["header"]["styleSheetId"]: e["header"]}))
        for method, params in (
            ("DOM.enable", {}),
            ("CSS.enable", {}),
            ("CSS.startRuleUsageTracking", {}),
            ("Profiler.enable", {}),
            ("Profiler.startPreciseCoverage", {"callCount": False, "detailed": True}),
        ):
            self.cdp.send(method, params)

    def key(self, url: str) -> str | None:
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        return next((key for key, file in self.files.items() if file == name), None)

    def collect(self) -> None:
        """Take what was used since the last take (before a navigation drops the page's scripts)."""
        spans: dict[str, list] = {}
        for rule in self.cdp.send("CSS.takeCoverageDelta")["coverage"]:
            key = self.key(self.sheets.get(rule["styleSheetId"], {}).get("sourceURL", ""))
            if key and rule["used"]:
                spans.setdefault(key, []).append((rule["startOffset"], rule["endOffset"]))
        for key, found in spans.items():
            self.usage.add_css(key, found)
        for script in self.cdp.send("Profiler.takePreciseCoverage")["result"]:
            key = self.key(script["url"])
            if key:
                self.usage.add(key, js_mask(self.usage.lengths[key], script["functions"]))

    def close(self) -> None:
        self.context.close()


def visible(page, selector: str) -> bool:
    locator = page.locator(selector)
    return locator.count() > 0 and locator.first.is_visible()


def interactions(rec: Recorder, language: str, phone: bool) -> list[tuple[str, Callable[[], bool]]]:
    """What a worker does on a page, in order; each returns whether it applied to this page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = rec.page

    def focus() -> bool:
        for _ in range(6):
            page.keyboard.press("Tab")
        page.wait_for_timeout(100)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        return True

    def back_to_top() -> bool:
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(400)
        if not visible(page, ".md-top:not([hidden])"):
            return False  # a page too short to scroll (Material hides the button with [hidden] and opacity)
        page.locator(".md-top").click()
        page.wait_for_timeout(300)
        return True

    def hover() -> bool:
        if phone:
            return False
        for selector in (".md-sidebar .md-nav__link", ".md-footer__link", ".md-header__button", ".md-typeset a"):
            links = page.locator(f"{selector}:visible")
            if links.count():
                links.first.hover()
        page.mouse.move(0, 0)
        return True

    def drawer() -> bool:
        if not visible(page, "label.md-header__button[for='__drawer']"):
            return False
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_timeout(300)
        # A section of the navigation slides in over the drawer, and its title leads back.  Clicked
        # as events: mid-slide Playwright finds the label covered and waits.
        section = page.locator(".md-nav--primary .md-nav__item--nested > label.md-nav__link:visible")
        if section.count():
            section.first.dispatch_event("click")
            page.wait_for_timeout(300)
            back = page.locator(".md-nav--primary .md-nav__item--nested > nav > label.md-nav__title:visible")
            if back.count():
                back.first.dispatch_event("click")
                page.wait_for_timeout(300)
        page.mouse.click(VIEWPORTS["360"]["width"] - 10, 400)  # the overlay beside the drawer
        page.wait_for_timeout(300)
        return True

    def search() -> bool:
        opener = "label.md-header__button[for='__search']" if phone else "input.md-search__input"
        page.locator(opener).click()
        page.wait_for_function(
            "document.querySelector('.md-search-result__meta')?.textContent.trim() !== ''", timeout=20000
        )
        field = page.locator("input.md-search__input")
        field.fill(QUERY[language])
        field.press("End")  # Material reads the query on keyup
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        more = page.locator(".md-search-result__more > summary")
        if more.count():
            more.first.click()
        page.locator(".md-search-result__link").first.hover()
        page.wait_for_timeout(300)
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        return True

    def quiz() -> bool:
        root = "form[data-quiz-ready]"
        starter = page.locator("[data-learn-start]:visible")  # random practice: a round on request
        if starter.count():
            starter.first.click()
        if not page.locator("form[data-quiz-id], [data-learn-quiz]").count():
            return False
        try:
            page.wait_for_selector(root, timeout=5000)
        except PlaywrightTimeout:
            if page.locator("form[data-quiz-id]:visible").count():
                raise
            return False  # the book of mistakes of a new visitor is empty

        start = page.locator(f"{root} [data-quiz-start]")
        if start.count() and start.first.is_visible():
            start.first.click()
        for question in page.locator(f"{root} [data-question-id]:not([hidden])").all():
            question.locator("input").first.check()
        submit = page.locator(f'{root} button[type="submit"]').first
        submit.click()
        if page.locator(f"{root} [data-quiz-result][data-score]").count() == 0:
            submit.click()  # the first press listed the open questions
        page.wait_for_timeout(400)
        return True

    def reading() -> bool:
        if not page.locator(READING).count():
            return False  # 404.html is Material's own page
        opener = page.locator(f"{READING} [data-reading-open]")
        opener.click()
        page.locator(f'{READING} [data-text-size="xlarge"]').click()
        page.wait_for_timeout(200)
        if opener.get_attribute("aria-expanded") != "true":
            opener.click()
        page.locator(f"{READING} [data-contrast-toggle]").click()
        page.wait_for_timeout(300)
        return True

    def language_switch() -> bool:
        page.locator(LANGUAGE_BUTTON).click()
        page.wait_for_timeout(300)
        rec.collect()  # the open menu, before the page goes
        other = "en" if language == "zh" else "zh"
        before = page.url
        with page.expect_navigation(wait_until="load"):
            page.locator(f'.md-select__link[hreflang="{other}"]').click()
        rec.left = True  # the other language's page is measured on its own visit
        return page.url != before

    steps = [("focus", focus), ("top", back_to_top), ("hover", hover), ("drawer", drawer), ("search", search)]
    return steps + [("quiz", quiz), ("reading", reading), ("language", language_switch)]


def measure_visit(browser, base: str, path: str, viewport: str, files, lengths, interact: bool = True) -> Visit:
    started = time.monotonic()
    size = VIEWPORTS.get(viewport) or EXTRA_VIEWPORTS["768"]
    rec = Recorder(browser, size, files, lengths)
    visit = Visit(path, viewport, rec.usage)
    rec.page.on("request", lambda request: visit.requests.append(request.url))
    try:
        rec.page.set_default_timeout(10000)
        rec.page.goto(base + path, wait_until="load")
        rec.page.wait_for_timeout(300)
        loaded = list(visit.requests)
        language = "en" if path.startswith("en/") else "zh"
        if interact:
            for name, step in interactions(rec, language, viewport == "360"):
                took = time.monotonic()
                try:
                    visit.steps[name] = "done" if step() else "n/a"
                    visit.step_seconds[name] = round(time.monotonic() - took, 2)
                except Exception as error:  # a step that fails is reported, the others still run
                    visit.steps[name] = f"failed: {str(error).splitlines()[0][:120]}"
                if not rec.left:
                    rec.page.evaluate(CLOSE)
                    rec.page.wait_for_timeout(100)
        elif viewport == "extra":  # the other widths, then print, on one load
            for size in EXTRA_VIEWPORTS.values():
                rec.page.set_viewport_size(size)
                rec.page.mouse.wheel(0, 4000)
                rec.page.wait_for_timeout(300)
            rec.page.emulate_media(media="print")
            rec.page.wait_for_timeout(300)
        if not rec.left:
            rec.collect()
        visit.requests = loaded
    finally:
        rec.close()
    visit.seconds = time.monotonic() - started
    return visit


# The site.


def build(source: Path, folder: Path) -> Path:
    """The project in ``source`` (its mkdocs.yml, content and generator) built into ``folder``/site."""
    site = folder / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "-d", str(site)],
        cwd=source,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return site


def material_files(site: Path) -> dict[str, Path]:
    found = {}
    for key, pattern in FILES.items():
        matches = sorted(site.glob(pattern))
        if len(matches) != 1:
            raise SystemExit(f"{pattern}: {len(matches)} files in {site}")
        found[key] = matches[0]
    return found


def pages_with_material(site: Path, files: dict[str, Path]) -> list[str]:
    names = [file.name for file in files.values()]
    pages = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if any(name in html for name in names):
            pages.append(page.relative_to(site).as_posix())
    return pages


def first_visit_bytes(site: Path, root: str, base: str, urls: list[str]) -> dict[str, int]:
    """What the page's own load fetched, by the files on disk: raw, from a host that gzips every
    text file, and from a stock host (HTML only).  Search's worker, index and language files are left
    out: Material fetches them after the page has loaded (and soon only when search is opened)."""
    raw = every = stock = 0
    for url in dict.fromkeys(urls):
        if not url.startswith(root) or any(part in url for part in SEARCH_FILES):
            continue
        # the site's pages under base; 404.html's files from the root, where /assets/ is the site's too
        path = url[len(base) :] if url.startswith(base) else url[len(root) :]
        file = site / unquote(urlsplit(path).path)
        if not file.is_file():
            continue
        data = file.read_bytes()
        packed = gz(data)
        raw += len(data)
        every += packed if file.suffix in COMPRESSED else len(data)
        stock += packed if file.suffix == ".html" else len(data)
    return {"raw": raw, "gzip_all": every, "gzip_stock": stock}


def report_file(key: str, text: str, mask: bytearray) -> dict:
    spans = runs(mask)
    whole = text.encode()
    used = utf8(text, spans)
    if key.endswith(".css"):
        rules = style_rules(text)
        starts = {start for start, _ in rules} | {i for s, e in conditions(text) for i in range(s, e)}
        for span in spans:  # each run of used characters starts a rule the walk found (or its @media)
            if span[0] not in starts:
                raise SystemExit(f"{key}: a used range at {span[0]} starts no rule: {text[span[0] : span[0] + 60]!r}")
        trimmed = trim_css(text, {s for s, e in rules if any(mask[s:e])})
        used_rules = sum(1 for s, e in rules if any(mask[s:e]))
        extra = {"rules": len(rules), "used_rules": used_rules}
    else:
        trimmed = "".join(text[s:e] for s, e in spans)
        extra = {}
    return {
        "size": len(whole),
        "used": used,
        "trimmed": len(trimmed.encode()),
        "gzip": gz(whole),
        "gzip_trimmed": gz(trimmed),
        **extra,
    }


def run_tools(args, site: Path, paths: dict[str, Path], folder: Path) -> list[str]:
    """Purged copies of the site's sheets by the tools asked for, as NAME=DIR options."""
    html = [str(p) for p in sorted(site.rglob("*.html"))]
    scripts = [str(paths["bundle.js"]), *map(str, sorted((site / "assets" / "generator").glob("*.js")))]
    sheets = [str(paths["main.css"]), str(paths["palette.css"])]
    made = []
    if args.purgecss:
        for name, content in (("purgecss-html", html), ("purgecss-html+js", html + scripts)):
            out = folder / name
            out.mkdir()
            command = [args.purgecss, "--css", *sheets, "--content", *content, "--output", str(out)]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            made.append(f"{name}={out}")
    if args.refreshcss:
        out = folder / "refreshcss"
        out.mkdir()
        for sheet in sheets:
            command = [args.refreshcss, "--encoding", "utf-8", sheet, *html, "-o", str(out / Path(sheet).name)]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        made.append(f"refreshcss={out}")
    return made


def kib(n: float) -> str:
    return f"{n / 1024:.1f}"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %"


def markdown(results: dict) -> str:
    files, pages = results["files"], results["pages"]
    site = files["site"]
    out = [
        "| File | Size | Used (coverage) | Used | Trimmed | Gzip whole | Gzip trimmed | Gzip saved |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, row in site.items():
        out.append(
            f"| {key} | {kib(row['size'])} KiB | {kib(row['used'])} KiB | {pct(row['used'], row['size'])} "
            f"| {kib(row['trimmed'])} KiB | {kib(row['gzip'])} KiB | {kib(row['gzip_trimmed'])} KiB "
            f"| {kib(row['gzip'] - row['gzip_trimmed'])} KiB |"
        )
    rules = site["main.css"]
    out += [
        "",
        f"main.css: {rules['used_rules']} of {rules['rules']} style rules used; "
        f"palette.css: {site['palette.css']['used_rules']} of {site['palette.css']['rules']}.",
        "",
        "| File | 360 only | 1280 only | both widths | + 768, 1024, print | page min | page median | page max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key in site:
        cells = [pct(files[scope][key]["used"], site[key]["size"]) for scope in ("360", "1280", "site", "with_extra")]
        used = sorted(page[key]["used"] for page in pages.values())
        cells += [pct(v, site[key]["size"]) for v in (used[0], statistics.median(used), used[-1])]
        out.append(f"| {key} | " + " | ".join(cells) + " |")
    extra = files["with_extra"]
    out += [
        "",
        "Trimmed to the union with 768, 1024 and print: "
        + ", ".join(f"{k} {kib(v['trimmed'])} KiB ({kib(v['gzip_trimmed'])} KiB gzipped)" for k, v in extra.items()),
        "",
    ]
    css = ("main.css", "palette.css")
    saved_gzip = sum(site[k]["gzip"] - site[k]["gzip_trimmed"] for k in css)
    saved_raw = sum(site[k]["size"] - site[k]["trimmed"] for k in css)
    out += [
        "First visit (the page's own load, from the files on disk) and what the trimmed CSS would save:",
        "",
        "| Page | Requests | Raw | Gzip host | Stock host | CSS saved, gzip host | CSS saved, stock host |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    first = results["first_visit"]
    shown = [p for p in ("index.html", "modules/fire.html", "quizzes/fire-safety.html", "en/index.html") if p in first]
    rows = [(p, first[p]) for p in shown]
    medians = {
        k: statistics.median(v[k] for v in first.values()) for k in ("requests", "raw", "gzip_all", "gzip_stock")
    }
    rows.append((f"median of {len(first)} pages", medians))
    for name, row in rows:
        out.append(
            f"| {name} | {row['requests']:.0f} | {kib(row['raw'])} KiB | {kib(row['gzip_all'])} KiB "
            f"| {kib(row['gzip_stock'])} KiB | {kib(saved_gzip)} KiB ({pct(saved_gzip, row['gzip_all'])}) "
            f"| {kib(saved_raw)} KiB ({pct(saved_raw, row['gzip_stock'])}) |"
        )
    tailored = sorted(page["main.css"]["gzip_trimmed"] for page in pages.values())
    out += [
        "",
        f"main.css cut to each page's own use instead (no file shared between pages): "
        f"{kib(tailored[0])} to {kib(tailored[-1])} KiB gzipped, median {kib(statistics.median(tailored))} KiB, "
        f"fetched again on every page; the site-wide cut: {kib(site['main.css']['gzip_trimmed'])} KiB once.",
    ]
    return "\n".join(out)


_browser = None


def _start_worker() -> None:
    """A process of the pool: its own Playwright and Chromium."""
    global _browser
    from playwright.sync_api import sync_playwright

    _browser = sync_playwright().start().chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _run(job: tuple) -> Visit:
    base, path, viewport, names, lengths, interact = job
    return measure_visit(_browser, base, path, viewport, names, lengths, interact)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample into a temporary folder)")
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT,
        help="the project to build (default: this checkout; `git archive HEAD | tar -x -C DIR` gives one "
        "without uncommitted changes)",
    )
    parser.add_argument("--json", type=Path, help="write every number here, per page too")
    parser.add_argument("--pages", help="only pages whose path contains this (a quick look)")
    parser.add_argument("--no-extra", action="store_true", help="skip the 768/1024/print pass")
    parser.add_argument(
        "--purged",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="a folder of purged copies of main.css and palette.css (by their names in the site or as main.css, "
        "palette.css), made by a tool under evaluation: which rules the site used did it lose?",
    )
    parser.add_argument(
        "--purgecss",
        metavar="BIN",
        help="PurgeCSS's command (npm install purgecss in a scratch folder): purge the built site's sheets with "
        "the HTML as content, and with the HTML and the site's scripts, and check both as --purged does",
    )
    parser.add_argument(
        "--refreshcss", metavar="BIN", help="refreshcss's command (PyPI, in a scratch venv): the same, HTML as content"
    )
    parser.add_argument("--workers", type=int, default=2, help="browsers at once (default 2)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="coverage-") as folder:
        site = args.site.resolve() if args.site else build(args.source.resolve(), Path(folder))
        built = time.monotonic() - started
        paths = material_files(site)
        texts = {key: path.read_text(encoding="utf-8") for key, path in paths.items()}
        names = {key: path.name for key, path in paths.items()}
        lengths = {key: len(text) for key, text in texts.items()}
        pages = [p for p in pages_with_material(site, paths) if not args.pages or args.pages in p]
        scopes = {name: Usage(lengths) for name in ("360", "1280", "site", "with_extra")}
        per_page = {page: Usage(lengths) for page in pages}
        visits: list[Visit] = []
        # 404.html names its files from the site's root (/assets/..., /search/...): served there too.
        with Sites({PREFIX: site, "assets": site / "assets", "search": site / "search"}) as server:
            base = f"{server.url}{PREFIX}/"
            jobs = [(base, page, viewport, names, lengths, True) for page in pages for viewport in VIEWPORTS]
            if not args.no_extra:
                jobs += [(base, page, "extra", names, lengths, False) for page in pages]
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(args.workers, mp_context=context, initializer=_start_worker) as pool:
                for visit in pool.map(_run, jobs):
                    scopes["with_extra"].merge(visit.usage)
                    if visit.viewport in VIEWPORTS:
                        visits.append(visit)
                        scopes[visit.viewport].merge(visit.usage)
                        scopes["site"].merge(visit.usage)
                        per_page[visit.page].merge(visit.usage)
                    print(f"{visit.page} @{visit.viewport}: {visit.seconds:.1f} s {visit.steps}", file=sys.stderr)
            first_visits = {
                v.page: {"requests": len(set(v.requests)), **first_visit_bytes(site, server.url, base, v.requests)}
                for v in visits
                if v.viewport == "360"
            }
        files = {
            scope: {key: report_file(key, texts[key], u.mask(key)) for key in FILES} for scope, u in scopes.items()
        }
        page_rows = {
            page: {
                key: report_file(key, texts[key], u.mask(key))
                if key == "main.css"
                else {"used": utf8(texts[key], runs(u.mask(key)))}
                for key in FILES
            }
            for page, u in per_page.items()
        }
        purged = {}
        for option in run_tools(args, site, paths, Path(folder)) + args.purged:
            name, _, folder_name = option.partition("=")
            purged[name] = {}
            for key in ("main.css", "palette.css"):
                candidates = [Path(folder_name) / paths[key].name, Path(folder_name) / key]
                found = next((c for c in candidates if c.is_file()), None)
                if found:
                    check = check_purged(texts[key], scopes["with_extra"].mask(key), found.read_text(encoding="utf-8"))
                    purged[name][key] = {"original_gzip": files["site"][key]["gzip"], **check}
        results = {
            "no_extra": args.no_extra,
            "purged": purged,
            "seconds": {"build": round(built, 1), "total": round(time.monotonic() - started, 1)},
            "pages_measured": len(pages),
            "files": files,
            "pages": page_rows,
            "first_visit": first_visits,
            "steps": {f"{v.page}@{v.viewport}": v.steps for v in visits},
        }
    print(markdown(results))
    if results["purged"]:
        states = "both widths, interactions" + ("" if results["no_extra"] else ", 768, 1024, print")
        print(f"\nPurged copies against the rules used ({states}):\n")
        print("| Tool | File | Size | Gzip | Gzip saved | Used rules lost | Used rules thinned |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for name, checks in results["purged"].items():
            for key, c in checks.items():
                print(
                    f"| {name} | {key} | {kib(c['size'])} KiB | {kib(c['gzip'])} KiB "
                    f"| {kib(c['original_gzip'] - c['gzip'])} KiB | {c['lost']} of {c['used_rules']} | {c['thinned']} |"
                )
        for name, checks in results["purged"].items():
            for key, c in checks.items():
                for example in c["lost_examples"]:
                    print(f"  {name} {key} lost: {example}")
    failed = [
        (name, step, state)
        for name, steps in results["steps"].items()
        for step, state in steps.items()
        if "failed" in state
    ]
    done = sum(state == "done" for steps in results["steps"].values() for state in steps.values())
    print(f"\n{len(pages)} pages x {len(VIEWPORTS)} widths; steps done: {done}, failed: {len(failed)}")
    for name, step, state in failed[:20]:
        print(f"  {name} {step}: {state}")
    print(f"Time: {results['seconds']['total']} s (build {results['seconds']['build']} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
