"""Model + language -> HTML, through the Jinja2 templates shipped in ``templates/``.

Text fields of a quiz allow inline Markdown.  Raw HTML in them is shown as text, never
run (DESIGN §6): the Markdown converter has its HTML processors removed, and links or
images that point at a script or at another host are dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import segno
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .campaign import Campaign
from .model import Mode, Picture, Question, QuestionType, Quiz, question_fingerprint, quiz_version
from .results_config import ResultsConfig
from .seal import seal, seed_text
from .texts import CAMPAIGN_TEXT, INDEX_TEXT, MONTHS_EN, RESULTS_TEXT, SCRIPT_TEXTS, UI_TEXT, duration, number, ordinal
from .units import Unit
from .urls import Language, relative_url

_SAFE_LINK_SCHEMES = {"http", "https", "mailto", "tel"}


class _UnsafeUrls(Treeprocessor):
    """Drop ``javascript:`` and other script links, and images from other hosts.

    Each address is first read the way a browser reads it (character references decoded,
    tabs and line breaks removed, backslashes as slashes), checked, and written back in that
    form, so what is checked is what the browser follows.
    """

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute, allowed = _URL_RULES.get(element.tag, (None, None))
            if attribute not in element.attrib:
                continue
            url = _as_browser_reads(element.get(attribute))
            if allowed(url):
                element.set(attribute, url)
                continue
            element.attrib.pop(attribute)
            if element.tag == "a":
                element.tag = "span"  # its words stay, as text rather than a link that goes nowhere


_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(map(chr, range(0x21)))  # C0 controls and space, trimmed at both ends


def _as_browser_reads(url: str) -> str:
    return _URL_IGNORED.sub("", unescape(url)).strip(_URL_TRIMMED).replace("\\", "/")


def _is_safe_link(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return not scheme or scheme in _SAFE_LINK_SCHEMES


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


_URL_RULES = {"a": ("href", _is_safe_link), "img": ("src", _is_local)}
"""Per element: the attribute holding its address, and which addresses may stay."""


class _SafeTextExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_UnsafeUrls(md), "unsafe_urls", 0)


_md = markdown.Markdown(extensions=[_SafeTextExtension()])
_PARAGRAPHS = re.compile(r"</p>\s*<p>")


_MARKUP_CHARS = re.compile(r"[\x00-\x1f\x7f\\`*_\[\]<>&]")
"""Characters that can start Markdown syntax or need escaping in HTML, line breaks included."""
_BLOCK_START = re.compile(r"[#>=+\-]|\d+\.")
"""Starts of a line that can make it a heading, quote, list or rule."""


def _plain(text: str) -> bool:
    """True when ``text`` is one line Markdown leaves as it is (most quiz texts): no need to convert it.

    Converting takes about a tenth of a millisecond per text, which made Markdown most of the
    cost of rendering a quiz.  tests/unit/test_render.py checks that the shortcut gives what
    Markdown gives.
    """
    return (
        bool(text)
        and not text[0].isspace()
        and not text[-1].isspace()
        and not _MARKUP_CHARS.search(text)
        and not _BLOCK_START.match(text)
    )


@lru_cache(maxsize=4096)
def inline_markdown(text: str) -> Markup:
    """A text field as inline HTML: paragraphs become line breaks, so it fits in a legend or label."""
    if _plain(text):
        return Markup(text)
    html = _md.reset().convert(text).strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = _PARAGRAPHS.sub("<br><br>", html[3:-4])
    return Markup(html)


def block_markdown(text: str) -> Markup:
    if _plain(text):
        return Markup(f"<p>{text}</p>")
    return Markup(_md.reset().convert(text))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["inline"] = inline_markdown
    env.filters["block"] = block_markdown
    return env


def sealed_answers(quiz: Quiz, language: str) -> dict[str, str]:
    """Each question's answer and explanation, sealed (seal.py): question id -> sealed text."""
    version = quiz_version(quiz)
    sealed = {}
    for question in quiz.questions:
        explanation = question.explanation.get(language) if question.explanation else ""
        payload = {"a": sorted(question.answer), "e": str(block_markdown(explanation)) if explanation else ""}
        sealed[question.id] = seal(payload, seed_text(quiz.id, question.id, version))
    return sealed


def script_texts(language: str) -> dict[str, str]:
    """The interface texts quiz.js reads from a quiz's data."""
    return {name: UI_TEXT[language][name] for name in SCRIPT_TEXTS}


def quiz_data(quiz: Quiz, language: str) -> str:
    """The JSON the engine reads: interface texts and each question's sealed answer and explanation."""
    data = {"text": script_texts(language), "sealed": sealed_answers(quiz, language)}
    # "</" must not end the script element early; json.dumps leaves it alone.
    return _script_json(data)


@lru_cache(maxsize=1024)
def render_quiz(
    quiz: Quiz,
    language: str,
    site_name: str = "",
    results: ResultsConfig | None = None,
    units: tuple[Unit, ...] = (),
    picture: PictureMarkup | None = None,
) -> str:
    """The quiz as an HTML fragment for a page in ``language``; ``site_name`` goes on certificates;
    with ``results``, the panel that sends a scored attempt, with ``units`` to choose from (DESIGN §11.1);
    ``picture`` shows the questions' pictures on this page (images.SitePictures.for_quiz).

    Cached: a quiz is rendered once per language although its page and its module embed it,
    and mkdocs-static-i18n builds the default language twice (the model is immutable).
    """
    return _quiz_html(
        quiz,
        language,
        quiz_version(quiz),
        Markup(quiz_data(quiz, language)),
        _intro(quiz, language),
        results,
        units,
        site_name=site_name,
        picture=picture,
    )


def render_learner_quiz(
    quiz: Quiz,
    version: str,
    language: str,
    intro: str,
    results: ResultsConfig | None = None,
    units: tuple[Unit, ...] = (),
) -> str:
    """A learner page's quiz (learn.py): ``quiz`` without questions (assets/learn.js adds them), marked
    with ``version``; no certificate; with ``results``, the panel that sends the attempt."""
    data = Markup(_script_json({"text": script_texts(language), "sealed": {}}))
    return _quiz_html(quiz, language, version, data, intro, results, units, learner=True)


def _quiz_html(
    quiz: Quiz,
    language: str,
    version: str,
    data: Markup,
    intro: str,
    results: ResultsConfig | None,
    units: tuple[Unit, ...],
    site_name: str = "",
    learner: bool = False,
    picture: PictureMarkup | None = None,
) -> str:
    return (
        environment()
        .get_template("quiz.html")
        .render(
            quiz=quiz,
            title=quiz.title.get(language),
            site_name=site_name,
            version=version,
            data=data,
            intro=intro,
            learner=learner,
            Mode=Mode,
            **_question_context(language, picture),
            results=results,
            units=units,
            rt=RESULTS_TEXT[language],
            results_text=Markup(_script_json(RESULTS_TEXT[language])) if results else "",
        )
    )


def render_question(quiz: Quiz, question: Question, language: str, picture: PictureMarkup | None = None) -> str:
    """One question of ``quiz`` as the learner pages show it (assets/learn.js): its id is
    ``<quiz>/<question>``, and a multiple-choice question has its check button (practice mode);
    ``picture`` as for ``render_quiz``."""
    return (
        environment()
        .get_template("_question.html")
        .render(
            question=question,
            question_id=f"{quiz.id}/{question.id}",
            name=f"q-learn-{quiz.id}-{question.id}",
            number=1,
            check=question.type is QuestionType.MULTIPLE,
            **_question_context(language, picture),
        )
    )


def _question_context(language: str, picture: PictureMarkup | None = None) -> dict:
    """What _question.html needs besides the question, in quiz.html and alone (``render_question``)."""
    text = UI_TEXT[language]

    def show(image: Picture, language: str, option: bool) -> Markup:
        return (picture and picture(image, language, option)) or _alt_only(image, language)

    return {
        "lang": language,
        "t": text,
        "question_label": lambda number: text["question"].format(n=number),
        "choices": lambda question: _choices(question, language, show),
        "picture": lambda image: show(image, language, False),
        "fingerprint": question_fingerprint,
        "QuestionType": QuestionType,
    }


def _script_json(value: object) -> str:
    """JSON for a <script type="application/json">: "</" must not end the element early."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _intro(quiz: Quiz, language: str) -> str:
    text = UI_TEXT[language]
    pass_mark = number(quiz.pass_mark)
    if quiz.draw and quiz.draw < len(quiz.questions):
        parts = [text["intro_draw"].format(count=quiz.draw, bank=len(quiz.questions), pass_mark=pass_mark)]
    else:
        key = "intro_one" if len(quiz.questions) == 1 and "intro_one" in text else "intro"
        parts = [text[key].format(count=len(quiz.questions), pass_mark=pass_mark)]
    if quiz.time_limit:
        parts.append(text["intro_time"].format(limit=duration(quiz.time_limit, language)))
    parts.append(text["intro_exam" if quiz.mode is Mode.EXAM else "intro_practice"])
    return (" " if language == "en" else "").join(parts)


def render_quiz_list(quizzes: list[Quiz], language: str, href: Callable[[Quiz], str]) -> str:
    """A list of quizzes with their size and pass mark, linking each with ``href(quiz)``."""
    text = INDEX_TEXT[language]
    items = [
        {
            "quiz": quiz,
            "title": quiz.title.get(language),
            "href": href(quiz),
            "summary": text["summary"].format(count=quiz.attempt_size, pass_mark=number(quiz.pass_mark)),
            "description": quiz.description.get(language) if quiz.description else "",
        }
        for quiz in quizzes
    ]
    return environment().get_template("quiz_list.html").render(items=items, t=text, lang=language)


def _choices(
    question: Question, language: str, picture: Callable[[Picture, str, bool], Markup]
) -> list[tuple[str, str, Markup]]:
    """(value, shown letter, label HTML) of each input of a question; an option's picture comes before its text."""
    if question.type is QuestionType.TRUE_FALSE:
        text = UI_TEXT[language]
        return [("true", "", Markup.escape(text["true"])), ("false", "", Markup.escape(text["false"]))]
    return [
        (
            option.letter,
            option.letter,
            (picture(option.image, language, True) if option.image else Markup(""))
            + (inline_markdown(option.text.get(language)) if option.text_shown else Markup("")),
        )
        for option in question.options
    ]


PictureMarkup = Callable[[Picture, str, bool], Markup | None]
"""(picture, language, is an option's) -> its HTML on the page being rendered, None when the build has no
such picture (images.SitePictures.for_quiz)."""


def _alt_only(picture: Picture, language: str, option: bool = False) -> Markup:
    """A picture the build does not have (a quiz rendered outside a build, or a missing file in the
    preview, which check reports): its alt text, as text."""
    return Markup('<span class="quiz__missing-picture">{}</span>').format(picture.alt.get(language))


# -- the campaign: banner, home hero, posters, sharing -------------------------------


@dataclass(frozen=True)
class Link:
    """A page as the campaign pieces show it: title, address relative to the page, quiz id if any."""

    title: str
    href: str
    quiz_id: str = ""
    version: str = ""


def edition_line(campaign: Campaign, language: str) -> str:
    text = CAMPAIGN_TEXT[language]
    if campaign.edition:
        return text["edition"].format(
            year=campaign.year, edition=campaign.edition, edition_ordinal=ordinal(campaign.edition)
        )
    return text["edition_no_number"].format(year=campaign.year)


def format_date(day: dt.date, language: str) -> str:
    return CAMPAIGN_TEXT[language]["date"].format(month=day.month, day=day.day, month_name=MONTHS_EN[day.month - 1])


def date_range(campaign: Campaign, language: str) -> str:
    return CAMPAIGN_TEXT[language]["dates"].format(
        start=format_date(campaign.start, language), end=format_date(campaign.end, language)
    )


@lru_cache(maxsize=16)
def render_banner(campaign: Campaign, language: str) -> str:
    """The line on every page: edition, theme and the campaign's state (worked out by site.js).

    Cached: it is the same on every page of a language (the campaign is immutable).
    """
    return (
        environment()
        .get_template("banner.html")
        .render(
            c=campaign,
            t=CAMPAIGN_TEXT[language],
            edition=edition_line(campaign, language),
            theme=campaign.theme.get(language),
            dates=date_range(campaign, language),
        )
    )


def render_hero(
    campaign: Campaign | None,
    language: str,
    modules: list[tuple[str, list[tuple[Link, list[Link]]]]],
    quizzes_href: str,
    posters_href: str,
) -> str:
    """The home page's campaign block: theme, dates, organiser, modules (by group) with their quizzes, calendar."""
    return (
        environment()
        .get_template("hero.html")
        .render(
            c=campaign,
            lang=language,
            t=CAMPAIGN_TEXT[language],
            modules=modules,
            edition=edition_line(campaign, language) if campaign else "",
            theme=campaign.theme.get(language) if campaign else "",
            dates=date_range(campaign, language) if campaign else "",
            quizzes_href=quizzes_href,
            posters_href=posters_href,
            date=lambda d: format_date(d, language),
        )
    )


@lru_cache(maxsize=4096)
def qr_svg(url: str, language: str) -> Markup:
    """A QR code for ``url`` as inline SVG, made at build time (segno; no online service).

    Cached: making a code takes about 5 ms (segno tries every mask), and the same address
    is on a module's handout and on its quiz's poster, and the default language is built twice.
    """
    code = segno.make(url, error="m")
    label = CAMPAIGN_TEXT[language]["qr_label"].format(url=url)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, title=label)  # 4: the quiet zone the standard asks for
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def render_poster(campaign: Campaign | None, language: str, title: str, url: str | None, quiz: bool) -> str:
    """One A4 poster: the campaign, a title, the QR code of ``url`` and the address as text."""
    return (
        environment()
        .get_template("poster.html")
        .render(
            c=campaign,
            lang=language,
            t=CAMPAIGN_TEXT[language],
            title=title,
            url=url,
            quiz=quiz,
            edition=edition_line(campaign, language) if campaign else "",
            theme=campaign.theme.get(language) if campaign else "",
            qr=qr_svg(url, language) if url else None,
        )
    )


def render_poster_list(language: str, posters: list[Link], other_language: str | None) -> str:
    return (
        environment()
        .get_template("poster_list.html")
        .render(
            t=CAMPAIGN_TEXT[language],
            posters=posters,
            other_language=other_language,
            other_lang="en" if language == "zh" else "zh",
        )
    )


def render_staff_page(language: Language, favicon: str | None, path: str, title: str, body: str) -> str:
    """A whole page for staff (a poster, the poster index), without the site's theme.

    ``path`` is the page's address inside its language's folder, e.g. ``posters/fire.html``;
    the page links back to the language's home page, to the poster index and to the same
    page in the other languages.
    """
    here = language.prefix + path

    def relative(target: str) -> str:
        return relative_url(target, here)

    index = f"{path.rsplit('/', 1)[0]}/index.html" if "/" in path else "index.html"
    others = [
        {"href": relative(prefix + path), "lang": code, "label": CAMPAIGN_TEXT[code]["language_name"]}
        for code, prefix in language.others
    ]
    return (
        environment()
        .get_template("staff_page.html")
        .render(
            lang=language.code,
            t=CAMPAIGN_TEXT[language.code],
            title=title,
            site_name=language.site_name,
            body=Markup(body),
            home=relative(language.prefix + "index.html"),
            index=relative(language.prefix + index) if index != path else None,
            others=others,
            favicon=relative(favicon) if favicon else None,
        )
    )


def render_handout_qr(language: str, url: str) -> str:
    """The end of a printed module: a QR code to its quiz, shown only on paper."""
    return (
        environment()
        .get_template("handout_qr.html")
        .render(t=CAMPAIGN_TEXT[language], url=url, qr=qr_svg(url, language))
    )


def render_share(language: str, title: str, url: str | None) -> str:
    return environment().get_template("share.html").render(t=CAMPAIGN_TEXT[language], title=title, url=url or "")
