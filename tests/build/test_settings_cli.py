"""One reading of mkdocs.yml and one list of problems for check, build and a bare mkdocs; quiet builds;
fresh state per build."""

from __future__ import annotations

import os
import subprocess
import sys

from ..conftest import GOOD_QUIZ, Tagged, dump_config, fixture_config, make_project, plugin_options, run_generator

MODULE = {
    "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    "modules/fire.zh.md": "# 消防\n\n<!-- quiz: fire-safety -->\n",
    "modules/fire.en.md": "# Fire\n\n<!-- quiz: fire-safety -->\n",
}


def config_text(change=None) -> str:
    config = fixture_config()
    config.pop("site_url", None)
    config["nav"] = [{"首页": "index.md"}, "modules/fire.md", {"测验": "quizzes/index.md"}]
    if change:
        change(config)
    return dump_config(config)


def test_check_shows_the_site_url_warning_that_the_build_shows(tmp_path):
    """make check and the build list the same problems: a missing site_url is a warning in both."""
    root = make_project(tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ}, MODULE, config_text())
    check = run_generator("check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "没有填写 site_url" in check.stdout and "Found 1 warning(s)." in check.stdout
    build = run_generator("build", "-d", str(tmp_path / "out"), cwd=root)
    assert build.returncode == 0 and "没有填写 site_url" in build.stdout + build.stderr


def test_check_does_not_say_the_site_was_not_built(tmp_path):
    """check never builds, so its report says to check again; the build's says the old site is kept."""
    root = make_project(
        tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ.replace("answer: B", "answer: E")}, MODULE, config_text()
    )
    check = run_generator("check", cwd=root)
    assert check.returncode == 1
    assert "site/" not in check.stdout + check.stderr and "check again" in check.stdout
    build = run_generator("build", "-d", str(tmp_path / "out"), cwd=root)
    assert build.returncode == 1 and "previous site/ is unchanged" in build.stderr


def test_env_tag_in_mkdocs_yml_works_in_check_and_build(tmp_path):
    """docs_dir: !ENV [VAR, content] is read as MkDocs reads it (check crashed with a traceback before)."""
    text = config_text(lambda c: c.update(docs_dir=Tagged("!ENV", ["SAFETY_TEST_DOCS", "content"])))
    root = make_project(tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ}, MODULE, text)
    check = run_generator("check", cwd=root)
    assert check.returncode == 0 and "Traceback" not in check.stderr, check.stderr
    assert "modules/fire" in check.stdout, "the modules were found through the variable's default"
    assert run_generator("build", "-d", str(tmp_path / "out"), cwd=root).returncode == 0
    assert (tmp_path / "out" / "modules" / "fire.html").is_file()


def test_a_wrong_setting_is_named_in_words_under_bare_mkdocs_too(tmp_path):
    """campaign: hello under mkdocs build (as make serve runs it): the setting, its line, the fix; no Python type."""
    text = config_text(lambda c: plugin_options(c, "generator").update(campaign="hello"))
    root = make_project(tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ}, MODULE, text)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    bare = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = bare.stdout + bare.stderr
    assert bare.returncode != 0
    line = next(
        n
        for n, text in enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
        if "campaign:" in text
    )
    assert f"mkdocs.yml:{line}:" in output and "campaign" in output and "键: 值" in output, output
    assert "<class" not in output and "Expected type" not in output
    check = run_generator("check", cwd=root)
    assert check.returncode == 1 and f"mkdocs.yml:{line}:" in check.stdout + check.stderr


def test_a_build_prints_no_jieba_debug_lines(tmp_path):
    """Staff see MkDocs' lines and ours, not jieba loading its dictionary."""
    root = make_project(tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ}, MODULE, config_text())
    build = run_generator("build", "-d", str(tmp_path / "out"), cwd=root)
    output = build.stdout + build.stderr
    assert build.returncode == 0 and "prefix dict" not in output and "DEBUG" not in output, output


def test_preview_rebuilds_start_from_a_clean_state(tmp_path, monkeypatch):
    """As mkdocs serve does, build twice with the same plugin: a page whose quiz marker was removed
    stops loading quiz.js."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_project(tmp_path / "p", {"fire-safety.yaml": GOOD_QUIZ}, MODULE, config_text())
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    first = config.plugins["generator"]
    build(config)
    page = tmp_path / "out" / "modules" / "fire.html"
    assert "quiz." in page.read_text(encoding="utf-8") and 'data-quiz-id="fire-safety"' in page.read_text(
        encoding="utf-8"
    )
    for name, title in (("fire.zh.md", "消防"), ("fire.en.md", "Fire")):
        (root / "content" / "modules" / name).write_text(f"# {title}\n\nNo quiz now.\n", encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    assert config.plugins["generator"] is first, "MkDocs keeps a plugin with on_startup across rebuilds, as in serve"
    build(config)
    html = page.read_text(encoding="utf-8")
    assert "No quiz now." in html and "data-quiz-id" not in html
    assert "generator/quiz." not in html, "the page from the first build still loaded the quiz engine"
