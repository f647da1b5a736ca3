"""The service worker with language switches: one worker for every language, and every navigation answered.

Before the fix, each language switch registered another worker script (sw.js?lang=zh, sw.js?lang=en),
whose skipWaiting() stopped the old worker while it answered a navigation: that navigation stayed
pending for good (Chromium 156; within the first ten pages of the walk below).
The walk runs on the sample site, over its first WALKED quizzes, whatever they are (the first is walked in
both languages).
"""

from __future__ import annotations

import time

import pytest

from .conftest import start, visible_ids

LIMIT = 5.0  # seconds: not a speed budget, a bound that tells a hung navigation from a slow one
WALKED = 7  # quizzes: 8 pages with the first again, 7 language switches, 24 navigations (the hang came within ten)


def quiz_ids(site) -> list[str]:
    """Every quiz of the built site, whatever its content."""
    return sorted(path.stem for path in (site / "quizzes").glob("*.html") if path.stem != "index")


def timed(action) -> float:
    """Seconds the navigation took; infinity when it was never answered."""
    from playwright.sync_api import TimeoutError as NavigationTimeout

    began = time.monotonic()
    try:
        action()
    except NavigationTimeout:
        return float("inf")
    return time.monotonic() - began


def take_the_quiz(page, root: str) -> None:
    """Tick the first choice of every question shown and score the quiz."""
    page.wait_for_selector(root)
    start(page, root)
    for question_id in visible_ids(page, root):
        page.locator(f'{root} [data-question-id="{question_id}"] input').first.check()
    submit = page.locator(f'{root} button[type="submit"]')
    submit.click()
    if submit.is_visible():
        submit.click()  # past the list of unanswered questions
    assert page.locator(f"{root} [data-quiz-result]").is_visible()


def test_alternating_languages_every_navigation_is_answered(make_context, server_url, sample_site):
    """Alternate zh and en quiz pages over the first WALKED quizzes: clear storage, reload, answer, submit, reload;
    each navigation < 5 s."""
    base_url = f"{server_url}{sample_site.name}/"
    context = make_context(base_url)  # service worker on, as on a phone
    context.set_default_navigation_timeout(LIMIT * 4_000)  # then a hang is recorded as inf, with its page
    page = context.new_page()
    slow = []
    root = "form[data-quiz-ready]"
    quizzes = quiz_ids(sample_site)[:WALKED]
    if not quizzes:
        pytest.skip("the site has no quiz")
    for n, quiz_id in enumerate(quizzes + quizzes[:1]):
        url = f"{base_url}{'en/' if n % 2 else ''}quizzes/{quiz_id}.html"
        for step in ("open", "reload", "answer", "reload after scoring"):
            if step == "open":
                seconds = timed(lambda url=url: page.goto(url))
            elif step == "answer":
                take_the_quiz(page, root)
                continue
            else:
                if step == "reload":
                    page.evaluate("localStorage.clear()")
                seconds = timed(page.reload)
            if seconds > LIMIT:
                slow.append((url, step, round(seconds, 1)))
                break
        if slow:
            break
    assert slow == [], "navigations slower than 5 s (inf: never answered)"
    scripts = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r && r.active && r.active.scriptURL)")
    assert scripts == f"{base_url}sw.js", "one worker script for every language"


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_worker_keeps_the_pages_of_the_language_visited(make_context, server_url, sample_site, language):
    """After one visit, the worker fetches that language's quiz pages in the background, and not the other's."""
    base_url = f"{server_url}{sample_site.name}/"
    page = make_context(base_url).new_page()
    page.goto(f"{base_url}{language}index.html")
    wanted = {f"{base_url}{language}quizzes/{quiz_id}.html" for quiz_id in quiz_ids(sample_site)}
    cached: set[str] = set()
    for _ in range(80):
        cached = set(
            page.evaluate(
                "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))"
                ".then(a => a.flat().map(r => r.url))"
            )
        )
        if wanted <= cached:
            break
        page.wait_for_timeout(250)
    assert wanted <= cached
    other = "en/" if not language else ""
    assert not any(url.startswith(f"{base_url}{other}quizzes/") for url in cached)
