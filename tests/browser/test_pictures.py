"""Pictures on a phone (images.py, quiz pictures, the service worker's copy of them).

One scenario site, built once per run: the test project with a module of six 1600 x 1200 phone photos
(large enough for every published width; benchmarks/pictures.py measures 4000 x 3000 ones) (two
of them taken with the phone turned, EXIF orientation 6), one after the intro and one in each of
nine sections below it, in both languages; and a quiz with a question picture and picture-only
options whose files are named for the answer (right-answer.jpg), so that the pages must not give
those names away.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from generator.images import SIZES

from ..conftest import PROJECT, ROOT, built, copy_project
from ..pictures import phone_photo
from .conftest import CACHED, answer_key

PHOTOS = 6
TURNED = {3, 5}
"""The photos taken with the phone turned a quarter clockwise (stored 1600 x 1200, EXIF orientation 6)."""
QUIZ_ID = "photo-check"
QUIZ_FILES = ("question-scene.jpg", "wrong-1.jpg", "right-answer.jpg", "wrong-2.jpg")
QUIZ = f"""\
title: {{zh: 看图识隐患, en: Spot the hazard}}
pass_mark: 100
questions:
  - id: exit
    type: single
    prompt:
      zh: 上图是仓库的通道。下面哪张照片里的安全出口是畅通的？
      en: The picture above shows a warehouse aisle. In which photo below is the exit clear?
    image: {{file: {QUIZ_FILES[0]}, alt: {{zh: 仓库里的一条通道, en: An aisle in a warehouse}}}}
    options:
      - image: {{file: {QUIZ_FILES[1]}, alt: {{zh: 照片甲：一扇门, en: "Photo 1: a door"}}}}
      - image: {{file: {QUIZ_FILES[2]}, alt: {{zh: 照片乙：一扇门, en: "Photo 2: a door"}}}}
      - image: {{file: {QUIZ_FILES[3]}, alt: {{zh: 照片丙：一扇门, en: "Photo 3: a door"}}}}
    answer: B
    explanation:
      zh: 照片乙的出口前没有堆放杂物。
      en: Nothing is stacked in front of the exit in photo 2.
"""
TEXT = {
    "zh": (
        "仓库、车间和宿舍里的隐患，往往就在每天走过的地方。下面的照片都是在本县的单位里拍的，"
        "请对照自己单位的情况看一看：通道有没有堵、灭火器在不在、插线板有没有乱接。",
        "第{n}张照片拍的是一处常见的隐患。看的时候想一想：如果这里起火，人从哪里走？"
        "灭火器在哪里？谁负责每天检查？发现问题要马上报告班组长，不要等到检查的时候再说。",
        "整改以后，要再拍一张照片对照，留档备查。每个班组每月至少自查一次，"
        "把发现的问题和整改结果写进台账。安全出口、疏散通道和消防车通道任何时候都不能占用。",
    ),
    "en": (
        "Hazards in warehouses, workshops and dormitories are often where people walk every day. The photos "
        "below were taken at workplaces in the county: compare them with your own workplace.",
        "Photo {n} shows a common hazard. Ask yourself: if a fire started here, which way would people get "
        "out? Where is the extinguisher? Who checks this every day? Report what you find to your team leader "
        "at once; do not wait for the next inspection.",
        "After fixing it, take another photo from the same place and keep both on file. Every team checks its "
        "own area at least once a month and writes down what it found and what was done. Exits, escape routes "
        "and fire lanes must never be blocked.",
    ),
}
HEADING = {"zh": "## 第{n}处隐患", "en": "## Hazard {n}"}
ALT = {"zh": "现场照片{n}", "en": "Site photo {n}"}
TITLE = {"zh": "# 现场照片", "en": "# Site photos"}


def photo_name(n: int) -> str:
    return f"site-{n:02d}.jpg"


def module_page(language: str) -> str:
    """The intro, photo 1, then a section per photo: heading, a paragraph, the photo, another paragraph."""
    intro, before, after = TEXT[language]
    parts = [TITLE[language], intro, f"![{ALT[language].format(n=1)}](../images/{photo_name(1)})"]
    for n in range(2, PHOTOS + 1):
        parts += [
            HEADING[language].format(n=n),
            before.format(n=n),
            f"![{ALT[language].format(n=n)}](../images/{photo_name(n)})",
            after,
        ]
    return "\n\n".join(parts) + "\n"


def make_pictures_project(root: Path) -> Path:
    project = copy_project(PROJECT, root)
    images = project / "content" / "images"
    images.mkdir()
    for n in range(1, PHOTOS + 1):
        phone_photo(images / photo_name(n), 1600, 1200, orientation=6 if n in TURNED else 1, seed=n)
    for seed, name in enumerate(QUIZ_FILES, start=100):
        phone_photo(images / name, 1600, 1200, seed=seed)
    for language in ("zh", "en"):
        (project / f"content/modules/photos.{language}.md").write_text(module_page(language), encoding="utf-8")
    (project / "quizzes" / f"{QUIZ_ID}.yaml").write_text(QUIZ, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      - modules/fire.md\n" in text
    config.write_text(
        text.replace("      - modules/fire.md\n", "      - modules/fire.md\n      - modules/photos.md\n"),
        encoding="utf-8",
    )
    return project


@pytest.fixture(scope="session")
def site(served_root, tmp_path_factory) -> Path:
    return built(make_pictures_project(tmp_path_factory.mktemp("pictures-project")), served_root / "pictures")


@pytest.fixture(scope="session")
def site_url(server_url, site) -> str:
    return f"{server_url}{site.name}/"


@pytest.fixture
def make_context(make_context, site_url):
    """conftest's make_context on this module's site (the test project's site is never built for these tests)."""
    return functools.partial(make_context, site_url)


@pytest.fixture
def page(make_context):
    return make_context().new_page()


SHOTS = ROOT / "build" / "screenshots" / "pictures"
MODULE = {"zh": "modules/photos.html", "en": "en/modules/photos.html"}
QUIZ_PAGE = {"zh": f"quizzes/{QUIZ_ID}.html", "en": f"en/quizzes/{QUIZ_ID}.html"}
PUBLISHED = re.compile(r"^[0-9a-f]{12}-(\d+)\.(webp|jpg|png)$")
FAR = 300
"""CSS pixels below the first screen beyond which no picture may load before the reader scrolls.  site.js
fetches a module's pictures within 150 px of the screen; the browser's own loading="lazy" would fetch
them within 1,250 px (measured here: the picture 1,392 px from the top of a 740 px screen came with the
first screen), 2,500 on a slow network."""

ARRIVED = "img.complete && img.naturalWidth > 0 && !img.currentSrc.startsWith('data:')"
"""A picture's own file has arrived (not the empty box of its shape that images.py puts before it: a data: SVG)."""

PICTURES = f"""() => [...document.querySelectorAll(".md-content picture img")].map((img) => ({{
  alt: img.alt,
  digest: (img.dataset.src || img.getAttribute("src")).split("/").pop().slice(0, 12),
  top: img.getBoundingClientRect().top + window.scrollY,
  width: img.getBoundingClientRect().width,
  height: img.getBoundingClientRect().height,
  ratio: img.getAttribute("height") / img.getAttribute("width"),
  naturalWidth: img.naturalWidth,
  arrived: {ARRIVED},
  file: img.currentSrc.split("/").pop(),
}}))"""
"""The module's pictures in page order: where each is, how big its box is, and which file it shows."""

LOADED = f"() => [...document.querySelectorAll('.md-content picture img')].every((img) => {ARRIVED})"
ONE_LOADED = f"(img) => {ARRIVED}"

FILE_SIZE = """async (img) => { const bitmap = await createImageBitmap(img); return [bitmap.width, bitmap.height]; }"""
"""The pixels of the file a picture shows (naturalWidth is in CSS pixels: the file's width over its srcset density)."""


def file_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def watch_pictures(page, site_url: str) -> list[str]:
    """The file names of the pictures (images/) the page asks for, as asked; not the service worker's
    background copy, which is the worker's request, not the page's."""
    asked: list[str] = []
    page.on("request", lambda r: r.url.startswith(site_url + "images/") and asked.append(file_name(r.url)))
    return asked


def scroll_through(page) -> None:
    """Scroll to the end a screen at a time, as a reader does, until every picture has loaded."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 370):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(60)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(LOADED, timeout=15000)


# -- 1. what a phone downloads ----------------------------------------------------------------


@pytest.mark.parametrize(("language", "scale"), [("zh", 2), ("en", 1)], ids=["zh-2x", "en-1x"])
def test_phone_downloads_one_small_file_per_picture(make_context, site_url, record_property, language, scale):
    """A 360 px phone asks for one WebP per picture at its own density (328 CSS px across: 720 px at 2x, 360 at
    1x), never a wider one, a JPEG or the original.  The first picture (before the first section) loads at
    once; pictures more than FAR below the first screen wait until the reader scrolls near them."""
    wanted = 360 * scale
    page = make_context(device_scale_factor=scale).new_page()
    asked = watch_pictures(page, site_url)
    page.goto(site_url + MODULE[language])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # anything lazy that was going to start has started
    screen = page.viewport_size["height"]
    pictures = page.evaluate(PICTURES)
    assert len(pictures) == PHOTOS
    before = list(asked)
    seen = [(p["alt"], round(p["top"]), f"{p['digest']}-{wanted}.webp" in before) for p in pictures]
    print(f"{language} {scale}x before scrolling, (picture, top, loaded): {seen}; asked: {before}")
    record_property("before_scrolling", before)
    first = page.locator(".md-content picture img").first
    assert first.get_attribute("loading") is None, "the picture before the first section is not lazy"
    assert all(PUBLISHED.match(name) and name.endswith(f"-{wanted}.webp") for name in before), before
    counts = Counter(name[:12] for name in before)
    assert max(counts.values()) == 1, f"a picture asked for twice: {before}"
    first_screen = [p["digest"] for p in pictures if p["top"] < screen]
    far = [p["digest"] for p in pictures if p["top"] > screen + FAR]
    assert first_screen and len(far) >= 3, "the scenario has pictures on the first screen and far below it"
    assert set(first_screen) <= set(counts), "the pictures on the first screen load at once"
    assert not set(far) & set(counts), f"pictures far below the screen loaded before scrolling: {before}"

    scroll_through(page)
    pictures = page.evaluate(PICTURES)
    assert sorted(asked) == sorted(f"{p['digest']}-{wanted}.webp" for p in pictures), asked
    for picture in pictures:
        assert picture["arrived"] and picture["file"] == f"{picture['digest']}-{wanted}.webp", picture
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / f"module-{language}.png", full_page=True)


# -- 2. SIZES against Material's column -----------------------------------------------------


def sizes_width(sizes: str, viewport: int) -> float:
    """The width in CSS pixels that ``sizes`` gives at a viewport ``viewport`` px wide (an em is 16 px)."""
    for entry in (part.strip() for part in sizes.split(",")):
        condition = re.fullmatch(r"\(min-width:\s*([\d.]+)em\)\s*(.+)", entry)
        if condition and viewport < float(condition[1]) * 16:
            continue
        value = condition[2] if condition else entry
        if fixed := re.fullmatch(r"([\d.]+)px", value):
            return float(fixed[1])
        if relative := re.fullmatch(r"calc\(100vw - ([\d.]+)px\)", value):
            return viewport - float(relative[1])
        raise AssertionError(f"images.SIZES has a value this test cannot read: {value}")
    raise AssertionError(f"images.SIZES has no value for {viewport} px")


@pytest.mark.parametrize(
    "viewport",
    [
        360,
        768,
        1024,
        1280,
        1600,  # Material's type grows at 100em
        2000,  # and again at 125em
    ],
)
def test_column_width_matches_sizes(make_context, site_url, viewport):
    """A picture across the text column is as wide as images.SIZES says (±2 px): what the phone's choice of
    file rests on.  The browser's own reading of SIZES (naturalWidth of the 720w file) is checked too."""
    phone = viewport < 1024
    context = make_context(
        viewport={"width": viewport, "height": 800}, device_scale_factor=1, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(site_url + MODULE["zh"])
    first = page.locator(".md-content picture img").first
    expected = sizes_width(SIZES, viewport)
    shown = first.evaluate(
        """async (img) => {
          if (!img.complete) await new Promise((done) => img.addEventListener("load", done, {once: true}));
          const bitmap = await createImageBitmap(img);
          const described = Number(img.currentSrc.match(/-(\\d+)\\.\\w+$/)[1]);  // its srcset's w
          return {width: img.getBoundingClientRect().width, slot: img.naturalWidth * described / bitmap.width};
        }"""
    )
    assert abs(shown["slot"] - expected) <= 1, f"the browser reads SIZES as {shown['slot']} px, the test as {expected}"
    assert abs(shown["width"] - expected) <= 2, (
        f"at {viewport} px the column is {shown['width']} px, SIZES says {expected}"
    )


# -- 3. no layout shift ---------------------------------------------------------------------

LAYOUT_SHIFT = """window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});"""


def test_boxes_have_their_height_before_the_files_arrive(make_context, site_url):
    """With every picture file held back, each picture's box already has the picture's shape (those near the
    screen wait for their held file, the others show images.py's empty box of that shape), so nothing moves
    when the files arrive: the headings stay where they were and Chromium counts no layout shift.

    The service worker stays on: on a first visit it does not control the page (sw.js: no claim), so
    every picture request goes to the network, where page.route holds it."""
    page = make_context().new_page()
    page.add_init_script(LAYOUT_SHIFT)
    held: list | None = []

    def hold(route) -> None:
        if held is None:
            route.continue_()
        else:
            held.append(route)

    page.route(site_url + "images/*", hold)
    page.goto(site_url + MODULE["zh"], wait_until="domcontentloaded")  # "load" waits for the held first picture
    assert page.evaluate("navigator.serviceWorker.controller") is None
    page.wait_for_function("window.layoutShift !== undefined")
    page.wait_for_timeout(300)
    assert held, "the first pictures were asked for (and are held)"
    headings = "[...document.querySelectorAll('.md-content h2')].map(h => h.getBoundingClientRect().top + scrollY)"
    waiting = page.evaluate(PICTURES)
    before = page.evaluate(headings)
    for picture in waiting:
        assert not picture["arrived"], "no file has arrived"
        assert picture["height"] > 200 and abs(picture["height"] - picture["width"] * picture["ratio"]) <= 1, picture
    waiting_routes, held = held, None
    for route in waiting_routes:
        route.continue_()
    scroll_through(page)
    loaded = page.evaluate(PICTURES)
    assert [p["height"] for p in loaded] == [p["height"] for p in waiting]
    assert page.evaluate(headings) == before
    assert page.evaluate("window.layoutShift") < 0.001


# -- 4. a photo taken with the phone turned --------------------------------------------------

CORNERS = """async (img) => {
  const bitmap = await createImageBitmap(img);
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const at = (x, y) => [
    ...context.getImageData(Math.round(x * bitmap.width), Math.round(y * bitmap.height), 1, 1).data.slice(0, 3),
  ];
  return {width: bitmap.width, height: bitmap.height, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
          topLeft: at(0.03, 0.03), topRight: at(0.97, 0.03), bottomRight: at(0.97, 0.97)};
}"""


def colour(rgb: list[int]) -> str:
    red, green, blue = rgb
    if red > 150 and green < 100 and blue < 100:
        return "red"
    if blue > 150 and red < 100 and green < 100:
        return "blue"
    return "other"


def test_turned_photo_shows_upright(page, site_url):
    """A photo stored 1600 x 1200 with EXIF orientation 6 shows as portrait, turned as the phone meant: its
    stored top left corner (red) at the top right, its stored top right (blue) at the bottom right.  A photo
    taken upright is the control: landscape, red at the top left, blue at the top right."""
    page.goto(site_url + MODULE["zh"])
    seen = {}
    for n in (1, min(TURNED)):
        img = page.locator(f'.md-content img[alt="{ALT["zh"].format(n=n)}"]')
        img.scroll_into_view_if_needed()
        page.wait_for_function(ONE_LOADED, arg=img.element_handle())
        seen[n] = img.evaluate(CORNERS)
    upright, turned = seen[1], seen[min(TURNED)]
    assert upright["naturalWidth"] > upright["naturalHeight"] and upright["width"] > upright["height"], upright
    assert [colour(upright[k]) for k in ("topLeft", "topRight")] == ["red", "blue"], upright
    assert turned["naturalHeight"] > turned["naturalWidth"] and turned["height"] > turned["width"], turned
    assert [colour(turned[k]) for k in ("topLeft", "topRight", "bottomRight")] == ["other", "red", "blue"], turned


# -- 5. a quiz with pictures ----------------------------------------------------------------

QUIZ_ALTS = {
    "zh": ["仓库里的一条通道", "照片甲：一扇门", "照片乙：一扇门", "照片丙：一扇门"],
    "en": ["An aisle in a warehouse", "Photo 1: a door", "Photo 2: a door", "Photo 3: a door"],
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_quiz_with_picture_options(page, site, site_url, language):
    """The question's picture and the three picture options show with alt text in the page's language, each
    option is a target a thumb can hit, tapping the right picture scores the question correct; and nothing
    in the page names the files (right-answer.jpg...)."""
    page.goto(site_url + QUIZ_PAGE[language])
    root = f'form[data-quiz-id="{QUIZ_ID}"][data-quiz-ready]'
    page.wait_for_selector(root)
    html = page.content() + (site / QUIZ_PAGE[language]).read_text(encoding="utf-8")
    for name in QUIZ_FILES:
        assert Path(name).stem not in html, f"the page names {name}"
    images = page.locator(f"{root} img")
    assert images.count() == len(QUIZ_FILES)
    for n in range(images.count()):
        images.nth(n).scroll_into_view_if_needed()
        page.wait_for_function(ONE_LOADED, arg=images.nth(n).element_handle())
    shown = images.evaluate_all(
        "els => els.map(e => ({alt: e.alt, urls: [e.src, e.srcset, e.previousElementSibling.srcset]}))"
    )
    assert [image["alt"] for image in shown] == QUIZ_ALTS[language]
    for image in shown:
        for url in re.findall(r"[^\s,]*images/[^\s,]+", " ".join(image["urls"])):
            assert PUBLISHED.match(file_name(url)), url
    assert page.locator(f"{root} .quiz__picture img").get_attribute("alt") == QUIZ_ALTS[language][0]
    for label in page.locator(f"{root} label.quiz__option").all():
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    (right,) = answer_key(QUIZ_ID, QUIZ)["exit"]
    page.locator(f'{root} label:has(input[value="{right}"]) img').tap()
    assert page.locator(f'{root} input[value="{right}"]').is_checked()
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f'{root} [data-question-id="exit"]').get_attribute("data-outcome") == "correct"
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-score") == "100"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / f"quiz-{language}.png", full_page=True)


def test_no_published_file_names_a_source(site):
    """No file of the site (pages, learner scripts, search index, service worker) holds a picture's
    source name: the quiz's answer is not in its pictures' addresses."""
    names = [Path(name).stem for name in QUIZ_FILES] + [Path(photo_name(n)).stem for n in range(1, PHOTOS + 1)]
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".xml", ".txt", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found = [name for name in names if name in text]
            assert not found, f"{path.relative_to(site)} names {found}"


# -- 6. offline ----------------------------------------------------------------------------


def wait_until_warm(page) -> list[str]:
    """The service worker's copy of the page's language is complete (sw.js leaves sw-complete); its addresses."""
    for _ in range(120):
        urls = page.evaluate(CACHED)
        if any(url.endswith("/sw-complete") for url in urls):
            return urls
        page.wait_for_timeout(250)
    raise AssertionError("the service worker's copy was not complete after 30 s")


def test_offline_another_width_is_answered_with_the_narrowest(make_context, site_url):
    """After one visit to the home page (no pictures) the worker keeps each picture's 360 px WebP only.
    Offline, the module's pictures, which a 2x phone asks for at 720 px, show from those files."""
    context = make_context()
    page = context.new_page()
    page.goto(site_url + "index.html")
    cached = {file_name(url) for url in wait_until_warm(page) if url.startswith(site_url + "images/")}
    assert cached and all(name.endswith("-360.webp") for name in cached), cached
    context.set_offline(True)
    asked = watch_pictures(page, site_url)
    from_worker = []
    page.on(
        "response",
        lambda r: r.url.startswith(site_url + "images/") and r.from_service_worker and from_worker.append(r.url),
    )
    page.goto(site_url + MODULE["zh"])
    scroll_through(page)
    pictures = page.evaluate(PICTURES)
    assert sorted(asked) == sorted(f"{p['digest']}-720.webp" for p in pictures), "the page asks for 720 px"
    assert not {f"{p['digest']}-720.webp" for p in pictures} & cached, "none of them was kept"
    assert len(from_worker) == len(asked)
    for n, picture in enumerate(pictures):
        img = page.locator(".md-content picture img").nth(n)
        assert picture["arrived"] and picture["file"] == f"{picture['digest']}-720.webp"
        assert img.evaluate(FILE_SIZE)[0] == 360, f"{picture['alt']} shows the narrowest file"
    context.set_offline(False)
