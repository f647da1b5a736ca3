"""The built site behind nginx under a sub-path, as a county office would host it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import LANGUAGE_BUTTON, answer, answer_key


def nginx_binary() -> str:
    """nginx from Debian, installed with apt when missing (as make test does for Chromium)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env, timeout=600)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "nginx-light"], check=True, env=env, timeout=600)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def readme_static_block() -> str:
    """README's nginx lines for the prebuilt .gz files (the block that holds gzip_static)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(block for block in re.findall(r"```nginx\n(.*?)```", text, re.S) if "gzip_static" in block)


def run_nginx(prefix: Path, site: Path, http: str, location: str = ""):
    """nginx serving ``site`` at /anquan/ with ``http`` settings and ``location`` lines; yields its URL."""
    (prefix / "logs").mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # As root, nginx's workers would drop to "nobody", who cannot read pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""
{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  {http}
  server {{
    listen 127.0.0.1:{port};
    location /anquan/ {{
      alias {site}/;
      {location}
    }}
  }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/anquan/"
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_url(project_site, tmp_path_factory):
    """nginx compressing every kind of text itself."""
    gzip = "gzip on; gzip_types text/css application/javascript application/json image/svg+xml;"
    yield from run_nginx(tmp_path_factory.mktemp("nginx"), project_site, gzip)


@pytest.fixture(scope="module")
def stock_nginx_url(project_site, tmp_path_factory):
    """A stock nginx (gzip on; no gzip_types: it compresses HTML only) with README's lines for the
    prebuilt files."""
    yield from run_nginx(tmp_path_factory.mktemp("stock-nginx"), project_site, "gzip on;", readme_static_block())


def test_site_under_a_subpath_behind_nginx(make_context, nginx_url):
    """Home, a module, the language switch and a quiz work at /anquan/ behind nginx, with no error."""
    from urllib.parse import urlsplit

    context = make_context(origin=nginx_url)
    page = context.new_page()
    page.goto(nginx_url)  # the directory itself: nginx serves index.html
    assert page.locator(".campaign-hero").is_visible()
    page.goto(nginx_url + "modules/fire.html")
    page.locator(LANGUAGE_BUTTON).click()
    page.locator('.md-select__link[hreflang="en"]').click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/anquan/en/modules/fire.html"
    page.goto(nginx_url + "en/quizzes/principles.html")
    root = "form[data-quiz-ready]"
    answer(page, root, answer_key("principles"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"


@pytest.mark.parametrize(
    "path", ["index.html", "en/quizzes/principles.html", "search/search_index.json", "sw.js", "assets/site.css"]
)
def test_stock_nginx_sends_the_prebuilt_gzip_files(stock_nginx_url, project_site, path):
    """With README's lines, a stock nginx sends the build's .gz file for scripts, styles and the search
    index too (which it would otherwise send raw), and says it may differ by Accept-Encoding."""
    request = urllib.request.Request(stock_nginx_url + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers.get("Vary", "")
    assert body == (project_site / f"{path}.gz").read_bytes()
    with urllib.request.urlopen(stock_nginx_url + path, timeout=10) as response:  # a client without gzip
        assert response.headers.get("Content-Encoding") is None
        assert response.read() == (project_site / path).read_bytes()


def test_a_quiz_behind_a_stock_nginx(make_context, stock_nginx_url):
    """The quiz page, its scripts and styles all arriving as the prebuilt .gz files, works."""
    page = make_context(origin=stock_nginx_url).new_page()
    page.goto(stock_nginx_url + "quizzes/principles.html")
    root = "form[data-quiz-ready]"
    answer(page, root, answer_key("principles"))
    page.locator(f'{root} button[type="submit"]').click()
    assert page.locator(f"{root} [data-quiz-result]").get_attribute("data-passed") == "true"
