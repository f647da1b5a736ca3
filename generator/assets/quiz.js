/* Quiz engine of the safety-site generator: scores quizzes in the browser.
 *
 * Progressive enhancement: the page is complete without this script; it adds scoring,
 * feedback, random draws, shuffled options, a time limit and keeping every attempt
 * across reloads (localStorage, one entry per quiz, dropped when the quiz changes).
 * Answers and explanations arrive sealed (see generator/seal.py) and are opened only
 * when a question is checked or the quiz is handed in.  Interface texts come from the
 * page, in its language.  Unanswered questions count as wrong; the first submit with
 * some left open lists them, a second one hands in.  Emits "quiz:scored", "quiz:checked" (an
 * answer's first verdict) and "quiz:certificate" on the root: site.js keeps progress from them.
 * On learner pages (learn.js) a question id is "<quiz>/<question>", with its quiz's data-version.
 */
(() => {
  "use strict";
  const PREFIX = "generator-quiz:";
  const ROOT = "form[data-quiz-id]";
  const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const certificateSrc = document.currentScript && document.currentScript.dataset.certificate;

  // Storage may be missing, full or blocked (private mode, WeChat): the quiz still works.
  const store = {
    get(id) { try { return JSON.parse(localStorage.getItem(PREFIX + id)); } catch (e) { return null; } },
    set(id, value) { try { localStorage.setItem(PREFIX + id, JSON.stringify(value)); } catch (e) { /* not kept */ } },
  };

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const el = (tag, text) => { const e = document.createElement(tag); if (text) e.textContent = text; return e; };
  const fnv = (text) => {
    let h = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h;
  };
  const xorshift = (seed) => {
    let x = seed >>> 0 || 1;
    return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; return (x >>>= 0); };
  };
  // Tests set window.generatorQuizSeed to make draws repeatable; workers get real randomness.
  let seeded = null;
  const random = () => {
    if (typeof window.generatorQuizSeed === "number") {
      seeded = seeded || xorshift(window.generatorQuizSeed);
      return seeded() / 4294967296;
    }
    return crypto.getRandomValues(new Uint32Array(1))[0] / 4294967296;
  };
  const shuffled = (items) => {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i -= 1) { const j = Math.floor(random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
    return a;
  };
  const quizzes = new WeakMap();

  function init(root) {
    if (root.hasAttribute("data-quiz-ready")) return;
    let data;
    try { data = JSON.parse(root.querySelector("[data-quiz-data]").textContent); } catch (e) { return; }
    root.setAttribute("data-quiz-ready", "");
    const $ = (selector) => root.querySelector(selector);
    const d = root.dataset;
    const quiz = {
      root, $, id: d.quizId, version: d.quizVersion, passMark: parseFloat(d.passMark),
      exam: d.quizMode === "exam", draw: parseInt(d.quizDraw, 10) || 0, shuffle: "quizShuffle" in d,
      limit: (parseInt(d.quizTimeLimit, 10) || 0) * 1000, t: data.text, sealed: data.sealed, opened: {},
      all: [...root.querySelectorAll("[data-question-id]")], warned: false, timer: 0,
      submit: $('button[type="submit"]'), retry: $("[data-quiz-retry]"), status: $("[data-quiz-status]"),
      result: $("[data-quiz-result]"), list: $("[data-quiz-questions]"),
    };
    quiz.ids = quiz.all.map((q) => q.dataset.questionId);
    quizzes.set(root, quiz);
    const saved = store.get(quiz.id);
    quiz.state = valid(quiz, saved) ? saved : fresh(quiz);
    show(quiz, Boolean(saved) && quiz.state === saved);
  }

  // -- attempts ---------------------------------------------------------------------

  function fresh(quiz) {
    const now = Date.now();
    const order = {};
    if (quiz.shuffle) {
      for (const q of quiz.all) {
        if (q.dataset.questionType !== "true_false") order[q.dataset.questionId] = shuffled(values(q));
      }
    }
    const draw = quiz.draw ? shuffled(quiz.ids).slice(0, quiz.draw).sort((a, b) => quiz.ids.indexOf(a) - quiz.ids.indexOf(b)) : null;
    return { version: quiz.version, draw, order, created: now, started: quiz.limit ? 0 : now, answers: {}, checked: [], result: null, cert: null };
  }

  const values = (q) => [...q.querySelectorAll("input")].map((i) => i.value);
  const same = (a, b) => a.length === b.length && a.every((v) => b.includes(v));

  // A stored attempt is used only if it fits this very quiz; anything else starts afresh.
  function valid(quiz, s) {
    if (!s || typeof s !== "object" || s.version !== quiz.version) return false;
    if (!s.answers || typeof s.answers !== "object" || !Array.isArray(s.checked)) return false;
    if (quiz.draw ? !(Array.isArray(s.draw) && s.draw.length === quiz.draw && s.draw.every((id) => quiz.ids.includes(id))) : s.draw) return false;
    if (!s.order || typeof s.order !== "object") return false;
    return quiz.all.every((q) => {
      const order = s.order[q.dataset.questionId];
      return !order || (Array.isArray(order) && same(order, values(q)));
    }) && typeof s.started === "number";
  }

  function save(quiz) { store.set(quiz.id, quiz.state); }

  // -- showing an attempt -----------------------------------------------------------

  function show(quiz, restored) {
    const { state, t } = quiz;
    quiz.questions = quiz.all.filter((q) => !state.draw || state.draw.includes(q.dataset.questionId));
    for (const q of quiz.all) {
      q.hidden = !quiz.questions.includes(q);
      const order = state.order[q.dataset.questionId];
      const box = q.querySelector(".quiz__options");
      if (order) order.forEach((v) => box.append(q.querySelector(`input[value="${v}"]`).closest("label")));
      box.querySelectorAll(".quiz__letter").forEach((letter, i) => { letter.textContent = `${LETTERS[i]}.`; });
      for (const input of q.querySelectorAll("input")) {
        input.checked = (state.answers[q.dataset.questionId] || []).includes(input.value);
      }
    }
    quiz.questions.forEach((q, i) => { q.querySelector(".quiz__number").textContent = fill(t.question, { n: i + 1 }); });
    const waiting = quiz.limit && !state.started;
    quiz.list.hidden = waiting;
    (quiz.$("[data-quiz-start-panel]") || {}).hidden = !waiting;
    quiz.submit.hidden = waiting;
    if (state.result) { score(quiz, false); return; }
    for (const id of state.checked) reveal(quiz, quiz.all[quiz.ids.indexOf(id)]);
    if (restored && Object.keys(state.answers).length) quiz.status.textContent = t.restored;
    if (quiz.limit && state.started) tick(quiz);
  }

  const focusFirst = (quiz, options) => { if (quiz.questions[0]) quiz.questions[0].querySelector("input").focus(options); };
  const byKeyboard = (input) => { try { return input.matches(":focus-visible"); } catch (e) { return false; } };

  function start(quiz) {
    quiz.state.started = Date.now();
    save(quiz);
    show(quiz, false);
    focusFirst(quiz);
  }

  // -- the clock --------------------------------------------------------------------

  function clock(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const pad = (n) => String(n).padStart(2, "0");
    return (s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}` : pad(Math.floor(s / 60))) + `:${pad(s % 60)}`;
  }

  function tick(quiz) {
    clearTimeout(quiz.timer);
    const timer = quiz.$("[data-quiz-timer]");
    const left = quiz.state.started + quiz.limit - Date.now();
    timer.hidden = false;
    timer.textContent = fill(quiz.t.timer, { time: clock(left) });
    if (left <= 0) { score(quiz, true, true); return; }
    if (left <= 60000 && !timer.hasAttribute("data-warn")) {
      timer.setAttribute("data-warn", "");
      quiz.status.textContent = quiz.t.time_warning;
    }
    quiz.timer = setTimeout(() => tick(quiz), left % 1000 || 1000);
  }

  // -- checking ---------------------------------------------------------------------

  function opened(quiz, q) {
    const id = q.dataset.questionId;
    if (!quiz.opened[id]) {
      const next = xorshift(fnv(q.dataset.version ? `${id}/${q.dataset.version}` : `${quiz.id}/${id}/${quiz.version}`));
      const bytes = Uint8Array.from(atob(quiz.sealed[id]), (c) => c.charCodeAt(0) ^ (next() & 255));
      quiz.opened[id] = JSON.parse(new TextDecoder().decode(bytes));
    }
    return quiz.opened[id];
  }

  const chosen = (q) => [...q.querySelectorAll("input:checked")].map((i) => i.value);
  const labelText = (q, value) => q.querySelector(`input[value="${value}"]`).closest("label").textContent.trim().replace(/\s+/g, " ");

  function reveal(quiz, q) {
    const { t } = quiz;
    const { a: want, e: explanation } = opened(quiz, q);
    const got = chosen(q);
    const right = same(got, want);
    q.dataset.outcome = right ? "correct" : "incorrect";
    q.removeAttribute("data-unanswered");
    for (const input of q.querySelectorAll("input")) {
      input.disabled = true;
      const label = input.closest("label");
      if (want.includes(input.value)) label.dataset.mark = "answer";
      else if (input.checked) label.dataset.mark = "wrong";
    }
    const feedback = q.querySelector("[data-quiz-feedback]");
    feedback.replaceChildren(el("strong", right ? t.correct : got.length ? t.incorrect : t.unanswered_one));
    const order = (values) => [...q.querySelectorAll("input")].map((i) => i.value).filter((v) => values.includes(v));
    if (!right && got.length) feedback.append(" " + t.your_answer + order(got).map((v) => labelText(q, v)).join("; "));
    if (!right) feedback.append(el("br"), t.right_answer + order(want).map((v) => labelText(q, v)).join("; "));
    feedback.hidden = false;
    const box = q.querySelector("[data-quiz-explanation]");
    box.innerHTML = explanation; // made by the generator's own Markdown renderer, raw HTML escaped
    box.hidden = !explanation;
    const check = q.querySelector("[data-quiz-check]");
    if (check) check.hidden = true;
    return right;
  }

  const emit = (quiz, name, detail) => quiz.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
  function checked(quiz, q, right) {
    const id = q.dataset.questionId;
    if (chosen(q).length) emit(quiz, "quiz:checked", { id: id.includes("/") ? id : `${quiz.id}/${id}`, fp: q.dataset.questionFp, right });
  }

  function check(quiz, q) {
    const id = q.dataset.questionId;
    if (!quiz.state.checked.includes(id)) quiz.state.checked.push(id);
    checked(quiz, q, reveal(quiz, q));
    save(quiz);
  }

  function score(quiz, fresh, timeUp) {
    const { t, state } = quiz;
    clearTimeout(quiz.timer);
    let correct = 0;
    for (const q of quiz.questions) {
      const right = reveal(quiz, q);
      if (right) correct += 1;
      if (fresh && !state.checked.includes(q.dataset.questionId)) checked(quiz, q, right);
    }
    const total = quiz.questions.length;
    if (fresh) {
      const percent = total ? Math.round((100 * correct) / total) : 0;
      const at = Date.now();
      const taken = Math.min(at - (state.started || state.created), quiz.limit || Infinity);
      state.result = { score: percent, passed: percent >= quiz.passMark, correct, total, at, taken, timeUp: Boolean(timeUp) };
      save(quiz);
    }
    const { result } = quiz;
    const r = state.result;
    result.dataset.score = String(r.score);
    result.dataset.passed = String(r.passed);
    result.replaceChildren(
      el("p", fill(t.score, r)),
      el("p", fill(r.passed ? t.passed : t.failed, { pass_mark: quiz.passMark })),
      el("p", fill(t.taken, { time: duration(t, r.taken) })),
    );
    if (r.timeUp) result.prepend(el("p", t.time_up));
    quiz.status.textContent = "";
    quiz.submit.hidden = true;
    quiz.retry.hidden = false;
    const timer = quiz.$("[data-quiz-timer]");
    if (timer) timer.hidden = true;
    quiz.root.dataset.quizState = "scored";
    const certificate = quiz.$("[data-quiz-certificate]"); // none on the learner pages
    if (certificate) certificate.hidden = !r.passed;
    if (state.cert) {
      quiz.$("[data-quiz-cert-name]").value = state.cert.name;
      quiz.$("[data-quiz-cert-unit]").value = state.cert.unit;
    }
    if (fresh) {
      result.focus();
      emit(quiz, "quiz:scored", { id: quiz.id, ...r });
    }
  }

  function duration(t, ms) {
    const s = Math.max(1, Math.round(ms / 1000));
    const parts = [[Math.floor(s / 3600), t.hours], [Math.floor(s / 60) % 60, t.minutes], [s % 60, t.seconds]];
    return parts.filter(([n]) => n).map(([n, unit]) => fill(unit, { n })).join(" ");
  }

  function warnUnanswered(quiz, missing) {
    const { t } = quiz;
    const links = missing.map((q) => {
      q.setAttribute("data-unanswered", "");
      const link = el("a", fill(t.unanswered_item, { n: quiz.questions.indexOf(q) + 1 }));
      link.href = `#${q.id}`;
      return link;
    });
    const [before, after] = t.unanswered.split("{list}");
    const parts = [fill(before, { count: missing.length })];
    links.forEach((link, i) => parts.push(...(i ? [t.list_sep, link] : [link])));
    parts.push(after);
    quiz.status.replaceChildren(...parts);
    quiz.warned = true;
  }

  function reset(quiz) {
    clearTimeout(quiz.timer);
    for (const q of quiz.all) {
      q.removeAttribute("data-outcome");
      q.removeAttribute("data-unanswered");
      for (const input of q.querySelectorAll("input")) {
        input.disabled = false;
        input.closest("label").removeAttribute("data-mark");
      }
      for (const box of q.querySelectorAll("[data-quiz-feedback], [data-quiz-explanation]")) {
        box.replaceChildren();
        box.hidden = true;
      }
    }
    const { result } = quiz;
    result.replaceChildren();
    result.removeAttribute("data-score");
    result.removeAttribute("data-passed");
    quiz.status.textContent = "";
    quiz.warned = false;
    quiz.retry.hidden = true;
    for (const box of quiz.root.querySelectorAll("[data-quiz-certificate], [data-quiz-cert-output]")) box.hidden = true;
    const timer = quiz.$("[data-quiz-timer]");
    if (timer) { timer.hidden = true; timer.removeAttribute("data-warn"); }
    delete quiz.root.dataset.quizState;
    const cert = quiz.state.cert;
    quiz.state = fresh(quiz);
    quiz.state.cert = cert;
    save(quiz);
    show(quiz, false);
    quiz.root.scrollIntoView({ block: "start" });
    if (quiz.limit) quiz.$("[data-quiz-start]").focus({ preventScroll: true });
    else focusFirst(quiz, { preventScroll: true });
  }

  // -- certificate (its drawing code loads only when someone passes and asks) ----------

  function certificate(quiz) {
    const name = quiz.$("[data-quiz-cert-name]").value.trim();
    const unit = quiz.$("[data-quiz-cert-unit]").value.trim();
    if (!name) {
      quiz.status.textContent = quiz.t.cert_name_missing;
      quiz.$("[data-quiz-cert-name]").focus();
      return;
    }
    quiz.status.textContent = "";
    quiz.state.cert = { name, unit };
    save(quiz);
    const draw = () => {
      const r = quiz.state.result;
      const info = {
        t: quiz.t, lang: quiz.root.lang, name, unit, score: r.score, passMark: quiz.passMark, at: r.at,
        quiz: quiz.root.dataset.quizTitle, site: quiz.root.dataset.quizSite,
        code: checkCode(`${quiz.id}|${quiz.version}|${r.score}|${r.at}|${name}|${unit}`),
      };
      const url = window.generatorQuizCertificate.draw(info).toDataURL("image/png");
      const link = quiz.$("[data-quiz-cert-link]");
      if (link) link.replaceWith(link.content);
      const image = quiz.$("[data-quiz-cert-image]");
      image.src = url;
      image.alt = fill(quiz.t.cert_alt, { name, quiz: info.quiz, score: r.score });
      quiz.$("[data-quiz-cert-download]").href = url;
      quiz.$("[data-quiz-cert-output]").hidden = false;
      image.scrollIntoView({ block: "nearest" });
      emit(quiz, "quiz:certificate", { id: quiz.id, at: Date.now() });
    };
    if (window.generatorQuizCertificate) { draw(); return; }
    const script = document.createElement("script");
    script.src = certificateSrc;
    script.onload = draw;
    document.head.append(script);
  }

  // Eight characters of two FNV hashes, grouped: short enough to read out, tied to the result.
  function checkCode(text) {
    const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let h = fnv(text);
    let g = fnv(`${h}|${text}`);
    let code = "";
    for (let i = 0; i < 8; i += 1) {
      code += alphabet[(i < 4 ? h : g) & 31];
      if (i < 4) h >>>= 5; else g >>>= 5;
    }
    return `${code.slice(0, 4)}-${code.slice(4)}`;
  }

  // Printing shows the certificate alone on an A4 sheet (see quiz.css), then puts the page back.
  function printCertificate(quiz) {
    const sheet = el("div");
    sheet.className = "quiz-print-sheet";
    const image = el("img");
    image.src = quiz.$("[data-quiz-cert-image]").src;
    image.alt = quiz.$("[data-quiz-cert-image]").alt;
    sheet.append(image);
    document.body.append(sheet);
    document.body.classList.add("quiz-printing");
    const done = () => { sheet.remove(); document.body.classList.remove("quiz-printing"); };
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  }

  // -- events: one listener each on the document -------------------------------------

  // Old browsers (ES2019, DESIGN §13): no ?. and no :focus-visible; an event's target may be the document.
  const up = (node, selector) => (node.closest ? node.closest(selector) : null);
  const quizOf = (target) => quizzes.get(up(target, ROOT));

  document.addEventListener("submit", (event) => {
    const quiz = quizOf(event.target);
    if (!quiz) return;
    event.preventDefault();
    if (quiz.root.dataset.quizState === "scored") {
      const box = quiz.$("[data-quiz-certificate]");
      if (box && !box.hidden) certificate(quiz); // Enter in the name field
      return;
    }
    const missing = quiz.questions.filter((q) => !chosen(q).length);
    if (missing.length && !quiz.warned) warnUnanswered(quiz, missing);
    else score(quiz, true, false);
  });

  document.addEventListener("change", (event) => {
    const quiz = quizOf(event.target);
    const q = event.target.closest("[data-question-id]");
    if (!quiz || !q) return;
    q.removeAttribute("data-unanswered");
    quiz.warned = false;
    const values = chosen(q);
    if (values.length) quiz.state.answers[q.dataset.questionId] = values;
    else delete quiz.state.answers[q.dataset.questionId];
    save(quiz);
    if (quiz.exam) return;
    if (q.dataset.questionType === "multiple") q.querySelector("[data-quiz-check]").hidden = !values.length;
    // A tap is a choice; arrow keys only move through the options, so by keyboard the
    // question is checked when focus leaves it (below).
    else if (!byKeyboard(event.target)) check(quiz, q);
  });

  document.addEventListener("focusout", (event) => {
    const quiz = quizOf(event.target);
    const q = up(event.target, '[data-question-type="single"], [data-question-type="true_false"]');
    if (!quiz || quiz.exam || !q || q.contains(event.relatedTarget) || quiz.root.dataset.quizState) return;
    if (chosen(q).length && !quiz.state.checked.includes(q.dataset.questionId)) check(quiz, q);
  });

  const actions = {
    "[data-quiz-retry]": reset,
    "[data-quiz-start]": start,
    "[data-quiz-cert-make]": certificate,
    "[data-quiz-cert-print]": printCertificate,
    "[data-quiz-check]": (quiz, button) => {
      const q = button.closest("[data-question-id]");
      check(quiz, q);
      q.querySelector("[data-quiz-feedback]").focus(); // the button is gone; read the verdict next
    },
  };
  document.addEventListener("click", (event) => {
    for (const [selector, action] of Object.entries(actions)) {
      const button = up(event.target, selector);
      const quiz = button && quizOf(button);
      if (quiz) { action(quiz, button); return; }
    }
  });

  const startAll = () => document.querySelectorAll(ROOT).forEach(init);
  window.generatorQuiz = { init };
  if (window.document$) window.document$.subscribe(startAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
