"""The site's side of counting participation (DESIGN §11): what a results: block adds to the built
site, and that without one the site has nothing of it."""

from __future__ import annotations

import re

from ..conftest import GOOD_QUIZ, UNITS_YAML, fixture_config, run_generator, with_results, with_site_url

PAGES = {
    "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    "modules/fire.zh.md": "# 消防\n\n<!-- quiz: fire-safety -->\n",
    "modules/fire.en.md": "# Fire\n\n<!-- quiz: fire-safety -->\n",
}


def build(project, config, units=UNITS_YAML):
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES, config)
    if units is not None:
        (root / "units.yaml").write_text(units, encoding="utf-8")
    return root, run_generator("build", cwd=root)


def test_a_scored_quiz_can_be_sent_for_a_unit(project):
    """The page contract of DESIGN §11.1 on quiz pages in both languages; results.js on every page."""
    root, result = build(project, with_results(with_site_url(fixture_config())))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    for page, names in (("quizzes/fire-safety.html", "测试一镇"), ("en/quizzes/fire-safety.html", "Test Town One")):
        html = (site / page).read_text(encoding="utf-8")
        panel = html[html.index('<div class="quiz__send" data-results') :]
        assert re.findall(r'<option value="([^"]*)">', panel) == ["", "yjj", "town-1", "plant"]
        assert names in panel and "data-results-name" in panel and "data-results-send" in panel
        assert "data-results-status" in panel and "data-results-filter" not in panel  # 3 units: no filter box
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/generator/results\.[0-9a-f]{8}\.css">', html)
    for page in ("index.html", "en/index.html", "modules/fire.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert re.search(
            r'src="[./]*assets/generator/results\.[0-9a-f]{8}\.js" data-endpoint="/anquan-api/" defer', html
        )
    assert "results.css" not in (site / "index.html").read_text(encoding="utf-8").replace("results.js", "")


def test_names_are_not_asked_unless_configured(project):
    root, result = build(project, with_results(fixture_config(), ask_name="no"))
    assert result.returncode == 0, result.stderr
    html = (root / "site/quizzes/fire-safety.html").read_text(encoding="utf-8")
    assert "data-results-unit" in html and "data-results-name" not in html


def test_without_results_the_site_has_none_of_it(project):
    """No results files, no panel, no endpoint: a site without the block sends nothing anywhere."""
    root, result = build(project, fixture_config(), units=UNITS_YAML)  # units.yaml alone turns nothing on
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert not list(site.rglob("results.*"))
    assert not [p for p in site.rglob("*.html") if "data-results" in p.read_text(encoding="utf-8")]


def test_results_without_units_stop_the_build_with_a_fix(project):
    root, result = build(project, with_results(fixture_config()), units=None)
    assert result.returncode == 1
    assert "units.yaml" in result.stderr and "Create units.yaml beside mkdocs.yml" in result.stderr
    assert not (root / "site").exists()
