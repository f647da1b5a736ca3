"""Untrusted text never runs: injection payloads in every field staff or workers type.

Quiz texts (title, description, prompts, options, explanations), the campaign block
(theme, organiser, activities) and the name on a certificate come from Word, WeChat and
spreadsheets of unknown origin.  Each payload calls ``window.__pwned`` if it ever runs; the
site is built from them, every page that shows them is opened and used in Chromium, and:
nothing ran, the payloads are shown as text, and the 360-px page does not overflow.
Module Markdown is trusted (README: staff may put HTML there on purpose) and is not fed here.
"""

from __future__ import annotations

import pytest
import yaml

from ..conftest import built, campaign_of, fixture_config, make_project, with_site_url

CALL = "window.__pwned('{}')"
PAYLOADS = [
    f"<script>{CALL.format('script')}</script>",
    f'<img src=x onerror="{CALL.format("img")}">',
    f'<svg onload="{CALL.format("svg")}"></svg>',
    f"<svg><script>{CALL.format('svg-script')}</script></svg>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{CALL.format("mxss")}">',
    f"[点我 click](javascript:{CALL.format('md-link')})",
    f"![图](javascript:{CALL.format('md-image')})",
    f'<a href="javascript:{CALL.format("a")}">link</a>',
    f"[x](jav&#x09;ascript:{CALL.format('entity-link')})",
    f"[x](JaVaScRiPt:{CALL.format('case-link')})",
    f"[b](jav&#x61;script:{CALL.format('char-ref-link')})",
    "![远程图片](&#x2F;&#x2F;example.com/a.png) ![x](/\\example.com/b.png) ![y](//example.com/c.png)",
    f'<https://example.com/"onmouseover="{CALL.format("autolink")}">',
    f"&lt;script&gt;{CALL.format('entity')}&lt;/script&gt;",
    f"&#60;img src=x onerror={CALL.format('num-entity')}&#62;",
    f'<iframe src="javascript:{CALL.format("iframe")}"></iframe>',
    f'"><img src=x onerror={CALL.format("attr-break")}>',
    f"'><svg/onload={CALL.format('attr-break2')}>",
    f"</textarea></script></title><script>{CALL.format('close-tags')}</script>",
    f"<img src=x onerror={CALL.format('unclosed')}",
    f"<details open ontoggle={CALL.format('details')}>",
    f'<div style="position:fixed;inset:0;background:red" onclick="{CALL.format("div")}">cover</div>',
    "<style>body{display:none}</style>",
    "{{ 7*7 }} {% raw %} ${7*7} <!-- comment -->",
    "https://example.gov.cn/" + "a" * 120,  # a long unbroken address must wrap, not widen the page
]
PHONE_WIDTH = 360
USER_TEXT = ", ".join(
    [
        ".quiz__prompt",
        ".quiz__label",
        ".quiz__explanation",
        ".quiz__description",
        ".quiz__feedback",
        "[data-quiz-result]",
        ".campaign-banner",
        ".campaign-hero__theme",
        ".campaign-hero__meta",
        ".campaign-calendar",
        ".quiz-list",
        "h1",
    ]
)
"""Where staff's and workers' texts are shown: none of these elements may appear inside (images may: Markdown
``![alt](local.png)`` is allowed in quiz texts; their src is checked with every other URL)."""
NAME = "<svg/onload=window.__pwned('name')>"  # fits the name field (40 characters)


def _quiz() -> str:
    questions = []
    for n, payload in enumerate(PAYLOADS):
        questions.append(
            {
                "id": f"p{n}",
                "type": "single",
                "prompt": {"zh": payload, "en": payload},
                "options": [{"zh": payload, "en": payload}, "安全 safe"],
                "answer": "B",
                "explanation": {"zh": payload, "en": payload},
            }
        )
    quiz = {
        "title": {"zh": "测验 " + PAYLOADS[1] + " " + PAYLOADS[5], "en": "Quiz " + PAYLOADS[0] + " " + PAYLOADS[10]},
        "description": {"zh": PAYLOADS[2] + "\n\n" + PAYLOADS[5], "en": PAYLOADS[7]},
        "questions": questions,
    }
    return yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False)


def _config() -> dict:
    """The test project's mkdocs.yml with site_url set and payloads in the campaign's texts."""
    config = with_site_url(fixture_config())
    campaign = campaign_of(config)
    campaign["theme"] = {"zh": PAYLOADS[0], "en": PAYLOADS[1]}
    campaign["organiser"] = {"zh": PAYLOADS[14], "en": PAYLOADS[15]}
    campaign["activities"][0]["title"] = PAYLOADS[3]
    campaign["activities"][0]["place"] = PAYLOADS[16]
    return config


@pytest.fixture(scope="module")
def hostile_url(served_root, server_url, tmp_path_factory):
    pages = {
        "index.zh.md": "# 首页\n\n<!-- campaign -->\n\n<!-- quiz-list -->\n",
        "index.en.md": "# Home\n\n<!-- campaign -->\n\n<!-- quiz-list -->\n",
        "modules/m.zh.md": "# 模块\n\n<!-- quiz: hostile -->\n",
        "modules/m.en.md": "# Module\n\n<!-- quiz: hostile -->\n",
    }
    root = make_project(tmp_path_factory.mktemp("hostile-project"), {"hostile.yaml": _quiz()}, pages, _config())
    built(root, served_root / "hostile")
    return f"{server_url}hostile/"


@pytest.fixture
def hostile_page(make_context, hostile_url):
    context = make_context(origin=hostile_url)
    context.add_init_script("window.__hits = []; window.__pwned = (what) => window.__hits.push(what);")
    context.route("https://example.com/**", lambda route: route.abort())
    return context.new_page()


def _no_harm(page) -> None:
    assert page.evaluate("window.__hits") == []
    found = page.evaluate(
        """(containers) => {
        const bad = [];
        for (const e of document.querySelectorAll('body *')) {
            for (const a of e.attributes) if (a.name.startsWith('on')) bad.push(`${e.tagName} ${a.name}`);
            // The address as the browser resolved it, not as written: character references,
            // tabs and backslashes are what make a javascript: or remote URL hard to spot.
            for (const name of ['href', 'src', 'action', 'formaction', 'data']) {
                if (!e.hasAttribute(name)) continue;
                const url = new URL(e.getAttribute(name), location.href);
                if (!['http:', 'https:', 'mailto:', 'tel:', 'file:', 'data:', 'blob:'].includes(url.protocol))
                    bad.push(`${e.tagName} ${name}=${url.protocol}`);
                if (['IMG', 'SCRIPT', 'IFRAME', 'LINK'].includes(e.tagName) && /^https?:$/.test(url.protocol)
                        && url.host !== location.host)
                    bad.push(`${e.tagName} ${name} from ${url.host}`);
            }
        }
        for (const box of document.querySelectorAll(containers))
            for (const e of box.querySelectorAll(
                    'script, iframe, style, svg, math, details, object, embed, form, input'))
                bad.push(`<${e.tagName}> inside ${box.className}`);
        return bad;
    }""",
        USER_TEXT,
    )
    assert found == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH
    assert page.locator("body").is_visible()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_quiz_texts_never_run(hostile_page, hostile_url, prefix):
    page = hostile_page
    page.goto(f"{hostile_url}{prefix}quizzes/hostile.html")
    root = 'form[data-quiz-id="hostile"][data-quiz-ready]'
    page.wait_for_selector(root)
    first = page.locator(f'{root} [data-question-id="p0"] .quiz__prompt')
    assert first.inner_text() == PAYLOADS[0], "shown as text, not dropped"
    for n in range(len(PAYLOADS)):  # answer each one wrongly: its explanation is revealed
        page.locator(f'{root} [data-question-id="p{n}"] input[value="A"]').check()
    page.locator(f'{root} button[type="submit"]').click()
    page.wait_for_selector(f"{root} [data-quiz-result][data-score]")
    explanation = page.locator(f'{root} [data-question-id="p0"] [data-quiz-explanation]')
    assert PAYLOADS[0] in explanation.inner_text()
    _no_harm(page)
    page.reload()  # the stored attempt is shown again from localStorage
    page.wait_for_selector(f"{root} [data-quiz-result][data-score]")
    _no_harm(page)


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "en/index.html",
        "modules/m.html",
        "en/modules/m.html",
        "posters/index.html",
        "posters/hostile.html",
        "en/posters/home.html",
    ],
)
def test_campaign_and_lists_never_run(hostile_page, hostile_url, path):
    hostile_page.goto(hostile_url + path)
    hostile_page.wait_for_load_state("load")
    _no_harm(hostile_page)


def test_certificate_name_never_runs(hostile_page, hostile_url):
    page = hostile_page
    page.goto(f"{hostile_url}quizzes/hostile.html")
    root = 'form[data-quiz-id="hostile"][data-quiz-ready]'
    page.wait_for_selector(root)
    for n in range(len(PAYLOADS)):
        page.locator(f'{root} [data-question-id="p{n}"] input[value="B"]').check()
    page.locator(f'{root} button[type="submit"]').click()
    page.locator(f"{root} [data-quiz-cert-name]").fill(NAME)
    page.locator(f"{root} [data-quiz-cert-unit]").fill(PAYLOADS[0])
    page.locator(f"{root} [data-quiz-cert-make]").click()
    image = page.locator(f"{root} [data-quiz-cert-image]")
    image.wait_for(state="visible")
    assert NAME in image.get_attribute("alt")
    _no_harm(page)
    page.reload()
    page.wait_for_selector(f"{root} [data-quiz-result][data-score]")
    assert page.locator(f"{root} [data-quiz-cert-name]").input_value() == NAME
    _no_harm(page)
