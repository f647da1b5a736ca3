"""The site plan: what the generator adds to a site, language by language, without MkDocs.

From a checked project it says which pages are generated (quiz pages and the quiz index, as
Markdown), which poster pages are written (whole pages for staff), what each marker in a page
becomes, which pages load the quiz engine, and where a generated page's language switch leads.
Every method takes and returns strings and paths from the site root, so the adapter only has
to hand over what MkDocs knows (tests/unit/test_site.py runs it without a build).

A page is fixed in two steps, as MkDocs renders it:
- ``fill`` takes the page's HTML body: the quiz list, the home page's campaign block (and its
  participation counter, with ``public_summary: true``), the share button of quiz pages, the QR code
  that ends a printed module.  Quiz markers are left in place, so Material's search never reads
  (and indexes) the questions.
- ``finish`` takes the whole page: the quizzes go in and the generator's files are linked in the head.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from importlib import resources
from urllib.parse import unquote

import rcssmin
import rjsmin
from markupsafe import Markup

from .images import SitePictures, root_of
from .learn import ASKING, LEARN_URL_DIR, data_scripts, render_learn_home, render_learn_page
from .learn import PAGES as LEARN_PAGES
from .markers import HTML_CAMPAIGN_MARKER, HTML_LEARN_MARKER, HTML_LIST_MARKER, HTML_QUIZ_MARKER, HTML_SHARE_MARKER
from .modules import Module
from .offline import WORKER
from .project import POSTER_URL_DIR, QUIZ_URL_DIR, Project
from .render import (
    Link,
    environment,
    quiz_version,
    render_banner,
    render_handout_qr,
    render_hero,
    render_poster,
    render_poster_list,
    render_quiz,
    render_quiz_list,
    render_share,
    render_staff_page,
)
from .texts import CAMPAIGN_TEXT, INDEX_TEXT, LEARN_TEXT, READING_TEXT, SUMMARY_SCRIPT_TEXTS, SUMMARY_TEXT
from .urls import Language, relative_url

ASSET_DIR = "assets/generator"
QUIZ_ASSETS = ("quiz.css", "quiz.js", "quiz-certificate.js")
"""Loaded by pages with a quiz; the certificate script is fetched by quiz.js when a certificate is made."""
SITE_ASSETS = ("site.css", "site.js", "read-aloud.js")
"""Loaded on every page: the campaign banner, the home page's passed quizzes, sharing, print styles,
keeping the worker's mistakes and progress (learn.py) from what the quizzes report, the reading control
(text size, contrast) and read aloud (DESIGN §13)."""
READ_ALOUD_TEXTS = ("read", "read_label", "pause", "resume", "stop")
"""The words read-aloud.js shows (texts.READING_TEXT)."""
LEARN_ASSETS = ("learn.css", "learn.js")
"""The learner pages' own (learn.py)."""
RESULTS_ASSETS = ("results.css", "results.js")
"""Only on sites that count participation (a results: block): results.js on every page, to send
what waits on the phone; results.css with the quizzes."""
SUMMARY_ASSETS = ("results-summary.css", "results-summary.js")
"""Only with ``public_summary: true``, and only on the home pages: the participation counter.  Files of
their own rather than more of results.js (which every page loads): the counter is wanted on one page
per language, and sites without it keep their files (and their pages' links to them) byte for byte."""

NavOrder = list[tuple[str | None, list[str]]]
"""The site's navigation as the home page needs it: (section title, module stems) for each
section, (None, [stem]) for each page at the top level; in navigation order."""


@dataclass(frozen=True)
class GeneratedPage:
    """A page the generator adds to the site, as Markdown for the site's theme to render."""

    path: str
    """Its source path, the same in every language (e.g. ``quizzes/fire.md``): a ``nav:`` entry
    finds it in each language's build, and the page is written under the language's folder."""
    markdown: str
    in_nav: bool = True
    rendered: bool = True
    """False: listed so that links to it resolve, but not rendered in this build."""


def minified(name: str, text: str) -> bytes:
    """An engine file as it is shipped: without comments and indentation (rjsmin, rcssmin: they
    remove only what cannot change the meaning, renaming nothing).  The sources stay commented."""
    if name.endswith(".js"):
        text = rjsmin.jsmin(text)
    elif name.endswith(".css"):
        text = rcssmin.cssmin(text)
    return text.encode("utf-8")


@dataclass(frozen=True)
class Assets:
    """The engine's files under names that change with their content, so browsers may cache them for good."""

    files: dict[str, bytes]
    """Site path -> content."""
    names: dict[str, str]
    """"quiz.js" -> its site path."""
    endpoint: str = ""
    """Where results are sent (DESIGN §11); "" when the site sends nothing, and has no results files."""

    @classmethod
    def load(cls, endpoint: str = "", summary: bool = False) -> Assets:
        """``summary``: the home page shows the participation counter (``public_summary: true``)."""
        files, names = {}, {}
        extra = (RESULTS_ASSETS + (SUMMARY_ASSETS if summary else ())) if endpoint else ()
        for name in QUIZ_ASSETS + SITE_ASSETS + LEARN_ASSETS + extra:
            content = minified(name, resources.files("generator").joinpath("assets", name).read_text(encoding="utf-8"))
            stem, suffix = name.rsplit(".", 1)
            path = f"{ASSET_DIR}/{stem}.{hashlib.sha256(content).hexdigest()[:8]}.{suffix}"
            files[path], names[name] = content, path
        return cls(files, names, endpoint)

    def head_tags(
        self,
        here: str,
        language: str,
        quiz: bool,
        worker_language: str | None,
        summary: bool = False,
        learn: bool = False,
        visit: tuple[str, str] | None = None,
    ) -> str:
        """The tags that load the generator's files on the page ``here``, in ``language``; with ``worker_language``,
        the page registers the service worker, which keeps that language's pages for offline use;
        ``summary``: the page holds the participation counter; ``learn``: it is a learner page;
        ``visit``: ("module", stem) or ("quiz", id), which site.js keeps for the worker's progress."""
        url = {name: relative_url(path, here) for name, path in self.names.items()}
        return (
            environment()
            .get_template("head_assets.html")
            .render(
                url=url,
                reading={key: READING_TEXT[language][key] for key in READ_ALOUD_TEXTS},
                quiz=quiz,
                worker=relative_url(WORKER, here) if worker_language else None,
                lang=worker_language,
                endpoint=self.endpoint,
                summary=summary,
                learn=learn,
                visit=visit,
            )
        )


@dataclass
class SitePlan:
    """The generator's part of one build of a site; made anew for every build."""

    project: Project
    assets: Assets | None = None
    """The generator's files; by default those the project needs."""
    _quizzes_on: dict[str, bool] = field(default_factory=dict)
    """Address of each page with a quiz marker -> whether one of its markers names a quiz that loads."""
    _posters: dict[tuple, dict[str, str]] = field(default_factory=dict)
    _counted_on: set[str] = field(default_factory=set)
    """Addresses of the pages that hold the participation counter (the home pages)."""
    _learn_on: set[str] = field(default_factory=set)
    """Addresses of the learner pages."""
    _scripts: dict[Language, dict[str, str]] = field(default_factory=dict)
    pictures: SitePictures = field(default_factory=SitePictures)
    """The build's pictures (images.py): the adapter adds each one before the pages are made."""

    def __post_init__(self) -> None:
        if self.assets is None:
            results = self.project.results
            self.assets = Assets.load(results.endpoint, results.public_summary) if results else Assets.load()

    # -- what the site holds --------------------------------------------------------

    def pages(self, language: Language, rendered: bool = True) -> list[GeneratedPage]:
        """The quiz pages (out of the navigation: a quiz is reached from its module and the quiz
        index) and the quiz index of a language."""
        pages = []
        for quiz in self.project.bank:
            # Page Markdown lets raw HTML through; a quiz title is quiz text, shown as text (DESIGN §6).
            markdown = (
                f"# {markdown_text(quiz.title.get(language.code))}\n\n<!-- quiz: {quiz.id} -->\n\n<!-- share -->\n"
            )
            pages.append(GeneratedPage(f"{QUIZ_URL_DIR}/{quiz.id}.md", markdown if rendered else "", False, rendered))
        pages.append(
            GeneratedPage(f"{QUIZ_URL_DIR}/index.md", f"# {INDEX_TEXT[language.code]['title']}\n\n<!-- quiz-list -->\n")
        )
        if len(self.project.bank):  # the learner pages ask the site's questions: none without quizzes
            text = LEARN_TEXT[language.code]
            pages += [
                GeneratedPage(f"{LEARN_URL_DIR}/{kind}.md", f"# {text[kind]}\n\n<!-- learn: {kind} -->\n")
                for kind in LEARN_PAGES
            ]
        return pages

    def data_scripts(self, language: Language) -> dict[str, str]:
        """The learner pages' question scripts of a language (learn.py): site path -> text."""
        if language not in self._scripts:
            root = root_of(f"{language.prefix}{LEARN_URL_DIR}/page.html")
            self._scripts[language] = data_scripts(self.project, language, self.pictures.for_quiz(root))
        return self._scripts[language]

    def switch_path(self, language: Language, here: str) -> str | None:
        """For a generated page, its address without the language folder, which the language
        switch keeps in every language; None for other pages."""
        path = here[len(language.prefix) :] if here.startswith(language.prefix) else here
        return path if path in self._generated_paths else None

    @cached_property
    def _generated_paths(self) -> set[str]:
        """Where the generated pages are, without the language folder (the same in every language)."""
        return {page.path.removesuffix(".md") + ".html" for page in self.pages(Language("zh"), rendered=False)}

    def posters(self, language: Language, favicon: str | None = None) -> dict[str, str]:
        """The poster pages of a language (file name in posters/ -> whole HTML page): one per quiz,
        the home page's, and their index.  Staff print them; they are not themed site pages."""
        key = (language, favicon)
        if key not in self._posters:
            self._posters[key] = self._render_posters(language, favicon)
        return self._posters[key]

    def _render_posters(self, language: Language, favicon: str | None) -> dict[str, str]:
        code, campaign, text = language.code, self.project.campaign, CAMPAIGN_TEXT[language.code]

        def absolute(path: str) -> str | None:
            return language.absolute(language.prefix + path)

        site_name = language.site_name
        pages = {"home.html": (site_name, render_poster(campaign, code, site_name, absolute(""), quiz=False))}
        for quiz in self.project.bank:
            title = quiz.title.get(code)
            pages[f"{quiz.id}.html"] = (
                title,
                render_poster(campaign, code, title, absolute(f"{QUIZ_URL_DIR}/{quiz.id}.html"), quiz=True),
            )
        links = [Link(text["poster_home"], "home.html")] + [
            Link(q.title.get(code), f"{q.id}.html") for q in self.project.bank
        ]
        here = f"{language.prefix}{POSTER_URL_DIR}/index.html"
        others = language.others
        other_index = relative_url(f"{others[0][1]}{POSTER_URL_DIR}/index.html", here) if others else None
        pages["index.html"] = (text["poster_index"], render_poster_list(code, links, other_index))
        return {
            name: render_staff_page(language, favicon, f"{POSTER_URL_DIR}/{name}", title, body)
            for name, (title, body) in pages.items()
        }

    def banner(self, language: Language) -> str | None:
        """The campaign line shown on every page, when the site has a campaign."""
        return render_banner(self.project.campaign, language.code) if self.project.campaign else None

    # -- a page, as MkDocs renders it -------------------------------------------------

    def fill(self, html: str, language: Language, here: str, title: str, nav: NavOrder) -> str:
        """The page body at ``here`` with the quiz list, the campaign block and the share button in
        place, and a printed module's QR code to its quiz at the end; quiz markers are kept for ``finish``."""
        bank = self.project.bank
        quiz_ids = set(HTML_QUIZ_MARKER.findall(html))
        if quiz_ids:
            self._quizzes_on[here] = any(quiz_id in bank for quiz_id in quiz_ids)

        def relative(path: str) -> str:
            return relative_url(language.prefix + path, here)

        html = HTML_LIST_MARKER.sub(
            lambda m: render_quiz_list(list(bank), language.code, lambda q: relative(f"{QUIZ_URL_DIR}/{q.id}.html")),
            html,
        )
        counter = self.counter(language, here)
        if counter:
            self._counted_on.add(here)

        def campaign(match: re.Match) -> str:
            nonlocal counter  # into the first campaign block only: the counter is once on the page
            block, counter = self.home(language, here, nav, counter), ""
            return block

        html = HTML_CAMPAIGN_MARKER.sub(campaign, html) + counter  # a home page without one: at its end
        if here == f"{language.prefix}index.html" and len(bank) and "data-learn-home" not in html:
            html += render_learn_home(language, here)  # a home page without a campaign block: at its end

        def learn(match: re.Match) -> str:
            kind = match["kind"]
            if kind not in LEARN_PAGES:
                return match[0]
            self._learn_on.add(here)
            if kind in ASKING:
                self._quizzes_on[here] = True
            by_stem = {module.stem: module for module in self.project.modules}
            order = [stem for _, stems in module_groups(by_stem, nav) for stem in stems]
            return render_learn_page(kind, self.project, language, here, order, self.data_scripts(language))

        html = HTML_LEARN_MARKER.sub(learn, html)
        if self.switch_path(language, here):
            share_url = language.absolute(here)
            html = HTML_SHARE_MARKER.sub(lambda m: render_share(language.code, title, share_url), html)
        return self.pictures.page(html, here) + self._handout_qr(language, here)

    def finish(self, html: str, language: Language, here: str, worker: bool) -> str:
        """The whole page at ``here`` with its quizzes in place and the generator's files linked;
        ``worker``: the page registers the service worker (not in the preview, which reloads on every edit)."""
        has_quiz = self._quizzes_on.get(here)
        if has_quiz is not None:
            bank, code = self.project.bank, language.code
            html = HTML_QUIZ_MARKER.sub(
                lambda m: (
                    render_quiz(
                        bank[m["id"]],
                        code,
                        language.site_name,
                        self.project.results,
                        self.project.units,
                        self.pictures.for_quiz(root_of(here)),
                    )
                    if m["id"] in bank
                    else broken_quiz(m["id"])
                ),
                html,
            )
        tags = self.assets.head_tags(
            here,
            language.code,
            bool(has_quiz),
            language.code if worker else None,
            here in self._counted_on,
            learn=here in self._learn_on,
            visit=self._visit(language, here),
        )
        return html.replace("</head>", tags + "</head>", 1)

    def home(self, language: Language, here: str, nav: NavOrder, counter: str = "") -> str:
        """The home page's campaign block: theme and dates, the modules grouped as the navigation
        groups them (with their quizzes), the calendar; ``counter`` (see ``counter``) goes right
        after the theme and dates, before the modules."""
        bank, code = self.project.bank, language.code

        def relative(path: str) -> str:
            return relative_url(language.prefix + path, here)

        def entry(module: Module) -> tuple[Link, list[Link]]:
            quizzes = [
                Link(bank[q].title.get(code), relative(f"{QUIZ_URL_DIR}/{q}.html"), q, quiz_version(bank[q]))
                for q in module.quiz_ids
                if q in bank
            ]
            return Link(module.title(code), relative(module.url)), quizzes

        by_stem = {module.stem: module for module in self.project.modules}
        groups = [(title, [entry(by_stem[stem]) for stem in stems]) for title, stems in module_groups(by_stem, nav)]
        block = render_hero(
            self.project.campaign,
            code,
            groups,
            relative(f"{QUIZ_URL_DIR}/index.html"),
            relative(f"{POSTER_URL_DIR}/index.html"),
        )
        # hero.html starts with the campaign's box, a <div> with none inside it (without a campaign: no box).
        cut = block.index("</div>\n") + len("</div>\n") if self.project.campaign else 0
        learn = render_learn_home(language, here) if len(bank) else ""
        return block[:cut] + counter + learn + block[cut:]

    def _visit(self, language: Language, here: str) -> tuple[str, str] | None:
        """What site.js keeps of a visit to ``here``: ("module", stem), ("quiz", id) or None."""
        path = unquote(here[len(language.prefix) :]).removesuffix(".html")
        if any(m.stem == path for m in self.project.modules):
            return ("module", path)
        folder, _, name = path.rpartition("/")
        return ("quiz", name) if folder == QUIZ_URL_DIR and name in self.project.bank else None

    def counter(self, language: Language, here: str) -> str:
        """The participation counter (``public_summary: true``) of the page ``here`` if it is the
        language's home page, else "": a hidden block that results-summary.js fills in and shows."""
        results = self.project.results
        if not (results and results.public_summary) or here != f"{language.prefix}index.html":
            return ""
        text = SUMMARY_TEXT[language.code]
        # For a <script type="application/json">: "</" must not end the element early.
        script_text = json.dumps({key: text[key] for key in SUMMARY_SCRIPT_TEXTS}, ensure_ascii=False)
        template = environment().get_template("results_summary.html")
        return template.render(t=text, script_text=Markup(script_text.replace("</", "<\\/"))) + "\n"

    def _handout_qr(self, language: Language, here: str) -> str:
        """A module with a quiz ends, on paper, with a QR code to that quiz."""
        stem = unquote(here[len(language.prefix) :]).removesuffix(".html")
        module = next((m for m in self.project.modules if m.stem == stem), None)
        quiz_ids = [q for q in (module.quiz_ids if module else []) if q in self.project.bank]
        url = language.absolute(f"{language.prefix}{QUIZ_URL_DIR}/{quiz_ids[0]}.html") if quiz_ids else None
        return render_handout_qr(language.code, url) if url else ""


def module_groups(modules: dict[str, Module], nav: NavOrder) -> list[tuple[str, list[str]]]:
    """Module stems grouped and ordered as the navigation has them: one group per section that
    holds modules, then the modules at the top level and those not in the navigation, untitled."""
    seen: set[str] = set()

    def new(stems: list[str]) -> list[str]:
        found = [stem for stem in dict.fromkeys(stems) if stem in modules and stem not in seen]
        seen.update(found)
        return found

    loose = new([stem for title, stems in nav if title is None for stem in stems])
    groups = [(title, found) for title, stems in nav if title is not None if (found := new(stems))]
    rest = loose + [stem for stem in modules if stem not in seen]
    return groups + ([("", rest)] if rest else [])


def broken_quiz(quiz_id: str) -> str:
    """Shown in the preview only, where a quiz with errors would be (a build stops instead)."""
    return environment().get_template("broken_quiz.html").render(quiz_id=quiz_id)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: str) -> str:
    """Text as Markdown that shows exactly its characters: page Markdown lets raw HTML and links
    through, and a quiz title is quiz text, shown as text (DESIGN §6)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escape(text, quote=False))
