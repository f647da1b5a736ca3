/* Site-wide script of the safety-site generator (every page; small):
 * - the campaign banner says how far the campaign is, from today's date on this phone;
 * - the home page marks the quizzes this phone has passed (from the quiz engine's storage);
 * - the share button uses the Web Share API, or copies the link, and says so;
 * - over http(s), a service worker keeps this language's pages for use with no network.
 */
(() => {
  "use strict";
  const worker = document.currentScript && document.currentScript.dataset.worker;
  const language = document.currentScript && document.currentScript.dataset.workerLang;
  if (worker && "serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    // One worker for every language (see sw.js); once this page has loaded, it fetches this
    // language's pages in the background, one at a time.
    const url = new URL(worker, location.href);
    const warm = (registration) => {
      if (registration.active && language) registration.active.postMessage({ warm: language });
    };
    const registered = () => navigator.serviceWorker.register(url, { scope: new URL(".", url).pathname })
      .then(() => navigator.serviceWorker.ready).then(warm).catch(() => { /* then online only */ });
    if (document.readyState === "complete") registered();
    else window.addEventListener("load", registered, { once: true });
  }
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const DAY = 86400000;
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

  function start() {
    document.querySelectorAll("[data-campaign]").forEach(banner);
    document.querySelectorAll("[data-campaign-passed]").forEach(passed);
    document.querySelectorAll("[data-share-box]").forEach((box) => { box.hidden = false; });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-share]");
    if (button) share(button);
  });
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
