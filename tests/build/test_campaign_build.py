"""Building the campaign pieces: banner, home hero, posters and handouts follow mkdocs.yml."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..conftest import GOOD_QUIZ, MODULE_PAGES, build, campaign_of, fixture_config, run_generator, with_site_url

CAMPAIGN = {
    "year": 2041,
    "edition": 40,
    "theme": {"zh": "测试主题一二三", "en": "Test theme one two three"},
    "start": dt.date(2041, 6, 2),
    "end": dt.date(2041, 6, 30),
    "organiser": {"zh": "某某县安委办", "en": "Such-and-such County Safety Office"},
    "activities": [
        {
            "date": dt.date(2041, 6, 16),
            "title": {"zh": "现场咨询日", "en": "Consultation day"},
            "place": {"zh": "中心广场", "en": "Central square"},
        },
    ],
}
"""A whole campaign block, unlike the test project's in every field."""


def read(root, page):
    return (root / "site" / page).read_text(encoding="utf-8")


def test_changing_the_campaign_updates_every_piece(project):
    """A new theme and dates in mkdocs.yml reach the banner, the home page and the posters, in both languages."""
    config = fixture_config()
    campaign_of(config).clear()
    campaign_of(config).update(CAMPAIGN)
    root = project({"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES, config)
    build(root)
    for page in [
        "index.html",
        "modules/fire.html",
        "quizzes/fire-safety.html",
        "posters/home.html",
        "posters/fire-safety.html",
    ]:
        assert "测试主题一二三" in read(root, page), page
        assert "Test theme one two three" in read(root, "en/" + page), "en/" + page
    banner = read(root, "modules/fire.html")
    assert 'data-start="2041-06-02" data-end="2041-06-30"' in banner and "6月2日—6月30日" in banner
    assert "2 June – 30 June" in read(root, "en/index.html")
    home = read(root, "index.html")
    assert "第40个全国“安全生产月”" in home and "主办：某某县安委办" in home
    assert "<td>6月16日</td><td>现场咨询日</td><td>中心广场</td>" in home
    assert "Such-and-such County Safety Office" in read(root, "en/index.html")
    assert re.search(
        r'<a href="modules/fire.html">消防</a><br>'
        r'<a class="campaign-modules__quiz" href="quizzes/fire-safety.html">消防安全知识测验</a>',
        home,
    )


def test_without_site_url_posters_say_how_to_fix_it(project):
    """No site_url: one warning that says how to set it, and posters that explain instead of a wrong code."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES)
    result = build(root)
    assert result.stderr.count("没有填写 site_url") == 1
    assert "site_url: https://" in result.stderr
    poster = read(root, "posters/fire-safety.html")
    sheet = poster.split('<div class="poster">')[1].split("</div>")[0]
    assert "data-poster-missing" in sheet and "<svg" not in sheet
    assert "handout-qr" not in read(root, "modules/fire.html")


def test_posters_and_handouts_with_site_url(project):
    """With site_url: QR codes on posters and at the end of modules, the URL as text, posters out of the nav."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES, with_site_url(fixture_config()))
    result = build(root)
    assert "site_url" not in result.stderr
    poster = read(root, "en/posters/fire-safety.html")
    assert "https://example.gov.cn/anquan/en/quizzes/fire-safety.html" in poster
    assert re.search(
        r'<svg role="img" viewBox="[^"]+" class="segno"><title>QR code for https://example.gov.cn/anquan/en/quizzes/fire-safety.html</title>',
        poster,
    )
    assert "https://example.gov.cn/anquan/" in read(root, "posters/home.html")
    index = read(root, "posters/index.html")
    assert '<a href="home.html">首页海报</a>' in index and '<a href="fire-safety.html">消防安全知识测验</a>' in index
    assert '<a href="../en/posters/index.html" hreflang="en">English posters</a>' in index
    handout = read(root, "modules/fire.html")
    assert 'class="handout-qr"' in handout and "https://example.gov.cn/anquan/quizzes/fire-safety.html" in handout
    assert "posters/" not in read(root, "modules/fire.html").split('class="handout-qr"')[0].split("md-content")[0], (
        "posters are for staff: not in the navigation"
    )


def test_posters_are_standalone_pages(project):
    """Posters are light pages of their own: no theme, script or search; links back to the site, the
    poster index and the same poster in the other language; a module may link one as .html (not .md)."""
    pages = dict(
        MODULE_PAGES,
        **{"modules/fire.zh.md": MODULE_PAGES["modules/fire.zh.md"] + "\n[打印海报](../posters/fire-safety.html)\n"},
    )
    root = project({"fire-safety.yaml": GOOD_QUIZ}, pages, with_site_url(fixture_config()))
    result = run_generator("build", cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "posters/fire-safety" not in result.stderr, "MkDocs knows the poster: no warning about the link"
    assert '<a href="../posters/fire-safety.html">打印海报</a>' in read(root, "modules/fire.html")
    for page, lang, links in [
        (
            "posters/fire-safety.html",
            "zh",
            ['href="../index.html"', 'href="index.html"', 'href="../en/posters/fire-safety.html" hreflang="en"'],
        ),
        (
            "en/posters/fire-safety.html",
            "en",
            ['href="../index.html"', 'href="index.html"', 'href="../../posters/fire-safety.html" hreflang="zh"'],
        ),
        ("en/posters/index.html", "en", ['href="../index.html"', 'href="../../posters/index.html" hreflang="zh"']),
    ]:
        html = read(root, page)
        assert html.startswith("<!doctype html>") and f'<html lang="{lang}">' in html, page
        assert "<script" not in html and "md-header" not in html and "stylesheet" not in html, page
        assert all(link in html for link in links), page
        assert len(html.encode("utf-8")) < 20_000, page
    for prefix in ("", "en/"):
        index = json.loads(read(root, prefix + "search/search_index.json"))
        assert not any("posters/" in doc["location"] for doc in index["docs"])
    assert "posters/" not in read(root, "sitemap.xml")
    pages["modules/fire.zh.md"] = pages["modules/fire.zh.md"].replace("fire-safety.html)", "fire-safety.md)")
    root = project({"fire-safety.yaml": GOOD_QUIZ}, pages, with_site_url(fixture_config()))
    result = run_generator("check", cwd=root)
    assert result.returncode == 1 and "“../posters/fire-safety.md”" in result.stdout


def test_campaign_error_stops_the_build(project):
    """A bad date in the campaign block: exit 1, mkdocs.yml and its line named, no site written."""
    config = fixture_config()
    campaign = campaign_of(config)
    campaign["end"] = campaign["start"] - dt.timedelta(days=2)
    root = project({"fire-safety.yaml": GOOD_QUIZ}, MODULE_PAGES, config)
    result = run_generator("build", cwd=root)
    written = f"end: {campaign['end'].isoformat()}"
    line, column = next(
        (n, text.index(written) + len("end: ") + 1)
        for n, text in enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
        if written in text
    )
    assert result.returncode == 1 and f"mkdocs.yml:{line}:{column}: 错误 error [campaign]" in result.stderr
    assert "早于开始日期" in result.stderr and not (root / "site").exists()
