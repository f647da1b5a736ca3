"""Pictures: a phone photo in ``content/`` becomes a few small files a phone can afford, and no more.

Each raster picture under docs_dir (JPEG, PNG, WebP, BMP, TIFF) is read once with Pillow and written
as WebP at the widths of ``WIDTHS`` that it has, with a JPEG (or, with transparency, PNG) beside each
for browsers without WebP.  On the way:
- the camera's orientation (EXIF) is applied to the pixels, so nothing depends on the tag;
- colours in another profile (a phone's Display P3) are converted to sRGB;
- nothing of the file but its pixels is written: no EXIF (GPS position, camera, time), XMP, IPTC,
  ICC profile or comment; Pillow writes none of them unless given, and ``_bare`` hands it none.
The original is never published.  SVG and GIF files are published as they are (drawings have no
camera metadata; re-encoding an animated GIF would spoil it).

Every published file is named by a digest of its source and of how it is made (``RECIPE``, the Pillow
version), never by its file name: the service worker may keep such a file for good (one name, one
content), and a quiz's picture cannot give its answer away by its name ("right-answer.jpg").
The same source gives the same bytes in every build (Pillow's encoders are deterministic), and
the results are kept in a cache folder, so ``make serve`` and a second build do not encode again.

``picture_html`` writes the ``<picture>``: ``srcset`` and ``sizes`` let a 360 px phone fetch the
360 or 720 px file, ``width``/``height`` keep the page from jumping as it loads, and a photo after a
page's first section is fetched only when the reader comes within 150 px of it (site.js; the browser's
own ``loading="lazy"`` fetches everything within 1,250 px: benchmarks/pictures.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import PIL
from markupsafe import Markup
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .model import Picture

IMAGE_URL_DIR = "images"
"""Where published pictures go, at the site root: one copy for every language."""
IMAGE_FOLDER = "images"
"""content/images/: where a quiz file's pictures are looked for first."""
WIDTHS = (360, 720, 1080, 1440)
"""Published widths: a phone's column (about 330 CSS px) at 1x, 2x and 3x, and a computer's column at 2x."""
PROCESSED = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
COPIED = frozenset({".svg", ".gif"})
UNSUPPORTED = frozenset(
    {".heic", ".heif", ".avif", ".jxl", ".raw", ".dng", ".cr2", ".nef", ".arw", ".psd", ".ai", ".eps"}
)
"""Picture files a browser or Pillow cannot take: ``make check`` says how to save them instead."""
PICTURES = PROCESSED | COPIED
WEBP_QUALITY = {360: 72, 720: 72, 1080: 62, 1440: 62}
JPEG_QUALITY = {360: 78, 720: 78, 1080: 70, 1440: 70}
"""By width: the wide files are for phones with 3x pixels and computers with 2x, where a lower quality
does not show (each pixel is small) and saves a third: "compressive images"."""
RECIPE = f"2/{PIL.__version__}/{WIDTHS}/{WEBP_QUALITY}/{JPEG_QUALITY}"
"""Part of every published name: a change here or a new Pillow re-encodes and renames everything."""
_ORIENTATION = 0x0112
_HEADER = 4 << 20
"""Bytes read to learn a picture's size and orientation: they come first in every format read here but TIFF
(a phone's EXIF block is at most 64 KiB; colour profiles and XMP come before a JPEG's pixels too)."""
MAX_PIXELS = 260_000_000
"""A 200-megapixel phone photo is 16,320 x 12,240; Pillow's own limit (179 MP) would refuse it."""
SIZES = (
    "(min-width: 125em) 826px, (min-width: 100em) 757px, (min-width: 76.25em) 688px, "
    "(min-width: 60em) calc(100vw - 274px), calc(100vw - 32px)"
)
"""The width of Material's text column, measured in Chromium (tests/browser/test_pictures.py checks it): 328 px on
a 360 px phone, 736 at 768, 750 at 1024, 688 at 1280, 757 at 1600 and 826 at 2000 (Material's type grows at
100em and 125em).  In ``sizes`` an em is the browser's 16 px, not Material's 20, hence pixels."""

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PictureError(Exception):
    """A picture that cannot be read; ``str()`` is a plain sentence in Chinese and English."""


@dataclass(frozen=True)
class Variant:
    path: str
    """From the site root, e.g. images/3f2a9c1b7d0e-720.webp."""
    width: int
    mime: str


@dataclass(frozen=True)
class Processed:
    """What a picture became: its files, and the size it is shown at (after its orientation)."""

    width: int
    height: int
    variants: tuple[Variant, ...]
    """WebP first (narrow to wide), then the fallback format (narrow to wide); one file for SVG and GIF."""
    files: dict[str, Path]
    """Site path -> the file to publish there (in the cache)."""

    @property
    def fallback(self) -> Variant:
        """The file of ``<img src>``: for browsers without srcset or WebP, and where the HTML points by itself."""
        plain = [v for v in self.variants if v.mime != "image/webp"] or list(self.variants)
        fitting = [v for v in plain if v.width <= 720]
        return fitting[-1] if fitting else plain[0]

    def by_mime(self, mime: str) -> list[Variant]:
        return [v for v in self.variants if v.mime == mime]


def digest(source: bytes) -> str:
    return hashlib.sha256(RECIPE.encode() + b"\n" + source).hexdigest()[:12]


class PictureStore:
    """Processes pictures into ``cache_dir`` (kept between builds) and remembers them for this process."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._done: dict[tuple[str, int, int], Processed] = {}
        self._lock = threading.Lock()

    def get(self, source: Path) -> Processed:
        """The processed picture; raises PictureError for a file that is not a picture Pillow can read."""
        stat = source.stat()
        key = (str(source.resolve()), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            found = self._done.get(key)
        if found is None:
            found = self._process(source)
            with self._lock:
                self._done[key] = found
        return found

    def get_all(self, sources: list[Path]) -> dict[Path, Processed | PictureError]:
        """Several pictures at once, on every CPU (Pillow lets go of Python's lock while it decodes and encodes)."""

        def one(source: Path) -> Processed | PictureError:
            try:
                return self.get(source)
            except PictureError as error:
                return error

        with ThreadPoolExecutor(max_workers=min(len(sources), os.cpu_count() or 1) or 1) as pool:
            return dict(zip(sources, pool.map(one, sources), strict=True))

    def _process(self, source: Path) -> Processed:
        data = source.read_bytes()
        key = digest(data)
        folder = self.cache_dir / key
        meta = folder / "picture.json"
        if meta.is_file():
            try:
                return _from_meta(json.loads(meta.read_text(encoding="utf-8")), folder)
            except (ValueError, KeyError, TypeError, OSError):
                shutil.rmtree(folder, ignore_errors=True)  # spoilt by hand or by a full disk: made again
        suffix = source.suffix.lower()
        if suffix in COPIED:
            width, height = svg_size(data) if suffix == ".svg" else _gif_size(data, source)
            outputs = {f"{key}{suffix}": data}
            variants = [Variant(f"{IMAGE_URL_DIR}/{key}{suffix}", width, _MIMES[suffix])]
        else:
            width, height, outputs, variants = _encode(data, key, source)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=_ensure(self.cache_dir)))
        try:
            for name, content in outputs.items():
                (staging / name).write_bytes(content)
            record = {"width": width, "height": height, "variants": [v.__dict__ for v in variants]}
            (staging / "picture.json").write_text(json.dumps(record), encoding="utf-8")
            try:
                staging.rename(folder)  # whole or not at all: two builds at once, or a crash, leave no half
            except OSError:
                if not meta.is_file():  # not another build's finished copy: something else is wrong
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return _from_meta(json.loads(meta.read_text(encoding="utf-8")), folder)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_MIMES = {
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


def _from_meta(record: dict, folder: Path) -> Processed:
    variants = tuple(Variant(**v) for v in record["variants"])
    files = {v.path: folder / v.path.rpartition("/")[2] for v in variants}
    if not all(path.is_file() for path in files.values()):
        raise ValueError("incomplete")
    return Processed(int(record["width"]), int(record["height"]), variants, files)


def _open(data: bytes, source: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.size  # noqa: B018 - read the header now
        return image
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
    ) as error:
        raise PictureError(unreadable_message(source.name, error)) from error


def unreadable_message(name: str, error: Exception | None = None) -> str:
    too_big = isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning))
    if too_big:
        return (
            f"图片 {name} 太大（超过 2.6 亿像素），请缩小后再放进来。\n"
            f"The picture {name} is too large (over 260 megapixels); make it smaller first."
        )
    return (
        f"图片 {name} 打不开：文件坏了，或者它其实不是 JPG/PNG（例如改了扩展名的 HEIC）。"
        f"用画图或手机相册把它另存为 JPG 再放进来。\n"
        f"The picture {name} cannot be read: the file is damaged, or it is not really a JPG/PNG "
        f"(e.g. a HEIC file renamed). Save it again as JPG (Paint, or the phone's photo app) and put that in."
    )


def read_size(path: Path) -> tuple[int, int]:
    """The size a picture is shown at (after its orientation), read from its header only."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return svg_size(path.read_bytes())
    with path.open("rb") as file:
        header = file.read() if suffix in (".tif", ".tiff") else file.read(_HEADER)
    image = _open(header, path)
    width, height = image.size
    orientation = image.getexif().get(_ORIENTATION, 1) if suffix != ".gif" else 1
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _gif_size(data: bytes, source: Path) -> tuple[int, int]:
    return _open(data, source).size


def svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's size from its root's width and height (in px or plain numbers), else its viewBox; 300 x 150
    (a browser's default) when it has neither."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise PictureError(
            "SVG 文件格式有错，浏览器显示不了。\nThe SVG file is not well-formed XML; browsers will not show it."
        ) from error
    box = (root.get("viewBox") or "").replace(",", " ").split()

    def length(name: str, index: int) -> float | None:
        raw = (root.get(name) or "").strip().removesuffix("px")
        try:
            return float(raw)
        except ValueError:
            return float(box[index]) if len(box) == 4 else None

    width, height = length("width", 2), length("height", 3)
    if not width or not height:
        return 300, 150
    return round(width), round(height)


def _encode(data: bytes, key: str, source: Path) -> tuple[int, int, dict[str, bytes], list[Variant]]:
    image = _open(data, source)
    try:
        full_width, full_height = image.size
        if image.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8):  # turned a quarter: shown on its side
            full_width, full_height = full_height, full_width
        if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 straight away: what is needed, faster
            image.draft("RGB", (max(WIDTHS), max(WIDTHS)))
        image.load()
        image = ImageOps.exif_transpose(image)
        alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        image = _srgb(image, "RGBA" if alpha else "RGB")
    except (OSError, ValueError, SyntaxError) as error:  # a truncated file reads its header, then fails
        raise PictureError(unreadable_message(source.name, error)) from error
    widths = [w for w in WIDTHS if w < full_width] + ([min(full_width, max(WIDTHS))] if full_width else [])
    widths = sorted(set(widths))
    shown_height = round(full_height * widths[-1] / full_width)
    outputs: dict[str, bytes] = {}
    webp, plain = [], []
    fallback_suffix, fallback_mime = (".png", "image/png") if alpha else (".jpg", "image/jpeg")
    for width in widths:
        height = max(1, round(full_height * width / full_width))
        resized = _bare(
            image if image.size == (width, height) else image.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        )
        for suffix, mime, found in ((".webp", "image/webp", webp), (fallback_suffix, fallback_mime, plain)):
            name = f"{key}-{width}{suffix}"
            outputs[name] = _save(resized, suffix, width)
            found.append(Variant(f"{IMAGE_URL_DIR}/{name}", width, mime))
    return widths[-1], shown_height, outputs, webp + plain


def _srgb(image: Image.Image, mode: str) -> Image.Image:
    """The picture in ``mode`` (RGB or RGBA) and in sRGB, the colours a browser assumes for a file without a profile."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            if image.mode not in ("RGB", "RGBA", "CMYK"):
                image = image.convert(mode)
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: its numbers as they are, which is what most viewers show
    return image.convert(mode)


def _bare(image: Image.Image) -> Image.Image:
    """The pixels alone: nothing of the source's EXIF, XMP, ICC profile or comments travels with them."""
    image.info = {}
    return image


def _quality(table: dict[int, int], width: int) -> int:
    return next((quality for limit, quality in sorted(table.items()) if width <= limit), table[max(table)])


def _save(image: Image.Image, suffix: str, width: int) -> bytes:
    out = io.BytesIO()
    if suffix == ".webp":
        image.save(out, "WEBP", quality=_quality(WEBP_QUALITY, width), method=6, exact=False)
    elif suffix == ".jpg":
        image.save(out, "JPEG", quality=_quality(JPEG_QUALITY, width), optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


# -- markup -------------------------------------------------------------------------


def picture_html(
    picture: Processed,
    alt: str,
    root: str,
    lazy: bool = True,
    sizes: str = SIZES,
    attributes: str = "",
    width: int | None = None,
    near: bool = False,
) -> str:
    """The ``<picture>`` (or, for an SVG or GIF, the ``<img>``) of ``picture`` on a page whose way back to
    the site root is ``root`` ("", "../", "../../"); ``alt`` and ``attributes`` (more of the img's) as HTML,
    escaped; ``width``: shown at that many CSS pixels rather than across the column.

    ``near``: fetched only when it comes within a short way of the screen (site.js), not as the browser's
    own ``loading="lazy"`` would, up to 1,250 px below it (2,500 on a slow network: measured in Chromium,
    benchmarks/pictures.py): a page of ten photos then costs a phone the ones it sees.  Until then the
    ``<img>`` shows an empty box of the picture's shape (an inline SVG of its proportions: no request, no
    jump when the picture arrives); without scripts, the ``<noscript>`` copy is the picture as usual."""
    fallback = picture.fallback
    shown_width = width or picture.width
    shown_height = max(1, round(picture.height * shown_width / picture.width)) if picture.width else picture.height
    sizes = f"{width}px" if width else sizes

    def srcset(variants: list[Variant]) -> str:
        return ", ".join(f"{escape(root + v.path)} {v.width}w" for v in variants)

    def markup(gated: bool) -> str:
        prefix = "data-" if gated else ""
        src = (
            f'src="{_placeholder(shown_width, shown_height)}" data-src="{escape(root + fallback.path)}"'
            if gated
            else f'src="{escape(root + fallback.path)}"'
        )
        loading = ' loading="lazy"' if lazy else ""
        size = f'width="{shown_width}" height="{shown_height}"'
        img = f'<img {src} alt="{alt}" {size}{loading} decoding="async"{attributes}'
        if len(picture.variants) == 1:
            return img + ">"
        return (
            f'<picture><source type="image/webp" {prefix}srcset="{srcset(picture.by_mime("image/webp"))}" '
            f'sizes="{sizes}">{img} {prefix}srcset="{srcset(picture.by_mime(fallback.mime))}" '
            f'sizes="{sizes}"></picture>'
        )

    if not (near and lazy) or fallback.mime == "image/svg+xml":  # a drawing is a few hundred bytes: as usual
        return markup(False)
    return f"{markup(True)}<noscript>{markup(False)}</noscript>"


def _placeholder(width: int, height: int) -> str:
    """An empty SVG of the picture's proportions, as a data: address (no request)."""
    return f"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27 viewBox=%270 0 {width} {height}%27/%3E"


def root_of(here: str) -> str:
    """The way from the page ``here`` (a path from the site root) back to the root: "../" per folder."""
    return "../" * here.count("/")


_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_TAG_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_REPLACED = frozenset({"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"})
QUESTION_SIZES = "(min-width: 543px) 480px, calc(100vw - 63px)"
"""A question's picture: at most 24rem (480 px) wide (quiz.css), in a quiz box 63 px narrower than a phone's
screen (measured in Chromium: 297 px at 360, 349 at 412)."""
OPTION_SIZES = "140px"
"""An option's picture: 7rem (140 px) wide (quiz.css)."""


def tag_attributes(text: str) -> dict[str, str]:
    """An HTML tag's attributes (names lower case, values as written, entities left alone)."""
    found = {}
    for match in _TAG_ATTRIBUTE.finditer(text):
        value = next((v for v in match.groups()[1:] if v is not None), "")
        found.setdefault(match.group(1).lower(), value)
    return found


def locate(file: str, docs_dir: Path) -> Path | None:
    """A quiz file's picture: under content/images/, else under content/; None when it is neither."""
    relative = unquote(file).replace("\\", "/").lstrip("/")
    for base in (docs_dir / IMAGE_FOLDER, docs_dir):
        path = base / relative
        if path.is_file() and path.suffix.lower() in PICTURES and path.resolve().is_relative_to(docs_dir.resolve()):
            return path
    return None


@dataclass
class SitePictures:
    """The pictures of one build: what each picture file under docs_dir became, and the markup showing them."""

    docs_dir: Path | None = None
    by_source: dict[str, Processed] = field(default_factory=dict)
    """docs_dir-relative path ("images/exit.jpg") -> the processed picture."""
    _by_path: dict[str, Processed] = field(default_factory=dict)
    _quiz_files: dict[str, Processed | None] = field(default_factory=dict)

    def add(self, source: str, picture: Processed) -> None:
        self.by_source[source] = picture
        self._by_path[picture.fallback.path] = picture
        self._quiz_files.clear()

    def files(self) -> dict[str, Path]:
        """Every file to publish: site path -> the file in the cache."""
        return {path: file for picture in self.by_source.values() for path, file in picture.files.items()}

    def page(self, html: str, here: str) -> str:
        """A page's HTML with each of its pictures (an ``<img>`` that MkDocs pointed at a picture's
        fallback file) as a ``<picture>`` with every size; the first picture loads at once when it comes
        before the page's first section (it is likely on the first screen), every other one when near
        the screen (``picture_html``'s ``near``).  A quiz's pictures use the browser's own lazy loading:
        the learner pages add questions after site.js has looked for pictures, and a question not in the
        attempt is hidden, which the browser never fetches for."""
        if "<img" not in html:
            return html
        folder = here.rpartition("/")[0]
        first_section = html.find("<h2")
        first = True

        def swap(match: re.Match) -> str:
            nonlocal first
            attributes = tag_attributes(match[1].rstrip("/"))
            src = unescape(attributes.get("src", "")).split("#")[0].split("?")[0]
            picture = self._by_path.get(posixpath.normpath(posixpath.join(folder, unquote(src))))
            if picture is None:
                return match[0]
            lazy = not (first and (first_section < 0 or match.start() < first_section))
            first = False
            width = attributes.get("width", "").removesuffix("px")
            rest = "".join(
                f' {name}="{value}"' if value or name in ("class", "title") else f" {name}"
                for name, value in attributes.items()
                if name not in _REPLACED
            )
            return picture_html(
                picture,
                attributes.get("alt", ""),
                root_of(here),
                lazy,
                attributes=rest,
                width=int(width) if width.isdigit() and int(width) > 0 else None,
                near=True,
            )

        return _IMG.sub(swap, html)

    def _for_file(self, file: str) -> Processed | None:
        """A quiz file's picture (``locate``), looked up once per build: every page and script showing it asks."""
        if file not in self._quiz_files:
            source = locate(file, self.docs_dir) if self.docs_dir else None
            self._quiz_files[file] = (
                self.by_source.get(source.relative_to(self.docs_dir).as_posix()) if source else None
            )
        return self._quiz_files[file]

    def for_quiz(self, root: str) -> Callable[[Picture, str, bool], Markup | None]:
        """How a quiz shows a picture on a page whose way to the site root is ``root``:
        ``(picture, language, is an option's) -> HTML``, None for a picture the build does not have
        (check reports it; the preview then shows its alt text: render.py)."""

        def show(picture: Picture, language: str, option: bool = False) -> Markup | None:
            processed = self._for_file(picture.file)
            if processed is None:
                return None
            sizes = OPTION_SIZES if option else QUESTION_SIZES
            return Markup(picture_html(processed, escape(picture.alt.get(language)), root, sizes=sizes))

        return show
