"""Phone-style photos made with Pillow for the picture tests: a camera's EXIF (GPS position, maker,
orientation), an XMP packet, a comment and a colour profile, on pixels that compress like a photo
(shapes, soft edges and sensor noise), not like a flat test card."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter

GPS_LATITUDE = (39.0, 54.0, 27.0)
GPS_LONGITUDE = (116.0, 23.0, 17.0)
MAKER = "PhoneMaker-Secret"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="XmpSecretTool"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
COMMENT = b"CommentSecret"
SECRETS = (MAKER.encode(), b"XmpSecretTool", COMMENT, b"Exif\x00\x00", b"ICC_PROFILE", b"acsp")
"""Bytes that no published file may hold: the camera's words, and the markers of EXIF (where the GPS
position is), XMP and ICC data."""


def photo_pixels(width: int, height: int, seed: int = 1) -> Image.Image:
    """An RGB picture that compresses about as a phone photo does."""
    rng = random.Random(seed)
    small = (max(1, width // 4), max(1, height // 4))
    horizontal = Image.linear_gradient("L").rotate(90).resize(small)
    vertical = Image.linear_gradient("L").resize(small)
    picture = Image.merge("RGB", [horizontal, vertical, Image.new("L", small, rng.randrange(60, 200))])
    draw = ImageDraw.Draw(picture)
    for _ in range(60):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        size = rng.randrange(10, max(11, small[0] // 4))
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x, y, x + size, y + rng.randrange(10, size + 10)], fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(2)).resize((width, height), Image.BILINEAR)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    return ImageChops.blend(picture, noise, 0.12)


def phone_photo(path: Path, width: int = 4000, height: int = 3000, orientation: int = 1, seed: int = 1) -> Path:
    """A JPEG as a phone writes it: ``width`` x ``height`` as stored, EXIF ``orientation`` (6: the camera
    was turned a quarter clockwise, so the photo is shown ``height`` wide), GPS, XMP, a comment, an sRGB profile.
    Its top left corner is red and its top right blue (as stored), so a test can tell how it was turned."""
    picture = photo_pixels(width, height, seed)
    corner = max(8, width // 10)
    picture.paste((230, 20, 20), (0, 0, corner, corner))
    picture.paste((20, 20, 230), (width - corner, 0, width, corner))
    exif = Image.Exif()
    exif[0x010F] = MAKER  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: GPS_LONGITUDE}  # GPSInfo
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture.save(path, "JPEG", quality=90, exif=exif, xmp=XMP, comment=COMMENT, icc_profile=profile)
    return path


def screenshot_png(path: Path, width: int = 1200, height: int = 800, seed: int = 2) -> Path:
    """A PNG with transparency and a text chunk holding a secret."""
    from PIL import PngImagePlugin

    picture = photo_pixels(width, height, seed).convert("RGBA")
    picture.putalpha(Image.linear_gradient("L").resize((width, height)))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", COMMENT.decode())
    picture.save(path, "PNG", pnginfo=info)
    return path
