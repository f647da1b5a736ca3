/* Site-wide script of the safety-site generator (every page; small):
 * - the campaign banner says how far the campaign is, from today's date on this phone;
 * - the home page marks the quizzes this phone has passed (from the quiz engine's storage);
 * - the share button uses the Web Share API, or copies the link, and says so;
 * - over http(s), a service worker keeps this language's pages for use with no network;
 * - it keeps the worker's progress for the learner pages (learn.js, DESIGN §12) from what quiz.js
 *   reports: the book of mistakes (a wrong answer goes in, two right answers in a row take it out),
 *   quizzes passed, certificates made; and the modules read and the last page, for the home page.
 *   All in localStorage under "generator-learn:", bounded: at most MAX_BOOK mistakes (the oldest
 *   go first) and an entry per module, quiz and language.  Blocked or full storage: nothing is kept;
 * - the header's reading control: text size and high contrast (DESIGN §13), kept under "generator-reading:";
 * - pictures below a page's first section are fetched as they come near the screen (images.py).
 * Written for old phones' browsers (ES2019 at most, checked by tests/unit/test_script_syntax.py).
 */
(() => {
  "use strict";
  // Older phones' browsers (DESIGN §13): replaceChildren arrived in Safari 14 and Chromium 86; quiz.js,
  // learn.js and results.js use it, and run after this script.
  if (!Element.prototype.replaceChildren) {
    Element.prototype.replaceChildren = function replaceChildren(...nodes) { this.textContent = ""; this.append(...nodes); };
  }
  const worker = document.currentScript && document.currentScript.dataset.worker;
  const language = document.currentScript && document.currentScript.dataset.workerLang;
  const visit = document.currentScript && document.currentScript.dataset.visit;
  if (worker && "serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    // One worker for every language (see sw.js); once this page has loaded, it fetches this
    // language's pages in the background, one at a time: the offline copy, which grows with the
    // site (about 4 MiB at 100 modules).  Not on a phone that asks to save data (Save-Data:
    // Android's Data Saver, "lite" modes): it still gets every page it opens, online.
    const url = new URL(worker, location.href);
    const saving = Boolean(navigator.connection && navigator.connection.saveData);
    const warm = (registration) => {
      if (registration.active && language && !saving) registration.active.postMessage({ warm: language });
    };
    const registered = () => navigator.serviceWorker.register(url, { scope: new URL(".", url).pathname })
      .then(() => navigator.serviceWorker.ready).then(warm).catch(() => { /* then online only */ });
    if (document.readyState === "complete") registered();
    else window.addEventListener("load", registered, { once: true });
  }
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const DAY = 86400000;

  // -- the worker's progress ---------------------------------------------------------------

  const LEARN = "generator-learn:";
  const MAX_BOOK = 300;
  const LEARNER_QUIZZES = ["daily", "practice", "mistakes"]; // the learner pages' own quizzes
  const keep = {
    ok: (() => { try { localStorage.setItem(`${LEARN}test`, "1"); localStorage.removeItem(`${LEARN}test`); return true; } catch (e) { return false; } })(),
    get(name, fallback) {
      try { const v = JSON.parse(localStorage.getItem(LEARN + name)); return v && typeof v === "object" ? v : fallback; } catch (e) { return fallback; }
    },
    set(name, value) { try { localStorage.setItem(LEARN + name, JSON.stringify(value)); return true; } catch (e) { return false; } },
  };
  window.generatorProgress = keep;

  document.addEventListener("quiz:checked", ({ detail: { id, fp, right } }) => {
    const book = keep.get("book", {});
    if (right) {
      if (!book[id]) return;
      book[id].streak = (book[id].streak || 0) + 1;
      if (book[id].streak >= 2) delete book[id];
    } else {
      book[id] = { fp, streak: 0, at: Date.now() };
      const keys = Object.keys(book).sort((a, b) => book[a].at - book[b].at);
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_BOOK))) delete book[old];
    }
    keep.set("book", book);
  });
  document.addEventListener("quiz:scored", ({ detail: { id, score, passed, at } }) => {
    if (!passed || LEARNER_QUIZZES.includes(id)) return;
    const passes = keep.get("passes", {});
    if (!passes[id] || score > passes[id].score) passes[id] = { score, at };
    keep.set("passes", passes);
  });
  document.addEventListener("quiz:certificate", ({ detail: { id, at } }) => {
    const certs = keep.get("certs", {});
    certs[id] = at;
    keep.set("certs", certs);
  });
  const pageLanguage = () => ((document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh");

  function visited(what) {
    const [kind, id] = what.split(":");
    if (kind === "module") {
      const opened = keep.get("opened", {});
      if (!opened[id]) { opened[id] = Date.now(); keep.set("opened", opened); }
    }
    const heading = document.querySelector("h1");
    const last = keep.get("last", {});
    last[pageLanguage()] = { href: location.href.split("#")[0], title: heading ? heading.textContent.trim() : document.title };
    keep.set("last", last);
  }

  function learnHome(box) {
    const last = keep.get("last", {})[pageLanguage()];
    if (last && last.href) {
      const line = box.querySelector("[data-learn-continue]");
      const link = line.querySelector("a");
      link.href = last.href;
      link.textContent = last.title;
      line.hidden = false;
    }
    const waiting = Object.keys(keep.get("book", {})).length;
    const line = box.querySelector("[data-learn-waiting]");
    line.querySelector("a").textContent = fill(line.dataset.text, { n: waiting });
    line.hidden = !waiting;
  }
  // Dates in the page are calendar days; compare them as local midnights.
  const day = (iso) => { const [y, m, d] = iso.split("-").map(Number); return new Date(y, m - 1, d).getTime(); };

  function banner(box) {
    const d = box.dataset;
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    const start = day(d.start);
    const end = day(d.end);
    const total = Math.round((end - start) / DAY) + 1;
    let state;
    if (today < start) state = fill(d.before, { n: Math.round((start - today) / DAY) });
    else if (today > end) state = d.after;
    else if (today === start) state = d.todayStart;
    else state = fill(d.during, { n: Math.round((today - start) / DAY) + 1, total });
    box.querySelector("[data-campaign-state]").textContent = state;
    box.dataset.state = today < start ? "before" : today > end ? "after" : "during";
  }

  function passed(mark) {
    try {
      const saved = JSON.parse(localStorage.getItem(`generator-quiz:${mark.dataset.campaignPassed}`));
      mark.hidden = !(saved && saved.version === mark.dataset.version && saved.result && saved.result.passed);
    } catch (e) { /* no storage: nothing to show */ }
  }

  async function share(button) {
    const d = button.dataset;
    const url = d.shareUrl || location.href.split("#")[0];
    const status = button.parentElement.querySelector("[data-share-status]");
    if (navigator.share) {
      try { await navigator.share({ title: d.shareTitle, url }); return; } catch (e) {
        if (e.name === "AbortError") return; // the worker closed the share sheet
      }
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch (e) {
      // No clipboard API over plain http: the old way, through a selected text field.
      const field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.append(field);
      field.select();
      try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
      field.remove();
    }
    status.replaceChildren(copied ? d.copied : d.failed);
    if (!copied) {
      const link = document.createElement("a");
      link.href = url;
      link.textContent = url;
      status.append(" ", link);
    }
  }

  // -- reading comfort (DESIGN §13) ---------------------------------------------------------
  // The head sets the choice on <html> before the first paint (theme_overrides/main.html); here the
  // header's control changes it and keeps it for every page and visit.
  const READING = "generator-reading:";
  const root = document.documentElement;
  const remember = (name, value) => { try { localStorage.setItem(READING + name, value); } catch (e) { /* this page only */ } };

  function readingState(control) {
    control.querySelectorAll("[data-text-size]").forEach((choice) => {
      choice.setAttribute("aria-pressed", String(choice.dataset.textSize === root.dataset.textSize));
    });
    const contrast = control.querySelector("[data-contrast-toggle]");
    if (contrast) contrast.setAttribute("aria-pressed", String(root.dataset.contrast === "high"));
  }

  function openReading(control, open) {
    const select = control.querySelector(".md-select");
    if (open) select.setAttribute("data-open", "");
    else select.removeAttribute("data-open");
    control.querySelector("[data-reading-open]").setAttribute("aria-expanded", String(open));
  }

  function reading(target) {
    const control = target.closest("[data-text-size-control]");
    if (!control) { // a tap anywhere else closes the list
      document.querySelectorAll("[data-text-size-control]").forEach((other) => openReading(other, false));
      return;
    }
    const size = target.closest("[data-text-size-control] [data-text-size]"); // <html> has data-text-size too
    if (target.closest("[data-reading-open]")) {
      openReading(control, !control.querySelector("[data-open]"));
    } else if (size) {
      root.setAttribute("data-text-size", size.dataset.textSize);
      remember("size", size.dataset.textSize);
    } else if (target.closest("[data-contrast-toggle]")) {
      const high = root.dataset.contrast !== "high";
      if (high) root.setAttribute("data-contrast", "high");
      else root.removeAttribute("data-contrast");
      remember("contrast", high ? "high" : "off");
    }
    document.querySelectorAll("[data-text-size-control]").forEach(readingState);
  }

  // Pictures after a page's first section (images.py: an <img> with data-src) are fetched when they come
  // within NEAR of the screen, rather than within the browser's own 1,250 px (2,500 on a slow network):
  // a phone pays for the pictures it shows.  Before printing, all of them.
  const NEAR = "150px";
  function showPicture(img) {
    const picture = img.parentElement;
    if (picture && picture.tagName === "PICTURE") {
      picture.querySelectorAll("source[data-srcset]").forEach((source) => {
        source.srcset = source.dataset.srcset;
        source.removeAttribute("data-srcset");
      });
    }
    if (img.dataset.srcset) img.srcset = img.dataset.srcset;
    img.src = img.dataset.src;
    img.removeAttribute("data-srcset");
    img.removeAttribute("data-src");
  }
  function pictures() {
    const waiting = document.querySelectorAll("img[data-src]");
    if (!waiting.length) return;
    if (!("IntersectionObserver" in window)) {
      waiting.forEach(showPicture);
      return;
    }
    const near = new IntersectionObserver((entries) => {
      entries.forEach((entry) => {
        if (!entry.isIntersecting) return;
        near.unobserve(entry.target);
        showPicture(entry.target);
      });
    }, { rootMargin: `${NEAR} 0px` });
    waiting.forEach((img) => near.observe(img));
  }
  window.addEventListener("beforeprint", () => document.querySelectorAll("img[data-src]").forEach(showPicture));

  function start() {
    pictures();
    document.querySelectorAll("[data-text-size-control]").forEach(readingState);
    document.querySelectorAll("[data-campaign]").forEach(banner);
    document.querySelectorAll("[data-campaign-passed]").forEach(passed);
    document.querySelectorAll("[data-share-box]").forEach((box) => { box.hidden = false; });
    document.querySelectorAll("[data-learn-home]").forEach(learnHome);
    if (visit) visited(visit);
  }

  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const button = event.target.closest("[data-share]");
    if (button) share(button);
    reading(event.target);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-text-size-control]").forEach((control) => {
      if (!control.querySelector("[data-open]")) return;
      openReading(control, false);
      control.querySelector("[data-reading-open]").focus();
    });
  });
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
