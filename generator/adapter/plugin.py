"""The MkDocs plugin: event handlers that hand what MkDocs knows to the core and return its answer.

What the generator adds to a site is decided by ``generator.site.SitePlan``, free of MkDocs; this
file only knows when MkDocs asks.  Order matters with mkdocs-static-i18n 1.3.1 (DESIGN §8): it
builds each language in turn by calling MkDocs' ``build`` again from its ``on_post_build``, and
crashes on generated files it meets in its own ``on_files``.  So quiz pages are added after it
(priority below -100), once per language build, under ``en/`` for English, and this plugin
supplies their language-switch links itself (``i18n.py`` holds every touch of its state).
Checking happens in the first ``on_pre_build``, before MkDocs empties ``site/``, so a broken quiz
never leaves a half-written site.

Build cost (README, "Performance"): every page MkDocs renders costs Material's template,
navigation and search indexing, and mkdocs-static-i18n renders the default language twice.
So posters, which are for staff (out of the nav and of search, printed on paper), are not
MkDocs pages: they are whole small pages handed to MkDocs in ``on_files`` as files to copy.
A quiz goes into its page in ``on_post_page``, after Material's search has read the page: the
questions are kept out of search anyway, and parsing them there cost more than the rest of the
page.  Quiz pages are real pages (navigation, search, language switch) and stay MkDocs pages.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..compress import write_compressed
from ..images import PICTURES, UNSUPPORTED, PictureError, PictureStore, Processed
from ..offline import write_worker
from ..problems import format_report, has_errors
from ..project import POSTER_URL_DIR, QUIZ_URL_DIR, Project
from ..search import write_indexes
from ..settings import CheckedProject, Settings, read_settings
from ..site import GeneratedPage, NavOrder, SitePlan
from ..texts import READING_TEXT
from ..trim import trim_site
from ..urls import Language
from . import i18n, material
from .config import GeneratorConfig

log = get_plugin_logger(__name__)


class _FirstBuildLinks(logging.Filter):
    """MkDocs' note that a page links to a page "excluded from the built site", when that page is a quiz page
    of the default language's first build: it is listed there unrendered, and rendered by the build that
    replaces it (``_page_file``), so the link works and the note would only alarm staff."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            record.levelno <= logging.INFO
            and "which is excluded from the built site" in message
            and f"'{QUIZ_URL_DIR}/" in message
        )


logging.getLogger("mkdocs.structure.pages").addFilter(_FirstBuildLinks())


class GeneratorPlugin(BasePlugin[GeneratorConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.checked: CheckedProject | None = None
        """Handed over by ``python -m generator build``, which has just read the settings and checked."""
        self.plan = SitePlan(Project())
        """Made anew in every build's first on_pre_build, so the rebuilds of ``mkdocs serve`` start clean."""
        self.nav: NavOrder = []
        self.serving = False
        self.store: PictureStore | None = None
        """Pictures processed in this process; kept across the preview's rebuilds (and on disk, across builds)."""

    # -- set-up ----------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> None:
        """Read the settings (once: the CLI hands over what it read) and report their problems in plain words."""
        quiet_jieba()
        if i18n.inner_language_build(config):
            return  # mkdocs-static-i18n's builds of the other languages: the settings are read
        if self.checked is not None:
            self.settings = self.checked.settings
        elif config.config_file_path:
            self.settings, problems = read_settings(Path(config.config_file_path))
            if self.settings is None:
                raise PluginError("\n" + format_report(problems, after="settings"))
        else:  # a config made in code, with no file: MkDocs' values, defaults for ours
            self.settings = Settings(
                Path.cwd() / "mkdocs.yml",
                Path(config.docs_dir),
                Path(config.site_dir),
                Path.cwd() / (self.config.quiz_dir or "quizzes"),
                config.site_url or "",
                config.site_name,
            )

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.config.enabled and self.settings:
            server.watch(str(self.settings.quiz_dir))
        return server

    @event_priority(100)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Check the project before MkDocs empties site_dir (DESIGN §8); a new plan for this build."""
        if not self.config.enabled or i18n.inner_language_build(config):
            return
        checked, self.checked = self.checked, None
        if not (checked and checked.settings == self.settings):
            checked = self.settings.check()
        self.plan = SitePlan(checked.project)
        self.plan.pictures.docs_dir = Path(config.docs_dir)
        if self.store is None or self.store.cache_dir != self.settings.picture_cache:
            self.store = PictureStore(self.settings.picture_cache)
        if not has_errors(checked.problems):
            for problem in checked.problems:
                log.warning(problem.format())
        elif not self.serving:
            raise PluginError("\n" + format_report(checked.problems, after="build"))
        else:
            # Preview keeps running: the report (warnings too) goes to the terminal, good quizzes
            # are shown, and a page whose quiz is broken says so where the quiz would be.
            log.error("\n" + format_report(checked.problems, after="serve"))

    # -- pages -----------------------------------------------------------------------

    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the quiz and learner pages, posters, the learner pages' question scripts and the engine's
        files, after mkdocs-static-i18n's own on_files."""
        if not self.config.enabled:
            return files
        language = i18n.language(config)
        files = self._pictures(files, config)
        # The first build of the default language is overwritten by mkdocs-static-i18n's last one:
        # there its quiz pages are listed, so that links to them resolve, but not rendered.
        pages = [
            _page_file(config, language, page)
            for page in self.plan.pages(language, rendered=not i18n.rebuilt_later(config))
        ]
        for file in pages:
            files.append(file)
        i18n.add_to_sitemap(config, language, [file for file in pages if file.inclusion.is_included()])
        favicon = config.theme.get("favicon")
        favicon = favicon if favicon and files.get_file_from_path(favicon) else None
        for name, html in self.plan.posters(language, favicon).items():
            file = File.generated(config, f"{POSTER_URL_DIR}/{name}", content=html)
            file.dest_uri = language.prefix + file.dest_uri
            files.append(file)
        for path, text in self.plan.data_scripts(language).items():
            file = File.generated(config, path[len(language.prefix) :], content=text)
            file.dest_uri = path
            files.append(file)
        for path, content in self.plan.assets.files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        return files

    def _pictures(self, files: Files, config: MkDocsConfig) -> Files:
        """Each picture file of docs_dir is published as its small, clean files (images.py), never as it is.

        The picture's own entry stays, pointed at its fallback file, so MkDocs resolves links to it (in
        every language's pages) to that file; ``SitePlan.fill`` then makes the ``<picture>`` around it."""
        docs_dir = Path(config.docs_dir).resolve()
        theme_files = {config.theme.get("favicon"), config.theme.get("logo")}  # mkdocs.yml names them as they are
        found = [
            file
            for file in files
            if Path(file.src_uri).suffix.lower() in PICTURES | UNSUPPORTED
            and file.src_uri not in theme_files
            and file.abs_src_path
            and Path(file.abs_src_path).resolve().is_relative_to(docs_dir)
        ]
        if not found:
            return files
        results = self.store.get_all(
            [Path(f.abs_src_path) for f in found if Path(f.src_uri).suffix.lower() in PICTURES]
        )
        published: dict[str, Path] = {}
        for file in found:
            files.remove(file)
            result = results.get(Path(file.abs_src_path))
            if result is None:  # HEIC and the like: check says how to save them; never published
                continue
            if isinstance(result, PictureError):
                if not self.serving:
                    raise PluginError(f"{file.src_uri}: {result}")
                log.error(f"{file.src_uri}: {result}")
                continue
            self.plan.pictures.add(file.src_uri, result)
            files.append(_picture_file(file, result, config))
            published.update({path: source for path, source in result.files.items() if path != result.fallback.path})
        for path, source in sorted(published.items()):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, abs_src_path=str(source)))
        return files

    @event_priority(-110)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the navigation's order (after mkdocs-static-i18n has translated it) for the home page."""
        self.nav = nav_order(nav)
        return nav

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        return self.plan.fill(html, i18n.language(config), page.url, page.title or "", self.nav)

    @event_priority(-100)
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if not self.config.enabled:
            return context
        language = i18n.language(config)
        banner = self.plan.banner(language)
        if banner:
            context["generator_banner"] = Markup(banner)
        context["generator_reading"] = READING_TEXT[language.code]
        path = self.plan.switch_path(language, page.url)
        if path:
            i18n.set_switch_links(config, language, path)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled:
            return output
        language = i18n.language(config)
        if self.plan.switch_path(language, page.url):
            # Put back the site-wide links, or 404.html (rendered after the pages) keeps the last page's.
            i18n.restore_switch_links(config)
        if language.prefix:
            output = material.search_base(output, language.prefix)
        return self.plan.finish(output, language, page.url, worker=not self.serving)

    @event_priority(-110)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """After mkdocs-static-i18n has merged the search index of every language: split it again."""
        if not self.config.enabled or i18n.inner_language_build(config):
            return
        languages = {prefix: code for code, prefix in i18n.language(config).prefixes.items()}
        write_indexes(Path(config.site_dir), languages)
        if not self.serving:  # the preview reloads on every edit; a cache would only get in the way
            trim_site(Path(config.site_dir))  # before the worker lists the files: it renames two
            write_worker(Path(config.site_dir), languages)
            write_compressed(Path(config.site_dir))  # last: the siblings of every file as finally written


def _page_file(config: MkDocsConfig, language: Language, page: GeneratedPage) -> File:
    # The source path has no language prefix, so that a `nav:` entry such as quizzes/index.md
    # finds the page in every language's build; the page is written under the language's folder.
    file = File.generated(config, page.path, content=page.markdown)
    file.dest_uri = language.prefix + file.dest_uri
    if not page.rendered:
        file.inclusion = InclusionLevel.EXCLUDED
    elif not page.in_nav:
        # Without a `nav:` in mkdocs.yml, MkDocs would otherwise list every quiz in the navigation
        # of every page; with one, it would list every quiz at every build as missing from it.
        file.inclusion = InclusionLevel.NOT_IN_NAV
    return file


def _picture_file(file: File, picture: Processed, config: MkDocsConfig) -> File:
    """The picture's entry in place of the original: the same source path, its fallback file's address and content."""
    fallback = picture.fallback
    entry = File(file.src_uri, file.src_dir, config.site_dir, config.use_directory_urls, dest_uri=fallback.path)
    entry.abs_src_path = str(picture.files[fallback.path])
    return entry


def nav_order(nav: Navigation) -> NavOrder:
    """The navigation as the home page groups modules: each section's pages, each top-level page."""

    def stem(item) -> str | None:
        file = getattr(item, "file", None)
        return file.src_uri.rsplit(".", 2)[0] if file else None

    order: NavOrder = []
    for item in nav.items:
        if item.is_section:
            order.append((item.title or "", [s for child in item.children if (s := stem(child))]))
        elif stem(item):
            order.append((None, [stem(item)]))
    return order


def quiet_jieba() -> None:
    """jieba (Material's Chinese search) sets its own logger to DEBUG when imported and prints its
    dictionary loading at every build; a level set before the import is overwritten, so import it here."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
