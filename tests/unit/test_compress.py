"""Precompressed siblings (generator/compress.py): the same content, only where it pays, reproducible."""

from __future__ import annotations

import gzip
import random

import brotli

from generator.compress import MIN_SIZE, write_compressed

PAGE = ("<p>安全生产 Work safety: report a fire at once.</p>\n" * 200).encode()


def site_of(root, files: dict[str, bytes]):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_text_files_get_gzip_and_brotli_siblings_with_the_same_content(tmp_path):
    site = site_of(tmp_path, {"index.html": PAGE, "assets/site.css": PAGE, "search/index.json": PAGE})
    count, saved = write_compressed(site)
    assert count == 3 and saved > 2 * len(PAGE)
    for name in ("index.html", "assets/site.css", "search/index.json"):
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == PAGE
        assert brotli.decompress((site / f"{name}.br").read_bytes()) == PAGE
        assert len((site / f"{name}.br").read_bytes()) <= len((site / f"{name}.gz").read_bytes())


def test_only_where_it_pays(tmp_path):
    """Small files, incompressible ones and pictures get none; a sibling left by an earlier build of a
    file that no longer pays is removed."""
    noise = random.Random(1).randbytes(5000)
    site = site_of(
        tmp_path,
        {
            "small.js": b"x" * (MIN_SIZE - 1),
            "noise.json": noise,
            "logo.png": PAGE,
            "old.html": noise,
            "old.html.gz": b"stale",
        },
    )
    assert write_compressed(site) == (0, 0)
    assert sorted(p.name for p in site.iterdir()) == ["logo.png", "noise.json", "old.html", "small.js"]


def test_reproducible(tmp_path):
    """The same file gives the same bytes, whenever and wherever it is compressed (no name or time
    in the gzip header)."""
    first = site_of(tmp_path / "a", {"page.html": PAGE})
    second = site_of(tmp_path / "b", {"page.html": PAGE})
    write_compressed(first)
    write_compressed(second)
    for suffix in (".gz", ".br"):
        assert (first / f"page.html{suffix}").read_bytes() == (second / f"page.html{suffix}").read_bytes()
    assert (first / "page.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # MTIME 0
