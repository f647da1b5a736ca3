"""The built site behind nginx under a sub-path, as a county office would host it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

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


@pytest.fixture(scope="module")
def nginx_url(project_site, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("nginx")
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
  gzip on; gzip_types text/css application/javascript application/json image/svg+xml;
  server {{
    listen 127.0.0.1:{port};
    location /anquan/ {{ alias {project_site}/; }}
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
