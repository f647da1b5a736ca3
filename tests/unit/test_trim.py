"""generator/trim.py: what goes from Material's stylesheets, and what must stay."""

from __future__ import annotations

from pathlib import Path

from generator.trim import Used, trim_site, trim_stylesheets


def used(tmp_path: Path, **files: str) -> Used:
    paths = []
    for name, text in files.items():
        path = tmp_path / name.replace("_", ".")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return Used.scan(paths)


def trim(css: str, found: Used) -> str:
    return trim_stylesheets({"main.css": css}, found)["main.css"]


def test_selectors_of_classes_no_page_has_go(tmp_path):
    found = used(tmp_path, page_html='<nav class="md-nav md-nav--primary">')
    css = ".md-nav{color:red}.md-tabs{color:blue}.md-tabs,.md-nav--primary a{margin:0}"
    assert trim(css, found) == ".md-nav{color:red}.md-nav--primary a{margin:0}"


def test_names_in_scripts_and_text_count(tmp_path):
    """A class a script adds at run time, as Material's bundle does, is a word in the script."""
    found = used(tmp_path, bundle_js='el.classList.add("md-search-result__item")', page_html="<p>md-typeset</p>")
    css = ".md-search-result__item{color:red}.md-typeset{color:blue}.md-annotation{color:green}"
    assert trim(css, found) == ".md-search-result__item{color:red}.md-typeset{color:blue}"


def test_names_a_script_completes_keep_their_family(tmp_path):
    found = used(tmp_path, bundle_js="x=`md-tag--${t}`;y='md-source__fact--'+k")
    css = ".md-tag--red{color:red}.md-source__fact--stars{margin:0}.md-other--x{color:blue}"
    assert trim(css, found) == ".md-tag--red{color:red}.md-source__fact--stars{margin:0}"


def test_classes_inside_pseudo_classes_never_drop_a_selector(tmp_path):
    found = used(tmp_path, page_html='<a class="md-nav__link">')
    css = ".md-nav__link:not(.md-nav__container){color:red}.md-nav__link:has(.md-gone){margin:0}"
    assert trim(css, found) == css


def test_attributes_and_their_values(tmp_path):
    found = used(
        tmp_path,
        page_html='<body data-md-color-scheme="default" data-md-color-primary="indigo"><input type="checkbox">',
    )
    css = (
        "[data-md-color-scheme=slate]{color:red}[data-md-color-scheme=default]{color:blue}"
        "[data-md-color-primary=indigo]{--a:1}[data-md-color-accent]{margin:0}input[type=checkbox]{margin:1px}"
    )
    kept = trim(css, found)
    assert "slate" not in kept and "data-md-color-accent" not in kept
    assert "[data-md-color-scheme=default]{color:blue}" in kept
    assert "input[type=checkbox]{margin:1px}" in kept
    assert "[data-md-color-primary=indigo]" not in kept, "a rule left with no declaration goes too"


def test_empty_media_blocks_go_and_others_keep_their_rules(tmp_path):
    found = used(tmp_path, page_html='<div class="md-grid">')
    css = "@media screen{.md-tabs{color:red}}@media print{.md-grid{margin:0}.md-tabs{margin:1px}}"
    assert trim(css, found) == "@media print{.md-grid{margin:0}}"


def test_unread_custom_properties_go_to_a_fixed_point(tmp_path):
    """--b is read only by --a, which nothing reads: both go.  --c is read by a rule, --d by a page."""
    found = used(tmp_path, page_html='<div class="md-grid" style="color:var(--d)">')
    css = ":root{--a:var(--b);--b:red;--c:blue;--d:green}.md-grid{color:var(--c)}"
    assert trim(css, found) == ":root{--c:blue;--d:green}.md-grid{color:var(--c)}"


def test_a_property_read_by_another_stylesheet_stays(tmp_path):
    """Material's palette defines what its main stylesheet reads; our own stylesheets read both."""
    found = used(tmp_path, site_css=".quiz{color:var(--md-accent-fg-color)}")
    sheets = {
        "palette.css": ":root{--md-primary-fg-color:#4051b5;--md-accent-fg-color:#526cfe;--md-unused:1px}",
        "main.css": ".md-grid{color:var(--md-primary-fg-color)}",
    }
    found = Used(found.words | {b"md-grid"}, found.prefixes)
    trimmed = trim_stylesheets(sheets, found)
    assert trimmed["palette.css"] == ":root{--md-primary-fg-color:#4051b5;--md-accent-fg-color:#526cfe}"


def test_trim_site_renames_and_points_every_page_at_the_new_files(tmp_path):
    styles = tmp_path / "assets" / "stylesheets"
    styles.mkdir(parents=True)
    (styles / "main.57a0d79d.min.css").write_text(".md-grid{margin:0}.md-tabs{margin:1px}", encoding="utf-8")
    (styles / "main.57a0d79d.min.css.map").write_text("{}", encoding="utf-8")
    (styles / "palette.fb2fffe2.min.css").write_text("[data-md-color-scheme=slate]{color:red}", encoding="utf-8")
    link = '<link rel="stylesheet" href="{0}assets/stylesheets/main.57a0d79d.min.css"><div class="md-grid">'
    (tmp_path / "index.html").write_text(link.format(""), encoding="utf-8")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_text(link.format("../"), encoding="utf-8")
    sizes = trim_site(tmp_path)
    (main,) = styles.glob("main.*.min.css")
    assert main.name != "main.57a0d79d.min.css" and main.read_text(encoding="utf-8") == ".md-grid{margin:0}"
    assert sizes[main.name] == (38, 18)
    assert not (styles / "main.57a0d79d.min.css.map").exists(), "a map of the untrimmed file would mislead"
    for page, prefix in ((tmp_path / "index.html", ""), (tmp_path / "en" / "index.html", "../")):
        assert f'href="{prefix}assets/stylesheets/{main.name}"' in page.read_text(encoding="utf-8")
    assert trim_site(tmp_path / "en") == {}, "a folder without Material's stylesheets is left alone"
