"""Exports: GIFT that Moodle's grammar parses to the same answers, and a paper exam for A4."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from generator.exports import to_gift, to_paper
from generator.images import PictureStore, locate
from generator.load import load_quiz

from ..conftest import FIXTURES, GOOD_QUIZ, ROOT, SITE_URL

NODE_TOOLS = ROOT / "tests" / "js"  # gift-pegjs 1.0.2 there: the PEG grammar of GIFT used by Moodle-compatible tools


@pytest.fixture(scope="module")
def gift_parse():
    """Parse GIFT text with gift-pegjs (tests/js, installed by `make test`: make node-tools)."""
    if not (shutil.which("node") and (NODE_TOOLS / "node_modules" / "gift-pegjs").is_dir()):
        pytest.fail("Node and gift-pegjs are missing: `make test` installs them (make node-tools).")
    script = (
        "const { parse } = require('gift-pegjs'); let s = ''; process.stdin.on('data', d => s += d);"
        "process.stdin.on('end', () => { try { console.log(JSON.stringify(parse(s))); }"
        " catch (e) { console.error(e.message); process.exit(1); } });"
    )

    def parse(text: str):
        run = subprocess.run(
            ["node", "-e", script],
            input=text,
            capture_output=True,
            text=True,
            cwd=NODE_TOOLS,
            env={**os.environ, "NODE_PATH": str(NODE_TOOLS / "node_modules")},
        )
        assert run.returncode == 0, run.stderr
        return [q for q in json.loads(run.stdout) if q["type"] != "Category"]

    return parse


def quiz_from(tmp_path, source=GOOD_QUIZ):
    path = tmp_path / "fire-safety.yaml"
    path.write_text(source, encoding="utf-8")
    return load_quiz(path)[0]


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_gift_parses_to_the_same_answers(tmp_path, gift_parse, language):
    """Every question comes back with its type, right options and explanation."""
    quiz = quiz_from(tmp_path)
    parsed = gift_parse(to_gift(quiz, language))
    assert [q["title"] for q in parsed] == ["fire-number", "escape", "hot-door"]
    single, multiple, true_false = parsed
    assert [c["text"]["text"] for c in single["choices"] if c["isCorrect"]] == ["119"]
    assert [c["weight"] for c in multiple["choices"]] == [50, -100, 50]
    assert true_false["type"] == "TF" and true_false["isTrue"] is False
    stem = single["stem"]["text"]
    assert ("发现火灾" in stem) == (language != "en") and ("Which number" in stem) == (language != "zh")


def test_gift_escapes_its_special_characters(tmp_path, gift_parse):
    """Text holding ~ = # { } : stays text and does not break the question."""
    source = GOOD_QUIZ.replace("zh: 发现火灾应拨打哪个电话报警？", 'zh: "报警 {电话} = 119 ~ #1: 对吗"')
    [first, *_] = gift_parse(to_gift(quiz_from(tmp_path, source), "zh"))
    assert first["stem"]["text"] == "报警 {电话} = 119 ~ #1: 对吗" and len(first["choices"]) == 3


def test_paper_exam(tmp_path):
    """Numbered questions with boxes, and an answer key that starts a new page."""
    html = to_paper(quiz_from(tmp_path), "zh")
    assert html.count('<span class="box"></span>') == 3 + 3 + 2
    assert '1. <span class="type">（单选）</span>发现火灾应拨打哪个电话报警？' in html
    assert ".key { break-before: page; }" in html and "@page { size: A4;" in html
    key = html.split('<section class="key">')[1]
    assert "<td>1</td><td>B</td>" in key and "<td>2</td><td>AC</td>" in key and "<td>3</td><td>错误</td>" in key
    english = to_paper(quiz_from(tmp_path), "en")
    assert '<html lang="en">' in english and "Answer key" in english and "<td>3</td><td>False</td>" in english


# -- quizzes without pictures: as before --------------------------------------------------------

BEFORE_PICTURES = FIXTURES / "exports_without_pictures"
"""A quiz without pictures (plain.yaml) and what each export made of it before quizzes could have pictures."""


@pytest.mark.parametrize(
    "name", ["plain.zh.gift", "plain.en.gift", "plain.both.gift", "plain.paper.zh.html", "plain.paper.en.html"]
)
def test_exports_without_pictures_are_as_before(name):
    """A quiz without pictures exports to the very bytes it did before pictures, whatever the site's address."""
    quiz, problems = load_quiz(BEFORE_PICTURES / "plain.yaml")
    assert problems == []
    expected = (BEFORE_PICTURES / name).read_text(encoding="utf-8")
    kind, language = name.split(".")[-1], name.split(".")[-2]
    if kind == "gift":
        assert to_gift(quiz, language) == expected
        assert to_gift(quiz, language, {}, SITE_URL) == expected
    else:
        assert to_paper(quiz, language) == expected
        assert to_paper(quiz, language, {}) == expected


# -- pictures -----------------------------------------------------------------------------------

SIGN_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
    '<circle cx="50" cy="50" r="40" fill="none" stroke="#c00" stroke-width="10"/></svg>'
)
PICTURE_QUIZ = """\
title: {zh: 标志, en: Signs}
questions:
  - id: kind
    type: single
    prompt: {zh: 这个标志属于*哪一类*？, en: Which kind of sign is this?}
    image:
      file: signs/ring.svg
      alt:
        zh: "红色圆环: 没有 = 斜杠 {空}"
        en: "A red ring: no = bar {empty}"
    options:
      - {zh: 禁止标志, en: Prohibition sign}
      - {zh: 警告标志, en: Warning sign}
    answer: A
    explanation: {zh: 红色圆环是**禁止**。, en: A red ring means **do not**.}
  - id: which-photo
    type: multiple
    prompt: {zh: 哪些做法正确？, en: Which are right?}
    options:
      - image: {file: photos/right-answer.jpg, alt: {zh: 工人戴着安全帽, en: A worker in a hard hat}}
      - {zh: 不戴, en: Without, image: {file: signs/ring.svg, alt: {zh: 红圈, en: A ring}}}
      - {zh: 系安全带, en: Wearing a harness}
    answer: [A, C]
  - id: ring-true
    type: true_false
    prompt: {zh: 这是禁止标志。, en: This is a prohibition sign.}
    image: {file: signs/ring.svg, alt: {zh: 红圈, en: A ring}}
    answer: true
  - id: plain
    type: single
    prompt: {zh: 火警电话？, en: The fire number?}
    options: ["110", "119"]
    answer: B
"""


@pytest.fixture
def signs(tmp_path):
    """The picture quiz, its pictures made in tmp_path (an SVG written here and a 1600 x 1200 JPEG made
    with Pillow, named as if it gave the answer away) and processed as a build does."""
    from PIL import Image, ImageDraw

    images = tmp_path / "content" / "images"
    (images / "signs").mkdir(parents=True)
    (images / "photos").mkdir()
    (images / "signs" / "ring.svg").write_text(SIGN_SVG, encoding="utf-8")
    photo = Image.new("RGB", (1600, 1200), (40, 90, 160))
    ImageDraw.Draw(photo).ellipse([400, 200, 1200, 1000], fill=(250, 200, 0))
    photo.save(images / "photos" / "right-answer.jpg", "JPEG", quality=90)
    path = tmp_path / "signs.yaml"
    path.write_text(PICTURE_QUIZ, encoding="utf-8")
    quiz, problems = load_quiz(path)
    assert problems == [], [p.format() for p in problems]
    store = PictureStore(tmp_path / ".cache" / "pictures")
    pictures = {p.file: store.get(locate(p.file, tmp_path / "content")) for q in quiz.questions for p in q.pictures}
    return quiz, pictures


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_gift_shows_pictures_from_the_site(signs, gift_parse, language):
    """With the site's address, a question with pictures is [html] with <img> at the published picture's
    address (Moodle reads the options and feedback as HTML too); the others stay [markdown]."""
    quiz, pictures = signs
    gift = to_gift(quiz, language, pictures, SITE_URL)
    svg = f"{SITE_URL}{pictures['signs/ring.svg'].fallback.path}"
    jpeg = f"{SITE_URL}{pictures['photos/right-answer.jpg'].fallback.path}"
    assert svg.startswith(f"{SITE_URL}images/") and svg.endswith(".svg") and jpeg.endswith("-720.jpg")
    assert "right-answer" not in gift and "ring.svg" not in gift, "no source file name (it may give an answer away)"
    kind, photo, ring_true, plain = gift_parse(gift)
    alt = {"zh": "红色圆环: 没有 = 斜杠 {空}", "en": "A red ring: no = bar {empty}"}
    alt["both"] = f"{alt['zh']} / {alt['en']}"
    assert kind["stem"]["format"] == "html"
    assert f'<br><img src="{svg}" alt="{alt[language]}" width="480">' in kind["stem"]["text"]
    assert ("<em>哪一类</em>" in kind["stem"]["text"]) == (language != "en")
    assert [c["isCorrect"] for c in kind["choices"]] == [True, False]
    assert "<strong>" in kind["globalFeedback"]["text"]
    labels = [c["text"]["text"] for c in photo["choices"]]
    photo_alt = {
        "zh": "工人戴着安全帽",
        "en": "A worker in a hard hat",
        "both": "工人戴着安全帽 / A worker in a hard hat",
    }
    assert labels[0] == f'<img src="{jpeg}" alt="{photo_alt[language]}" width="160">'
    option_b = {"zh": "不戴", "en": "Without", "both": "不戴 / Without"}[language]
    assert labels[1].startswith(f'<img src="{svg}" ') and labels[1].endswith(f'width="160"> {option_b}')
    assert [c["weight"] for c in photo["choices"]] == [50, -100, 50]
    assert ring_true["type"] == "TF" and ring_true["isTrue"] is True and ring_true["stem"]["format"] == "html"
    assert plain["stem"]["format"] == "markdown"


def test_gift_describes_pictures_without_the_sites_address(signs, gift_parse):
    """Without the site's address GIFT cannot show a picture: it says in brackets what each shows,
    specials escaped, whether the pictures were processed or not."""
    quiz, pictures = signs
    gift = to_gift(quiz, "zh")
    assert to_gift(quiz, "zh", pictures, "") == gift and "<img" not in gift
    kind, photo, ring_true, _ = gift_parse(gift)
    assert kind["stem"] == {"format": "markdown", "text": "这个标志属于*哪一类*？ [图片：红色圆环: 没有 = 斜杠 {空}]"}
    assert [c["text"]["text"] for c in photo["choices"]] == ["[图片：工人戴着安全帽]", "[图片：红圈] 不戴", "系安全带"]
    assert ring_true["stem"]["text"] == "这是禁止标志。 [图片：红圈]"
    english = gift_parse(to_gift(quiz, "en"))
    assert english[1]["choices"][0]["text"]["text"] == "[Picture: A worker in a hard hat]"


def test_paper_carries_its_pictures(signs):
    """The exam holds its pictures as data: URIs (the SVG itself, the photo as a 720 px JPEG), with alt
    text, sized for print; the answer key gives letters only, and no file name appears anywhere."""
    import base64
    import io
    import re

    from PIL import Image

    quiz, pictures = signs
    html = to_paper(quiz, "zh", pictures)
    exam, key = html.split('<section class="key">')
    assert "right-answer" not in html and "ring.svg" not in html
    images = re.findall(
        r'<img class="([a-z-]+)" src="data:([^;]+);base64,([^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)">', exam
    )
    assert [(kind, mime, alt) for kind, mime, _, alt, _, _ in images] == [
        ("picture", "image/svg+xml", "红色圆环: 没有 = 斜杠 {空}"),
        ("option-picture", "image/jpeg", "工人戴着安全帽"),
        ("option-picture", "image/svg+xml", "红圈"),
        ("picture", "image/svg+xml", "红圈"),
    ]
    assert base64.b64decode(images[0][2]).decode("utf-8") == SIGN_SVG
    assert Image.open(io.BytesIO(base64.b64decode(images[1][2]))).size == (720, 540)
    sizes = [(kind, int(width), int(height)) for kind, _, _, _, width, height in images]
    assert sizes[0] == ("picture", 189, 189)  # 5 cm high: 8 cm x 5 cm is the most a question's picture takes
    assert sizes[1] == ("option-picture", 98, 74)  # 2.6 cm wide
    assert '<li><span class="box"></span>A. <img class="option-picture"' in exam
    assert re.search(r'alt="工人戴着安全帽" width="98" height="74"></li>', exam), "a picture-only option has no text"
    assert re.search(r'alt="红圈" width="98" height="98">不戴</li>', exam)
    assert '<ul class="choices choices--pictures">' in exam and exam.count('<ul class="choices">') == 3
    assert exam.count('<span class="box"></span>') == 2 + 3 + 2 + 2
    assert "<img" not in key and "data:" not in key and "工人" not in key
    assert "<td>2</td><td>AC</td>" in key and "<td>3</td><td>正确</td>" in key
    english = to_paper(quiz, "en", pictures)
    assert 'alt="A worker in a hard hat"' in english and 'alt="A red ring: no = bar {empty}"' in english
