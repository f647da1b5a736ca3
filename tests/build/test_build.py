"""Whole builds of small scenario projects and of the test project (tests/fixtures/project)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from ..conftest import (
    GOOD_QUIZ,
    PROJECT,
    copy_project,
    dump_config,
    fixture_config,
    load_config,
    run_generator,
    with_site_url,
)

MODULE_ZH = "# 消防\n\n正文。\n\n## 测一测\n\n<!-- quiz: fire-safety -->\n"
MODULE_EN = "# Fire\n\nText.\n\n## Test yourself\n\n<!-- quiz: fire-safety -->\n"
PAGES = {
    "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    "modules/fire.zh.md": MODULE_ZH,
    "modules/fire.en.md": MODULE_EN,
    "modules/plain.zh.md": "# 没有测验\n",
    "modules/plain.en.md": "# No quiz\n",
}


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_pages_at_the_design_urls(project):
    """Quiz pages, quiz indexes and modules land at the URLs of DESIGN §5 in both languages."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    sources = snapshot(root / "content") | snapshot(root / "quizzes")
    result = run_generator("build", cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    for url in ["index.html", "modules/fire.html", "quizzes/fire-safety.html", "quizzes/index.html"]:
        assert (site / url).is_file(), url
        assert (site / "en" / url).is_file(), "en/" + url
    zh = (site / "quizzes/fire-safety.html").read_text(encoding="utf-8")
    en = (site / "en/quizzes/fire-safety.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in zh and '<html lang="en"' in en
    assert "发现火灾应拨打哪个电话报警？" in zh and "Which number do you call" in en
    assert snapshot(root / "content") | snapshot(root / "quizzes") == sources, (
        "nothing is written into content/ or quizzes/"
    )
    assert not list(root.glob(".site-*")), "no temporary folders are left behind"
    assert site.stat().st_mode & 0o755 == 0o755, "a web server can read site/"


def test_language_switch_keeps_the_page(project):
    """The switcher on a quiz page and a module page links the same page in the other language."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    site = root / "site"

    def switch(page):
        html = (site / page).read_text(encoding="utf-8")
        return dict(
            (lang, href)
            for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)" class="md-select__link"', html)
        )

    assert switch("quizzes/fire-safety.html") == {"en": "../en/quizzes/fire-safety.html", "zh": "fire-safety.html"}
    assert switch("en/quizzes/fire-safety.html") == {"en": "fire-safety.html", "zh": "../../quizzes/fire-safety.html"}
    assert switch("en/modules/fire.html") == {"en": "fire.html", "zh": "../../modules/fire.html"}
    assert switch("quizzes/index.html")["en"] == "../en/quizzes/index.html"


def test_quiz_assets_only_on_quiz_pages(project):
    """The engine's JS and CSS are files, linked from pages that hold a quiz and from no other page."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    site = root / "site"
    [js] = (site / "assets/generator").glob("quiz.*.js")
    [css] = (site / "assets/generator").glob("quiz.*.css")
    [certificate] = (site / "assets/generator").glob("quiz-certificate.*.js")
    module = (site / "en/modules/fire.html").read_text(encoding="utf-8")
    assert (
        f'<script src="../../assets/generator/{js.name}" '
        f'data-certificate="../../assets/generator/{certificate.name}" defer>'
    ) in module
    assert f'href="../../assets/generator/{css.name}"' in module
    assert 'data-quiz-id="fire-safety"' in module, "the marker became the quiz"
    for page in ["modules/plain.html", "index.html", "quizzes/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert "assets/generator/quiz" not in html and "<!-- quiz" not in html, page
        assert "assets/generator/site." in html, "the small site-wide script and styles are on every page"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="quizzes/fire-safety.html">消防安全知识测验</a>' in home


def test_quizzes_stay_out_of_the_search_index(project):
    """Search finds module text, but not quiz questions or explanations, which give the answers away."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    docs = [
        doc
        for prefix in ("", "en/")
        for doc in json.loads((root / "site" / prefix / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    ]
    text = " ".join(doc["text"] + doc["title"] for doc in docs).replace("\u200b", "")
    assert "正文" in text and "Text." in text
    for secret in ["火警电话", "fire number", "Never use the lift", "低姿前进", "分享给工友"]:
        assert secret not in text


def test_no_request_to_other_hosts(project_site):
    """No page of the test project's site loads anything from another host (Google Fonts, CDNs)."""
    for page in project_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert external == [], (page, external)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_site_links_are_relative(project_site):
    """Every page but 404.html links with relative URLs, so the site works under a sub-path and from a folder."""
    for page in project_site.rglob("*.html"):
        if page.name == "404.html":
            continue  # MkDocs makes 404.html absolute on purpose: it is served at any URL
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r'(?:href|src)="/(?!/)', html), page


def test_broken_quiz_stops_the_build_and_keeps_the_old_site(project):
    """A bad quiz file: exit 1, a message naming file, line and fix, no traceback, site/ untouched."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    before = snapshot(root / "site")
    (root / "quizzes/fire-safety.yaml").write_text(GOOD_QUIZ.replace("answer: B", "answer: E"), encoding="utf-8")
    result = run_generator("build", cwd=root)
    assert result.returncode == 1
    assert "quizzes/fire-safety.yaml:15:13: 错误 error [第 1 题 question 1 · fire-number]" in result.stderr
    assert "答案用选项的字母" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert snapshot(root / "site") == before


def test_unknown_marker_stops_the_build(project):
    """A marker naming a missing quiz stops the build with the closest id."""
    pages = dict(PAGES, **{"modules/fire.en.md": MODULE_EN.replace("fire-safety", "fire-safty")})
    root = project({"fire-safety.yaml": GOOD_QUIZ}, pages)
    result = run_generator("build", cwd=root)
    assert result.returncode == 1
    assert "content/modules/fire.en.md:7:1" in result.stderr and "<!-- quiz: fire-safety -->" in result.stderr
    assert not (root / "site").exists()


def test_plain_mkdocs_build_reports_without_traceback(project):
    """`mkdocs build` (the Windows instructions) stops before emptying site/, with the same message."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    before = snapshot(root / "site")
    (root / "quizzes/fire-safety.yaml").write_text(GOOD_QUIZ.replace("type: multiple", "type: multi"), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "quizzes/fire-safety.yaml:20:11" in result.stderr and "type: multiple" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root / "site") == before


def test_failure_late_in_the_build_keeps_the_old_site(project):
    """A failure after MkDocs has started writing (here: strict mode and a dead link) leaves site/ as it was."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    before = snapshot(root / "site")
    (root / "content/modules/plain.en.md").write_text("# No quiz\n\n[dead](nowhere.md)\n", encoding="utf-8")
    result = run_generator("build", "--strict", cwd=root)
    assert result.returncode == 1 and "site/ is unchanged" in result.stderr
    assert snapshot(root / "site") == before
    assert not list(root.glob(".site-*"))


def test_check_exit_codes(project):
    """check: 0 when clean, 1 on errors, 2 on warnings only with --strict (yamllint's convention)."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES, with_site_url(fixture_config()))  # no site_url is a warning
    clean = run_generator("check", cwd=root)
    assert clean.returncode == 0 and "没有发现问题" in clean.stdout
    (root / "content/modules/plain.en.md").unlink()
    assert run_generator("check", cwd=root).returncode == 0
    strict = run_generator("check", "--strict", cwd=root)
    assert strict.returncode == 2 and "plain.zh.md" in strict.stdout
    (root / "quizzes/fire-safety.yaml").write_text("title: x\n", encoding="utf-8")
    assert run_generator("check", cwd=root).returncode == 1


def test_project_checks_clean(tmp_path):
    """The test project's modules and quizzes have no errors and no warnings (check --strict exits 0)."""
    root = copy_project(PROJECT, tmp_path / "project")
    config = with_site_url(
        load_config(root / "mkdocs.yml")
    )  # its site_url is empty on purpose, which check warns about
    (root / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    result = run_generator("check", "--strict", cwd=root)
    assert result.returncode == 0, result.stdout


def test_missing_config_file_is_explained(tmp_path):
    """Running outside the project says where to run it, without a traceback."""
    result = run_generator("build", cwd=tmp_path)
    assert result.returncode == 1 and "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


def test_search_index_per_language(project_site):
    """Each language has its own index, without duplicates or the other language, posters left out."""
    for prefix in ("", "en/"):
        index = json.loads((project_site / prefix / "search/search_index.json").read_text(encoding="utf-8"))
        locations = [doc["location"] for doc in index["docs"]]
        assert len(locations) == len(set(locations)), "no entry twice"
        assert not any(loc.startswith(("en/", "posters/")) for loc in locations)
        assert (project_site / prefix / "search/search_index.js").is_file()
    en = json.loads((project_site / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert en["config"]["lang"] == ["en"] and "modules/fire.html" in [d["location"] for d in en["docs"]]


def test_quiz_title_is_text_on_its_pages(project):
    """Markup in a quiz title (say, from an imported sheet) shows as text on its page, never runs."""
    source = GOOD_QUIZ.replace("  zh: 消防安全知识测验", '  zh: "消防<img src=x onerror=alert(1)>测验"')
    root = project({"fire-safety.yaml": source}, PAGES)
    assert run_generator("build", cwd=root).returncode == 0
    for page in ["quizzes/fire-safety.html", "posters/fire-safety.html", "quizzes/index.html"]:
        html = (root / "site" / page).read_text(encoding="utf-8")
        html = re.sub(r"<title>.*?</title>", "", html)  # <title> holds only text (RCDATA): markup there never runs
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, page


def test_404_page_switches_to_the_home_pages(project_site):
    """404.html is rendered after the generated pages: its language switch must not point at one of them."""
    html = (project_site / "404.html").read_text(encoding="utf-8")
    links = dict(
        (lang, href) for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)" class="md-select__link"', html)
    )
    assert links == {"en": "/en/index.html", "zh": "/index.html"}
