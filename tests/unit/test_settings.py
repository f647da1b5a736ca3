"""mkdocs.yml read once, as MkDocs reads it: tags work, mistakes are named with their line in plain words."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.problems import Level, Problem, format_report
from generator.project import ProjectPaths, check_project
from generator.settings import read_settings

BASE = """\
site_name: 测试站点
docs_dir: content
plugins:
  - search
  - generator:
      quiz_dir: quizzes
"""


def settings_of(tmp_path: Path, text: str):
    config = tmp_path / "mkdocs.yml"
    config.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_settings(config)


def test_plain_settings_are_read_with_folders_beside_mkdocs_yml(tmp_path):
    """Folders resolve against mkdocs.yml's folder; an absent site_url is "" (not set)."""
    settings, problems = settings_of(tmp_path, BASE)
    assert problems == []
    assert settings.docs_dir == tmp_path / "content"
    assert settings.quiz_dir == tmp_path / "quizzes"
    assert settings.site_dir == tmp_path / "site"
    assert (settings.site_url, settings.site_name, settings.enabled) == ("", "测试站点", True)


def test_env_tags_work_as_in_mkdocs(tmp_path, monkeypatch):
    """docs_dir: !ENV [...] takes the variable, or the default when it is unset (it crashed check before)."""
    text = BASE.replace("docs_dir: content", "docs_dir: !ENV [SAFETY_DOCS, content]") + "site_url: !ENV SAFETY_URL\n"
    monkeypatch.delenv("SAFETY_DOCS", raising=False)
    monkeypatch.delenv("SAFETY_URL", raising=False)
    settings, problems = settings_of(tmp_path, text)
    assert problems == [] and settings.docs_dir == tmp_path / "content" and settings.site_url == ""
    monkeypatch.setenv("SAFETY_DOCS", "pages")
    monkeypatch.setenv("SAFETY_URL", "https://example.gov.cn/anquan/")
    settings, _ = settings_of(tmp_path, text)
    assert settings.docs_dir == tmp_path / "pages" and settings.site_url == "https://example.gov.cn/anquan/"


def test_python_tags_and_inherit_work_as_in_mkdocs(tmp_path):
    """The sample's !!python/object/apply slugify and an INHERIT file load as MkDocs loads them."""
    (tmp_path / "base.yml").write_text("site_url: https://example.gov.cn/x/\n", encoding="utf-8")
    text = (
        "INHERIT: base.yml\n"
        + BASE
        + textwrap.dedent("""\
        markdown_extensions:
          - toc:
              slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
        """)
    )
    settings, problems = settings_of(tmp_path, text)
    assert problems == [] and settings.site_url == "https://example.gov.cn/x/"


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        (
            BASE.replace("      quiz_dir: quizzes", "      campaign: hello\n      quizdir: quizzes"),
            7,
            7,
            ["quizdir", "是不是 quiz_dir", "Did you mean quiz_dir"],
        ),
        (
            BASE.replace("      quiz_dir: quizzes", "      quiz_dir: [a, b]"),
            6,
            17,
            ["quiz_dir", "一个列表", "a list", "quiz_dir: quizzes"],
        ),
        (
            BASE.replace("      quiz_dir: quizzes", "      enabled: maybe"),
            6,
            16,
            ["true（启用）或 false", "enabled: true"],
        ),
        (
            BASE.replace("docs_dir: content", "docs_dir: [content]"),
            2,
            11,
            ["docs_dir", "放模块的文件夹", "docs_dir: content"],
        ),
        (
            BASE.replace("site_name: 测试站点", "site_name: {zh: 测试}"),
            1,
            12,
            ["site_name", "一行文字", "one line of text"],
        ),
        (BASE + "theme: [\n", 8, 1, ["YAML 格式错误", "mkdocs.yml:8:1"]),
        (
            BASE.replace("  - generator:\n      quiz_dir: quizzes", "  - generator:\n    quiz_dir: quizzes"),
            6,
            5,
            ["没有缩进到 - generator: 下面", "not indented under - generator:"],
        ),
        (BASE + "plugins:\n  - search\n", 7, 1, ["又写了一次（第 3 行已经有）", "only the last one counts"]),
        (BASE.replace("site_name: 测试站点", "site_name: 2025"), 1, 12, ['site_name: "2025"', "the number 2025"]),
        (BASE + "site_url: example.gov.cn/anquan/\n", 7, 11, ["不是完整的网址", "https://"]),
        ("INHERIT: [a.yml]\n" + BASE, 1, 10, ["INHERIT 后面应写一个文件名", "INHERIT: base.yml"]),
    ],
)
def test_mistakes_are_named_with_line_and_an_example(tmp_path, text, line, column, words):
    """A wrong setting: its line and column in mkdocs.yml, what is expected in words, an example; no type names."""
    settings, problems = settings_of(tmp_path, text)
    assert settings is None
    assert [(p.line, p.column) for p in problems] == [(line, column)]
    report = format_report(problems)
    for word in words:
        assert word in report, report
    assert "class" not in report and "Traceback" not in report and "dict" not in report


def test_a_file_saved_as_gbk_says_to_save_it_as_utf8(tmp_path):
    """Notepad's "ANSI" on a Chinese Windows is GBK, which MkDocs cannot read: say how to save it."""
    config = tmp_path / "mkdocs.yml"
    config.write_bytes(BASE.encode("gbk"))
    settings, [problem] = read_settings(config)
    assert settings is None and "UTF-8" in problem.zh and "另存为" in problem.hint_zh


def test_an_unknown_tag_is_a_plain_problem_not_a_traceback(tmp_path):
    """A tag MkDocs does not know stops with a message naming mkdocs.yml."""
    settings, [problem] = settings_of(tmp_path, BASE + "extra: !secret x\n")
    assert settings is None and problem.path == "mkdocs.yml" and "MkDocs 读不懂 mkdocs.yml" in problem.zh


def test_check_warns_about_a_missing_site_url_like_the_build(tmp_path):
    """The site_url warning is the check's own, so make check and the build show the same list."""
    paths = ProjectPaths.default(tmp_path)
    _, problems = check_project(paths, site_url="")
    assert [(p.path, p.level) for p in problems] == [("mkdocs.yml", Level.WARNING)] and "site_url" in problems[0].zh
    assert check_project(paths, site_url="https://example.gov.cn/")[1] == []


def test_report_ends_with_what_the_errors_meant_for_the_command():
    """check never says the site was not built; build does; import adds nothing of its own."""
    error = [Problem("quizzes/a.yaml", 3, 1, Level.ERROR, "错", "wrong")]
    assert "site/" not in format_report(error, after="check") and "check again" in format_report(error, after="check")
    assert "The site was not built" in format_report(error, after="build")
    assert format_report(error, after="import").endswith("Found 1 error(s) and 0 warning(s).")
