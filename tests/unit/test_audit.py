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


def result(performance=100, accessibility=100, total=80 * 1024, third_party=0) -> Result:
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


def measured(**pages) -> dict:
    """Our pages on the three servers, all at full marks and light, with some replaced."""
    ours = {
        condition: {"index.html": result(), "quizzes/q.html": result(), "en/quizzes/q.html": result()}
        for condition in ("all", "stock", "none")
    }
    for key, value in pages.items():
        condition, page = key.split("__")
        ours[condition][page.replace("_", "/", 1) + ".html"] = value
    return ours


def test_all_budgets_met(site):
    assert missed(budgets(site, measured(), Crawl([PageReport("index.html")]))) == []


@pytest.mark.parametrize(
    "pages, expected",
    [
        ({"all__index": result(performance=99)}, ["Lighthouse performance (server: all)"]),
        ({"stock__index": result(performance=94)}, ["Lighthouse performance (server: stock)"]),
        ({"stock__index": result(performance=95), "none__index": result(performance=60)}, []),
        ({"none__index": result(accessibility=99)}, ["Lighthouse a11y/BP/SEO (server: none)"]),
        ({"all__quizzes_q": result(total=100 * 1024 + 1)}, ["a quiz page, first visit (server: all)"]),
        ({"stock__quizzes_q": result(total=300 * 1024)}, []),
        ({"none__quizzes_q": result(total=300 * 1024 + 1)}, ["a quiz page, first visit (server: none)"]),
        ({"all__learn_daily": result(total=150 * 1024)}, ["a quiz page, first visit (server: all)"]),
        ({"all__index": result(total=150 * 1024)}, []),  # not a quiz page
        ({"stock__index": result(third_party=1)}, ["requests to other hosts (crawl + Lighthouse, every server)"]),
    ],
)
def test_budgets_differ_by_server(site, pages, expected):
    assert missed(budgets(site, measured(**pages), Crawl([]))) == expected


def test_a_missed_budget_names_the_pages(site):
    ours = measured(all__index=result(performance=93), stock__en_index=result(accessibility=98))
    found = {b.what: b for b in budgets(site, ours, Crawl([]))}
    assert found["Lighthouse performance (server: all)"].measured == "1 of 3 pages below: index.html 93"
    assert found["Lighthouse performance (server: all)"].limit == "100"
    assert found["Lighthouse performance (server: stock)"].limit == "≥ 95"
    assert "Lighthouse performance (server: none)" not in found  # reported only
    assert found["Lighthouse a11y/BP/SEO (server: stock)"].measured == "below on en/index.html a11y 98"
    assert found["a quiz page, first visit (server: all)"].measured == "80.0 KiB (quizzes/q.html; heaviest of 2)"


def test_crawl_findings_miss_budgets(site):
    ours = {"all": {"quizzes/q.html": result()}}
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
    assert missed(budgets(site, {"all": {"quizzes/q.html": result()}}, Crawl([]))) == ["quiz engine JS + CSS, gzip -9"]


def test_report_shows_each_server_with_the_peers(site):
    ours = measured(stock__quizzes_q=result(performance=96, total=250 * 1024))
    ours["all"]["learn/daily.html"] = result()  # measured on one server only: not in the side-by-side table
    peers = {c: {"Material (`index.html`)": result(total=300 * 1024)} for c in ("none", "all", "stock")}
    text = markdown(ours, peers, Crawl([]), budgets(site, ours, Crawl([])), {"audit took": "1 s"})
    for meaning in ("every text file gzip -6", "like nginx `gzip on;` without `gzip_types`", "python -m http.server"):
        assert meaning in text
    sections = [line for line in text.splitlines() if line.startswith("## Lighthouse, mobile, server:")]
    assert [line.split()[4] for line in sections] == ["all", "stock", "none"]  # in that order, whatever the input's
    assert "| quizzes/q.html | 80.0 | 250.0 | 80.0 | 100 | 96 | 100 |" in text
    assert "| *peer* Material (`index.html`) | 300.0 | 300.0 | 300.0 | 100 | 100 | 100 |" in text
    assert "| learn/daily.html |" not in text.split("## Lighthouse, mobile")[0]
    assert text.count("| *peer* Material (`index.html`) | 100 (100) |") == 3
    assert "### Server: none" not in text  # nothing below full marks
    lcp = {"category": "performance", "title": "Largest Contentful Paint", "score": 0.9, "weight": 25, "value": "2 s"}
    ours["none"]["index.html"].failing = [lcp]
    text = markdown(ours, peers, Crawl([]), [], {})
    assert (
        "### Server: none\n\n- `index.html` performance: Largest Contentful Paint (score 0.90, weight 25) 2 s" in text
    )
    assert "### Server: all" not in text


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


def test_report_says_when_the_machine_was_busy(monkeypatch):
    from audit import __main__ as audit_main

    monkeypatch.setattr(audit_main.os, "cpu_count", lambda: 2)
    assert audit_main._load([0.5, 1.0, 1.5]) == "median 1.0, max 1.5 on 2 CPUs"
    assert audit_main._load([2.5, 14.0, 19.0]).endswith(
        "(a busy machine: performance scores are lower than on a quiet one)"
    )
