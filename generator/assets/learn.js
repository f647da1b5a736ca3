/* The learner pages of the safety-site generator (DESIGN §12; generator/learn.py): my mistakes,
 * the daily challenge, random practice and my progress.
 *
 * What the worker did is kept on the phone by site.js (window.generatorProgress): the book of
 * mistakes, quizzes passed, certificates, modules read, daily challenges.  This script shows it and
 * asks questions from every quiz.  The questions come from each quiz's data script
 * (learn/data/<quiz>.js, loaded as a script so that a page opened from a folder works too): the
 * question as its quiz page shows it, its fingerprint, and its answer sealed as on the quiz page.
 * A round's questions are put into the page's quiz form, which quiz.js then runs as any quiz;
 * the round (which questions) is kept so that a reload brings back the same questions, and quiz.js
 * keeps the answers (its "generator-quiz:<id>" entry, cleared here when a new round starts).
 * A question whose quiz is gone, or whose fingerprint changed in a rebuilt site, leaves the book.
 */
(() => {
  "use strict";
  const page = document.querySelector("[data-learn]");
  const keep = window.generatorProgress;
  if (!page || !keep) return;
  const index = JSON.parse(page.querySelector("[data-learn-index]").textContent);
  const t = index.text;
  const kind = page.dataset.learn;
  const $ = (selector) => page.querySelector(selector);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const el = (tag, text, className) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (className) e.className = className;
    return e;
  };
  const say = (text) => { $("[data-learn-status]").textContent = text || ""; };
  const quizIds = Object.keys(index.quizzes);
  const pad = (n) => String(n).padStart(2, "0");
  const dayOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const today = () => dayOf(new Date());
  const date = (ms) => new Date(ms).toLocaleDateString(index.lang === "en" ? "en-GB" : "zh-CN", { year: "numeric", month: "long", day: "numeric" });
  if (!keep.ok) $("[data-learn-no-storage]").hidden = false;

  // -- questions, from the quizzes' data scripts -------------------------------------------

  const loading = {};
  function load(quizId) {
    if (!loading[quizId]) {
      loading[quizId] = new Promise((resolve) => {
        const bank = () => (window.generatorLearnBank || {})[quizId] || null;
        if (bank()) { resolve(bank()); return; }
        const script = document.createElement("script");
        // Quiz ids are a-z, 0-9 and "-"; ?v= is the script's hash: this page's build, never a cached older one.
        script.src = `${page.dataset.learnBase}${quizId}.js?v=${index.quizzes[quizId].v}`;
        script.onload = () => resolve(bank());
        script.onerror = () => { delete loading[quizId]; resolve(null); };
        document.head.append(script);
      });
    }
    return loading[quizId];
  }

  // The questions of ``keys`` ("<quiz>/<question>") that exist: key -> {quiz, q}; ``missing``: the
  // quizzes whose script did not load (offline before a first visit), whose questions cannot be judged.
  async function find(keys) {
    const wanted = [...new Set(keys.map((key) => key.split("/")[0]))].filter((id) => id in index.quizzes);
    const loaded = await Promise.all(wanted.map(load));
    const found = {};
    const missing = new Set();
    wanted.forEach((id, i) => {
      if (!loaded[i]) { missing.add(id); return; }
      for (const q of loaded[i].questions) found[`${id}/${q.id}`] = { quiz: loaded[i], q };
    });
    return { found, missing };
  }

  // The book without the questions that are gone or changed; saved when it changed.
  async function book() {
    const entries = keep.get("book", {});
    const { found, missing } = await find(Object.keys(entries));
    let changed = false;
    for (const key of Object.keys(entries)) {
      const quizId = key.split("/")[0];
      if (missing.has(quizId)) continue;
      if (!found[key] || found[key].q.fp !== entries[key].fp) { delete entries[key]; changed = true; }
    }
    if (changed) keep.set("book", entries);
    return { entries, found, missing };
  }

  // Keys in the site's order: by quiz, then as the quiz file lists its questions.
  const ordered = (keys, found) => keys.filter((key) => found[key]).sort((a, b) => {
    const [qa, qb] = [a.split("/")[0], b.split("/")[0]];
    if (qa !== qb) return quizIds.indexOf(qa) - quizIds.indexOf(qb);
    const list = found[a].quiz.questions;
    return list.indexOf(found[a].q) - list.indexOf(found[b].q);
  });

  // ``count`` questions drawn at random from the quizzes ``pool``, each question equally likely.
  async function draw(pool, count) {
    const sizes = pool.map((id) => index.quizzes[id].n);
    const total = sizes.reduce((a, b) => a + b, 0);
    const picks = new Set();
    while (picks.size < Math.min(count, total)) picks.add(Math.floor(random() * total));
    const chosen = [...picks].map((n) => {
      let i = 0;
      while (n >= sizes[i]) { n -= sizes[i]; i += 1; }
      return [pool[i], n];
    });
    const { found, missing } = await find(chosen.map(([id]) => `${id}/`));
    const keys = chosen.map(([id, n]) => {
      const quiz = (window.generatorLearnBank || {})[id];
      return quiz && quiz.questions[n] ? `${id}/${quiz.questions[n].id}` : null;
    }).filter(Boolean);
    return { keys, found, missing };
  }
  // Tests set window.generatorQuizSeed, as for quiz.js, to make draws repeatable.
  let seed = typeof window.generatorQuizSeed === "number" ? window.generatorQuizSeed >>> 0 || 1 : 0;
  const random = () => {
    if (!seed) return crypto.getRandomValues(new Uint32Array(1))[0] / 4294967296;
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed / 4294967296;
  };

  // -- asking: a round of questions in the page's quiz form ---------------------------------

  const pristine = $("form[data-quiz-id]") && $("form[data-quiz-id]").cloneNode(true);
  const quizKey = pristine && `generator-quiz:${pristine.dataset.quizId}`;

  function ask(keys, found, fresh, counted) {
    const form = pristine.cloneNode(true);
    const list = form.querySelector("[data-quiz-questions]");
    list.innerHTML = keys.map((key) => found[key].q.html).join(""); // the generator's own HTML
    const data = form.querySelector("[data-learn-data]");
    const json = JSON.parse(data.textContent);
    for (const li of list.children) {
      const { quiz, q } = found[li.dataset.questionId];
      li.dataset.version = quiz.version;
      json.sealed[li.dataset.questionId] = q.sealed;
    }
    data.textContent = JSON.stringify(json);
    data.removeAttribute("data-learn-data");
    data.setAttribute("data-quiz-data", "");
    const results = form.querySelector("[data-results]");
    if (!counted && results) results.remove(); // only a day's first challenge is sent
    if (fresh) { try { localStorage.removeItem(quizKey); } catch (e) { /* nothing kept */ } }
    $("form[data-quiz-id]").replaceWith(form);
    $("[data-learn-quiz]").hidden = false;
    window.generatorQuiz.init(form);
    $("[data-learn-next]").hidden = fresh || !scored();
    if (window.generatorResults) window.generatorResults.open(form);
    if (fresh) form.scrollIntoView({ block: "start" });
  }

  const round = (name) => keep.get(`round:${name}`, null);
  const scored = () => { try { const s = JSON.parse(localStorage.getItem(quizKey)); return Boolean(s && s.result); } catch (e) { return false; } };
  // A kept round comes back only if all its questions still exist as they were (their fingerprints).
  const restorable = (kept, found) => kept && Array.isArray(kept.keys) && kept.keys.length && Array.isArray(kept.fps)
    && kept.keys.every((key, i) => found[key] && found[key].q.fp === kept.fps[i]);
  const keepRound = (name, keys, found, more) => keep.set(`round:${name}`, { keys, fps: keys.map((key) => found[key].q.fp), ...more });

  page.addEventListener("quiz:scored", (event) => { $("[data-learn-next]").hidden = false; scoredRound(event.detail); });
  let scoredRound = () => {};

  // -- my mistakes ---------------------------------------------------------------------------

  async function mistakes() {
    say(t.loading);
    const { entries, found, missing } = await book();
    say(missing.size ? t.load_failed : "");
    const kept = round("mistakes");
    if (kept && Array.isArray(kept.keys) && !scored()) {
      const again = await find(kept.keys); // a question of the round may have left the book since
      if (restorable(kept, again.found)) { practise(kept.keys, again.found, false); return; }
    }
    showList(ordered(Object.keys(entries), found), entries, found);
  }

  function showList(keys, entries, found) {
    $("[data-learn-quiz]").hidden = true;
    $("[data-learn-back]").hidden = true;
    const list = $("[data-learn-list]");
    list.hidden = false;
    list.replaceChildren();
    $("[data-learn-count]").textContent = keys.length ? fill(t.count, { n: keys.length }) : t.empty;
    $("[data-learn-start]").hidden = !keys.length;
    const groups = new Map();
    for (const key of keys) {
      const quizId = key.split("/")[0];
      const module = index.quizzes[quizId].module;
      if (!groups.has(module)) groups.set(module, []);
      groups.get(module).push(key);
    }
    const order = [...groups.keys()].sort((a, b) => (a < 0) - (b < 0) || a - b);
    for (const module of order) {
      const section = el("section", "", "learn__group");
      const heading = el("h2", module < 0 ? t.others : index.modules[module].title);
      heading.id = `learn-group-${module < 0 ? "others" : module}`;
      const items = el("ul", "", "learn__mistakes");
      for (const key of groups.get(module)) {
        const [quizId, questionId] = key.split("/");
        const item = el("li", "", "learn__mistake");
        item.dataset.mistake = "";
        item.dataset.quiz = quizId;
        item.dataset.question = questionId;
        const shown = document.createElement("template");
        shown.innerHTML = found[key].q.html;
        const prompt = shown.content.querySelector(".quiz__prompt").textContent;
        item.append(el("span", prompt, "learn__prompt"), el("span", fill(t.from, { quiz: index.quizzes[quizId].title }), "learn__from"));
        if (entries[key].streak === 1) item.append(el("span", t.streak_one, "learn__from"));
        const remove = el("button", t.remove, "md-button learn__remove");
        remove.type = "button";
        remove.dataset.learnRemove = key;
        remove.setAttribute("aria-label", fill(t.remove_label, { prompt }));
        item.append(remove);
        items.append(item);
      }
      section.append(heading, items);
      list.append(section);
    }
  }

  function practise(keys, found, fresh) {
    $("[data-learn-list]").hidden = true;
    $("[data-learn-start]").hidden = true;
    $("[data-learn-back]").hidden = false;
    if (fresh) keepRound("mistakes", keys, found);
    ask(keys, found, fresh, false);
  }

  async function startMistakes() {
    const { entries, found } = await book();
    const keys = ordered(Object.keys(entries), found);
    if (keys.length) practise(keys, found, true);
    else { keep.set("round:mistakes", null); showList(keys, entries, found); }
  }

  // -- the daily challenge -------------------------------------------------------------------

  const MAX_DAYS = 400;

  function dailyRecord() {
    const record = keep.get("daily", {});
    return { days: record.days && typeof record.days === "object" ? record.days : {}, best: record.best };
  }

  // Days in a row with a counted challenge, up to today (or yesterday, while today's is still to do).
  function streak(days) {
    const d = new Date();
    if (!(dayOf(d) in days)) d.setDate(d.getDate() - 1);
    let n = 0;
    while (dayOf(d) in days) { n += 1; d.setDate(d.getDate() - 1); }
    return n;
  }

  function dailyState() {
    const { days, best } = dailyRecord();
    const parts = [today() in days ? fill(t.today_done, { score: days[today()] }) : t.today_open];
    const n = streak(days);
    if (n) parts.push(fill(t.streak, { n }));
    if (typeof best === "number") parts.push(fill(t.best, { score: best }));
    $("[data-learn-daily]").textContent = parts.join(index.lang === "en" ? " · " : "　");
  }

  async function daily(next) {
    dailyState();
    const kept = round("daily");
    // A round from an earlier day, done or left, gives way to today's.
    if (!next && kept && Array.isArray(kept.keys) && kept.day === today()) {
      const { found } = await find(kept.keys);
      if (restorable(kept, found)) {
        ask(kept.keys, found, false, kept.counted);
        if (!kept.counted) say(t.practice_round);
        return;
      }
    }
    say(t.loading);
    const { keys, found, missing } = await draw(quizIds, index.daily.questions);
    if (!keys.length) { say(missing.size ? t.load_failed : t.no_questions); return; }
    const counted = !(today() in dailyRecord().days);
    keepRound("daily", keys, found, { day: today(), counted });
    say(counted ? "" : t.practice_round);
    ask(keys, found, true, counted);
  }

  // A counted round counts for the day it was drawn on (a round begun at 23:58 and handed in after
  // midnight is that evening's), once.
  function dailyScored(result) {
    const kept = round("daily");
    if (!kept || !kept.counted) return;
    const record = dailyRecord();
    const day = kept.day;
    if (day in record.days) return;
    record.days[day] = result.score;
    record.best = Math.max(result.score, typeof record.best === "number" ? record.best : 0);
    const days = Object.keys(record.days).sort();
    for (const old of days.slice(0, Math.max(0, days.length - MAX_DAYS))) delete record.days[old];
    keep.set("daily", record);
    dailyState();
  }

  // -- random practice ----------------------------------------------------------------------

  const chosenQuizzes = () => [...page.querySelectorAll("[data-learn-quizzes]:checked")]
    .flatMap((box) => box.dataset.learnQuizzes.split(" ")).filter((id, i, all) => id in index.quizzes && all.indexOf(id) === i);

  async function practice(next) {
    const kept = round("practice");
    if (!next && kept && Array.isArray(kept.keys)) {
      const { found } = await find(kept.keys);
      if (restorable(kept, found)) { ask(kept.keys, found, false, false); return; }
      return;
    }
    if (!next) return; // the worker chooses, then starts
    const pool = chosenQuizzes();
    if (!pool.length) { say(t.none_chosen); return; }
    say(t.loading);
    const { keys, found, missing } = await draw(pool, parseInt($("[data-learn-size]").value, 10) || 10);
    if (!keys.length) { say(missing.size ? t.load_failed : t.no_questions); return; }
    say("");
    keepRound("practice", keys, found);
    ask(keys, found, true, false);
  }

  // -- my progress ------------------------------------------------------------------------------

  async function progress() {
    const opened = keep.get("opened", {});
    let read = 0;
    for (const mark of page.querySelectorAll("[data-learn-opened]")) {
      mark.hidden = !(mark.dataset.learnOpened in opened);
      if (!mark.hidden) read += 1;
    }
    $("[data-learn-modules-heading]").textContent = fill(t.modules_opened, { n: read, total: index.modules.length });
    const passes = keep.get("passes", {});
    const passed = quizIds.filter((id) => passes[id] && typeof passes[id].score === "number");
    $("[data-learn-passed-heading]").textContent = fill(t.quizzes_passed, { n: passed.length, total: quizIds.length });
    const list = $("[data-learn-passed]");
    list.replaceChildren(...(passed.length ? passed.map((id) => {
      const item = el("li");
      const link = el("a", index.quizzes[id].title);
      link.href = index.quizzes[id].href;
      item.append(link, " ", el("span", fill(t.passed_on, { score: passes[id].score, date: date(passes[id].at) }), "learn__from"));
      return item;
    }) : [el("li", t.none_passed)]));
    const last = keep.get("last", {})[index.lang];
    if (last && last.href) {
      const box = $("[data-learn-continue]");
      const link = box.querySelector("a");
      link.href = last.href;
      link.textContent = last.title;
      box.hidden = false;
    }
    const { entries } = await book();
    const { days, best } = dailyRecord();
    const certificates = Object.keys(keep.get("certs", {})).filter((id) => id in index.quizzes).length;
    const n = streak(days);
    const lines = [
      fill(t.mistakes_waiting, { n: Object.keys(entries).length }),
      Object.keys(days).length ? fill(t.daily_streak, { n, best }) : t.daily_none,
      fill(t.certificates, { n: certificates }),
    ];
    $("[data-learn-summary]").replaceChildren(...lines.map((line) => el("li", line)));
  }

  // -- wiring -----------------------------------------------------------------------------------

  page.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-learn-remove]");
    if (remove) {
      const entries = keep.get("book", {});
      delete entries[remove.dataset.learnRemove];
      keep.set("book", entries);
      const item = remove.closest("[data-mistake]");
      const next = item.nextElementSibling || item.previousElementSibling;
      const group = item.closest("section");
      item.remove();
      if (!group.querySelector("[data-mistake]")) group.remove();
      const left = page.querySelectorAll("[data-mistake]").length;
      $("[data-learn-count]").textContent = left ? fill(t.count, { n: left }) : t.empty;
      $("[data-learn-start]").hidden = !left;
      ((next && next.querySelector("button")) || $("[data-learn-count]")).focus();
      return;
    }
    if (event.target.closest("[data-learn-start]")) {
      if (kind === "mistakes") startMistakes();
      else practice(true);
    } else if (event.target.closest("[data-learn-next]")) {
      if (kind === "mistakes") startMistakes();
      else if (kind === "daily") daily(true);
      else practice(true);
    } else if (event.target.closest("[data-learn-back]")) {
      keep.set("round:mistakes", null);
      mistakes();
    }
  });
  page.addEventListener("change", (event) => {
    if (event.target.matches("[data-learn-all]")) {
      page.querySelectorAll("[data-learn-quizzes]").forEach((box) => { box.checked = event.target.checked; });
    } else if (event.target.matches("[data-learn-quizzes]")) {
      const boxes = [...page.querySelectorAll("[data-learn-quizzes]")];
      $("[data-learn-all]").checked = boxes.every((box) => box.checked);
    }
  });

  const start = () => {
    if (kind === "mistakes") mistakes();
    else if (kind === "daily") { scoredRound = dailyScored; daily(false); }
    else if (kind === "practice") practice(false);
    else progress();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
