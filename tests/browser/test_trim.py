"""Material's trimmed stylesheets (generator/trim.py) change no pixel: every Chinese page of a site and
the English showcase (the English pages are their twins), at 360 and 1280 px, and the states a worker
puts pages in (navigation drawer, search results, the reading control, a marked quiz, high contrast at
extra-large text), look the same as with Material's whole stylesheets.  The site is the test project
with one more module that uses every Markdown feature mkdocs.yml enables (admonitions of every kind,
collapsible blocks, a table, code, quotes...).

The reference is the same build with Material's original files put back (from the installed
package) and the pages pointed at them again: the product has no switch for it, so neither does
the test.  Screenshots of a page that differ are kept in the test's folder, named in the message."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import material
import pytest
from PIL import Image, ImageChops

from ..conftest import PROJECT, built, copy_project
from .conftest import reading_choice

ADMONITIONS = "note abstract info tip success question warning failure danger bug example quote".split()
SHOWCASE = (
    "# 展示页\n\n简介段落，含`行内代码`、**粗体**、*斜体*、[链接](fire.md)和<kbd>Ctrl</kbd>。\n\n"
    + "".join(f'!!! {kind} "{kind}"\n    提示内容：{kind}。\n\n' for kind in ADMONITIONS)
    + '??? warning "折叠的提示"\n    隐藏的内容。\n\n???+ tip "展开的提示"\n    显示的内容。\n\n'
    "## 表格\n\n| 类别 | 说明 |\n| --- | --- |\n| A 类 | 固体火灾 |\n| B 类 | 液体火灾 |\n\n"
    "## 列表与引用\n\n1. 第一步\n    - 要点一\n    - 要点二\n2. 第二步\n\n> 引用的法律条文。\n\n---\n\n"
    "```python\nprint('安全第一')\n```\n\n### 三级标题\n\n#### 四级标题\n\n"
    '<figure markdown>\n<svg width="60" height="60" role="img" aria-label="圆"><circle cx="30" cy="30" r="25"/></svg>\n'
    "<figcaption>示意图</figcaption>\n</figure>\n\n<!-- quiz: fire-safety -->\n"
)
WIDTHS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
SEEDED = "window.generatorQuizSeed = 7;"
"""Quizzes shuffle options and the practice page draws questions (quiz.js, learn.js): the same in both sites."""


@pytest.fixture(scope="module")
def sites(served_root, tmp_path_factory):
    """(trimmed, whole): the showcase project built as the generator builds it, and as it was before trimming."""
    project = copy_project(PROJECT, tmp_path_factory.mktemp("trim-project"))
    for language in ("zh", "en"):
        (project / f"content/modules/showcase.{language}.md").write_text(SHOWCASE, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      - modules/fire.md\n", "      - modules/fire.md\n      - modules/showcase.md\n"
        ),
        encoding="utf-8",
    )
    trimmed = built(project, served_root / "trimmed")
    whole = served_root / "whole"
    shutil.copytree(trimmed, whole)
    originals = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    for kind in ("main", "palette"):
        (shipped,) = whole.glob(f"assets/stylesheets/{kind}.*.min.css")
        (original,) = originals.glob(f"{kind}.*.min.css")
        assert shipped.name != original.name, "the trimmed file has a name of its own"
        assert shipped.stat().st_size < original.stat().st_size * 0.8, f"{kind}: little was trimmed"
        shutil.copy(original, shipped.with_name(original.name))
        for page in whole.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            page.write_text(html.replace(f"/{shipped.name}", f"/{original.name}"), encoding="utf-8")
        shipped.unlink()
    return trimmed, whole


def pages_of(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("posters/", "assets/", "404.html"))
    )


STYLES = """(full) => {
  const hash = (text) => {  // FNV-1a
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  };
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    const pseudos = [null];
    for (const pseudo of ["::before", "::after"]) {
      if (getComputedStyle(el, pseudo).content !== "none") pseudos.push(pseudo);
    }
    if (el.matches("input, textarea")) pseudos.push("::placeholder");
    if (el.matches("li, summary")) pseudos.push("::marker");
    for (const pseudo of pseudos) {
      const style = getComputedStyle(el, pseudo);
      let text = "";
      for (const name of style) if (!name.startsWith("--")) text += name + ":" + style.getPropertyValue(name) + ";";
      const classes = typeof el.className === "string" ? el.className.trim().replace(/\\s+/g, ".") : "";
      const label = el.tagName.toLowerCase() + (classes ? "." + classes : "") + (pseudo || "");
      out.push(full ? [label, text] : hash(text));
    }
  }
  return out;
}"""
"""A digest of every element's computed style (and of its ::before, ::after, ::placeholder and ::marker),
custom properties left out: the trimmed stylesheets drop the unread ones, and only what they set counts."""


STILL = "*, *::before, *::after, *::placeholder { transition: none !important; animation: none !important; }"
"""Added to both pages alike before comparing: Material's transitions (the search field's placeholder, the
reading list opening) otherwise catch the two pages at different moments (seen: 0.25 s colour fades)."""


def same(
    page_a, page_b, name: str, folder: Path, full_page: bool = True, styles: bool = False, shots: bool = True
) -> str | None:
    """None when both pages' screenshots (and, with ``styles``, every element's computed style) are
    identical; else what differs, with the two screenshots kept in ``folder``."""
    digests, pictures = [], []
    for tab in (page_a, page_b):
        tab.add_style_tag(content=STILL)
        tab.evaluate("document.fonts.ready")
        digests.append(steady(tab) if styles else None)
        # The header's language button and search field render a few pixels differently from one load
        # of the same page to the next (seen at 1280 px); their computed styles are compared instead.
        noisy = tab.locator(".md-header__option, .md-header .md-search__form")
        pictures.append(tab.screenshot(full_page=full_page, animations="disabled", caret="hide", mask=[noisy]))
    images = [Image.open(io.BytesIO(picture)).convert("RGB") for picture in pictures]
    alike = not shots or (images[0].size == images[1].size and _faint(ImageChops.difference(*images)))
    if digests[0] == digests[1] and alike:
        return None
    detail = ""
    if digests[0] != digests[1]:
        full = [tab.evaluate(STYLES, True) for tab in (page_a, page_b)]
        if len(full[0]) != len(full[1]):
            detail = f" ({len(full[0])} and {len(full[1])} elements)"
        for (label, a), (_, b) in zip(*full, strict=False):
            if a != b:
                changed = sorted(set(a.split(";")) ^ set(b.split(";")))
                detail = f" (first: {label}: {changed[:6]})"
                break
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name)
    for label, image in zip(("trimmed", "whole"), images, strict=True):
        image.save(folder / f"{stem}-{label}.png")
    computed = "computed styles " + ("alike" if digests[0] == digests[1] else "differ")
    return f"{name}: {computed}{detail}; screenshots {'alike' if alike else 'differ'}: {folder / stem}-*.png"


def _faint(difference: Image.Image) -> bool:
    """No pixel differs by more than 16 of 255: Chromium's rasteriser here varies by 1 or 2 levels along a
    few edges from one load of the same page to the next (seen on admonition borders and radio buttons);
    a style that changed a colour, a size or a place differs by far more."""
    return difference.convert("L").point(lambda v: 255 if v > 16 else 0).getbbox() is None


def steady(tab) -> list[int]:
    """The page's style digest once two readings 300 ms apart agree (a state that is still settling,
    such as search results arriving, would otherwise be caught at two different moments)."""
    digest = tab.evaluate(STYLES, False)
    for _ in range(20):
        tab.wait_for_timeout(300)
        again = tab.evaluate(STYLES, False)
        if again == digest:
            return digest
        digest = again
    raise AssertionError(f"{tab.url}: the page's styles kept changing")


def settled(tab, selector: str) -> None:
    """Wait until ``selector``'s HTML stays the same for half a second."""
    before = None
    for _ in range(40):
        now = tab.locator(selector).first.inner_html()
        if now == before:
            return
        before = now
        tab.wait_for_timeout(500)
    raise AssertionError(f"{selector} kept changing")


def phone_or_desktop(width: str) -> dict:
    options = {"viewport": WIDTHS[width], "device_scale_factor": 1}
    if width == "desktop":
        options.update(is_mobile=False, has_touch=False)
    return options


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_looks_the_same(make_context, sites, server_url, width, tmp_path):
    """Screenshots of every page; the showcase module's computed styles too, element by element."""
    trimmed, whole = sites
    pages = pages_of(trimmed)
    assert "modules/showcase.html" in pages and "en/modules/showcase.html" in pages
    # The English pages are the Chinese ones' twins (the same templates and classes): their showcase only.
    pages = [path for path in pages if not path.startswith("en/") or path.endswith("showcase.html")]
    tabs = []
    for _ in (trimmed, whole):  # both open the same pages in the same order: they keep the same
        context = make_context(**phone_or_desktop(width))
        context.add_init_script(SEEDED)
        tabs.append(context.new_page())
    differ = []
    for path in pages:
        for tab, site in zip(tabs, (trimmed, whole), strict=True):
            tab.goto(f"{server_url}{site.name}/{path}")
        differ.append(same(*tabs, f"{width}-{path}", tmp_path, styles=path.endswith("showcase.html")))
    assert [d for d in differ if d] == []


STATES = {
    "drawer": ("phone", "modules/showcase.html", "label.md-header__button[for='__drawer']", None),
    "search": ("phone", "en/modules/showcase.html", "label.md-header__button[for='__search']", "fire"),
    "search-desktop": ("desktop", "modules/showcase.html", "input.md-search__input", "灭火器"),
    "reading": ("phone", "modules/showcase.html", "[data-reading-open]", None),
    "reading-desktop": ("desktop", "en/modules/showcase.html", "[data-reading-open]", None),
}


@pytest.mark.parametrize("state", STATES)
def test_states_look_the_same(make_context, sites, server_url, state, tmp_path):
    """The navigation drawer, search results and the reading list, open: screenshot and computed styles."""
    width, path, control, query = STATES[state]
    tabs = []
    for site in sites:
        context = make_context(**phone_or_desktop(width))
        context.add_init_script(SEEDED)
        tab = context.new_page()
        tab.goto(f"{server_url}{site.name}/{path}")
        tab.locator(control).first.click()
        if query:
            tab.locator("input.md-search__input").fill(query)
            tab.locator("input.md-search__input").press("End")
            tab.wait_for_selector(".md-search-result__item", timeout=10000)
            settled(tab, ".md-search-result")  # Material renders results in batches
        tabs.append(tab)
    # On a computer the results drop down over the page, and the compositor fades them in at its own pace:
    # two loads of the same site differ in a screenshot there (seen: 59 levels, computed styles equal).
    assert same(*tabs, state, tmp_path, full_page=False, styles=True, shots=state != "search-desktop") is None


def test_marked_quiz_in_high_contrast_looks_the_same(make_context, sites, server_url, tmp_path):
    """A quiz answered wrong and submitted (marks, explanations, result) at extra-large high contrast."""
    tabs = []
    for site in sites:
        context = make_context(device_scale_factor=1)
        context.add_init_script(reading_choice("xlarge", "high"))
        context.add_init_script(SEEDED)
        tab = context.new_page()
        tab.goto(f"{server_url}{site.name}/quizzes/fire-safety.html")
        submit = tab.locator("form[data-quiz-ready] button[type='submit']")
        submit.click()  # nothing answered: the quiz asks once whether to hand in anyway
        submit.click()
        tab.locator("form[data-quiz-ready] [data-quiz-result]").wait_for()
        tabs.append(tab)
    assert same(*tabs, "quiz-marked", tmp_path, styles=True) is None
