"""The MkDocs adapter in process: the test project's config loaded by MkDocs and the plugins' events
run by hand, as mkdocs-static-i18n's own tests do, instead of a whole build in a subprocess."""

from __future__ import annotations

import json

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files, InclusionLevel, get_files
from mkdocs.structure.nav import get_navigation
from mkdocs.utils import get_relative_url

from generator.adapter import i18n, material
from generator.adapter.plugin import nav_order
from generator.urls import Language, relative_url
from tests.conftest import PROJECT, copy_project


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The state after the first (default language) build's on_files and on_nav: (config, files, nav)."""
    root = copy_project(PROJECT, tmp_path_factory.mktemp("adapter") / "project")
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    return config, files, nav


def generated(files: Files) -> dict[str, object]:
    return {file.dest_uri: file for file in files if file.generated_by}


def test_the_language_being_built(first_build):
    config, _, _ = first_build
    language = i18n.language(config)
    assert language == Language("zh", "", (("en", "en/"),), "测试县 · 安全知识学习", "")
    assert i18n.built_languages(config) == ["zh", "en"]
    assert not i18n.inner_language_build(config)


def test_the_first_build_lists_quiz_pages_it_does_not_render(first_build):
    """The default language is listed last, so mkdocs-static-i18n builds it again at the end (DESIGN §8)."""
    config, files, _ = first_build
    assert i18n.rebuilt_later(config)
    pages = generated(files)
    assert pages["quizzes/fire-safety.html"].inclusion is InclusionLevel.EXCLUDED
    assert pages["quizzes/index.html"].inclusion.is_included()
    assert {"posters/index.html", "posters/home.html", "posters/fire-safety.html"} <= set(pages)
    assert (
        sum(uri.startswith("assets/generator/") for uri in pages) == 8
    )  # quiz, certificate, site, read aloud, learner pages


def test_the_sitemap_lists_generated_pages_in_every_language(first_build):
    config, files, _ = first_build
    listed = config.plugins["i18n"].i18n_files_per_language["zh"]
    index = generated(files)["quizzes/index.html"]
    assert index in listed
    assert {code: alternate.url for code, alternate in index.alternates.items()} == {
        "zh": "quizzes/index.html",
        "en": "en/quizzes/index.html",
    }
    assert generated(files)["quizzes/fire-safety.html"] not in listed  # not rendered in this build


def test_another_language_build_renders_quiz_pages_under_its_folder(first_build):
    config, _, _ = first_build
    plugin, i18n_plugin = config.plugins["generator"], config.plugins["i18n"]
    saved = i18n_plugin.current_language, i18n_plugin.building
    i18n_plugin.current_language, i18n_plugin.building = "en", True
    try:
        assert i18n.language(config).prefix == "en/" and not i18n.rebuilt_later(config)
        pages = generated(plugin.on_files(Files([]), config))
    finally:
        i18n_plugin.current_language, i18n_plugin.building = saved
    quiz = pages["en/quizzes/fire-safety.html"]
    assert quiz.inclusion is InclusionLevel.NOT_IN_NAV and quiz.src_uri == "quizzes/fire-safety.md"
    assert "<!-- quiz: fire-safety -->" in quiz.content_string
    assert '<html lang="en">' in pages["en/posters/index.html"].content_string


def test_the_navigation_order_for_the_home_page(first_build):
    _, _, nav = first_build
    assert nav_order(nav) == [
        (None, ["index"]),
        ("基础知识", ["modules/principles", "modules/rights-duties"]),
        ("防火", ["modules/fire"]),
        (None, ["quizzes/index"]),
        (None, ["glossary"]),
    ]


def test_language_switch_of_a_generated_page_and_back(first_build):
    config, _, _ = first_build
    before = json.dumps(config.extra["alternate"])
    i18n.set_switch_links(config, i18n.language(config), "quizzes/fire-safety.html")
    assert {link["lang"]: link["link"] for link in config.extra["alternate"]} == {
        "zh": "quizzes/fire-safety.html",
        "en": "en/quizzes/fire-safety.html",
    }
    assert config.extra.alternate is config.extra["alternate"]
    i18n.restore_switch_links(config)
    assert json.dumps(config.extra["alternate"]) == before


def test_search_base_points_at_the_language_folder():
    page = '<script id="__config" type="application/json">{"base": "..", "search": "x.js"}</script>'
    rebased = material.search_base(page, "en/")
    assert json.loads(rebased.split(">", 1)[1].rsplit("<", 1)[0]) == {"base": "../en/", "search": "x.js"}


@pytest.mark.parametrize("here", ["index.html", "en/index.html", "en/quizzes/fire.html", "modules/a/b.html", "", "en/"])
@pytest.mark.parametrize("target", ["index.html", "en/quizzes/index.html", "sw.js", "en/", "assets/generator/x.1.css"])
def test_relative_urls_agree_with_mkdocs(target, here):
    """The core's relative_url gives what MkDocs' get_relative_url gives, so pages link alike."""
    assert relative_url(target, here) == get_relative_url(target, here)
