"""The staff pages' charts (generator/results/static/admin.js with the vendored ECharts): the tables of the
chart contract, served with the staff pages' CSP, become SVG charts at phone and desktop width, in print
and with hostile text, and the tables stay.

The page is a fixture written here, not the service's own: the service renders the same markup (the contract
in admin.js's header), and this way the charts are tested without a database, logins or a built site.
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading
from pathlib import Path

import pytest

from generator.results import __file__ as results_init

from .conftest import _context

STATIC = Path(results_init).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
A4_WIDTH = 210 / 25.4 * 96  # CSS px: no printed chart may be wider than the sheet
HOSTILE = "<img src=x onerror=alert(1)>"

DAYS = [(f"06-{d:02d}", 10 + d * 7 % 23, 8 + d * 5 % 17) for d in range(1, 15)]
DAYS[5] = ("06-06", 1234, None)  # a thousand separator, and a day without a participants count
UNITS = [
    ("县应急管理局", "County Emergency Management Bureau", 1234),
    ("县人民医院急诊科与院前急救指挥调度中心", "County People's Hospital, Emergency and Pre-hospital Care Centre", 987),
    (HOSTILE, "<b>bold?</b>", 456),
    ("城关镇人民政府", "Chengguan Town Government", 321),
    ("县第一中学", "County No. 1 Middle School", 210),
    ("县自来水公司", "", 0),
    ("县公安局交通警察大队", "County Traffic Police Brigade", None),
]
RATES = [
    (name, en, rate, part)
    for (name, en, _), rate, part in zip(UNITS[:5], (0.456, 0.9, 1, 0.123, 0), (0.5, 1, 0.8, 0.33, None), strict=True)
]
BINS = ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100"]
SCORES = [0, 1, 0, 3, 5, 9, 24, 48, 61, 37]


def _th(zh: str, en: str = "", scope: str = "col") -> str:
    span = f'<span class="en">{html.escape(en)}</span>' if en else ""
    return f'<th scope="{scope}">{html.escape(zh)}{span}</th>'


def _td(value) -> str:
    if value is None:
        return '<td data-value=""></td>'
    return f'<td data-value="{value}">{value}</td>'


def _figure(kind: str, caption: tuple[str, str], columns: list[tuple[str, str]], rows, percent=False) -> str:
    head = "".join(_th(zh, en) for zh, en in columns)
    body = "".join(f"<tr>{_th(*row[0], scope='row')}{''.join(_td(v) for v in row[1:])}</tr>\n" for row in rows)
    flag = " data-chart-percent" if percent else ""
    return (
        f'<figure class="chart" data-chart="{kind}"{flag}>\n<figcaption>{html.escape(caption[0])}'
        f'<span class="en">{html.escape(caption[1])}</span></figcaption>\n'
        f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table></div>\n'
        "</figure>"
    )


FIGURES = [
    _figure(
        "line",
        ("每日答卷数", "Attempts per day"),
        [("日期", "Date"), ("答卷数", "Attempts"), ("参与人数", "Participants")],
        [((day, ""), a, p) for day, a, p in DAYS],
    ),
    _figure(
        "bar",
        ("各单位参与人数", "Participants by unit"),
        [("单位", "Unit"), ("参与人数", "Participants")],
        [((zh, en), n) for zh, en, n in UNITS],
    ),
    _figure(
        "bar",
        ("各单位通过率与参与率", "Pass rate and participation by unit"),
        [("单位", "Unit"), ("通过率", "Pass rate"), ("参与率", f"Participation {HOSTILE}")],
        [((zh, en), rate, part) for zh, en, rate, part in RATES],
        percent=True,
    ),
    _figure(
        "column",
        ("分数分布", "Scores"),
        [("分数", "Score"), ("答卷数", "Attempts")],
        [((b, ""), n) for b, n in zip(BINS, SCORES, strict=True)],
    ),
]
# A copy of the staff pages' own CSS (generator/results/templates/base.html) for what lays out a figure.
STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; color: #111; }
.en { display: block; color: #444; font-weight: normal; font-size: .9em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
"""


def _page(scripts: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>图表 · Charts</title>
<style>{STYLE}</style>
{scripts}
</head><body><main><h1>图表<span class="en">Charts</span></h1>
{chr(10).join(FIGURES)}
</main></body></html>
"""


SCRIPTS = (
    '<script src="/admin/static/echarts/echarts.min.js" defer></script>'
    '<script src="/admin/static/admin.js" defer></script>'
)


class _CSPHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def charts_url(tmp_path_factory):
    """http://127.0.0.1:<port>/admin/ with charts.html (the contract's figures), nocharts.html (the same
    without ECharts, as when it failed to load) and static/ (the package's), every answer with the CSP."""
    root = tmp_path_factory.mktemp("charts")
    admin = root / "admin"
    admin.mkdir()
    (admin / "static").symlink_to(STATIC, target_is_directory=True)
    (admin / "charts.html").write_text(_page(SCRIPTS), encoding="utf-8")
    (admin / "nocharts.html").write_text(_page('<script src="/admin/static/admin.js" defer></script>'), "utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CSPHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/admin/"
    server.shutdown()
    server.server_close()


WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
READY = "() => [...document.querySelectorAll('figure.chart')].every(f => f.querySelector('.chart-view svg'))"


@pytest.fixture
def open_charts(browser, charts_url):
    """Opens a chart page at a size; at the end: no console error, failed request, CSP violation or dialog."""
    opened = []

    def open_(viewport=PHONE, name="charts.html", **options):
        if viewport != PHONE:
            options = {"is_mobile": False, "has_touch": False, "device_scale_factor": 1, **options}
        context, watch = _context(browser, charts_url, viewport=viewport, **options)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        opened.append((context, watch, page, dialogs))
        page.goto(charts_url + name)
        if name == "charts.html":
            page.wait_for_function(READY)
        return page

    yield open_
    for context, watch, page, dialogs in opened:
        violations = page.evaluate("window.__csp")
        context.close()
        assert watch.errors == []
        assert violations == []
        assert dialogs == []


def table_data(page) -> list[dict]:
    """Per figure, what the table says: its kind, series names and values (None where empty)."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
        const text = (cell) => {
            const en = cell.querySelector('.en');
            const zh = [...cell.childNodes].filter(n => n !== en).map(n => n.textContent).join('');
            return [zh, en ? en.textContent : ''].join(' ').replace(/\\s+/g, ' ').trim();
        };
        const heads = [...f.querySelectorAll('thead th')].slice(1);
        const rows = [...f.querySelectorAll('tbody tr')];
        return {kind: f.dataset.chart, names: heads.map(text),
                values: heads.map((_, i) => rows.map(r => {
                    const v = r.cells[i + 1].getAttribute('data-value');
                    return v === null || v === '' ? null : Number(v); }))};
    })""")


def chart_data(page) -> list[dict]:
    """Per figure, what its ECharts instance was given."""
    return page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
        const option = echarts.getInstanceByDom(f.querySelector('.chart-view')).getOption();
        return {types: option.series.map(s => s.type), names: option.series.map(s => s.name),
                values: option.series.map(s => s.data), inverse: option.yAxis[0].inverse || false,
                yType: option.yAxis[0].type, animation: option.animation};
    })""")


def widths(page) -> dict:
    return page.evaluate("""() => ({
        page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
        charts: [...document.querySelectorAll('.chart-view')].map(v => {
            const svg = v.querySelector('svg');
            return {view: v.getBoundingClientRect().width, svg: svg.getBoundingClientRect().width,
                    right: svg.getBoundingClientRect().right};
        }),
    })""")


def shown_in_order(page, figure: int, axis: str, names: list[str]) -> list[str]:
    """The names (or their starts, cut with "…") among a chart's texts, left to right or top down."""
    texts = page.locator(".chart-view").nth(figure).locator("svg text")
    placed = []
    for i in range(texts.count()):
        text, box = texts.nth(i).text_content(), texts.nth(i).bounding_box()
        name = next((n for n in names if n == text or (text.endswith("…") and n.startswith(text[:-1]))), None)
        if name is not None:
            placed.append((box[axis], name))
    return [name for _, name in sorted(placed)]


def hover(page, figure: int, series: int, row: int) -> str:
    """Moves the mouse onto a bar or point and returns the tooltip's text (as shown, not as markup)."""
    page.locator(".chart-view").nth(figure).scroll_into_view_if_needed()
    box = page.evaluate(
        """([figure, series, row]) => {
            const view = document.querySelectorAll('.chart-view')[figure];
            const chart = echarts.getInstanceByDom(view);
            const option = chart.getOption();
            const value = option.series[series].data[row];
            const horizontal = option.yAxis[0].type === 'category';
            const point = chart.convertToPixel({seriesIndex: series},
                horizontal ? [value / 2, row] : [row, value / 2]);
            const r = view.getBoundingClientRect();
            return {x: r.left + point[0], y: r.top + point[1]};
        }""",
        [figure, series, row],
    )
    page.mouse.move(box["x"], box["y"])
    tip = page.locator(".chart-view").nth(figure).locator("div", has_text=re.compile("：")).last
    tip.wait_for(state="visible")
    return tip.inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_every_table_becomes_an_svg_chart_of_its_numbers(open_charts, viewport):
    """Each figure gets an SVG chart whose series are the table's columns: names "zh en", the data-values."""
    page = open_charts(viewport)
    tables, charts = table_data(page), chart_data(page)
    assert [t["kind"] for t in tables] == ["line", "bar", "bar", "column"]
    for table, chart in zip(tables, charts, strict=True):
        assert chart["names"] == table["names"]
        assert chart["values"] == table["values"]
        assert set(chart["types"]) == {"line" if table["kind"] == "line" else "bar"}
        # Horizontal bars, first row on top; columns and lines stand on a category x axis.
        assert (chart["yType"], chart["inverse"]) == (
            ("category", True) if table["kind"] == "bar" else ("value", False)
        )
    assert charts[0]["names"] == ["答卷数 Attempts", "参与人数 Participants"]
    # Categories in the table's order: dates left to right (every date when there is room), units top down.
    dates = [day for day, _, _ in DAYS]
    shown = shown_in_order(page, 0, "x", dates)
    assert shown == [d for d in dates if d in shown] and len(shown) >= (14 if viewport == DESKTOP else 4)
    units = shown_in_order(page, 1, "y", [zh for zh, _, _ in UNITS])
    assert len(units) == len(UNITS) and units == sorted(units, key=[zh for zh, _, _ in UNITS].index)
    bins = shown_in_order(page, 3, "x", BINS)
    assert (
        bins[0] == "0–9" and bins == [b for b in BINS if b in bins] and len(bins) >= (10 if viewport == DESKTOP else 3)
    )
    assert page.locator(".chart-view canvas").count() == 0
    assert page.locator(".chart-view svg").count() == 4
    texts = page.locator(".chart-view").nth(1).locator("svg text").all_text_contents()
    assert "县应急管理局" in texts and "1,234" in texts


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_charts_fit_the_page_and_screenshots(open_charts, viewport):
    """The charts are as wide as their figure and the page does not scroll sideways; screenshots to look at."""
    page = open_charts(viewport, reduced_motion="reduce")
    seen = widths(page)
    assert seen["page"] <= seen["viewport"]
    for chart in seen["charts"]:
        assert abs(chart["svg"] - chart["view"]) <= 1
        assert chart["right"] <= seen["viewport"]
    bar_heights = page.evaluate("[...document.querySelectorAll('.chart-view')].map(v => v.offsetHeight)")
    assert bar_heights[1] >= 7 * 30 and bar_heights[2] >= 5 * 2 * 20, "a ranking grows with its rows and series"
    page.screenshot(path=f"/tmp/charts-{viewport['width']}.png", full_page=True)


def test_charts_follow_their_container(open_charts):
    """From desktop to phone width and back, each chart is redrawn at its figure's width."""
    page = open_charts(DESKTOP)
    wide = widths(page)["charts"][0]["svg"]
    fitted = (
        "() => [...document.querySelectorAll('.chart-view')].every(v =>"
        " Math.abs(v.querySelector('svg').getBoundingClientRect().width - v.clientWidth) <= 1)"
    )
    page.set_viewport_size(PHONE)
    page.wait_for_function(fitted)
    seen = widths(page)
    assert seen["page"] <= seen["viewport"] and seen["charts"][0]["svg"] < wide
    page.set_viewport_size(DESKTOP)
    page.wait_for_function(fitted)
    assert widths(page)["charts"][0]["svg"] == wide


def test_phone_fonts_are_readable(open_charts):
    """No text in a chart is smaller than 12 px at phone width."""
    page = open_charts(PHONE)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.chart-view svg text')]
        .map(t => parseFloat(getComputedStyle(t).fontSize))""")
    assert sizes and min(sizes) >= 12


def test_print_fits_a4_portrait(open_charts):
    """Print media plus beforeprint: every chart within an A4 sheet's width and not animated; afterprint: back."""
    page = open_charts(DESKTOP)
    before = widths(page)["charts"]
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    printed = widths(page)["charts"]
    assert all(c["svg"] <= A4_WIDTH - 2 * 10 / 25.4 * 96 for c in printed), printed  # 1 cm margins at least
    assert all(c["svg"] <= c["view"] + 1 for c in printed)
    assert not any(c["animation"] for c in chart_data(page))
    page.emulate_media(media="screen")
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert [round(c["svg"]) for c in widths(page)["charts"]] == [round(c["svg"]) for c in before]


def test_a_real_print_takes_the_printed_width(open_charts, tmp_path):
    """Printing to an A4 PDF: when the print layout comes, the charts are as wide as their printed figures."""
    page = open_charts(DESKTOP)
    page.evaluate("""() => { window.__printed = [];
        matchMedia('print').addEventListener('change', (e) => e.matches && window.__printed.push(
            [...document.querySelectorAll('.chart-view')].map(v =>
                [v.querySelector('svg').getBoundingClientRect().width, v.clientWidth]))); }""")
    page.pdf(
        path=tmp_path / "charts.pdf", format="A4", margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"}
    )
    printed = page.evaluate("window.__printed")
    assert printed, "the print media query changed during the print"
    for svg, view in printed[0]:
        assert svg <= view + 1 and view <= A4_WIDTH - 2 * 10 / 25.4 * 96


def test_no_animation_when_motion_is_reduced(open_charts):
    """prefers-reduced-motion: reduce turns ECharts' animation off; otherwise it is on."""
    assert not any(c["animation"] for c in chart_data(open_charts(PHONE, reduced_motion="reduce")))
    assert all(c["animation"] for c in chart_data(open_charts(PHONE, reduced_motion="no-preference")))


def test_tables_stay_for_screen_readers(open_charts):
    """Each chart is an image named from its caption, and every table stays in the accessibility tree."""
    page = open_charts(PHONE)
    assert page.get_by_role("table").count() == 4
    assert page.get_by_role("cell", name="1234", exact=True).count() == 2  # a day and a unit
    images = page.get_by_role("img")
    assert images.count() == 4
    label = images.first.get_attribute("aria-label")
    assert "每日答卷数" in label and "Attempts per day" in label
    # The chart comes before the table's wrapper, inside the figure.
    order = page.evaluate("[...document.querySelector('figure.chart').children].map(e => e.className || e.tagName)")
    assert order == ["FIGCAPTION", "chart-view", "scroll"]


def test_hostile_names_are_text_and_numbers_are_formatted(open_charts):
    """A unit named <img src=x onerror=alert(1)> is shown as text on the axis and in the tooltip; nothing runs;
    the tooltip shows 1,234 and 45.6% and stays inside a 360-px page."""
    page = open_charts(PHONE, reduced_motion="reduce")
    tip = hover(page, 1, 0, 2)
    assert HOSTILE in tip and "<b>bold?</b>" in tip and "456" in tip
    assert page.locator("figure img, figure b").count() == 0
    assert any(t.startswith("<img") for t in page.locator(".chart-view").nth(1).locator("svg text").all_text_contents())
    assert widths(page)["page"] <= PHONE["width"]
    tip = hover(page, 1, 0, 0)
    assert "县应急管理局" in tip and "1,234" in tip
    tip = hover(page, 2, 0, 0)
    assert "45.6%" in tip and "50%" in tip and f"Participation {HOSTILE}" in tip
    assert page.locator("figure img, figure b").count() == 0
    tip = hover(page, 0, 0, 5)
    assert "06-06" in tip and "1,234" in tip and "参与人数 Participants：–" in tip
    assert widths(page)["page"] <= PHONE["width"]


def test_without_echarts_the_tables_remain(open_charts):
    """When ECharts did not load, admin.js does nothing: no chart, no error, the tables as they were."""
    page = open_charts(PHONE, name="nocharts.html")
    page.wait_for_load_state("load")
    assert page.locator(".chart-view").count() == 0
    assert page.locator("figure.chart table").count() == 4
    assert page.evaluate("typeof window.AdminCharts") == "undefined"


def test_init_twice_draws_once(open_charts):
    """AdminCharts.init() again leaves one chart a figure."""
    page = open_charts(PHONE)
    page.evaluate("AdminCharts.init(); AdminCharts.init(document)")
    assert page.locator(".chart-view").count() == 4
    assert page.locator("figure.chart[data-chart-ready]").count() == 4
