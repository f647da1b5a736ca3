"""The service worker's lists and version, made at build time."""

from __future__ import annotations

from generator.offline import offline_lists, site_version, write_worker


def site(tmp_path):
    for path in [
        "index.html",
        "404.html",
        "modules/a.html",
        "quizzes/q.html",
        "posters/q.html",
        "en/index.html",
        "en/modules/a.html",
        "assets/x.1234.js",
        "assets/x.js.map",
        "assets/javascripts/lunr/min/lunr.zh.min.js",
        "assets/javascripts/lunr/min/lunr.ja.min.js",
        "assets/javascripts/iframe-worker.js",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path, encoding="utf-8")
    return tmp_path


def test_lists_per_language(tmp_path):
    """Each language keeps its own pages and search index; posters, 404, maps, other languages' lunr files
    and the file:// worker shim are left out."""
    assets, pages = offline_lists(site(tmp_path), {"": "zh", "en/": "en"})
    assert assets == ["assets/javascripts/lunr/min/lunr.zh.min.js", "assets/x.1234.js"]
    assert pages["zh"] == ["index.html", "modules/a.html", "quizzes/q.html", "search/search_index.json"]
    assert pages["en"] == ["en/index.html", "en/modules/a.html", "en/search/search_index.json"]


def test_version_follows_the_content(tmp_path):
    """Any changed file gives a new version, so a rebuilt site replaces the old cache; sw.js itself does not count."""
    root = site(tmp_path)
    first = write_worker(root, {"": "zh", "en/": "en"})
    assert site_version(root) == first, "writing sw.js does not change the version"
    (root / "modules/a.html").write_text("changed", encoding="utf-8")
    assert site_version(root) != first
    assert (root / "sw.js").read_text(encoding="utf-8").startswith(f'const VERSION = "{first}";')
