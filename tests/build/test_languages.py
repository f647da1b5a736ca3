"""Every page says its language, and links to itself in the other one (hreflang).

Checked on the test project's site (tests/fixtures/project).

The `<html lang>` of each built page matches its folder (English under en/); each page's
language switch carries hreflang and points at the same page in the other language; and
sitemap.xml lists every page a worker can reach, quiz pages included, with an hreflang
alternate per language.  (The `<link rel="alternate">` tags are left out of the page heads
on purpose: Material fetches a sitemap.xml beside each one, see theme_overrides/main.html.)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
STAFF = ("posters/", "en/posters/")


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def counterpart(path: str) -> tuple[str, str]:
    """(language, the same page in the other language)"""
    return ("en", path.removeprefix("en/")) if path.startswith("en/") else ("zh", "en/" + path)


def test_every_page_has_its_language(project_site):
    for path in pages(project_site):
        html = (project_site / path).read_text(encoding="utf-8")
        language, _ = counterpart(path)
        assert re.search(r'<html lang="([^"]+)"', html)[1] == language, path


def test_language_switch_links_carry_hreflang(project_site):
    for path in pages(project_site):
        if path.startswith(STAFF) or path == "404.html":
            continue
        language, other = counterpart(path)
        html = (project_site / path).read_text(encoding="utf-8")
        links = dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', html))
        assert set(links) == {"zh", "en"}, path
        target = urljoin(path, links["en" if language == "zh" else "zh"])
        assert target == other and (project_site / target).is_file(), (path, links)


def test_sitemap_lists_every_page_with_alternates(project_site):
    root = ET.parse(project_site / "sitemap.xml").getroot()
    listed = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        listed[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
    expected = {p for p in pages(project_site) if not p.startswith(STAFF) and p != "404.html"}
    assert set(listed) == expected
    for loc, alternates in listed.items():
        language, other = counterpart(loc)
        assert alternates[language] == loc and alternates["en" if language == "zh" else "zh"] == other, loc
