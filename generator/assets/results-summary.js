/* The home page's participation counter (DESIGN §11, results: public_summary: true).
 *
 * Loaded on the home page of each language only, and only on sites that publish their summary: a
 * file of its own, not more of results.js, which every page of a counting site loads (site.py,
 * SUMMARY_ASSETS).  Once per page view it asks the results service for GET api/v1/public/summary
 * and fills the hidden block [data-results-summary] with the totals and the units that took part,
 * the first TOP in view and the rest behind a disclosure.  Every text from the service goes in
 * as text (unit names come from units.yaml, through a service the page does not control).
 *
 * Anything but a good answer leaves the block hidden, silently and for this page view: opened
 * from a file, offline, the service down or slow (TIMEOUT), an error status, a body that is not
 * the summary.  No retries: the next page view asks again.  The request is made with
 * cache: "no-store", which sw.js leaves to the browser, so offline there is no copy of yesterday's
 * numbers to show.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const endpoint = script && script.dataset.endpoint;
  if (!endpoint || location.protocol === "file:") return;
  const TIMEOUT = 5000; // ms: a counter that comes later than this is not worth waiting for
  const TOP = 5; // units in view: on a 360 px phone, more would push the modules a screen down

  const lang = () => ((document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh");
  const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

  // "{attempts} so far" with each {name} from `values`; a number in bold.
  function fillInto(element, text, values) {
    for (const part of text.split(/(\{\w+\})/)) {
      const key = /^\{(\w+)\}$/.exec(part);
      if (key && key[1] in values) element.append(values[key[1]]);
      else if (part) element.append(part);
    }
  }

  function format(texts) {
    const language = lang();
    const numbers = window.Intl ? new Intl.NumberFormat(language === "en" ? "en" : "zh-CN") : null;
    const plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language) : null;
    // A phrase with its number in bold: {"one": "{n} person", "other": "{n} people"}.
    return (forms, n) => {
      const text = forms[plurals ? plurals.select(n) : "other"] || forms.other;
      const strong = document.createElement("strong");
      strong.textContent = numbers ? numbers.format(n) : String(n);
      const phrase = document.createDocumentFragment();
      fillInto(phrase, text, { n: strong });
      return phrase;
    };
  }

  // The units that took part, as the service ranks them (most people first); equals share a rank.
  function ranked(units) {
    const name = (unit) => {
      const names = unit && unit.name;
      const text = names && (names[lang()] || names.zh);
      return typeof text === "string" && text.trim() ? text : null;
    };
    const list = units
      .filter((unit) => unit && isCount(unit.participants) && unit.participants > 0 && name(unit))
      .map((unit) => ({ name: name(unit), people: unit.participants, attempts: isCount(unit.attempts) ? unit.attempts : 0 }))
      .sort((a, b) => b.people - a.people || b.attempts - a.attempts);
    list.forEach((unit, i) => { unit.rank = i && unit.people === list[i - 1].people ? list[i - 1].rank : i + 1; });
    return list;
  }

  function row(unit, phrase, people) {
    const item = document.createElement("li");
    item.value = unit.rank;
    const line = document.createElement("span");
    line.className = "results-summary__unit";
    const name = document.createElement("span");
    name.className = "results-summary__name";
    name.textContent = unit.name;
    const count = document.createElement("span");
    count.className = "results-summary__count";
    count.append(phrase(people, unit.people));
    line.append(name, " ", count);
    item.append(line);
    return item;
  }

  function show(box, data, texts) {
    const phrase = format(texts);
    const total = box.querySelector("[data-results-summary-total]");
    fillInto(total, texts.total, {
      attempts: phrase(texts.attempts, data.attempts),
      people: phrase(texts.people, data.participants),
    });
    const units = ranked(data.units);
    const top = box.querySelector("[data-results-summary-top]");
    top.append(...units.slice(0, TOP).map((unit) => row(unit, phrase, texts.people)));
    box.querySelector("[data-results-summary-units]").hidden = !units.length;
    top.hidden = !units.length;
    const rest = units.slice(TOP);
    if (rest.length) {
      const more = box.querySelector("[data-results-summary-more]");
      const label = document.createElement("span"); // one flex item: the words keep their spaces
      label.append(phrase(texts.more, rest.length));
      more.querySelector("summary").append(label);
      more.querySelector("[data-results-summary-rest]").append(...rest.map((unit) => row(unit, phrase, texts.people)));
      more.hidden = false;
    }
    box.hidden = false;
  }

  async function load(box) {
    let texts;
    try { texts = JSON.parse(box.querySelector("[data-results-summary-text]").textContent); } catch (e) { return; }
    if (navigator.onLine === false) return; // no request at all: it could only fail
    const controller = window.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT) : 0;
    let data;
    try {
      const response = await fetch(new URL("api/v1/public/summary", new URL(endpoint, location.href)), {
        credentials: "omit",
        cache: "no-store",
        signal: controller ? controller.signal : undefined,
      });
      if (response.status !== 200) return;
      data = await response.json();
    } catch (e) {
      return; // offline, refused, timed out or not JSON: the block stays hidden
    } finally {
      clearTimeout(timer);
    }
    if (!data || !isCount(data.attempts) || !isCount(data.participants) || !Array.isArray(data.units)) return;
    if (!data.attempts) return; // "0 attempts so far" tells a worker nothing
    show(box, data, texts);
  }

  function start() {
    const box = document.querySelector("[data-results-summary]:not([data-results-summary-ready])");
    if (!box) return;
    box.dataset.resultsSummaryReady = "";
    load(box).catch(() => { /* a page that changed under us: leave the block hidden */ });
  }

  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
