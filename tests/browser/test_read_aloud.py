"""Read aloud (DESIGN §13) with a stand-in for the browser's speech (speechSynthesis): what it is asked
to read, in which language, that a question's answer is never read before the worker has answered,
and the buttons' pause, resume and stop.  Headless Chromium has no voices of its own."""

from __future__ import annotations

import json

import pytest

BUTTON = "[data-read-aloud] button:first-child"


def speech(voices: list[str]) -> str:
    """An init script: speechSynthesis (and its utterances) standing in for the browser's, with these
    voices' languages, keeping what it is asked to say;
    window.__end() ends the piece being spoken."""
    return """
window.__spoken = []; window.__pending = []; window.__state = [];
const stub = {
  getVoices: () => VOICES.map((lang) => ({ lang, name: lang, localService: true })),
  speak(u) { window.__spoken.push({ text: u.text, lang: u.lang }); window.__pending.push(u); },
  cancel() { window.__pending = []; window.__state.push('cancel'); },
  pause() { window.__state.push('pause'); },
  resume() { window.__state.push('resume'); },
  addEventListener() {},
};
window.__end = () => { const u = window.__pending.shift(); if (u && u.onend) u.onend(); };
Object.defineProperty(window, 'speechSynthesis', { value: stub, configurable: true });
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
""".replace("VOICES", json.dumps(voices))


def reading(make_context, voices: list[str]):
    context = make_context()
    context.add_init_script(speech(voices))
    return context.new_page()


def spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def read_all(page) -> str:
    """End each piece in turn until the reading is over; what was said, in one string."""
    for _ in range(50):
        if not page.evaluate("window.__pending.length"):
            break
        page.evaluate("window.__end()")
    return "".join(piece["text"] for piece in spoken(page))


@pytest.mark.parametrize("language, voice", [("", "zh-CN"), ("en/", "en-US")])
def test_a_section_is_read_in_the_page_language(make_context, base_url, language, voice):
    page = reading(make_context, ["en-US", "zh-CN"])
    page.goto(f"{base_url}{language}modules/fire.html")
    headings = page.locator("article > h1, article > h2")
    assert page.locator("[data-read-aloud]").count() >= headings.count() > 2
    section = page.locator("article > h2").nth(1)  # 要点 / Key points: a list and a table
    section.locator("xpath=following-sibling::*[1]").locator("button").first.click()
    said = read_all(page)
    assert {piece["lang"] for piece in spoken(page)} == {voice}
    assert said.startswith(section.inner_text().replace("¶", "").strip())
    table = page.locator("article table").first  # in that section
    assert table.locator("td").last.inner_text() in said
    assert "119" not in said.split(table.locator("td").last.inner_text())[1]  # stops at the next section
    assert all(len(piece["text"]) <= 130 for piece in spoken(page))


def test_no_voice_no_buttons(make_context, base_url):
    """A phone with no Chinese voice shows no read-aloud button on Chinese pages (and does on English ones)."""
    page = reading(make_context, ["en-US"])
    page.goto(base_url + "modules/fire.html")
    page.wait_for_load_state("load")
    assert page.locator("[data-read-aloud]").count() == 0
    page.goto(base_url + "en/modules/fire.html")
    assert page.locator("[data-read-aloud]").count() > 0


@pytest.mark.parametrize("language, explanation", [("", "报火警请拨 119"), ("en/", "Dial 119 to report a fire")])
def test_a_question_is_read_without_its_answer_until_answered(make_context, base_url, language, explanation):
    page = reading(make_context, ["zh-CN", "en-GB"])
    page.goto(f"{base_url}{language}quizzes/fire-safety.html")
    question = page.locator('form[data-quiz-ready] [data-question-id="fire-number"]')
    question.locator(BUTTON).click()
    before = read_all(page)
    assert question.locator(".quiz__prompt").inner_text() in before
    assert all(label in before for label in question.locator(".quiz__label").all_inner_texts())
    assert explanation not in before
    page.evaluate("window.__spoken = []")
    question.locator('input[value="B"]').check()  # practice mode: the verdict and explanation show
    question.locator("[data-quiz-explanation]").wait_for(state="visible")
    question.locator(BUTTON).click()
    after = read_all(page)
    assert explanation in after
    assert question.locator("[data-quiz-feedback]").inner_text().strip()[:4] in after


def test_pause_resume_and_stop(make_context, base_url):
    page = reading(make_context, ["zh-CN"])
    page.goto(base_url + "modules/fire.html")
    box = page.locator("[data-read-aloud]").first
    read, stop = box.locator("button").nth(0), box.locator("button").nth(1)
    assert not stop.is_visible()
    idle = read.inner_text()
    read.click()
    assert read.get_attribute("aria-pressed") == "true" and stop.is_visible()
    read.click()
    assert page.evaluate("window.__state").count("pause") == 1
    read.click()
    assert page.evaluate("window.__state")[-1] == "resume"
    stop.click()
    assert page.evaluate("window.__state")[-1] == "cancel"
    assert read.inner_text() == idle and not stop.is_visible()
    assert read.get_attribute("aria-pressed") == "false"
    # Another section while one is read: the first stops, one reading at a time.
    read.click()
    page.locator("[data-read-aloud]").nth(1).locator("button").first.click()
    assert page.locator('[data-read-aloud] button[aria-pressed="true"]').count() == 1


def test_learner_page_questions_get_buttons(make_context, base_url):
    """The learner pages put their questions in after loading them; each gets its button."""
    page = reading(make_context, ["zh-CN"])
    page.goto(base_url + "learn/practice.html")
    page.locator("[data-learn-start]").click()
    page.locator("form[data-quiz-ready] .quiz__question").first.wait_for()
    questions = page.locator("form[data-quiz-ready] .quiz__question:visible")
    assert questions.count() > 0
    assert page.locator("form[data-quiz-ready] .quiz__question:visible [data-read-aloud]").count() == questions.count()
