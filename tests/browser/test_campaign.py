"""The campaign on a phone: the banner's state by date, passed quizzes on the home page, sharing,
QR codes that decode to the right pages, and posters and handouts that print clean on A4."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import zxingcpp
from PIL import Image

from generator.load import load_quiz

from ..conftest import PROJECT, SITE_URL, campaign_of, fixture_config
from .conftest import answer, answer_key

CAMPAIGN = campaign_of(fixture_config())
START, END = CAMPAIGN["start"], CAMPAIGN["end"]
DAYS = (END - START).days + 1


def beijing(day: dt.date, time: str) -> str:
    return f"{day.isoformat()}T{time}+08:00"


@pytest.mark.parametrize(
    "today, zh, en",
    [
        (beijing(START - dt.timedelta(days=12), "09:00:00"), "距活动开始还有 12 天", "12 days to go"),
        (beijing(START, "00:05:00"), "今天开幕", "Starts today"),
        (beijing(START + dt.timedelta(days=15), "23:50:00"), f"活动第 16 天（共 {DAYS} 天）", f"Day 16 of {DAYS}"),
        (
            beijing(END + dt.timedelta(days=1), "08:00:00"),
            "本届活动已结束，测验仍可参加",
            "The campaign is over; quizzes stay open",
        ),
    ],
    ids=["before", "first-day", "day-16", "after"],
)
def test_banner_follows_the_date(make_context, base_url, today, zh, en):
    """Before, on the first day, during and after the campaign, in both languages, on Beijing time."""
    context = make_context(timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.clock.set_fixed_time(today)
    for url, expected, theme in [
        ("modules/fire.html", zh, CAMPAIGN["theme"]["zh"]),
        ("en/quizzes/principles.html", en, CAMPAIGN["theme"]["en"]),
    ]:
        page.goto(base_url + url)
        banner = page.locator(".md-banner [data-campaign]")
        assert banner.locator("[data-campaign-state]").inner_text() == expected
        assert theme in banner.inner_text()


LONG_THEME = "Everyone talks safety, everyone can respond to emergencies: find the hazards around you"
"""The 2025 national theme in English, 88 characters."""


@pytest.mark.parametrize("width", [360, 375])
def test_a_long_banner_takes_two_lines_on_a_phone(make_context, base_url, width):
    """The English banner with a long theme and a long state (seen 2026-11-29: four lines at 375 px): the
    theme and the state keep to a line each, cut short, and the whole of them stays in the text, so
    site.js writing the state moves nothing below (seen 2026-11-30: a layout shift of 0.155); a short
    Chinese theme is shown whole."""
    page = make_context(viewport={"width": width, "height": 740}).new_page()
    page.goto(base_url + "en/modules/fire.html")
    banner = page.locator(".md-banner [data-campaign]")
    long_state = "This year's campaign has ended long ago; the quizzes stay open for everyone"
    banner.evaluate(
        "(b, [theme, state]) => { b.querySelector('.campaign-banner__theme').textContent = theme;"
        " b.querySelector('[data-campaign-state]').textContent = state; }",
        [LONG_THEME, long_state],
    )
    lines = banner.evaluate("b => b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight)")
    assert round(lines) == 2
    assert LONG_THEME in banner.inner_text() and long_state in banner.inner_text()
    page.goto(base_url + "modules/fire.html")
    theme = page.locator(".md-banner .campaign-banner__theme")
    assert theme.evaluate("t => t.scrollWidth <= t.clientWidth"), "a short theme is not cut"


def test_home_marks_passed_quizzes(page, base_url):
    """After passing a quiz, the home page shows it as passed; other quizzes stay unmarked."""
    page.goto(base_url + "index.html")
    assert page.locator("[data-campaign-passed]:visible").count() == 0
    page.goto(base_url + "quizzes/principles.html")
    root = "form[data-quiz-ready]"
    answer(page, root, answer_key("principles"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"
    page.goto(base_url + "index.html")
    passed = page.locator("[data-campaign-passed]:visible")
    assert passed.count() == 1 and passed.get_attribute("data-campaign-passed") == "principles"
    assert passed.inner_text() == "✓ 已通过"
    page.goto(base_url + "en/index.html")
    assert page.locator("[data-campaign-passed]:visible").inner_text() == "✓ passed"


def test_share_uses_the_share_sheet(make_context, base_url):
    """Where the Web Share API exists, the button hands it the page's title and address."""
    context = make_context()
    context.add_init_script("navigator.share = async (data) => { window.__shared = data; };")
    page = context.new_page()
    page.goto(base_url + "quizzes/fire-safety.html")
    page.locator("[data-share]").click()
    shared = page.evaluate("window.__shared")
    title = load_quiz(PROJECT / "quizzes/fire-safety.yaml")[0].title.zh
    assert shared == {"title": title, "url": base_url + "quizzes/fire-safety.html"}


def test_share_copies_the_link_otherwise(make_context, base_url):
    """Without the Web Share API, the link is copied and a visible note says so."""
    context = make_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.add_init_script("delete Navigator.prototype.share;")
    page = context.new_page()
    page.goto(base_url + "en/quizzes/fire-safety.html#q-fire-safety-escape")
    page.locator("[data-share]").click()
    status = page.locator("[data-share-status]")
    status.filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == base_url + "en/quizzes/fire-safety.html"


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_every_poster_qr_code_decodes_to_its_page(page, server_url, campaign_site):
    """Each poster's QR code, as the browser draws it, reads back as the absolute URL of its page."""
    base = server_url + campaign_site.name + "/"
    expected = {
        "posters/home.html": SITE_URL,
        "posters/fire-safety.html": SITE_URL + "quizzes/fire-safety.html",
        "posters/exam.html": SITE_URL + "quizzes/exam.html",
        "en/posters/home.html": SITE_URL + "en/",
        "en/posters/fire-safety.html": SITE_URL + "en/quizzes/fire-safety.html",
        "en/posters/exam.html": SITE_URL + "en/quizzes/exam.html",
    }
    built = sorted(
        p.relative_to(campaign_site).as_posix() for p in campaign_site.rglob("posters/*.html") if p.name != "index.html"
    )
    assert built == sorted(expected)
    for poster, url in expected.items():
        page.goto(base + poster)
        assert decode(page.locator(".poster__qr svg").screenshot()) == [url], poster
        assert page.locator(".poster__url").inner_text() == url
    page.goto(base + "modules/fire.html")
    page.emulate_media(media="print")
    # The whole printed page: an element screenshot under print emulation can miss its target.
    assert decode(page.screenshot(full_page=True)) == [SITE_URL + "quizzes/fire-safety.html"]


A4 = {"width": 794, "height": 1123}  # CSS pixels of an A4 sheet, for print screenshots


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def printed(page, url: str, hidden: list[str]) -> None:
    """Open ``url`` on an A4-wide screen as print media; none of ``hidden`` may show."""
    page.set_viewport_size(A4)
    page.goto(url)
    page.emulate_media(media="print")
    for chrome in hidden:
        assert not page.locator(chrome).first.is_visible(), chrome


def test_poster_prints_as_one_clean_a4_sheet(page, server_url, campaign_site, tmp_path):
    """A poster prints on exactly one A4 page, with no header, navigation, banner or footer."""
    printed(
        page,
        server_url + campaign_site.name + "/posters/fire-safety.html",
        [".staff-bar", ".md-header", ".md-sidebar--primary", ".md-footer", ".md-banner", "h1"],
    )
    assert page.locator(".poster__qr svg").is_visible()
    page.screenshot(path=tmp_path / "poster-print.png", full_page=True)
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1


def test_module_prints_as_a_handout(page, server_url, campaign_site, tmp_path):
    """A module prints without navigation, search or footer, links show their address, and a QR code ends it."""
    printed(
        page,
        server_url + campaign_site.name + "/en/modules/fire.html",
        [".md-header", ".md-sidebar--primary", ".md-footer", ".md-search", ".md-banner"],
    )
    after = page.eval_on_selector('article a[href^="https://flk"]', "a => getComputedStyle(a, '::after').content")
    assert after == '" (https://flk.npc.gov.cn/)"'
    assert page.locator(".handout-qr").is_visible()
    assert "Scan to take the quiz" in page.locator(".handout-qr").inner_text()
    page.screenshot(path=tmp_path / "handout-print.png", full_page=True)
    page.emulate_media(media="screen")
    assert not page.locator(".handout-qr").is_visible(), "the QR code is for paper only"
