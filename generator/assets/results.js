/* Counting participation (DESIGN §11): sends each scored attempt to the site's results service.
 *
 * Loaded on every page of a site whose mkdocs.yml has a results: block, never otherwise.
 * Under a scored quiz it shows the unit list (and the name, when asked) with the privacy
 * notice; "Send" puts one record in a queue kept on the phone, and the queue is sent, oldest
 * first, now and again on every page load, when the network returns and when the page is
 * shown again.  A record leaves the phone only when the service confirms it (accepted, or
 * already had); a refusal is shown with the service's reason and not retried.  quiz.js is not
 * changed for this: the attempt (its draw, answers and times) is read from what quiz.js keeps
 * in localStorage, and its page contract (DESIGN §7).
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const endpoint = script && script.dataset.endpoint;
  if (!endpoint) return;
  const QUIZ = "generator-quiz:";
  const QUEUE = "generator-results:queue";
  const SENT = "generator-results:status";
  const ATTEMPTS = "generator-results:attempts";
  const DEVICE = "generator-results:device";
  const UNIT = "generator-results:unit";
  const MAX_QUEUE = 50;
  const MAX_STATUS = 200;
  const fromFile = location.protocol === "file:";

  const storage = {
    ok: (() => { try { localStorage.setItem("generator-results:test", "1"); localStorage.removeItem("generator-results:test"); return true; } catch (e) { return false; } })(),
    get(key, fallback) { try { const v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; } },
  };
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

  // crypto.randomUUID needs a secure context; county sites are often plain http.
  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const device = () => {
    let id = storage.get(DEVICE, null);
    if (typeof id !== "string") { id = uuid(); storage.set(DEVICE, id); }
    return id;
  };
  const iso = (ms) => {
    const d = new Date(ms);
    const offset = -d.getTimezoneOffset();
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const local = new Date(ms + offset * 60000).toISOString().slice(0, 19);
    return `${local}${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
  };

  // -- the record of an attempt --------------------------------------------------------

  // One attempt id per attempt of a quiz on this phone: quiz.js stamps each attempt with the
  // time it was made ("created"), which a reload keeps and "try again" renews.
  function attemptId(quizId, created) {
    const ids = storage.get(ATTEMPTS, {});
    const key = `${quizId}|${created}`;
    if (!ids[key]) {
      ids[key] = uuid();
      const keys = Object.keys(ids);
      if (keys.length > MAX_STATUS) delete ids[keys[0]];
      storage.set(ATTEMPTS, ids);
    }
    return ids[key];
  }

  function record(root, unit, name) {
    const state = storage.get(QUIZ + root.dataset.quizId, null);
    if (!state || !state.result || state.version !== root.dataset.quizVersion) return null;
    const answers = {};
    const ids = state.draw || [...root.querySelectorAll("[data-question-id]")].map((q) => q.dataset.questionId);
    for (const id of ids) {
      const q = root.querySelector(`[data-question-id="${CSS.escape(id)}"]`);
      const values = state.answers[id] || [];
      answers[id] = q && q.dataset.questionType === "true_false" ? values.map((v) => v === "true") : values;
    }
    return {
      attempt: attemptId(root.dataset.quizId, state.created),
      device: device(),
      quiz: root.dataset.quizId,
      version: root.dataset.quizVersion,
      lang: root.lang || document.documentElement.lang || "zh",
      unit,
      name: name || null,
      answers,
      started: iso(state.started || state.created),
      finished: iso(state.result.at),
      score: state.result.score,
    };
  }

  // -- what the worker sees ------------------------------------------------------------

  const panels = () => document.querySelectorAll("form[data-quiz-id] [data-results]");
  const textsOf = (panel) => { try { return JSON.parse(panel.querySelector("[data-results-text]").textContent); } catch (e) { return {}; } };

  function status(panel, state, message) {
    const box = panel.querySelector("[data-results-status]");
    box.dataset.state = state;
    box.textContent = message;
  }

  function showStatus(panel, attempt) {
    const t = textsOf(panel);
    const known = storage.get(SENT, {})[attempt];
    const send = panel.querySelector("[data-results-send]");
    if (!known) { send.hidden = false; return; }
    if (known.state === "sent") status(panel, "sent", fill(t.sent, known));
    else if (known.state === "refused") status(panel, "refused", fill(t.refused, { reason: known.reason }));
    else status(panel, "queued", fromFile ? t.file : t.queued);
    send.hidden = known.state === "sent" || known.state === "refused";
  }

  function open(root) {
    const panel = root.querySelector("[data-results]");
    if (!panel) return;
    const state = storage.get(QUIZ + root.dataset.quizId, null);
    if (root.dataset.quizState !== "scored" || !state || !state.result) { panel.hidden = true; return; }
    panel.hidden = false;
    const select = panel.querySelector("[data-results-unit]");
    const last = storage.get(UNIT, "");
    if (!select.value && last && select.querySelector(`option[value="${CSS.escape(last)}"]`)) select.value = last;
    showStatus(panel, attemptId(root.dataset.quizId, state.created));
  }

  function setStatus(attempt, value) {
    const all = storage.get(SENT, {});
    all[attempt] = value;
    const keys = Object.keys(all);
    if (keys.length > MAX_STATUS) delete all[keys[0]];
    storage.set(SENT, all);
  }

  function refresh() {
    for (const panel of panels()) if (!panel.hidden) open(panel.closest("form[data-quiz-id]"));
  }

  function submit(panel) {
    const root = panel.closest("form[data-quiz-id]");
    const t = textsOf(panel);
    const select = panel.querySelector("[data-results-unit]");
    const nameInput = panel.querySelector("[data-results-name]");
    const name = nameInput ? nameInput.value.trim() : "";
    if (!select.value) { status(panel, "invalid", t.need_unit); select.focus(); return; }
    if (nameInput && nameInput.required && !name) { status(panel, "invalid", t.need_name); nameInput.focus(); return; }
    const item = record(root, select.value, name);
    if (!item) return;
    storage.set(UNIT, select.value);
    const unitName = select.selectedOptions[0].textContent;
    const queue = storage.get(QUEUE, []);
    if (!queue.some((q) => q.record.attempt === item.attempt)) {
      if (!storage.ok) { direct(panel, item, unitName); return; }
      if (queue.length >= MAX_QUEUE) { status(panel, "queued", t.full); return; }
      queue.push({ record: item, unit: unitName });
      if (!storage.set(QUEUE, queue)) { status(panel, "queued", t.full); return; }
      setStatus(item.attempt, { state: "queued" });
    }
    if (fromFile) { status(panel, "queued", t.file); return; }
    status(panel, "sending", t.sending);
    flush();
  }

  // Storage blocked (some private modes): one try, and the worker is told nothing was kept.
  async function direct(panel, item, unitName) {
    const t = textsOf(panel);
    status(panel, "sending", t.sending);
    const outcome = await post(item);
    if (outcome.done) {
      panel.querySelector("[data-results-send]").hidden = true;
      if (outcome.state === "sent") status(panel, "sent", fill(t.sent, { unit: unitName, score: outcome.score }));
      else status(panel, "refused", fill(t.refused, { reason: outcome.reason }));
    } else status(panel, "queued", t.no_storage);
  }

  // -- sending -------------------------------------------------------------------------

  const lang = () => (document.documentElement.lang || "zh").startsWith("en") ? "en" : "zh";

  async function post(item) {
    let response;
    try {
      response = await fetch(new URL("api/v1/attempts", new URL(endpoint, location.href)), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(item),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (e) {
      return { done: false };
    }
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON: a proxy's error page */ }
    if (response.status === 200 || response.status === 201) return { done: true, state: "sent", score: body.score };
    if ([400, 409, 413, 415, 422].includes(response.status)) {
      const message = body.message || {};
      return { done: true, state: "refused", reason: message[lang()] || message.zh || String(response.status) };
    }
    const wait = parseInt(response.headers.get("Retry-After"), 10);
    return { done: false, wait: Number.isFinite(wait) ? wait : 0 };
  }

  let timer = 0;
  let running = false;

  async function flushQueue() {
    let wait = 0;
    for (;;) {
      const queue = storage.get(QUEUE, []);
      if (!queue.length) break;
      const { record: item, unit } = queue[0];
      const outcome = await post(item);
      if (!outcome.done) { wait = Math.max(outcome.wait || 0, 30); break; }
      const left = storage.get(QUEUE, []).filter((q) => q.record.attempt !== item.attempt);
      storage.set(QUEUE, left);
      setStatus(item.attempt, outcome.state === "sent"
        ? { state: "sent", unit, score: outcome.score }
        : { state: "refused", reason: outcome.reason });
    }
    refresh();
    clearTimeout(timer);
    if (wait) timer = setTimeout(flush, wait * 1000);
  }

  // Two tabs must not send one record twice (the service would answer "already had", but
  // the worker would see it sent twice): where the browser has Web Locks, one tab sends.
  function flush() {
    if (fromFile || running || !storage.get(QUEUE, []).length) { refresh(); return; }
    running = true;
    const done = () => { running = false; };
    const run = navigator.locks ? navigator.locks.request("generator-results", flushQueue) : flushQueue();
    run.then(done, done);
  }

  // -- wiring ----------------------------------------------------------------------------

  document.addEventListener("quiz:scored", (event) => open(event.target));
  window.generatorResults = { open }; // learn.js: a learner page's quiz starts after this script
  // The target of an event may be the document, which has no closest().
  const up = (node, selector) => (node.closest ? node.closest(selector) : null);
  document.addEventListener("click", (event) => {
    const send = up(event.target, "[data-results-send]");
    if (send) { submit(send.closest("[data-results]")); return; }
    const form = up(event.target, "[data-quiz-retry]") && up(event.target, "form[data-quiz-id]");
    const panel = form && form.querySelector("[data-results]");
    if (panel) {
      panel.hidden = true;
      status(panel, "", "");
    }
  });
  document.addEventListener("input", (event) => {
    const filter = up(event.target, "[data-results-filter]");
    if (!filter) return;
    const words = filter.value.trim().toLowerCase();
    const select = filter.closest("[data-results]").querySelector("[data-results-unit]");
    for (const option of select.options) {
      option.hidden = Boolean(option.value) && Boolean(words) && !option.textContent.toLowerCase().includes(words);
    }
  });
  window.addEventListener("online", flush);
  // Another tab sent a record: say so here too.  The Web Lock and localStorage reach this tab by
  // different paths, so a tab granted the lock after a sender may still read the old status.
  window.addEventListener("storage", (event) => { if (event.key === SENT) refresh(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flush(); });
  const start = () => {
    document.querySelectorAll("form[data-quiz-id]").forEach(open);
    flush();
  };
  // As quiz.js starts (it subscribed first, so a restored quiz is scored again before this runs).
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
