"""images.py: a phone photo becomes small, turned the right way, and holds nothing but its pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from generator import images
from generator.images import PictureError, PictureStore, SitePictures, picture_html, read_size, svg_size
from tests.pictures import SECRETS, phone_photo, screenshot_png


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    """Stored 4000 x 3000, shown 3000 x 4000: the camera was turned (EXIF orientation 6)."""
    return phone_photo(tmp_path_factory.mktemp("photo") / "exit.jpg", orientation=6)


@pytest.fixture(scope="module")
def processed(photo, tmp_path_factory):
    return PictureStore(tmp_path_factory.mktemp("cache")).get(photo)


def test_a_phone_photo_becomes_webp_and_jpeg_at_four_widths(processed):
    assert [(v.width, v.mime) for v in processed.variants] == [
        (360, "image/webp"),
        (720, "image/webp"),
        (1080, "image/webp"),
        (1440, "image/webp"),
        (360, "image/jpeg"),
        (720, "image/jpeg"),
        (1080, "image/jpeg"),
        (1440, "image/jpeg"),
    ]
    assert processed.fallback.path.endswith("-720.jpg")
    for variant in processed.variants:
        assert re.fullmatch(r"images/[0-9a-f]{12}-\d+\.(webp|jpg)", variant.path)
        with Image.open(processed.files[variant.path]) as image:
            assert image.width == variant.width
            assert image.format == ("WEBP" if variant.mime == "image/webp" else "JPEG")


def test_every_file_holds_only_pixels(photo, processed):
    assert all(secret in photo.read_bytes() for secret in SECRETS)  # the photo had them all
    with Image.open(photo) as original:
        assert original.getexif().get_ifd(0x8825)[2] == (39.0, 54.0, 27.0)  # and where it was taken
    for variant in processed.variants:
        data = processed.files[variant.path].read_bytes()
        assert not [secret for secret in SECRETS if secret in data], variant.path
        with Image.open(processed.files[variant.path]) as image:
            assert not image.getexif()
            assert "icc_profile" not in image.info and "xmp" not in image.info and "comment" not in image.info


def test_the_orientation_is_applied_to_the_pixels(processed):
    """Turned a quarter clockwise: the stored top left (red) is now top right, the stored top right (blue)
    bottom right."""
    assert (processed.width, processed.height) == (1440, 1920)
    with Image.open(processed.files[processed.by_mime("image/webp")[0].path]) as image:
        image = image.convert("RGB")
        width, height = image.size
        assert (width, height) == (360, 480)
        red, blue = image.getpixel((width - 5, 5)), image.getpixel((width - 5, height - 5))
    assert red[0] > 180 and red[2] < 80, red
    assert blue[2] > 180 and blue[0] < 80, blue


def test_widths_never_exceed_the_original(tmp_path):
    store = PictureStore(tmp_path / "cache")
    middle = store.get(phone_photo(tmp_path / "middle.jpg", 800, 600))
    small = store.get(phone_photo(tmp_path / "small.jpg", 200, 150))
    assert [v.width for v in middle.by_mime("image/webp")] == [360, 720, 800]
    assert [v.width for v in small.variants] == [200, 200]
    assert (small.width, small.height) == (200, 150)


def test_a_transparent_png_keeps_its_transparency_and_loses_its_text(tmp_path):
    picture = PictureStore(tmp_path / "cache").get(screenshot_png(tmp_path / "screen.png"))
    assert picture.fallback.mime == "image/png" and picture.fallback.path.endswith("-720.png")
    for variant in picture.variants:
        data = picture.files[variant.path].read_bytes()
        assert b"CommentSecret" not in data
        with Image.open(picture.files[variant.path]) as image:
            assert image.mode == "RGBA" and image.getextrema()[3][0] < 50


def test_the_same_source_gives_the_same_bytes_and_names(photo, processed, tmp_path):
    again = PictureStore(tmp_path / "elsewhere").get(photo)
    assert [v.path for v in again.variants] == [v.path for v in processed.variants]
    for path in again.files:
        assert again.files[path].read_bytes() == processed.files[path].read_bytes()


def test_a_kept_copy_is_not_encoded_again(photo, tmp_path, monkeypatch):
    first = PictureStore(tmp_path / "cache").get(photo)
    monkeypatch.setattr(images, "_encode", lambda *args: pytest.fail("encoded again"))
    assert PictureStore(tmp_path / "cache").get(photo) == first


def test_a_spoilt_copy_is_made_again(photo, tmp_path):
    first = PictureStore(tmp_path / "cache").get(photo)
    first.files[first.fallback.path].unlink()
    again = PictureStore(tmp_path / "cache").get(photo)
    assert again == first and again.files[first.fallback.path].is_file()


def test_the_name_says_nothing_of_the_file_name(tmp_path):
    right = phone_photo(tmp_path / "right-answer.jpg", 400, 300)
    picture = PictureStore(tmp_path / "cache").get(right)
    assert not [v for v in picture.variants if "right" in v.path or "answer" in v.path]


@pytest.mark.parametrize(
    "content",
    [b"not a picture at all", b"\xff\xd8\xff\xe0" + b"\x00" * 50],
    ids=["text", "truncated-jpeg"],
)
def test_a_file_that_is_no_picture_is_said_plainly(tmp_path, content):
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    with pytest.raises(PictureError) as raised:
        PictureStore(tmp_path / "cache").get(path)
    assert "photo.jpg" in str(raised.value) and "JPG" in str(raised.value)
    assert not list((tmp_path / "cache").glob("*/picture.json"))


def test_a_photo_cut_short_is_said_plainly(tmp_path):
    whole = phone_photo(tmp_path / "whole.jpg", 1200, 900).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(PictureError, match=r"cut\.jpg"):
        PictureStore(tmp_path / "cache").get(cut)


def test_drawings_are_published_as_they_are(tmp_path):
    svg = tmp_path / "sign.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 140 120"><circle r="5"/></svg>')
    picture = PictureStore(tmp_path / "cache").get(svg)
    assert [v.mime for v in picture.variants] == ["image/svg+xml"]
    assert picture.files[picture.fallback.path].read_bytes() == svg.read_bytes()
    assert (picture.width, picture.height) == (140, 120)
    # A few hundred bytes: the browser's own lazy loading, not held back by site.js.
    html = picture_html(picture, "sign", "../", near=True)
    assert html.startswith('<img src="../images/') and "data-src" not in html and 'loading="lazy"' in html


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('width="140px" height="70"', (140, 70)),
        ('viewBox="0 0 48 24"', (48, 24)),
        ('width="100%" viewBox="0,0,360,120"', (360, 120)),
        ("", (300, 150)),
    ],
)
def test_svg_sizes(root, size):
    assert svg_size(f'<svg xmlns="http://www.w3.org/2000/svg" {root}/>'.encode()) == size


def test_read_size_turns_with_the_orientation(photo):
    assert read_size(photo) == (3000, 4000)


def test_picture_markup(processed):
    html = picture_html(processed, "堵住的出口", "../")
    assert html.startswith('<picture><source type="image/webp" srcset="../images/')
    assert " 360w, ../images/" in html and "-1440.webp 1440w" in html
    assert f'sizes="{images.SIZES}"' in html
    assert 'alt="堵住的出口" width="1440" height="1920" loading="lazy" decoding="async"' in html
    assert picture_html(processed, "x", "", lazy=False).count("loading=") == 0
    shown = picture_html(processed, "x", "", width=300)
    assert 'width="300" height="400"' in shown and 'sizes="300px"' in shown


def test_a_page_gets_pictures_around_its_images(processed):
    pictures = SitePictures()
    pictures.add("images/exit.jpg", processed)
    src = processed.fallback.path
    html = (
        f'<p><img alt="a" src="../../{src}" /></p><h2>Two</h2>'
        f'<p><img alt="b &amp; c" class="wide" src="../../{src}" title="t" /><img alt="x" src="../other.png" /></p>'
    )
    page = pictures.page(html, "en/modules/fire.html")
    first, second = page.split("<h2>")
    assert first.count("<picture>") == 1 and "loading=" not in first  # before the first section: at once
    assert 'src="../../images/' in first
    assert 'alt="b &amp; c"' in second and 'class="wide"' in second and 'title="t"' in second
    assert 'loading="lazy"' in second
    assert '<img alt="x" src="../other.png" />' in second  # not a picture of the build: untouched
    # After the first section: fetched near the screen (site.js), an empty box of its shape until then,
    # and the picture as usual for a browser without scripts.
    gated, native = second.split("<noscript>")
    assert 'src="data:image/svg+xml,' in gated and "viewBox=%270 0 1440 1920%27" in gated
    assert 'data-src="../../images/' in gated and gated.count("data-srcset=") == 2 and " srcset=" not in gated
    assert native.startswith("<picture>") and "data-src" not in native.split("</noscript>")[0]


def test_a_page_picture_after_the_first_section_waits(processed):
    pictures = SitePictures()
    pictures.add("images/exit.jpg", processed)
    page = pictures.page(f'<h2>One</h2><p><img alt="a" src="{processed.fallback.path}"></p>', "index.html")
    assert 'loading="lazy"' in page and 'src="images/' in page
