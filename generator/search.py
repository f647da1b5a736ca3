"""One search index per language, without duplicates, readable from file:// too.

mkdocs-static-i18n merges every language into one ``search/search_index.json`` that every
page loads on its first visit; with the default language built twice (DESIGN §8) its
entries are also there twice, and Material writes CJK text as ``\\uXXXX`` escapes.  For a
12-module site that was 864 KB (136 KiB gzipped) on every first visit.  Here each
language gets its own index under its own folder, entries once, UTF-8, and a
``search_index.js`` beside it, which Material loads instead when the site is opened from
a folder (``file://``, where fetching JSON is not allowed).

Each index also gets its own language's lunr settings.  The merged index carried the
default language's pipeline (``stemmer``, from Material's zh translation) for English too:
stemmed index terms never matched Material's trailing-wildcard queries, so English search
found "fire" but not "safety" or "extinguisher" (seen on this site before the split).
Material's own English setting is ``stopWordFilter`` alone.
"""

from __future__ import annotations

import json
from pathlib import Path

PIPELINES = {"zh": ["stemmer"], "en": ["stopWordFilter"]}
"""search.config.pipeline of Material 9.8.2's partials/languages/{zh,en}.html."""


def split_index(data: dict, languages: dict[str, str]) -> dict[str, dict]:
    """The index per language prefix ("" for the default language), locations made relative to it.

    ``languages`` maps each prefix to its language code.
    """
    config = data.get("config", {})
    indexes = {
        prefix: {
            "config": {**config, "lang": [language], "pipeline": PIPELINES.get(language, config.get("pipeline", []))},
            "docs": [],
        }
        for prefix, language in languages.items()
    }
    seen: set[str] = set()
    others = [p for p in languages if p]
    for doc in data.get("docs", []):
        key = json.dumps(doc, sort_keys=True, ensure_ascii=False)
        if key in seen:
            continue
        seen.add(key)
        location = doc.get("location", "")
        prefix = next((p for p in others if location.startswith(p)), "")
        indexes[prefix]["docs"].append({**doc, "location": location[len(prefix) :]})
    return indexes


def write_indexes(site_dir: Path, languages: dict[str, str]) -> dict[str, int]:
    """Rewrite site_dir/search/search_index.json as one index per language; returns bytes per prefix."""
    source = site_dir / "search" / "search_index.json"
    if not source.is_file():
        return {}
    sizes = {}
    for prefix, index in split_index(json.loads(source.read_text(encoding="utf-8")), languages).items():
        folder = site_dir / prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        script = "var __index = " + text.replace("</", "<\\/") + ";\n"
        (folder / "search_index.js").write_text(script, encoding="utf-8")
        sizes[prefix] = len(text.encode("utf-8"))
    return sizes
