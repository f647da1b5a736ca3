/* Quiz engine of the safety-site generator: scores quizzes in the browser.
 *
 * Progressive enhancement: the page is complete without this script; it adds scoring,
 * feedback and keeping answers across reloads (localStorage, one entry per quiz, dropped
 * when the quiz changes).  Interface texts come from the page, in its language.
 * Unanswered questions count as wrong; the first submit with some left open lists them
 * and a second submit hands in.  Emits "quiz:scored" on the quiz root.
 */
(() => {
  "use strict";
  const PREFIX = "generator-quiz:";
  const ROOT = "form[data-quiz-id]";

  // Storage may be missing, full or blocked (private mode, WeChat): the quiz still works.
  const store = {
    get(id) {
      try { return JSON.parse(localStorage.getItem(PREFIX + id)); } catch (e) { return null; }
    },
    set(id, value) {
      try { localStorage.setItem(PREFIX + id, JSON.stringify(value)); } catch (e) { /* not kept */ }
    },
    drop(id) {
      try { localStorage.removeItem(PREFIX + id); } catch (e) { /* nothing to drop */ }
    },
  };

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const el = (tag, text) => { const e = document.createElement(tag); if (text) e.textContent = text; return e; };
  const quizzes = new WeakMap();

  function init(root) {
    if (root.hasAttribute("data-quiz-ready")) return;
    let data;
    try { data = JSON.parse(root.querySelector("[data-quiz-data]").textContent); } catch (e) { return; }
    root.setAttribute("data-quiz-ready", "");
    const quiz = {
      root, id: root.dataset.quizId, version: root.dataset.quizVersion,
      passMark: parseFloat(root.dataset.passMark), key: data.key, t: data.text, warned: false,
      questions: [...root.querySelectorAll("[data-question-id]")].filter((q) => !q.hidden),
      submit: root.querySelector('button[type="submit"]'),
      retry: root.querySelector("[data-quiz-retry]"),
      status: root.querySelector("[data-quiz-status]"),
      result: root.querySelector("[data-quiz-result]"),
    };
    quizzes.set(root, quiz);
    root.querySelector("[data-quiz-nojs]")?.setAttribute("hidden", "");
    quiz.submit.hidden = false;
    restore(quiz);
  }

  const chosen = (q) => [...q.querySelectorAll("input:checked")].map((i) => i.value);

  function answers(quiz) {
    const all = {};
    for (const q of quiz.questions) {
      const values = chosen(q);
      if (values.length) all[q.dataset.questionId] = values;
    }
    return all;
  }

  function save(quiz, result) {
    store.set(quiz.id, { version: quiz.version, answers: answers(quiz), result: result || null });
  }

  function restore(quiz) {
    const saved = store.get(quiz.id);
    if (!saved) return;
    if (typeof saved !== "object" || saved.version !== quiz.version || !saved.answers || typeof saved.answers !== "object") {
      store.drop(quiz.id);
      return;
    }
    let restored = false;
    for (const q of quiz.questions) {
      const values = saved.answers[q.dataset.questionId];
      if (!Array.isArray(values)) continue;
      for (const input of q.querySelectorAll("input")) {
        if (values.includes(input.value)) input.checked = restored = true;
      }
    }
    if (saved.result) score(quiz, false);
    else if (restored) quiz.status.textContent = quiz.t.restored;
  }

  function answerText(q, value) {
    const input = q.querySelector(`input[value="${value}"]`);
    return input ? input.closest("label").textContent.trim().replace(/\s+/g, " ") : value;
  }

  function score(quiz, fresh) {
    const { t } = quiz;
    let correct = 0;
    for (const q of quiz.questions) {
      const want = quiz.key[q.dataset.questionId] || [];
      const got = chosen(q);
      const right = got.length === want.length && want.every((v) => got.includes(v));
      if (right) correct += 1;
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
      if (!right) feedback.append(" " + t.right_answer + want.map((v) => answerText(q, v)).join("; "));
      feedback.hidden = false;
      const explanation = q.querySelector("[data-quiz-explanation]");
      if (explanation) explanation.hidden = false;
    }
    const total = quiz.questions.length;
    const percent = total ? Math.round((100 * correct) / total) : 0;
    const passed = percent >= quiz.passMark;
    const { result } = quiz;
    result.dataset.score = String(percent);
    result.dataset.passed = String(passed);
    result.replaceChildren(
      el("p", fill(t.score, { score: percent, correct, total })),
      el("p", fill(passed ? t.passed : t.failed, { pass_mark: quiz.passMark })),
    );
    quiz.status.textContent = "";
    quiz.submit.hidden = true;
    quiz.retry.hidden = false;
    quiz.root.dataset.quizState = "scored";
    if (fresh) {
      save(quiz, { score: percent, passed, correct, total, at: Date.now() });
      result.focus();
      quiz.root.dispatchEvent(new CustomEvent("quiz:scored", {
        bubbles: true, detail: { id: quiz.id, score: percent, passed, correct, total },
      }));
    }
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
    for (const q of quiz.questions) {
      q.removeAttribute("data-outcome");
      q.removeAttribute("data-unanswered");
      for (const input of q.querySelectorAll("input")) {
        input.checked = input.disabled = false;
        input.closest("label").removeAttribute("data-mark");
      }
      q.querySelector("[data-quiz-feedback]").hidden = true;
      const explanation = q.querySelector("[data-quiz-explanation]");
      if (explanation) explanation.hidden = true;
    }
    const { result } = quiz;
    result.replaceChildren();
    result.removeAttribute("data-score");
    result.removeAttribute("data-passed");
    quiz.status.textContent = "";
    quiz.warned = false;
    quiz.submit.hidden = false;
    quiz.retry.hidden = true;
    delete quiz.root.dataset.quizState;
    store.drop(quiz.id);
    quiz.root.scrollIntoView({ block: "start" });
    quiz.questions[0]?.querySelector("input")?.focus({ preventScroll: true });
  }

  const quizOf = (target) => quizzes.get(target.closest?.(ROOT));

  document.addEventListener("submit", (event) => {
    const quiz = quizOf(event.target);
    if (!quiz) return;
    event.preventDefault();
    if (quiz.root.dataset.quizState === "scored") return;
    const missing = quiz.questions.filter((q) => !chosen(q).length);
    if (missing.length && !quiz.warned) warnUnanswered(quiz, missing);
    else score(quiz, true);
  });

  document.addEventListener("change", (event) => {
    const quiz = quizOf(event.target);
    if (!quiz) return;
    event.target.closest("[data-question-id]")?.removeAttribute("data-unanswered");
    quiz.warned = false;
    save(quiz, null);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-quiz-retry]");
    const quiz = button && quizOf(button);
    if (quiz) reset(quiz);
  });

  const start = () => document.querySelectorAll(ROOT).forEach(init);
  window.generatorQuiz = { init };
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
