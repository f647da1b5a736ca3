/* Charts for the staff pages under /admin/ (DESIGN §11, issue 15): tables the server renders, drawn again
   as charts by Apache ECharts (static/echarts/, vendored by `make vendor-echarts`).  Progressive
   enhancement: the table stays in the page for screen readers and exact numbers (the page's CSS decides
   whether it is shown), and without ECharts (blocked, failed to load, old browser) nothing happens.

   <figure class="chart" data-chart="line|bar|column" [data-chart-percent]>
     <figcaption>每日答卷数<span class="en">Attempts per day</span></figcaption>
     <div class="scroll"><table>
       <thead><tr><th scope="col">日期<span class="en">Date</span></th><th scope="col">答卷数<span class="en">Attempts</span></th>…</tr></thead>
       <tbody><tr><th scope="row">06-01</th><td data-value="12">12</td>…</tr>…</tbody>
     </table></div>
   </figure>

   line    categories = the row headers in order (dates); one line a numeric column
   bar     horizontal bars, first row at the top (rankings of units with long names); one series a column
   column  vertical bars (a score histogram: rows 0–9, 10–19 … 90–100)
   data-value: a number; empty or missing = no value.  data-chart-percent: fractions 0–1, shown as 45.6%.
   A header's text is "zh en": its text outside .en, then the .en span's.

   Each figure gets <div class="chart-view" role="img" aria-label="…"> before the table's wrapper; the
   figure is marked data-chart-ready and fires "chart:drawn" (detail: {chart}) once drawn.
   window.AdminCharts.init(root) draws the figures under root not yet drawn (safe to run twice).

   Under the pages' CSP (script-src 'self'; style-src 'self' 'unsafe-inline'): no inline script and no
   eval, here or in the vendored build (echarts.common.min.js has no `new Function`; the full build has one,
   for GeoJSON maps); styles are set from script only, which Chromium allows even without 'unsafe-inline'. */
(() => {
  "use strict";

  const echarts = window.echarts;
  if (!echarts || typeof echarts.init !== "function") return; // the tables remain

  // Contrast of at least 4.5:1 on white for every series colour (so also for text in them);
  // series differ by shape as well: line symbols and dashes, and decal patterns on bars.
  const COLOURS = ["#1a4d8f", "#b34700", "#2b7a3d", "#6b3fa0", "#4d4d4d"];
  const SYMBOLS = ["circle", "rect", "triangle", "diamond", "roundRect"];
  const GLYPHS = ["●", "■", "▲", "◆", "▪"]; // the symbols above, in the tooltip's text
  const DASHES = ["solid", "dashed", "dotted", "solid", "dashed"];
  const TEXT = "#222";
  const AXIS = "#767676";
  const SPLIT = "#d9d9d9";
  const LINE_HEIGHT = 320; // px: line and column charts
  const BAR_TOP = 8; // px above the first bar (plus the legend's rows when there is a legend)
  const BAR_BOTTOM = 36; // px for the value axis' labels
  // A4 portrait less 2 cm margins each side, at 96 CSS px to the inch: the widest a printed chart may be,
  // until the print layout gives its real width (the "print" media query's change, see printChanged()).
  const PRINT_WIDTH = Math.round(((210 - 40) / 25.4) * 96);

  const numberFormat = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 1 });
  const percentFormat = new Intl.NumberFormat("zh-CN", { style: "percent", maximumFractionDigits: 1 });
  const percentAxisFormat = new Intl.NumberFormat("zh-CN", { style: "percent", maximumFractionDigits: 0 });

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const printMedia = window.matchMedia("print");
  let printing = printMedia.matches;

  const drawn = []; // {figure, view, kind, data, label, percent, fontFamily, chart, width, height, printing}

  const squash = (text) => text.replace(/\s+/g, " ").trim();

  const escapeHtml = (text) =>
    String(text).replace(
      /[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
    );

  /** A header cell's two texts: {zh, en, full}; zh is everything outside .en (empty if none). */
  function headerText(cell) {
    let zh = "";
    let en = "";
    for (const node of cell ? cell.childNodes : []) {
      if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("en")) en += " " + node.textContent;
      else zh += node.textContent;
    }
    zh = squash(zh);
    en = squash(en);
    return { zh: zh || en, en: zh ? en : "", full: squash(`${zh} ${en}`) };
  }

  function valueOf(cell) {
    const raw = cell ? cell.getAttribute("data-value") : null;
    if (raw === null || raw.trim() === "") return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }

  /** The table as {caption, categories, series: [{name, values}]}, or null when there is nothing to draw. */
  function readTable(figure, table) {
    const headers = Array.from(table.querySelectorAll("thead th"));
    const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
    if (headers.length < 2 || rows.length === 0) return null;
    const caption = headerText(figure.querySelector("figcaption"));
    const categories = rows.map((row) => headerText(row.cells[0]));
    const series = headers.slice(1).map((header, i) => ({
      name: headerText(header).full,
      values: rows.map((row) => valueOf(row.cells[i + 1])),
    }));
    return { caption, categories, series };
  }

  function formatter(percent) {
    return (value) => {
      if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
      return (percent ? percentFormat : numberFormat).format(value);
    };
  }

  let measureContext = null;
  function textWidth(text, fontSize, fontFamily) {
    if (!measureContext) measureContext = document.createElement("canvas").getContext("2d");
    if (!measureContext) return text.length * fontSize; // no canvas: a CJK character's width, the widest
    measureContext.font = `${fontSize}px ${fontFamily}`;
    return measureContext.measureText(text).width;
  }

  const legendTextWidth = (width) => width - 50; // longer names are cut short with "…"

  /** Rows the legend takes, laid out as ECharts' plain legend does (items wrap at the chart's width). */
  function legendRows(names, width, fontSize, fontFamily) {
    const available = width - 10; // the legend's padding
    let rows = 1;
    let x = 0;
    for (const name of names) {
      const item = 25 + 5 + Math.min(textWidth(name, fontSize, fontFamily), legendTextWidth(width)); // icon, gap, text
      if (x > 0 && x + item > available) {
        rows += 1;
        x = 0;
      }
      x += item + 10; // itemGap
    }
    return rows;
  }

  /** The font size and the legend's height (0 for one series) at this width. */
  function metrics(entry, width) {
    const fontSize = width >= 600 ? 14 : 13;
    const names = entry.data.series.map((s) => s.name);
    const legendHeight = names.length > 1 ? legendRows(names, width, fontSize, entry.fontFamily) * (fontSize + 12) : 0;
    return { fontSize, legendHeight };
  }

  function option(entry, width) {
    const { kind, data, percent, fontFamily } = entry;
    const { fontSize, legendHeight } = metrics(entry, width);
    const format = formatter(percent);
    const allValues = data.series.flatMap((s) => s.values).filter((v) => v !== null);
    const whole = allValues.every((v) => Number.isInteger(v));
    const many = data.series.length > 1;
    const animate = !reducedMotion.matches && !printing;
    const fractions = percent && allValues.every((v) => v <= 1);
    // The value axis, `length` px long: a tick about every 64 px; for fractions 0, 50, 100% or quarters or fifths.
    const valueAxis = (length) => ({
      type: "value",
      min: allValues.some((v) => v < 0) ? null : 0,
      max: fractions ? 1 : null,
      interval: fractions ? (length < 160 ? 0.5 : length < 320 ? 0.25 : 0.2) : null,
      minInterval: whole && !percent ? 1 : null,
      splitNumber: Math.min(Math.max(Math.floor(length / 64), 1), 5),
      axisLabel: {
        color: TEXT,
        fontSize,
        hideOverlap: true,
        formatter: (value) => (percent ? percentAxisFormat : numberFormat).format(value),
      },
      axisLine: { show: true, lineStyle: { color: AXIS } },
      splitLine: { lineStyle: { color: SPLIT } },
    });
    const categoryAxis = {
      type: "category",
      // Indices, not the names: two rows may have the same name, and the name is only ever text.
      data: data.categories.map((_, i) => String(i)),
      axisLabel: { color: TEXT, fontSize, formatter: (_, i) => data.categories[i].zh },
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { lineStyle: { color: AXIS } },
    };
    // Bar series, each bar with its value beside it (`position`): readable without a tooltip, and on paper.
    const bars = (position, barMaxWidth) =>
      data.series.map((s) => ({
        type: "bar",
        name: s.name,
        data: s.values,
        barMaxWidth,
        label: { show: true, position, color: TEXT, fontSize, formatter: (p) => format(p.value) },
        labelLayout: { hideOverlap: true },
      }));
    const base = {
      animation: animate,
      animationDuration: 400,
      color: COLOURS,
      textStyle: { fontFamily, fontSize, color: TEXT },
      aria: {
        enabled: true,
        // Our own description: ECharts' would read the raw fractions (0.456) of a percent chart, and the
        // table after the chart holds every number in full.
        label: { description: entry.label },
        decal: { show: many && kind !== "line" },
      },
      legend: {
        show: many,
        top: 0,
        left: 0,
        itemGap: 10,
        textStyle: { color: TEXT, fontSize, width: legendTextWidth(width), overflow: "truncate", ellipsis: "…" },
        data: data.series.map((s) => s.name),
      },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: kind === "line" ? "line" : "shadow" },
        confine: true, // inside the chart, so never wider than the page at 360 px
        backgroundColor: "#fff",
        borderColor: "#555",
        textStyle: { color: "#111", fontSize: 14 },
        extraCssText: `white-space: normal; overflow-wrap: anywhere; max-width: ${Math.min(width - 16, 320)}px;`,
        // Every text from the page is escaped: ECharts puts the formatter's string in as HTML.
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          if (!list.length) return "";
          const category = data.categories[list[0].dataIndex];
          const head =
            `<strong>${escapeHtml(category.zh)}</strong>` + (category.en ? `<br>${escapeHtml(category.en)}` : "");
          const lines = list.map((p) => {
            const glyph = kind === "line" ? `${GLYPHS[p.seriesIndex % GLYPHS.length]} ` : "";
            const value = data.series[p.seriesIndex].values[p.dataIndex];
            return `${glyph}${escapeHtml(p.seriesName)}：<strong>${escapeHtml(format(value))}</strong>`;
          });
          return `${head}<br>${lines.join("<br>")}`;
        },
      },
    };

    if (kind === "bar") {
      const labelWidth = Math.round(Math.min(Math.max(width * 0.36, 72), 240));
      const longestValue = Math.max(...allValues.map((v) => textWidth(format(v), fontSize, fontFamily)), 0);
      const right = Math.ceil(longestValue) + 14; // room for the value beside the longest bar
      return {
        ...base,
        grid: { top: BAR_TOP + legendHeight, bottom: BAR_BOTTOM, left: 4, right },
        xAxis: valueAxis(width - labelWidth - right - 16),
        yAxis: {
          ...categoryAxis,
          inverse: true, // the first row at the top, as in the table
          axisLabel: {
            ...categoryAxis.axisLabel,
            interval: 0,
            width: labelWidth,
            overflow: "truncate", // the full name is in the tooltip and the table
            ellipsis: "…",
          },
        },
        series: bars("right", 28),
      };
    }
    const top = legendHeight + 16;
    if (kind === "column") {
      return {
        ...base,
        grid: { top: top + fontSize, bottom: 8, left: 4, right: 8 },
        xAxis: categoryAxis,
        yAxis: valueAxis(LINE_HEIGHT - top - 40),
        series: bars("top", 48),
      };
    }
    return {
      ...base,
      grid: { top, bottom: 8, left: 4, right: 16 },
      xAxis: { ...categoryAxis, boundaryGap: false },
      yAxis: valueAxis(LINE_HEIGHT - top - 40),
      series: data.series.map((s, i) => ({
        type: "line",
        name: s.name,
        data: s.values,
        symbol: SYMBOLS[i % SYMBOLS.length],
        symbolSize: 8,
        lineStyle: { width: 2.5, type: DASHES[i % DASHES.length] },
        connectNulls: false,
      })),
    };
  }

  function size(entry) {
    let width = Math.max(entry.view.clientWidth, 120);
    if (printing) width = Math.min(width, PRINT_WIDTH);
    let height = LINE_HEIGHT;
    if (entry.kind === "bar") {
      const rows = entry.data.categories.length;
      const perRow = Math.max(34, entry.data.series.length * 22 + 14);
      height = BAR_TOP + metrics(entry, width).legendHeight + rows * perRow + BAR_BOTTOM;
    }
    return { width, height };
  }

  /** Draws the chart, or lays it out again for its container's width (and the printed page's) at once. */
  function fit(entry) {
    const { width, height } = size(entry);
    if (width === entry.width && height === entry.height && printing === entry.printing) return;
    Object.assign(entry, { width, height, printing });
    entry.view.style.height = `${height}px`;
    if (!entry.chart) {
      entry.chart = echarts.init(entry.view, null, { renderer: "svg", locale: "ZH", width, height });
      entry.chart.setOption(option(entry, width)); // animated, unless motion is reduced
    } else {
      entry.chart.setOption(option(entry, width), { lazyUpdate: true });
      entry.chart.resize({ width, height, animation: { duration: 0 } });
      entry.chart.getZr().flush(); // drawn now: a print takes the page as it is when this returns
    }
    hideInside(entry.view);
  }

  // The chart is one image, named by its aria-label: its axis texts and the tooltip are not read out
  // one by one (Chrome keeps an image's children in the accessibility tree); the table has the numbers.
  function hideInside(view) {
    for (const child of view.children) child.setAttribute("aria-hidden", "true");
  }

  let scheduled = false;
  function scheduleFit() {
    // After the frame, not inside ResizeObserver's callback: changing the chart's height there would be
    // a "ResizeObserver loop" error.
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(() => {
      scheduled = false;
      drawn.forEach(fit);
    });
  }

  function printChanged(now) {
    printing = now;
    for (const entry of drawn) {
      if (printing) entry.chart.dispatchAction({ type: "hideTip" }); // not on paper
      fit(entry); // again on the media query's change after beforeprint: the layout is now the printed one
    }
  }

  function draw(figure) {
    const kind = figure.getAttribute("data-chart");
    const table = figure.querySelector("table");
    if (!["line", "bar", "column"].includes(kind) || !table) return null;
    const data = readTable(figure, table);
    if (!data) return null;

    let wrapper = table;
    while (wrapper.parentElement && wrapper.parentElement !== figure) wrapper = wrapper.parentElement;
    const view = document.createElement("div");
    view.className = "chart-view";
    view.setAttribute("role", "img");
    const label = data.caption.en
      ? `图表：${data.caption.zh}（数据见下表） Chart: ${data.caption.en} (the numbers are in the table below)`
      : `图表：${data.caption.zh}（数据见下表）`;
    view.setAttribute("aria-label", label);
    // The tooltip stays inside the chart (tooltip.confine); clipping as well, because Chromium counted a
    // tooltip moved by its transform into the page's width once (a sideways scroll at 360 px).
    view.style.overflow = "hidden";
    view.style.breakInside = "avoid"; // a printed chart is not cut across two sheets
    figure.insertBefore(view, wrapper.parentElement === figure ? wrapper : figure.firstChild);

    const entry = {
      figure,
      view,
      kind,
      data,
      label,
      percent: figure.hasAttribute("data-chart-percent"),
      fontFamily: window.getComputedStyle(figure).fontFamily || "sans-serif",
    };
    try {
      fit(entry);
    } catch (error) {
      // Whatever ECharts did not like, the table is still there: a warning for the developer, not a broken page.
      if (entry.chart) entry.chart.dispose();
      view.remove();
      console.warn("admin.js: chart not drawn", figure, error);
      return null;
    }
    return entry;
  }

  let observer = null;

  function init(root = document) {
    for (const figure of root.querySelectorAll("figure.chart[data-chart]:not([data-chart-ready])")) {
      figure.setAttribute("data-chart-ready", "");
      const entry = draw(figure);
      if (!entry) continue;
      drawn.push(entry);
      if (observer) observer.observe(entry.view);
      figure.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true, detail: { chart: entry.chart } }));
    }
  }

  if ("ResizeObserver" in window) observer = new ResizeObserver(scheduleFit);
  else window.addEventListener("resize", scheduleFit);
  // beforeprint comes while the page still has its screen layout: the charts shrink to A4's width
  // at most; the "print" media query's change comes with the print layout, where the charts take
  // the printed width of their containers.
  window.addEventListener("beforeprint", () => printChanged(true));
  window.addEventListener("afterprint", () => printChanged(false));
  printMedia.addEventListener("change", (event) => printChanged(event.matches));
  reducedMotion.addEventListener("change", () => {
    drawn.forEach((entry) => entry.chart.setOption({ animation: !reducedMotion.matches && !printing }));
  });

  window.AdminCharts = { init };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => init());
  else init();
})();
