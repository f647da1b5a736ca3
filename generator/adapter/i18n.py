"""Everything the adapter reads from or writes to mkdocs-static-i18n (checked against 1.3.1).

The plugin builds each language in turn by calling MkDocs' ``build`` again from its
``on_post_build`` (DESIGN §8).  The generator needs to know which language is being built,
whether this build is one of those inner builds or will be overwritten by a later one, and it
lists its generated pages in i18n's sitemap.  An upgrade of mkdocs-static-i18n, or a move to
another i18n plugin or off MkDocs, changes this file only.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..urls import Language


def language(config: MkDocsConfig) -> Language:
    """The language being built: its URL prefix ("" for the default language), the other languages,
    and the site's name and address, which mkdocs-static-i18n may set per language in ``config``."""
    i18n = config.plugins.get("i18n")
    if i18n is None or getattr(i18n, "current_language", None) is None:
        return Language(
            (config.theme.get("language") or "zh").split("_")[0].split("-")[0],
            site_name=config.site_name,
            site_url=config.site_url or "",
        )
    return Language.of(i18n.current_language, built_languages(config), config.site_name, config.site_url or "")


@dataclass(frozen=True)
class _Alternate:
    """What mkdocs-static-i18n's sitemap template reads of a page in another language."""

    url: str
    page: None = None


def add_to_sitemap(config: MkDocsConfig, language: Language, pages: list[File]) -> None:
    """List the quiz pages in sitemap.xml with their hreflang alternates, as i18n does for
    the pages it knows (its list is made in its own on_files, before these pages exist)."""
    i18n = config.plugins.get("i18n")
    per_language = getattr(i18n, "i18n_files_per_language", None)
    if not isinstance(per_language, dict) or not isinstance(per_language.get(i18n.current_language), list):
        return
    prefixes = language.prefixes
    for file in pages:
        url = file.src_uri.removesuffix(".md") + ".html"
        file.alternates = {code: _Alternate(prefixes[code] + url) for code in built_languages(config)}
        per_language[i18n.current_language].append(file)


def default_language(config: MkDocsConfig) -> str | None:
    return getattr(config.plugins.get("i18n"), "default_language", None)


def built_languages(config: MkDocsConfig) -> list[str]:
    """Every language the site is built in, the default one first."""
    default = default_language(config)
    others = other_languages(config)
    return ([default] if default else []) + others


def other_languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins.get("i18n")
    return [lang for lang in getattr(i18n, "build_languages", []) if lang != getattr(i18n, "default_language", None)]


def rebuilt_later(config: MkDocsConfig) -> bool:
    """True in the first build when mkdocs-static-i18n will build the same language again.

    Its on_post_build builds each listed language that differs from the one just built; with
    the default language listed last (DESIGN §8) that includes the default language itself,
    whose pages then overwrite this first build's.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None or getattr(i18n, "building", True):
        return False
    first, other_seen = getattr(i18n, "current_language", None), False
    for language in getattr(i18n, "build_languages", None) or []:
        if language != first:
            other_seen = True
        elif other_seen:
            return True
    return False


def inner_language_build(config: MkDocsConfig) -> bool:
    """True in the builds mkdocs-static-i18n starts for the other languages."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def set_switch_links(config: MkDocsConfig, language: Language, path: str) -> None:
    """Point Material's language switch at ``path`` (a site path without language prefix) in each
    language, for a page mkdocs-static-i18n did not make (its ``extra_alternate`` is site-wide)."""
    plugin = config.plugins.get("i18n")
    alternates = getattr(plugin, "extra_alternate", None)
    if not alternates:
        return
    links = deepcopy(alternates)
    for link in links:
        link["link"] = language.prefixes.get(link["lang"], f"{link['lang']}/") + path
    # mkdocs-static-i18n sets the attribute, which Jinja reads before the item: set both.
    config.extra.alternate = config.extra["alternate"] = links


def restore_switch_links(config: MkDocsConfig) -> None:
    """Undo ``set_switch_links`` once the page is rendered."""
    alternates = getattr(config.plugins.get("i18n"), "extra_alternate", None)
    if alternates:
        config.extra.alternate = config.extra["alternate"] = deepcopy(alternates)
