"""The built site behind Debian's Apache under /anquan/, with README's lines for the prebuilt .gz and
.br files (in a ``.htaccess`` file, or in a ``<Directory>`` block of an ``Alias``) and without them.

Each server is Debian's own binary and modules, with Debian's module settings, started here with its
own configuration file in a temporary folder and stopped after the tests that use it.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import answer, answer_key

APACHE = Path("/usr/sbin/apache2")
DEBIAN_MODULES = Path("/etc/apache2/mods-available")
# The modules a fresh Debian install of apache2 turns on (its mods-enabled/), each loaded and set up by
# Debian's own .load and .conf files: mime.conf maps .gz to application/x-gzip and .br to the Breton
# language; deflate.conf compresses HTML, styles and scripts (not JSON) on the fly.
STOCK = (
    "mpm_event access_compat alias auth_basic authn_core authn_file authz_core authz_host authz_user"
    " autoindex deflate dir env filter mime negotiation reqtimeout setenvif status"
).split()
# README's lines need rewrite and headers (`a2enmod rewrite headers`).  mod_brotli is on too, set to
# compress like mod_deflate, so that a server compressing on the fly with both is what is tested.
FOR_README = ["rewrite", "headers", "brotli"]
ON_THE_FLY = "AddOutputFilterByType BROTLI_COMPRESS text/html text/plain text/xml text/css text/javascript"

CONTENT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json"}
PATHS = ["", "index.html", "en/quizzes/principles.html", "search/search_index.json", "sw.js", "assets/site.css"]
"""The site's directory (its index.html), pages, a quiz, the search index, the service worker and a style."""


def apache_binary(modules: list[str]) -> Path:
    """Debian's apache2, with the files that load and set up ``modules``."""
    if not APACHE.exists():
        pytest.fail("Apache is missing: `make apache` installs it (Debian package apache2).")
    missing = [m for m in modules if not (DEBIAN_MODULES / f"{m}.load").exists()]
    if missing:
        pytest.fail(f"{DEBIAN_MODULES} lacks {missing}: `make apache` installs them (Debian package apache2).")
    return APACHE


def readme_apache_block() -> str:
    """README's Apache lines for the prebuilt .gz and .br files."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(block for block in re.findall(r"```apache\n(.*?)```", text, re.S) if "RewriteEngine" in block)
    return textwrap.dedent(block)


def run_apache(site: Path, where: str, modules: list[str]):
    """Apache serving a copy of ``site`` at /anquan/, README's lines ``where`` says: in the site's
    ``.htaccess`` (the site in the document root), in a ``<Directory>`` block (the site behind an
    ``Alias``), or nowhere (``""``); yields its URL and stops it afterwards.

    The copy lies in a folder of its own that every user may read: as root, Apache serves as
    nobody, who may not enter pytest's temporary folders."""
    binary = apache_binary(modules)
    folder = Path(tempfile.mkdtemp(prefix="apache-"))
    process = None
    try:
        folder.chmod(0o755)
        port = _configure(folder, site, where, modules)
        with open(folder / "stderr.log", "wb") as stderr:
            process = subprocess.Popen(
                [binary, "-f", folder / "apache2.conf", "-DFOREGROUND"], stdout=subprocess.DEVNULL, stderr=stderr
            )
        url = f"http://127.0.0.1:{port}/anquan/"
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except urllib.error.HTTPError as error:
                pytest.fail(f"Apache answers {error.code}:\n{_logs(folder)}")
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Apache did not start:\n{_logs(folder)}")
                time.sleep(0.1)
        yield url
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(folder)


def _configure(folder: Path, site: Path, where: str, modules: list[str]) -> int:
    """The site's copy and apache2.conf in ``folder``; returns the port."""
    www = folder / "www"
    www.mkdir()
    lines = readme_apache_block()
    if where == "<Directory>":
        copy = shutil.copytree(site, folder / "site")
        mapping = f'Alias /anquan/ "{copy}/"\n<Directory "{copy}">\n  Require all granted\n{lines}</Directory>'
    else:
        copy = shutil.copytree(site, www / "anquan")
        if where == ".htaccess":
            (copy / ".htaccess").write_text(lines, encoding="utf-8")
        mapping = ""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # As Debian does: every module's .load first, then their .conf files (deflate.conf needs mod_filter).
    includes = "\n".join(
        f"Include {path}"
        for suffix in (".load", ".conf")
        for path in (DEBIAN_MODULES / f"{m}{suffix}" for m in modules)
        if path.exists()
    )
    user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
    (folder / "apache2.conf").write_text(
        f"""
ServerRoot "{folder}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{folder}/apache2.pid"
DefaultRuntimeDir "{folder}"
ErrorLog "{folder}/error.log"
{user}
{includes}
{ON_THE_FLY if "brotli" in modules else ""}
DocumentRoot "{www}"
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory "{www}">
  AllowOverride {"FileInfo" if where == ".htaccess" else "None"}
  Require all granted
</Directory>
{mapping}
""",
        encoding="utf-8",
    )
    return port


def _logs(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in (folder / "stderr.log", folder / "error.log") if p.exists())


def fetch(url: str, accept_encoding: str | None):
    """The headers and the bytes as sent (urllib decompresses nothing)."""
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.headers, response.read()


def is_file(etag: str, file: Path) -> bool:
    """Whether Apache's ETag is that of ``file`` as it lies on disk: it begins with the file's size
    (FileETag MTime Size; weak, W/, for a file changed in the last second).  The raw file compressed
    on the fly has the raw file's ETag ending in -gzip or -br, and its bytes can be those of the
    build's .gz file (mod_deflate's zlib at the build's level gives the same bytes)."""
    return etag.removeprefix("W/").startswith(f'"{file.stat().st_size:x}-')


@pytest.fixture(scope="module", params=[".htaccess", "<Directory>"])
def apache_url(request, project_site):
    """Debian's Apache with README's lines, in the site's .htaccess or in the server's configuration."""
    yield from run_apache(project_site, request.param, STOCK + FOR_README)


@pytest.fixture(scope="module", params=["no lines", "lines, modules off"])
def stock_apache_url(request, project_site):
    """A stock Debian Apache: without README's lines, or with them in .htaccess but rewrite and
    headers not turned on (what a county gets that copies the file and skips `a2enmod`)."""
    yield from run_apache(project_site, "" if request.param == "no lines" else ".htaccess", STOCK)


@pytest.mark.parametrize("path", PATHS)
def test_apache_sends_the_prebuilt_files(apache_url, project_site, path):
    """With README's lines, a browser that accepts br gets the build's .br file, one that accepts gzip
    its .gz file, a client that accepts neither the file itself; each with the file's own type, no
    language (mime.conf's .br is Breton), and Vary: Accept-Encoding.  The bytes are the build's, so
    neither mod_deflate nor mod_brotli compressed them again."""
    file = project_site / (path or "index.html")
    for accept, suffix, encoding in (
        ("gzip, deflate, br", ".br", "br"),
        ("gzip, deflate", ".gz", "gzip"),
        (None, "", None),
    ):
        headers, body = fetch(apache_url + path, accept)
        assert headers.get("Content-Encoding") == encoding, accept
        assert headers.get_content_type() == CONTENT_TYPES[file.suffix], accept
        assert headers.get("Content-Language") is None, accept
        assert "Accept-Encoding" in headers.get("Vary", ""), accept
        sent = file.with_name(file.name + suffix)
        assert body == sent.read_bytes(), accept
        assert is_file(headers["ETag"], sent), accept


def test_stock_apache_ignores_the_prebuilt_files(stock_apache_url, project_site):
    """Without README's lines (or without the modules they need) Apache sends no .gz or .br file, even
    to a browser that accepts br: it compresses the pages, styles and scripts itself with gzip, as
    Debian sets mod_deflate up, and sends the search index raw."""
    for path in ("index.html", "sw.js", "assets/site.css"):
        headers, body = fetch(stock_apache_url + path, "gzip, deflate, br")
        assert headers.get("Content-Encoding") == "gzip", path
        assert headers.get_content_type() == CONTENT_TYPES[Path(path).suffix], path
        assert gzip.decompress(body) == (project_site / path).read_bytes(), path
        assert is_file(headers["ETag"], project_site / path) and headers["ETag"].endswith('-gzip"'), path
    headers, body = fetch(stock_apache_url + "search/search_index.json", "gzip, deflate, br")
    assert headers.get("Content-Encoding") is None
    assert headers.get_content_type() == "application/json"
    assert body == (project_site / "search/search_index.json").read_bytes()


def _take_quiz(make_context, url: str) -> list:
    """Pass the quiz at ``url``; the responses the page had from the network."""
    page = make_context(origin=url).new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url + "quizzes/principles.html")
    root = "form[data-quiz-ready]"
    answer(page, root, answer_key("principles"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"
    return [r for r in responses if not r.from_service_worker]


def test_a_quiz_through_apache(make_context, apache_url, project_site):
    """The quiz page, its scripts and styles arriving as the prebuilt files, works in Chromium."""
    sent = {}
    for response in _take_quiz(make_context, apache_url):
        path = response.url.removeprefix(apache_url).split("?")[0] or "index.html"
        if (project_site / f"{path}.gz").exists():
            headers = response.all_headers()
            encoding = headers.get("content-encoding")
            sibling = {"gzip": ".gz", "br": ".br"}.get(encoding)
            sent[path] = encoding if sibling and is_file(headers["etag"], project_site / f"{path}{sibling}") else "raw"
    assert {Path(p).suffix for p in sent} >= {".html", ".css", ".js"}, sent
    assert "raw" not in sent.values(), sent


def test_a_quiz_through_stock_apache(make_context, stock_apache_url):
    """Without README's lines the site works all the same."""
    _take_quiz(make_context, stock_apache_url)
