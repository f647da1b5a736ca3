"""Building a site with phone photos: what is published is small, private and shown everywhere it is used.

One scenario project, built once: phone photos with a GPS position and a turned camera in
content/images/ and beside a module, a photo no page uses, a drawing, and a quiz whose question
and options are pictures (the right one named right-answer.jpg).
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from tests.conftest import GOOD_QUIZ, build, make_project, run_generator
from tests.pictures import SECRETS, phone_photo

MODULE_ZH = """# 安全出口

安全出口必须畅通。

![堵住的安全出口](../images/exit.jpg)

## 护栏

![缺了护栏的平台](guard.jpg "平台")

![](../images/line.svg){ .decorative }
"""
MODULE_EN = """# Emergency exits

Exits must be kept clear.

![A blocked emergency exit](../images/exit.jpg)

## Guard rails

![A platform with no guard rail](guard.jpg)
"""
SIGN_QUIZ = """\
title: {zh: 图片测验, en: Picture quiz}
questions:
  - id: which-exit
    type: single
    prompt: {zh: 哪张照片里的出口是通的？, en: In which photo is the exit clear?}
    image: {file: exit.jpg, alt: {zh: 一条走廊, en: A corridor}}
    options:
      - image: {file: options/wrong-answer.jpg, alt: {zh: 门前堆着纸箱, en: Boxes stacked at a door}}
      - image: {file: options/right-answer.jpg, alt: {zh: 门前空着, en: Nothing at the door}}
    answer: B
"""
LINE = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="4"><rect width="300" height="4"/></svg>'
ORIGINALS = ("exit.jpg", "guard.jpg", "unused.jpg", "right-answer", "wrong-answer")


def picture_project(root: Path) -> Path:
    pages = {
        "index.zh.md": "# 首页\n\n<!-- quiz-list -->\n",
        "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
        "modules/exits.zh.md": MODULE_ZH,
        "modules/exits.en.md": MODULE_EN,
    }
    make_project(root, {"fire-safety.yaml": GOOD_QUIZ, "pictures.yaml": SIGN_QUIZ}, pages)
    images = root / "content" / "images"
    (images / "options").mkdir(parents=True)
    phone_photo(images / "exit.jpg", 4000, 3000, orientation=6, seed=1)
    phone_photo(root / "content" / "modules" / "guard.jpg", 2000, 1500, seed=2)
    phone_photo(images / "unused.jpg", 1600, 1200, seed=3)
    phone_photo(images / "options" / "right-answer.jpg", 800, 600, seed=4)
    phone_photo(images / "options" / "wrong-answer.jpg", 800, 600, seed=5)
    (images / "line.svg").write_text(LINE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return picture_project(tmp_path_factory.mktemp("pictures") / "project")


@pytest.fixture(scope="module")
def site(project) -> Path:
    build(project)
    return project / "site"


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def test_nothing_published_holds_the_photos_metadata(site, project):
    originals = {p.read_bytes() for p in (project / "content").rglob("*.jpg")}
    for path in site_files(site):
        data = path.read_bytes()
        assert not [secret for secret in SECRETS if secret in data], path
        assert data not in originals, f"{path} is an original"
    for path in (site / "images").iterdir():
        if path.suffix in (".webp", ".jpg"):
            with Image.open(path) as image:
                assert not image.getexif() and "icc_profile" not in image.info, path


def test_no_original_name_is_published(site):
    """Nothing in the site names a source file: a quiz's picture cannot give the answer by its name."""
    for path in site_files(site):
        assert not [name for name in ORIGINALS if name in path.name], path
        if path.suffix in (".html", ".js", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not [name for name in ORIGINALS if name in text], path


def pictures_of(page: Path, site: Path) -> list[dict]:
    """Each <picture>/<img> of a page as its attributes, its addresses checked to exist in the site."""
    html = page.read_text(encoding="utf-8")
    found = []
    here = page.relative_to(site).as_posix()
    for tag in re.findall(r"<(?:img|source)\b[^>]*>", html):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        urls = [attributes[name] for name in ("src", "data-src") if name in attributes]
        for name in ("srcset", "data-srcset"):
            urls += [part.split()[0] for part in unescape(attributes.get(name, "")).split(",") if part.strip()]
        for url in urls:
            if url.startswith("data:"):
                continue
            target = urljoin(f"http://x/{here}", url).removeprefix("http://x/")
            assert (site / target).is_file(), f"{here}: {url} -> {target} is missing"
        found.append(attributes)
    return found


@pytest.mark.parametrize("page", ["modules/exits.html", "en/modules/exits.html"])
def test_module_pages_show_every_size_with_their_dimensions(site, page):
    tags = pictures_of(site / page, site)
    images = [t for t in tags if "alt" in t and "width" in t]
    exit_photo, guard, guard_without_scripts = images[:3]
    assert exit_photo["alt"] in ("堵住的安全出口", "A blocked emergency exit")
    assert (exit_photo["width"], exit_photo["height"]) == ("1440", "1920")  # turned: shown upright
    assert "loading" not in exit_photo  # before the first section: likely on the first screen
    assert exit_photo["src"].endswith("-720.jpg") and exit_photo["srcset"].count("w,") == 3
    (webp,) = [t for t in tags if t.get("type") == "image/webp" and "srcset" in t][:1]
    assert webp["srcset"].count(".webp") == 4 and "calc(100vw - 32px)" in webp["sizes"]
    # After the first section: fetched when near the screen (site.js), the usual markup without scripts.
    assert guard["src"].startswith("data:image/svg+xml,") and guard["data-src"].endswith("-720.jpg")
    assert guard["data-srcset"].count("w,") == 3 and (guard["width"], guard["height"]) == ("1440", "1080")
    assert guard_without_scripts["src"] == guard["data-src"] and guard_without_scripts["loading"] == "lazy"


def test_a_decorative_drawing_has_empty_alt(site):
    html = (site / "modules/exits.html").read_text(encoding="utf-8")
    (line,) = re.findall(r'<img src="[^"]+\.svg"[^>]*>', html)
    assert 'alt=""' in line and 'width="300" height="4"' in line


@pytest.mark.parametrize("page", ["quizzes/pictures.html", "en/quizzes/pictures.html"])
def test_quiz_pages_show_the_question_and_option_pictures(site, page):
    tags = pictures_of(site / page, site)
    alts = [t["alt"] for t in tags if "alt" in t]
    expected = (
        ["一条走廊", "门前堆着纸箱", "门前空着"]
        if not page.startswith("en/")
        else ["A corridor", "Boxes stacked at a door", "Nothing at the door"]
    )
    assert [alt for alt in alts if alt in expected] == expected


def test_learner_pages_get_the_pictures_in_their_question_scripts(site):
    for prefix in ("", "en/"):
        script = (site / prefix / "learn" / "data" / "pictures.js").read_text(encoding="utf-8")
        urls = re.findall(r"(\.\./[^ \"\\]+\.(?:webp|jpg))", script)
        assert urls, script[:300]
        for url in urls:
            assert (site / prefix / "learn" / url).resolve().is_file(), url


def test_the_service_worker_keeps_each_picture_narrowest(site):
    worker = (site / "sw.js").read_text(encoding="utf-8")
    kept = re.findall(r'"(images/[^"]+)"', worker.split("\n", 3)[1])
    published = {p.name.split("-")[0].split(".")[0] for p in (site / "images").iterdir()}
    assert len(kept) == len(published) == 6  # five photos (one unused) and the drawing
    assert all(k.endswith(("-360.webp", ".svg")) for k in kept)


def test_a_second_build_uses_the_kept_pictures(project, site, tmp_path):
    cache = project / ".cache" / "pictures"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    out = tmp_path / "again"
    build(project, "-d", str(out))
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == before
    for path in (site / "images").iterdir():
        assert (out / "images" / path.name).read_bytes() == path.read_bytes()
    shutil.rmtree(cache)
    fresh = tmp_path / "fresh"
    build(project, "-d", str(fresh))  # made again from nothing: the same names and bytes
    assert sorted(p.name for p in (fresh / "images").iterdir()) == sorted(p.name for p in (site / "images").iterdir())
    for path in (site / "images").iterdir():
        assert (fresh / "images" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_broken_photo_stops_the_build_and_keeps_the_site(project, site, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(project, root)  # with its built site and kept pictures
    before = sorted(p.relative_to(root / "site").as_posix() for p in site_files(root / "site"))
    whole = (root / "content" / "images" / "unused.jpg").read_bytes()
    (root / "content" / "images" / "unused.jpg").write_bytes(whole[: len(whole) // 4])
    (root / "content" / "images" / "IMG_0002.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    result = run_generator("build", cwd=root)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "content/images/IMG_0002.heic" in output and "Traceback" not in output
    assert sorted(p.relative_to(root / "site").as_posix() for p in site_files(root / "site")) == before
    (root / "content" / "images" / "IMG_0002.heic").unlink()
    result = run_generator("build", cwd=root)  # the truncated photo: its header reads, its pixels do not
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "unused.jpg" in output and "Traceback" not in output, output
    assert sorted(p.relative_to(root / "site").as_posix() for p in site_files(root / "site")) == before
