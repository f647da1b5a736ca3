"""The learner pages in whole builds of scenario projects (DESIGN §12): where they land, their quiz
roots, the question scripts learn/data/<quiz>.js and the service worker's lists, the campaign's
``daily:`` on the daily page, the reserved quiz ids and folder, and reproducible output."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.campaign import DailySettings
from generator.compress import SIBLINGS
from generator.learn import PAGES, daily_quiz
from generator.load import load_bank
from generator.model import quiz_version

from ..conftest import (
    GOOD_QUIZ,
    HOME_PAGES,
    MODULE_PAGES,
    PRACTICE_QUIZ,
    built,
    campaign_of,
    fixture_config,
    make_project,
    run_generator,
)

QUIZZES = {"fire-safety.yaml": GOOD_QUIZ, "drill.yaml": PRACTICE_QUIZ}
LANGUAGES = {"zh": "", "en": "en/"}
QUIZ_ROOT = re.compile(r"<form [^>]*\bdata-quiz-id=\"([^\"]*)\"[^>]*>")
SCRIPT = re.compile(r'\A\(window\.generatorLearnBank=window\.generatorLearnBank\|\|\{\}\)\["([^"]*)"\]=(.*);\n\Z', re.S)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def learn_site(tmp_path_factory) -> Path:
    """Two quizzes (fire-safety in a module, drill on its own) and a campaign whose daily challenge
    is 3 questions in 90 seconds."""
    config = fixture_config()
    campaign_of(config)["daily"] = {"questions": 3, "time_limit": "90s"}
    root = make_project(tmp_path_factory.mktemp("learn-project"), QUIZZES, MODULE_PAGES, config)
    return built(root, root / "site")


def test_learner_pages_in_both_languages(learn_site):
    """learn/{progress,mistakes,daily,practice}.html and their en/ twins, each asking page with one quiz
    root of its own id and a submit button (DESIGN §7), the progress page with none."""
    for prefix in LANGUAGES.values():
        for kind in PAGES:
            html = read(learn_site, f"{prefix}learn/{kind}.html")
            assert f'data-learn="{kind}"' in html
            roots = QUIZ_ROOT.findall(html)
            if kind == "progress":
                assert roots == [] and "data-quiz-id" not in html
                continue
            assert roots == [kind], (prefix, kind)
            form = html[html.index(f'data-quiz-id="{kind}"') :]
            form = form[: form.index("</form>")]
            assert re.search(r'<button[^>]*type="submit"', form), (prefix, kind)


def test_learner_pages_are_in_their_language(learn_site):
    """The Chinese pages are lang zh with Chinese titles; the English ones lang en with English titles."""
    assert "<title>每日挑战" in read(learn_site, "learn/daily.html")
    english = read(learn_site, "en/learn/daily.html")
    assert "<title>Daily challenge" in english and '<html lang="en"' in english
    index = re.search(r"<script type=\"application/json\" data-learn-index>(.*?)</script>", english, re.S)
    data = json.loads(index.group(1))
    assert data["lang"] == "en" and set(data["quizzes"]) == {"fire-safety", "drill"}
    assert data["quizzes"]["fire-safety"]["title"] == "Fire safety quiz"
    assert data["quizzes"]["fire-safety"]["href"] == "../quizzes/fire-safety.html"


def test_question_scripts_per_quiz_and_language(learn_site):
    """learn/data/<quiz>.js for every quiz in both languages; the English one holds the English prompts."""
    for prefix in LANGUAGES.values():
        folder = learn_site / prefix / "learn" / "data"
        scripts = sorted(p.name for p in folder.iterdir() if p.suffix not in SIBLINGS)  # and their .gz, .br
        assert scripts == ["drill.js", "fire-safety.js"]
        for quiz_id in ("drill", "fire-safety"):
            match = SCRIPT.match(read(learn_site, f"{prefix}learn/data/{quiz_id}.js"))
            assert match and match.group(1) == quiz_id
            data = json.loads(match.group(2))
            assert data["id"] == quiz_id and len(data["questions"]) == (6 if quiz_id == "drill" else 3)
    english = read(learn_site, "en/learn/data/fire-safety.js")
    assert "Which number do you call to report a fire?" in english and "发现火灾" not in english
    chinese = read(learn_site, "learn/data/fire-safety.js")
    assert "发现火灾应拨打哪个电话报警？" in chinese and "Which number do you call" not in chinese


def test_service_worker_keeps_the_learner_pages(learn_site):
    """sw.js lists each language's learner pages and question scripts under that language, not the other."""
    worker = read(learn_site, "sw.js")
    pages = json.loads(re.search(r"^const PAGES = (.*);$", worker, re.M).group(1))
    for language, prefix in LANGUAGES.items():
        wanted = [f"{prefix}learn/{kind}.html" for kind in PAGES]
        wanted += [f"{prefix}learn/data/{quiz_id}.js" for quiz_id in ("drill", "fire-safety")]
        assert set(wanted) <= set(pages[language]), language
    assert not any(path.startswith("en/") for path in pages["zh"])
    assert all(path.startswith("en/") for path in pages["en"])


def test_campaign_daily_settings_reach_the_daily_page(learn_site):
    """daily: {questions: 3, time_limit: 90s}: the daily quiz root has a 90-second limit and the page
    says 3 questions, in both languages; its version is the one the results service checks."""
    root = learn_site.parent
    bank, problems = load_bank(root, root / "quizzes")
    assert not problems
    version = quiz_version(daily_quiz(bank, DailySettings(questions=3, time_limit=90)))
    for prefix, words in (("", "抽 3 道题"), ("en/", "3 questions")):
        html = read(learn_site, f"{prefix}learn/daily.html")
        [tag] = [t for t in re.findall(r"<form [^>]*>", html) if 'data-quiz-id="daily"' in t]
        assert attribute(tag, "data-quiz-time-limit") == "90" and attribute(tag, "data-quiz-mode") == "exam"
        assert attribute(tag, "data-quiz-version") == version
        about = re.search(r'<p class="learn__about">(.*?)</p>', html).group(1)
        assert words in about, about
        index = re.search(r"data-learn-index>(.*?)</script>", html, re.S).group(1)
        assert json.loads(index)["daily"] == {"questions": 3, "seconds": 90}


def test_a_site_without_quizzes_has_no_learner_pages(tmp_path):
    """No quizzes: no learn/ folder in either language, and sw.js lists none."""
    root = make_project(tmp_path / "project", {}, HOME_PAGES)
    site = built(root, root / "site")
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert not (site / "learn").exists() and not (site / "en" / "learn").exists()
    assert "learn/" not in read(site, "sw.js")


@pytest.mark.parametrize("name", ["daily", "practice", "mistakes"])
def test_a_quiz_file_with_a_reserved_name_is_refused(tmp_path, name):
    """quizzes/daily.yaml (practice, mistakes): check and build fail naming the file and saying to
    rename it; no traceback, no site/."""
    root = make_project(tmp_path / "project", {f"{name}.yaml": GOOD_QUIZ, "drill.yaml": PRACTICE_QUIZ})
    for command in ("check", "build"):
        result = run_generator(command, cwd=root)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert f"quizzes/{name}.yaml: 错误 error" in output, output
        assert "改个名字" in output and "Rename the file" in output and f"{name}-quiz.yaml" in output
        assert "Traceback" not in output
    assert not (root / "site").exists()


def test_a_page_of_ones_own_under_content_learn_is_refused(tmp_path):
    """content/learn/ is where the learner pages are generated: a page there fails check and build."""
    pages = {**HOME_PAGES, "learn/daily.zh.md": "# 我的每日\n", "learn/daily.en.md": "# My daily\n"}
    root = make_project(tmp_path / "project", {"fire-safety.yaml": GOOD_QUIZ}, pages)
    for command in ("check", "build"):
        result = run_generator(command, cwd=root)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        for path in ("content/learn/daily.zh.md", "content/learn/daily.en.md"):
            assert f"{path}: 错误 error" in output, output
        assert "content/learn/ 是自动生成页面的位置" in output and "content/modules/" in output
        assert "Traceback" not in output
    assert not (root / "site").exists()


def site_files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_learner_pages_build_reproducibly(tmp_path):
    """Two builds of a project without daily: (defaults), from two folders with different hash seeds:
    every file, learner pages and question scripts included, byte-identical."""
    sites = []
    for name, seed in (("one", "1"), ("two", "2")):
        root = make_project(tmp_path / name, QUIZZES, MODULE_PAGES)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1780000000"}
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"], cwd=root, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        sites.append(site_files(root / "site"))
    first, second = sites
    learner = [name for name in first if "learn/" in name and Path(name).suffix not in SIBLINGS]
    assert len(learner) == 2 * (len(PAGES) + len(QUIZZES)), learner
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
