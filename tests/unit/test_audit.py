"""The audit's own logic: budgets from measurements, Lighthouse JSON read right, the gzip server."""

from __future__ import annotations

import gzip
import random
import urllib.request
from pathlib import Path

import pytest

from audit import lighthouse
from audit.crawl import Crawl, PageReport
from audit.lighthouse import Result, summarise
from audit.report import budgets, markdown
from audit.server import Sites


def result(performance=100, accessibility=100, total=120_000, third_party=0) -> Result:
    scores = {"performance": performance, "accessibility": accessibility, "best-practices": 100, "seo": 100}
    return Result(
        "http://x/",
        scores,
        {"total": total, "script": 40_000},
        {"total": 12, "third-party": third_party},
        {},
        runs=[performance],
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "assets" / "generator").mkdir(parents=True)
    (tmp_path / "assets" / "generator" / "quiz.abc.js").write_text("let a = 1;\n" * 10)
    (tmp_path / "assets" / "generator" / "quiz-certificate.abc.js").write_bytes(bytes(range(256)) * 200)  # on demand
    return tmp_path


def missed(found) -> list[str]:
    return [b.what for b in found if not b.met]


def test_all_budgets_met(site):
    ours = {"index.html": result(), "quizzes/q.html": result()}
    assert missed(budgets(site, ours, Crawl([PageReport("index.html")]))) == []


@pytest.mark.parametrize(
    "page, kwargs, expected",
    [
        ("index.html", {"performance": 94}, "Lighthouse index.html"),
        ("index.html", {"accessibility": 99}, "Lighthouse index.html"),
        ("quizzes/q.html", {"total": 200 * 1024 + 1}, "a quiz page, first visit"),
        ("index.html", {"third_party": 1}, "requests to other hosts (crawl + Lighthouse)"),
    ],
)
def test_a_missed_budget_is_reported(site, page, kwargs, expected):
    ours = {"index.html": result(), "quizzes/q.html": result()}
    ours[page] = result(**kwargs)
    assert missed(budgets(site, ours, Crawl([]))) == [expected]


def test_crawl_findings_miss_budgets(site):
    ours = {"quizzes/q.html": result()}
    crawl = Crawl(
        [
            PageReport("a.html", console_errors=["boom"]),
            PageReport("b.html", failed_requests=["x (HTTP 404)"]),
            PageReport("c.html", engine_misplaced=["quiz engine loaded on a page without a quiz"]),
        ]
    )
    assert missed(budgets(site, ours, crawl)) == [
        "quiz engine only on pages with a quiz",
        "console errors (crawl)",
        "failed requests and HTTP errors (crawl)",
    ]
    assert "`b.html` failed requests: x (HTTP 404)" in markdown(ours, {}, crawl, [], {})


def test_engine_over_eight_kib_is_missed(site):
    (site / "assets" / "generator" / "quiz.abc.css").write_bytes(random.Random(1).randbytes(9000))  # incompressible
    assert missed(budgets(site, {"quizzes/q.html": result()}, Crawl([]))) == ["quiz engine JS + CSS, gzip -9"]


def test_summarise_reads_a_lighthouse_report():
    report = {
        "requestedUrl": "http://x/",
        "finalDisplayedUrl": "http://x/",
        "categories": {
            name: {"score": score, "auditRefs": [{"id": "a", "weight": 1}] if name == "seo" else []}
            for name, score in [("performance", 0.955), ("accessibility", 1), ("best-practices", 1), ("seo", 0.91)]
        },
        "audits": {
            "resource-summary": {
                "details": {
                    "items": [
                        {"resourceType": "total", "transferSize": 1000, "requestCount": 5},
                        {"resourceType": "script", "transferSize": 600, "requestCount": 2},
                        {"resourceType": "third-party", "transferSize": 0, "requestCount": 0},
                    ]
                }
            },
            "a": {"score": 0, "title": "Links are not crawlable", "scoreDisplayMode": "binary"},
            **{name: {"displayValue": "1 s"} for name in lighthouse.METRICS},
        },
    }
    found = summarise(report)
    assert found.scores == {"performance": 96, "accessibility": 100, "best-practices": 100, "seo": 91}
    assert found.bytes == {"total": 1000, "script": 600, "third-party": 0}
    assert [a["title"] for a in found.failing] == ["Links are not crawlable"]


def test_server_gzips_under_a_sub_path(tmp_path):
    (tmp_path / "page.html").write_text("<p>" + "安全" * 500, encoding="utf-8")
    with Sites({"anquan": tmp_path}) as server:
        request = urllib.request.Request(f"{server.url}anquan/page.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode() == "<p>" + "安全" * 500
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{server.url}page.html")  # outside the sub-path
        error.value.close()
        assert error.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{server.url}anquan/../../etc/passwd")
        error.value.close()


@pytest.mark.parametrize(
    ("compression", "encoded"),
    [("all", {"page.html", "app.js", "style.css"}), ("stock", {"page.html"}), ("none", set())],
)
def test_server_compresses_as_each_kind_of_host(tmp_path, compression, encoded):
    for name in ("page.html", "app.js", "style.css"):
        (tmp_path / name).write_text("/* 安全 */" * 200, encoding="utf-8")
    with Sites({"anquan": tmp_path}, compression=compression) as server:
        for name in ("page.html", "app.js", "style.css"):
            request = urllib.request.Request(f"{server.url}anquan/{name}", headers={"Accept-Encoding": "gzip, br"})
            with urllib.request.urlopen(request) as response:
                body = response.read()
                gzipped = response.headers["Content-Encoding"] == "gzip"
            assert gzipped == (name in encoded), name
            assert (gzip.decompress(body) if gzipped else body).decode() == "/* 安全 */" * 200


def test_checker_errors_are_ours_only_inside_our_elements():
    from audit.validate import _spans

    page = (
        '<!doctype html>\n<html>\n<body>\n<nav>\n</nav>\n<form class="quiz">\n<img>\n<p>\n</p>\n</form>\n'
        '<div class="md-content campaign-hero">\n</div>\n</body>\n</html>\n'
    )
    spans = _spans(page)
    assert (6, 10) in spans and (11, 12) in spans
    assert not any(start <= 4 <= end for start, end in spans)  # Material's nav is not ours
