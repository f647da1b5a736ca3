"""The site's side of counting participation (DESIGN §11): what a results: block adds to the built
site, and that without one the site has nothing of it."""

from __future__ import annotations

import re

from ..conftest import GOOD_QUIZ, MODULE_PAGES, UNITS_YAML, fixture_config, run_generator, with_results, with_site_url

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
    assert not list(site.rglob("results.*")) and not list(site.rglob("results-summary.*"))
    assert not [p for p in site.rglob("*.html") if "data-results" in p.read_text(encoding="utf-8")]


def test_results_without_units_stop_the_build_with_a_fix(project):
    root, result = build(project, with_results(fixture_config()), units=None)
    assert result.returncode == 1
    assert "units.yaml" in result.stderr and "Create units.yaml beside mkdocs.yml" in result.stderr
    assert not (root / "site").exists()


SUMMARY_SCRIPT = r'src="[./]*assets/generator/results-summary\.[0-9a-f]{8}\.js" data-endpoint="/anquan-api/" defer'
SUMMARY_STYLE = r'<link rel="stylesheet" href="[./]*assets/generator/results-summary\.[0-9a-f]{8}\.css">'


def test_the_home_page_has_the_counter_only_with_public_summary(project):
    """public_summary: true puts the hidden counter, its texts and its files on each language's home page
    (at its end: this one has no campaign block), and on no other page."""
    root, result = build(project, with_results(fixture_config(), public_summary=True))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    for page, heading, total in (
        ("index.html", "参与情况", "已有 {attempts}参与"),
        ("en/index.html", "Taking part", "so far"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        block = html[html.index('<section class="results-summary" data-results-summary') :]
        block = block[: block.index("</section>")]
        assert " hidden>" in block.split("\n", 1)[0]  # shown by the script once the service answers
        assert f'<h2 id="results-summary-heading">{heading}</h2>' in block and total in block
        assert html.index('class="quiz-list"') < html.index("data-results-summary")
        assert re.search(SUMMARY_SCRIPT, html) and re.search(SUMMARY_STYLE, html)
    for page in ("modules/fire.html", "en/quizzes/fire-safety.html", "quizzes/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "results-summary" not in html
    assert len(list(site.rglob("results-summary.*.js"))) == len(list(site.rglob("results-summary.*.css"))) == 1


def test_the_counter_follows_the_campaign_theme(project):
    """On a home page with the campaign block, the counter comes right after the theme and dates, before the modules."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES, with_results(fixture_config(), public_summary=True))
    (root / "units.yaml").write_text(UNITS_YAML, encoding="utf-8")
    assert run_generator("build", cwd=root).returncode == 0
    for page in ("index.html", "en/index.html"):
        html = (root / "site" / page).read_text(encoding="utf-8")
        hero, counter = html.index('<div class="campaign-hero">'), html.index("data-results-summary")
        assert hero < counter < html.index('<h2 id="campaign-modules">')
        assert html.count("data-results-summary ") == 1


def test_without_public_summary_there_is_no_counter(project):
    """Results on, public_summary false (the default): no counter and none of its files anywhere."""
    root, result = build(project, with_results(fixture_config(), public_summary=False))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert not list(site.rglob("results-summary*"))
    assert not [p for p in site.rglob("*.html") if "results-summary" in p.read_text(encoding="utf-8")]
