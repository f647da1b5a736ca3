"""A static server for the audit and the benchmarks: several built sites, each under its own sub-path.

It behaves like one of the three kinds of host the site will meet (DESIGN §9), chosen by
``compression``:

- ``"all"``: every text file compressed when the browser asks for it (nginx with ``gzip_types``
  or ``gzip_static``, a tuned county server);
- ``"stock"``: only HTML compressed (a stock nginx: ``gzip on;`` without ``gzip_types``);
- ``"none"``: nothing compressed (``python -m http.server``, many intranet servers).

So the bytes Lighthouse counts are the bytes a phone downloads from that kind of host.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
COMPRESSIONS = {"all": COMPRESSED, "stock": (".html",), "none": ()}
"""The files each kind of host compresses, by suffix."""
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}


class Sites:
    """Serves {sub-path: folder} on 127.0.0.1 with a free port; use as a context manager."""

    def __init__(self, sites: dict[str, Path], compression: str = "all") -> None:
        self.sites = {path.strip("/"): folder for path, folder in sites.items()}
        self.compression = compression
        handler = type("Handler", (_Handler,), {"sites": self.sites, "compressed": COMPRESSIONS[compression]})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> Sites:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    sites: ClassVar[dict[str, Path]] = {}
    compressed: ClassVar[tuple[str, ...]] = COMPRESSED
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        file = self._file()
        if file is None:
            return self._send(404, b"Not found", "text/plain; charset=utf-8", body)
        data = file.read_bytes()
        kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        gzipped = file.suffix in self.compressed and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        self._send(200, data, kind, body, gzipped)

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        for prefix, folder in self.sites.items():
            if path == prefix or path.startswith(prefix + "/"):
                rest = path[len(prefix) :].lstrip("/")
                file = (folder / rest).resolve()
                if file.is_dir():
                    file = file / "index.html"
                if file.is_file() and file.is_relative_to(folder.resolve()):
                    return file
        return None

    def _send(self, status: int, data: bytes, kind: str, body: bool, gzipped: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache" if kind.startswith("text/html") else "max-age=3600")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if body:
            self.wfile.write(data)
