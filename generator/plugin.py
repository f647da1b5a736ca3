"""The MkDocs plugin: a thin adapter that calls the core from MkDocs events.

Order matters with mkdocs-static-i18n 1.3.1 (DESIGN §8): it builds each language in
turn by calling MkDocs' ``build`` again from its ``on_post_build``, and crashes on
generated files it meets in its own ``on_files``.  So quiz pages are added after it
(priority below -100), once per language build, under ``en/`` for English, and this
plugin supplies their language-switch links itself.  Checking happens in the first
``on_pre_build``, before MkDocs empties ``site/``, so a broken quiz never leaves a
half-written site.
"""

from __future__ import annotations

import hashlib
from copy import deepcopy
from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import GeneratorConfig
from .markers import HTML_LIST_MARKER, HTML_QUIZ_MARKER
from .model import QuizBank
from .problems import format_report, has_errors
from .project import QUIZ_URL_DIR, ProjectPaths, check_project
from .render import render_quiz, render_quiz_list
from .texts import INDEX_TEXT

log = get_plugin_logger(__name__)

ASSET_DIR = "assets/generator"
ASSETS = ("quiz.css", "quiz.js", "quiz-certificate.js")


class GeneratorPlugin(BasePlugin[GeneratorConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.bank = QuizBank()
        self.paths: ProjectPaths | None = None
        self.assets: dict[str, bytes] = {}  # site path -> content
        self.asset_names: dict[str, str] = {}  # "quiz.js" -> its site path
        self.generated: dict[str, tuple[str, str]] = {}  # src_uri -> (quiz id or "", language)
        self.quiz_pages: set[str] = set()

    # -- set-up ----------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.paths = ProjectPaths(root, Path(config.docs_dir), root / self.config.quiz_dir)
        self.assets = _load_assets()
        self.asset_names = dict(zip(ASSETS, self.assets))

    def on_serve(self, server, config: MkDocsConfig, builder):
        if self.config.enabled and self.paths:
            server.watch(str(self.paths.quiz_dir))
        return server

    @event_priority(100)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or _inner_language_build(config):
            return
        self.bank, problems = check_project(self.paths)
        if has_errors(problems):
            raise PluginError("\n" + format_report(problems))
        for problem in problems:
            log.warning(problem.format())

    # -- pages -----------------------------------------------------------------------

    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        language, prefix = _language(config)
        for quiz in self.bank:
            src_uri = f"{prefix}{QUIZ_URL_DIR}/{quiz.id}.md"
            files.append(File.generated(config, src_uri, content=f"# {quiz.title.get(language)}\n\n<!-- quiz: {quiz.id} -->\n"))
            self.generated[src_uri] = (quiz.id, language)
        index_uri = f"{prefix}{QUIZ_URL_DIR}/index.md"
        files.append(File.generated(config, index_uri, content=f"# {INDEX_TEXT[language]['title']}\n\n<!-- quiz-list -->\n"))
        self.generated[index_uri] = ("", language)
        for name, content in self.assets.items():
            if files.get_file_from_path(name) is None:
                files.append(File.generated(config, name, content=content))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        language, prefix = _language(config)
        has_quiz = False

        def quiz(match) -> str:
            nonlocal has_quiz
            has_quiz = True
            return render_quiz(self.bank[match["id"]], language, config.site_name)

        def quiz_list(match) -> str:
            return render_quiz_list(
                list(self.bank), language,
                lambda q: get_relative_url(f"{prefix}{QUIZ_URL_DIR}/{q.id}.html", page.url))

        html = HTML_QUIZ_MARKER.sub(lambda m: quiz(m) if m["id"] in self.bank else m[0], html)
        html = HTML_LIST_MARKER.sub(quiz_list, html)
        if has_quiz:
            self.quiz_pages.add(page.file.dest_uri)
        return html

    @event_priority(-100)
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        """Language-switch links of generated pages, which mkdocs-static-i18n does not know."""
        if not self.config.enabled or page.file.src_uri not in self.generated:
            return context
        i18n = config.plugins.get("i18n")
        alternates = getattr(i18n, "extra_alternate", None)
        if not alternates:
            return context
        _, prefix = _language(config)
        tail = page.file.src_uri[len(prefix):]
        links = deepcopy(alternates)
        for link in links:
            other = "" if link["lang"] == i18n.default_language else f"{link['lang']}/"
            link["link"] = other + tail[: -len(".md")] + ".html"
        # mkdocs-static-i18n sets the attribute, which Jinja reads before the item: set both.
        config.extra.alternate = config.extra["alternate"] = links
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if page.file.dest_uri not in self.quiz_pages:
            return output
        url = {kind: get_relative_url(name, page.url) for kind, name in self.asset_names.items()}
        # The certificate script is not loaded with the page: quiz.js fetches it on demand.
        tags = (f'<link rel="stylesheet" href="{url["quiz.css"]}">'
                f'<script src="{url["quiz.js"]}" data-certificate="{url["quiz-certificate.js"]}" defer></script>')
        return output.replace("</head>", tags + "</head>", 1)


def _load_assets() -> dict[str, bytes]:
    """The engine's files under names that change with their content, so browsers may cache them for good."""
    assets = {}
    for name in ASSETS:
        content = resources.files("generator").joinpath("assets", name).read_bytes()
        stem, suffix = name.rsplit(".", 1)
        digest = hashlib.sha256(content).hexdigest()[:8]
        assets[f"{ASSET_DIR}/{stem}.{digest}.{suffix}"] = content
    return assets


def _language(config: MkDocsConfig) -> tuple[str, str]:
    """The language being built and the URL prefix of its pages ("" for the default language)."""
    i18n = config.plugins.get("i18n")
    if i18n is None or getattr(i18n, "current_language", None) is None:
        return (config.theme.get("language") or "zh").split("_")[0].split("-")[0], ""
    language = i18n.current_language
    return language, "" if language == i18n.default_language else f"{language}/"


def _inner_language_build(config: MkDocsConfig) -> bool:
    """True in the builds mkdocs-static-i18n starts for the other languages."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))
