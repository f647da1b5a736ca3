"""The site plan, in process: what the generator adds to each language of the test project, without MkDocs."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from generator.model import QuizBank
from generator.project import Project
from generator.settings import read_settings
from generator.site import Assets, SitePlan, markdown_text, module_groups
from generator.urls import Language
from tests.conftest import PROJECT

ZH = Language.of("zh", ["zh", "en"], "测试县 · 安全知识学习")
EN = Language.of("en", ["zh", "en"], "Test County · Safety Knowledge")
SITE_URL = "https://anquan.example.gov.cn/xian/"
NAV = [
    (None, ["index"]),
    ("基础知识", ["modules/principles", "modules/rights-duties"]),
    ("防火", ["modules/fire"]),
    (None, ["glossary"]),
]
PAGE = "<html><head><title>x</title></head><body>{}</body></html>"


@pytest.fixture(scope="module")
def project() -> Project:
    settings, problems = read_settings(PROJECT / "mkdocs.yml")
    assert problems == []
    checked = settings.check()
    assert [p for p in checked.problems if p.is_error] == []
    return checked.project


@pytest.fixture
def plan(project) -> SitePlan:
    return SitePlan(project)


def test_languages_know_their_folders():
    assert (ZH.prefix, ZH.others) == ("", (("en", "en/"),))
    assert (EN.prefix, EN.others, EN.prefixes) == ("en/", (("zh", ""),), {"en": "en/", "zh": ""})
    assert EN.absolute("en/quizzes/fire-safety.html") is None
    assert replace(EN, site_url=SITE_URL).absolute("en/quizzes/a.html") == SITE_URL + "en/quizzes/a.html"


def test_generated_pages_are_quiz_pages_and_the_index(plan, project):
    pages = plan.pages(EN)
    learner = ["learn/progress.md", "learn/mistakes.md", "learn/daily.md", "learn/practice.md"]
    assert [p.path for p in pages] == [f"quizzes/{q.id}.md" for q in project.bank] + ["quizzes/index.md"] + learner
    quiz_page = pages[0]
    assert not quiz_page.in_nav and quiz_page.rendered
    assert f"<!-- quiz: {project.bank.ids()[0]} -->" in quiz_page.markdown and "<!-- share -->" in quiz_page.markdown
    index = pages[len(project.bank)]
    assert index.in_nav and "<!-- quiz-list -->" in index.markdown
    assert all(p.in_nav and p.rendered and p.markdown.endswith(f"<!-- learn: {p.path[6:-3]} -->\n") for p in pages[-4:])
    listed_only = plan.pages(EN, rendered=False)
    assert [p.path for p in listed_only] == [p.path for p in pages]
    quizzes_only = listed_only[: len(project.bank)]
    assert all(not p.rendered and p.markdown == "" for p in quizzes_only)
    assert all(p.rendered for p in listed_only[len(project.bank) :])


def test_a_site_without_quizzes_has_no_learner_pages(project):
    """The learner pages ask the site's questions: a site with none has none of them, nor the home box."""
    plan = SitePlan(replace(project, bank=QuizBank()))
    assert [p.path for p in plan.pages(EN)] == ["quizzes/index.md"]
    assert "data-learn-home" not in plan.fill(PAGE.format("<!-- campaign -->"), ZH, "index.html", "首页", NAV)


def test_a_quiz_title_is_text_in_page_markdown():
    title = "[x](javascript:alert(1)) <b>#1</b> *a*"
    assert markdown_text(title) == r"\[x\]\(javascript:alert\(1\)\) &lt;b&gt;\#1&lt;/b&gt; \*a\*"


def test_only_generated_pages_switch_language_to_themselves(plan, project):
    quiz_id = project.bank.ids()[0]
    assert plan.switch_path(EN, f"en/quizzes/{quiz_id}.html") == f"quizzes/{quiz_id}.html"
    assert plan.switch_path(ZH, "quizzes/index.html") == "quizzes/index.html"
    assert plan.switch_path(ZH, "quizzes/no-such-quiz.html") is None
    assert plan.switch_path(EN, "en/modules/fire.html") is None


def test_posters_per_language(plan, project):
    posters = plan.posters(EN)
    assert set(posters) == {"home.html", "index.html"} | {f"{q}.html" for q in project.bank.ids()}
    index = posters["index.html"]
    assert '<html lang="en">' in index and 'href="../../posters/index.html" hreflang="zh"' in index
    assert "<svg" not in posters["home.html"]  # no site_url: no QR code, and the poster says how to fix it
    assert plan.posters(EN) is posters  # the default language is built twice: rendered once

    with_address = replace(EN, site_url=SITE_URL)
    quiz_id = project.bank.ids()[0]
    poster = plan.posters(with_address, favicon="assets/favicon.svg")[f"{quiz_id}.html"]
    assert f"{SITE_URL}en/quizzes/{quiz_id}.html" in poster and "<svg" in poster
    assert 'href="../../assets/favicon.svg"' in poster


def test_the_home_block_follows_the_navigation(plan):
    html = plan.fill(PAGE.format("<!-- campaign -->"), ZH, "index.html", "首页", NAV)
    assert "测试主题：安全在身边" in html
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == ["基础知识", "防火"]
    modules = re.findall(r'<li><a href="(modules/[^"]+)"', html)
    assert modules == ["modules/principles.html", "modules/rights-duties.html", "modules/fire.html"]
    learner = re.findall(r'<li><a href="(learn/[^"]+)"', html)  # the box into the learner pages
    assert learner == ["learn/progress.html", "learn/mistakes.html", "learn/daily.html", "learn/practice.html"]
    assert 'href="quizzes/fire-safety.html"' in html and 'data-campaign-passed="fire-safety"' in html


def test_module_groups():
    modules = dict.fromkeys(["a", "b", "c", "d"])
    nav = [(None, ["index", "c"]), ("One", ["b", "a", "b"]), ("Empty", ["x"]), ("Two", ["c"])]
    assert module_groups(modules, nav) == [("One", ["b", "a"]), ("", ["c", "d"])]
    assert module_groups(modules, []) == [("", ["a", "b", "c", "d"])]


def test_fill_lists_quizzes_and_shares_generated_pages_only(plan, project):
    quiz_id = project.bank.ids()[0]
    listed = plan.fill("<!-- quiz-list -->", EN, "en/quizzes/index.html", "Quizzes", NAV)
    assert all(f'href="{q}.html"' in listed for q in project.bank.ids())
    shared = plan.fill("<!-- share -->", replace(EN, site_url=SITE_URL), f"en/quizzes/{quiz_id}.html", "Fire", NAV)
    assert f'data-share-url="{SITE_URL}en/quizzes/{quiz_id}.html"' in shared and 'data-share-title="Fire"' in shared
    assert plan.fill("<!-- share -->", EN, "en/modules/fire.html", "Fire", NAV) == "<!-- share -->"


def test_a_printed_module_ends_with_a_qr_code_to_its_quiz(plan):
    page = plan.fill("<p>text</p>", replace(EN, site_url=SITE_URL), "en/modules/fire.html", "Fire", NAV)
    assert page.startswith("<p>text</p>") and 'class="handout-qr"' in page
    assert f"{SITE_URL}en/quizzes/fire-safety.html" in page
    assert plan.fill("<p>text</p>", EN, "en/modules/fire.html", "Fire", NAV) == "<p>text</p>"  # no address, no code
    assert "handout-qr" not in plan.fill("<p>t</p>", replace(EN, site_url=SITE_URL), "en/glossary.html", "G", NAV)


def test_finish_puts_quizzes_in_and_links_the_engine_where_needed(plan, project):
    quiz_id = project.bank.ids()[0]
    here = f"en/quizzes/{quiz_id}.html"
    body = plan.fill(f"<!-- quiz: {quiz_id} -->", EN, here, "t", NAV)
    assert f"<!-- quiz: {quiz_id} -->" in body  # kept until the page is whole: search never reads questions
    page = plan.finish(PAGE.format(body), EN, here, worker=True)
    assert f'id="quiz-{quiz_id}"' in page and 'lang="en"' in page
    head = page[: page.index("</head>")]
    names = plan.assets.names
    assert f'href="../../{names["quiz.css"]}"' in head and f'src="../../{names["quiz.js"]}"' in head
    assert f'data-certificate="../../{names["quiz-certificate.js"]}"' in head
    assert 'data-worker="../../sw.js" data-worker-lang="en"' in head

    plain = plan.finish(PAGE.format("<p>no quiz</p>"), ZH, "glossary.html", worker=False)
    assert f'href="{names["site.css"]}"' in plain and f'src="{names["site.js"]}" defer' in plain
    assert "quiz.js" not in plain.replace(names["site.js"], "") and "data-worker" not in plain


def test_a_broken_quiz_says_so_where_it_would_be(plan):
    body = plan.fill("<!-- quiz: has-errors -->", ZH, "modules/x.html", "x", NAV)
    page = plan.finish(PAGE.format(body), ZH, "modules/x.html", worker=False)
    assert "测验“has-errors”有错误" in page and 'The quiz "has-errors" has errors' in page
    assert "quiz.css" not in page  # no quiz on the page: the engine is not loaded


def test_the_banner_is_the_campaign_or_nothing(plan):
    assert "测试主题：安全在身边" in plan.banner(ZH)
    assert SitePlan(Project()).banner(ZH) is None


def test_asset_names_change_with_their_content():
    assets = Assets.load()
    assert set(assets.names) == {
        "quiz.css",
        "quiz.js",
        "quiz-certificate.js",
        "site.css",
        "site.js",
        "read-aloud.js",
        "learn.css",
        "learn.js",
    }
    for name, path in assets.names.items():
        stem, suffix = name.rsplit(".", 1)
        assert re.fullmatch(rf"assets/generator/{re.escape(stem)}\.[0-9a-f]{{8}}\.{suffix}", path)
        assert assets.files[path]
