"""A language of the site (its folder, name and address), and one page's address seen from another.

Every address here is a path from the site root without a leading slash (``en/quizzes/fire.html``),
because the site must work under any sub-path and from a folder on a USB stick (DESIGN §5): pages
link to each other relatively, and only QR codes and share links use ``site_url``.
"""

from __future__ import annotations

from dataclasses import dataclass

QUIZ_URL_DIR = "quizzes"
"""Where quiz pages are generated, per language (DESIGN §5)."""
POSTER_URL_DIR = "posters"
"""Where poster pages are generated, per language."""


@dataclass(frozen=True)
class Language:
    """One language of the site as its pages are addressed."""

    code: str
    """"zh" or "en"."""
    prefix: str = ""
    """The language's folder: "" for the default language, "en/" for English."""
    others: tuple[tuple[str, str], ...] = ()
    """(code, prefix) of every other language the site is built in, in build order."""
    site_name: str = ""
    """The site's name in this language (mkdocs-static-i18n lets each language have its own)."""
    site_url: str = ""
    """The site's full address, "" when not set (QR codes and share links need it; pages do not)."""

    @classmethod
    def of(cls, code: str, languages: list[str], site_name: str = "", site_url: str = "") -> Language:
        """``code`` in a site built in ``languages``, the default (unprefixed) one first."""

        def prefix(other: str) -> str:
            return "" if not languages or other == languages[0] else f"{other}/"

        return cls(
            code,
            prefix(code),
            tuple((other, prefix(other)) for other in languages if other != code),
            site_name,
            site_url,
        )

    @property
    def prefixes(self) -> dict[str, str]:
        """Code -> folder of every language of the site, this one included."""
        return {self.code: self.prefix, **dict(self.others)}

    def absolute(self, path: str) -> str | None:
        """The full address of ``path`` (from the site root), or None when the site's address is not set."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else None


def relative_url(target: str, here: str) -> str:
    """``target`` as a link on the page ``here``; both are paths from the site root.

    The last part of ``here`` is dropped when it names a file (has a dot), as MkDocs'
    ``get_relative_url`` does, so the two agree on every page of the site.
    """
    folder, _, name = here.rpartition("/")
    base = [part for part in (folder if "." in name else here).split("/") if part not in ("", ".")]
    parts = [part for part in target.split("/") if part not in ("", ".")]
    common = 0
    for a, b in zip(base, parts, strict=False):  # up to the shorter
        if a != b:
            break
        common += 1
    url = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    return url + "/" if target.endswith("/") else url
