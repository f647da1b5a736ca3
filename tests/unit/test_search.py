"""Search indexes per language: entries once, locations relative to the language, its own settings."""

from __future__ import annotations

import json

from generator.search import split_index, write_indexes

MERGED = {
    "config": {"lang": ["zh", "en"], "separator": "[\\s]+", "pipeline": ["stemmer"]},
    "docs": [
        {"location": "index.html", "title": "首页", "text": "安全"},
        {"location": "en/index.html", "title": "Home", "text": "safety"},
        {"location": "index.html", "title": "首页", "text": "安全"},
        {"location": "en/modules/fire.html#x", "title": "Fire", "text": "extinguisher"},
    ],
}


def test_split_dedupes_and_rebases():
    """Each language keeps its own entries once; English locations lose their en/ prefix."""
    indexes = split_index(MERGED, {"": "zh", "en/": "en"})
    assert [d["location"] for d in indexes[""]["docs"]] == ["index.html"]
    assert [d["location"] for d in indexes["en/"]["docs"]] == ["index.html", "modules/fire.html#x"]
    assert indexes[""]["config"]["lang"] == ["zh"] and indexes["en/"]["config"]["lang"] == ["en"]
    assert indexes["en/"]["config"]["pipeline"] == ["stopWordFilter"], "Material's English setting: no stemmer"
    assert indexes["en/"]["config"]["separator"] == "[\\s]+"


def test_written_as_utf8_json_and_a_script_for_file_urls(tmp_path):
    """UTF-8 (not \\u escapes) and search_index.js, which Material loads when opened from a folder."""
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(MERGED), encoding="utf-8")
    sizes = write_indexes(tmp_path, {"": "zh", "en/": "en"})
    text = (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "首页" in text and "\\u" not in text.replace("\\\\u", "")
    script = (tmp_path / "en" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {") and script.rstrip().endswith("};")
    assert set(sizes) == {"", "en/"}
