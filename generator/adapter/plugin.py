"""The MkDocs plugin: a thin adapter that calls the core from MkDocs events.

Order matters with mkdocs-static-i18n 1.3.1 (DESIGN §8): it builds each language in
turn by calling MkDocs' ``build`` again from its ``on_post_build``, and crashes on
generated files it meets in its own ``on_files``.  So quiz pages are added after it
(priority below -100), once per language build, under ``en/`` for English, and this
plugin supplies their language-switch links itself.  Checking happens in the first
``on_pre_build``, before MkDocs empties ``site/``, so a broken quiz never leaves a
half-written site.

Build cost (README, "Performance"): every page MkDocs renders costs Material's template,
navigation and search indexing, and mkdocs-static-i18n renders the default language twice.
So posters, which are for staff (out of the nav and of search, printed on paper), are not
MkDocs pages: they are whole small pages rendered from our templates and handed to MkDocs
in ``on_files`` as plain files to copy.  A quiz goes into its page in ``on_post_page``,
after Material's search has read the page: the questions are kept out of search anyway,
and parsing them there cost more than the rest of the page.  Quiz pages are real pages
(navigation, search, language switch) and stay MkDocs pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
import logging
import re
from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import i18n, material
from .config import GeneratorConfig
from markupsafe import Markup

from ..markers import HTML_CAMPAIGN_MARKER, HTML_LIST_MARKER, HTML_QUIZ_MARKER, HTML_SHARE_MARKER
from ..problems import format_report, has_errors
from ..project import POSTER_URL_DIR, QUIZ_URL_DIR, Project, check_project
from ..settings import CheckedProject, Settings, read_settings
from ..offline import WORKER, write_worker
from ..search import write_indexes
from ..render import (Link, StaffSite, quiz_version, render_banner, render_handout_qr, render_hero, render_poster,
                     render_poster_list, render_quiz, render_quiz_list, render_share, render_staff_page)
from ..texts import CAMPAIGN_TEXT, INDEX_TEXT

log = get_plugin_logger(__name__)

ASSET_DIR = "assets/generator"
QUIZ_ASSETS = ("quiz.css", "quiz.js", "quiz-certificate.js")
SITE_ASSETS = ("site.css", "site.js")
"""Loaded on every page (SITE_ASSETS): the campaign banner, the home page's passed quizzes, sharing, print styles."""


@dataclass
class _BuildState:
    """What one build learns as it goes; made anew for every build, so that the rebuilds of
    ``mkdocs serve`` (which keeps this plugin) start clean."""

    project: Project = field(default_factory=Project)
    modules: dict = field(default_factory=dict)  # stem -> Module
    generated: set[str] = field(default_factory=set)  # src_uri of every generated page, all languages
    quiz_pages: set[str] = field(default_factory=set)  # dest_uri of pages that hold a quiz
    marked_pages: set[str] = field(default_factory=set)  # dest_uri of pages with a quiz marker, replaced in on_post_page
    posters: dict[tuple, dict[str, str]] = field(default_factory=dict)  # poster pages per language (see _posters)
    nav: object = None


class GeneratorPlugin(BasePlugin[GeneratorConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.assets: dict[str, bytes] = {}  # site path -> content
        self.asset_names: dict[str, str] = {}  # "quiz.js" -> its site path
        self.state = _BuildState()
        self.checked: CheckedProject | None = None
        """Handed over by ``python -m generator build``, which has just read the settings and checked."""
        self.serving = False

    @property
    def project(self) -> Project:
        return self.state.project

    # -- set-up ----------------------------------------------------------------------

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
            self.settings = Settings(Path.cwd() / "mkdocs.yml", Path(config.docs_dir), Path(config.site_dir),
                                     Path.cwd() / (self.config.quiz_dir or "quizzes"), config.site_url or "", config.site_name)
        if not self.settings.enabled:
            return
        self.assets = _load_assets()
        self.asset_names = dict(zip(QUIZ_ASSETS + SITE_ASSETS, self.assets))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.config.enabled and self.settings:
            server.watch(str(self.settings.quiz_dir))
        return server

    @event_priority(100)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Check the project before MkDocs empties site_dir (DESIGN §8); a fresh state for this build."""
        if not self.config.enabled or i18n.inner_language_build(config):
            return
        checked, self.checked = self.checked, None
        if checked and checked.settings == self.settings:
            project, problems = checked.project, list(checked.problems)
        else:
            project, problems = check_project(self.settings.paths, self.settings.site_url)
        self.state = _BuildState(project, {module.stem: module for module in project.modules})
        if has_errors(problems):
            if not self.serving:
                raise PluginError("\n" + format_report(problems, after="build"))
            # Preview keeps running: the report goes to the terminal, good quizzes are shown,
            # and a page whose quiz is broken says so where the quiz would be.
            log.error("\n" + format_report(problems, after="serve"))
            return  # the report holds the warnings too
        for problem in problems:
            log.warning(problem.format())

    # -- pages -----------------------------------------------------------------------

    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        language, prefix = i18n.language(config)

        pages = []

        def add(path: str, content: str, in_nav: bool = True) -> None:
            # The source path has no language prefix, so that a `nav:` entry such as
            # quizzes/index.md finds the page in every language's build; the page is
            # written under the language's folder all the same.
            file = File.generated(config, path, content=content)
            file.dest_uri = prefix + file.dest_uri
            if not in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            self.state.generated.add(file.src_uri)
            pages.append(file)

        # The first build of the default language is overwritten by mkdocs-static-i18n's last one:
        # there its quiz pages are listed, so that links to them resolve, but not rendered (a
        # third of all quiz-page renders).
        overwritten = i18n.rebuilt_later(config)
        for quiz in self.project.bank:
            if overwritten:
                file = File.generated(config, f"{QUIZ_URL_DIR}/{quiz.id}.md", content="")
                file.inclusion = InclusionLevel.EXCLUDED
                files.append(file)
                continue
            # Page Markdown lets raw HTML through; a quiz title is quiz text, shown as text (DESIGN §6).
            title = _markdown_text(quiz.title.get(language))
            # Out of the navigation, like the sample nav: a quiz is reached from its module and from
            # the quiz index.  Without a `nav:` in mkdocs.yml, MkDocs would otherwise list every quiz
            # in the navigation of every page (which each page pays for rendering); with one, it
            # would list every quiz at every build as a page missing from it.
            add(f"{QUIZ_URL_DIR}/{quiz.id}.md", f"# {title}\n\n<!-- quiz: {quiz.id} -->\n\n<!-- share -->\n", in_nav=False)
        add(f"{QUIZ_URL_DIR}/index.md", f"# {INDEX_TEXT[language]['title']}\n\n<!-- quiz-list -->\n")
        i18n.add_to_sitemap(config, pages)
        # Posters are files MkDocs copies, not pages it renders: no theme, nav or search (see the module docstring).
        favicon = config.theme.get("favicon")
        favicon = favicon if favicon and files.get_file_from_path(favicon) else None
        for name, html in self._posters(config, language, prefix, favicon).items():
            file = File.generated(config, f"{POSTER_URL_DIR}/{name}", content=html)
            file.dest_uri = prefix + file.dest_uri
            files.append(file)
        for name, content in self.assets.items():
            if files.get_file_from_path(name) is None:
                files.append(File.generated(config, name, content=content))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        language, prefix = i18n.language(config)
        bank, campaign = self.project.bank, self.project.campaign
        here = page.url

        def relative(path: str) -> str:
            return get_relative_url(prefix + path, here)

        def absolute(path: str) -> str | None:
            return f"{config.site_url.rstrip('/')}/{prefix}{path}" if config.site_url else None

        def hero(match) -> str:
            def entry(module):
                quizzes = [Link(bank[q].title.get(language), relative(f"{QUIZ_URL_DIR}/{q}.html"), q, quiz_version(bank[q]))
                           for q in module.quiz_ids if q in bank]
                return Link(module.title(language), relative(module.url)), quizzes

            by_stem = {module.stem: module for module in self.project.modules}
            groups = [(title, [entry(by_stem[stem]) for stem in stems]) for title, stems in self.module_groups(by_stem)]
            return render_hero(campaign, language, groups, relative(f"{QUIZ_URL_DIR}/index.html"),
                               relative(f"{POSTER_URL_DIR}/index.html"))

        # Quiz markers stay as they are until on_post_page (see the module docstring).
        quiz_ids = set(HTML_QUIZ_MARKER.findall(html))
        if quiz_ids:
            self.state.marked_pages.add(page.file.dest_uri)
            if any(quiz_id in bank for quiz_id in quiz_ids):
                self.state.quiz_pages.add(page.file.dest_uri)
        html = HTML_LIST_MARKER.sub(lambda m: render_quiz_list(list(bank), language, lambda q: relative(f"{QUIZ_URL_DIR}/{q.id}.html")), html)
        html = HTML_CAMPAIGN_MARKER.sub(hero, html)
        if page.file.src_uri in self.state.generated:
            html = HTML_SHARE_MARKER.sub(lambda m: render_share(language, page.title or "", absolute(here[len(prefix):])), html)
        return html + self._handout_qr(page, language, prefix, absolute)

    @event_priority(-110)
    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self.state.nav = nav  # after mkdocs-static-i18n has translated it
        return nav

    def module_groups(self, modules: dict) -> list[tuple[str, list[str]]]:
        """Modules grouped and ordered as the navigation has them; any left over come last, untitled."""
        groups: list[tuple[str, list[str]]] = []
        seen: set[str] = set()

        def stems(items) -> list[str]:
            found = []
            for item in items:
                stem = item.file.src_uri.rsplit(".", 2)[0] if getattr(item, "file", None) else None
                if stem in modules and stem not in seen:
                    seen.add(stem)
                    found.append(stem)
            return found

        loose = stems(self.state.nav.items if self.state.nav else [])
        for item in self.state.nav.items if self.state.nav else []:
            if item.is_section:
                found = stems(item.children)
                if found:
                    groups.append((item.title or "", found))
        rest = loose + [stem for stem in modules if stem not in seen]
        return groups + ([("", rest)] if rest else [])

    def _handout_qr(self, page: Page, language: str, prefix: str, absolute) -> str:
        """A module with a quiz ends, on paper, with a QR code to that quiz."""
        stem = page.url[len(prefix):].removesuffix(".html")
        module = self.state.modules.get(stem)
        quiz_ids = [q for q in (module.quiz_ids if module else []) if q in self.project.bank]
        url = absolute(f"{QUIZ_URL_DIR}/{quiz_ids[0]}.html") if quiz_ids else None
        return render_handout_qr(language, url) if url else ""

    @event_priority(-100)
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if not self.config.enabled:
            return context
        language, prefix = i18n.language(config)
        if self.project.campaign:
            context["generator_banner"] = Markup(render_banner(self.project.campaign, language))
        if page.file.src_uri in self.state.generated:
            # Language-switch links of generated pages, which mkdocs-static-i18n does not know.
            i18n.set_switch_links(config, page.file.src_uri.removesuffix(".md") + ".html")
        return context

    @event_priority(-110)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """After mkdocs-static-i18n has merged the search index of every language: split it again."""
        if not self.config.enabled or i18n.inner_language_build(config):
            return
        default, _ = i18n.language(config)
        languages = {"": default} | {f"{language}/": language for language in i18n.other_languages(config)}
        write_indexes(Path(config.site_dir), languages)
        if not self.serving:  # the preview reloads on every edit; a cache would only get in the way
            write_worker(Path(config.site_dir), languages)

    def _posters(self, config: MkDocsConfig, language: str, prefix: str, favicon: str | None) -> dict[str, str]:
        """The poster pages of a language (file name in posters/ -> HTML): one per quiz, the home page's, the index.

        Whole pages, rendered from our templates; kept for the build, since mkdocs-static-i18n
        builds the default language twice.
        """
        key = (language, prefix, config.site_name, config.site_url, favicon)
        if key in self.state.posters:
            return self.state.posters[key]
        bank, campaign, text, site_name = self.project.bank, self.project.campaign, CAMPAIGN_TEXT, config.site_name
        others = tuple((other, "" if other == i18n.default_language(config) else f"{other}/")
                       for other in i18n.built_languages(config) if other != language)
        site = StaffSite(language, prefix, site_name, others, favicon)

        def absolute(path: str) -> str | None:
            return f"{config.site_url.rstrip('/')}/{prefix}{path}" if config.site_url else None

        pages = {"home.html": (site_name, render_poster(campaign, language, site_name, absolute(""), quiz=False))}
        for quiz in bank:
            title = quiz.title.get(language)
            pages[f"{quiz.id}.html"] = (title, render_poster(campaign, language, title, absolute(f"{QUIZ_URL_DIR}/{quiz.id}.html"), quiz=True))
        posters = [Link(text[language]["poster_home"], "home.html")] + [Link(q.title.get(language), f"{q.id}.html") for q in bank]
        here = f"{prefix}{POSTER_URL_DIR}/index.html"
        other_index = get_relative_url(f"{others[0][1]}{POSTER_URL_DIR}/index.html", here) if others else None
        pages["index.html"] = (text[language]["poster_index"], render_poster_list(language, posters, other_index))
        self.state.posters[key] = {name: render_staff_page(site, f"{POSTER_URL_DIR}/{name}", title, body)
                             for name, (title, body) in pages.items()}
        return self.state.posters[key]

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled:
            return output
        if page.file.dest_uri in self.state.marked_pages:
            language, _ = i18n.language(config)
            bank = self.project.bank
            output = HTML_QUIZ_MARKER.sub(
                lambda m: render_quiz(bank[m["id"]], language, config.site_name) if m["id"] in bank else _broken_quiz(m["id"]),
                output)
        if page.file.src_uri in self.state.generated:
            # Put back the site-wide links, or 404.html (rendered after the pages) keeps the last page's.
            i18n.restore_switch_links(config)
        language, prefix = i18n.language(config)
        if prefix:
            output = material.search_base(output, prefix)
        url = {kind: get_relative_url(name, page.url) for kind, name in self.asset_names.items()}
        # The worker keeps this language's pages: PAGES in sw.js is keyed by the build's language code.
        worker = "" if self.serving else f' data-worker="{get_relative_url(WORKER, page.url)}" data-worker-lang="{language}"'
        tags = f'<link rel="stylesheet" href="{url["site.css"]}"><script src="{url["site.js"]}"{worker} defer></script>'
        if page.file.dest_uri in self.state.quiz_pages:
            # The certificate script is not loaded with the page: quiz.js fetches it on demand.
            tags += (f'<link rel="stylesheet" href="{url["quiz.css"]}">'
                     f'<script src="{url["quiz.js"]}" data-certificate="{url["quiz-certificate.js"]}" defer></script>')
        return output.replace("</head>", tags + "</head>", 1)


def _broken_quiz(quiz_id: str) -> str:
    """Shown in preview only, where a quiz with errors would be (a build stops instead)."""
    return (f'<div class="admonition danger"><p class="admonition-title">测验“{quiz_id}”有错误，没有显示 / '
            f'The quiz "{quiz_id}" has errors</p><p>错误和修改方法在运行 make serve 的窗口里。'
            f"The errors and how to fix them are in the window running make serve.</p></div>")


def quiet_jieba() -> None:
    """jieba (Material's Chinese search) sets its own logger to DEBUG when imported and prints its
    dictionary loading at every build; a level set before the import is overwritten, so import it here."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def _load_assets() -> dict[str, bytes]:
    """The engine's files under names that change with their content, so browsers may cache them for good."""
    assets = {}
    for name in QUIZ_ASSETS + SITE_ASSETS:
        content = resources.files("generator").joinpath("assets", name).read_bytes()
        stem, suffix = name.rsplit(".", 1)
        digest = hashlib.sha256(content).hexdigest()[:8]
        assets[f"{ASSET_DIR}/{stem}.{digest}.{suffix}"] = content
    return assets


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def _markdown_text(text: str) -> str:
    """A quiz title as Markdown that shows exactly its characters: the page's Markdown lets raw
    HTML and links through, and a quiz title is quiz text, shown as text (DESIGN §6)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escape(text, quote=False))


