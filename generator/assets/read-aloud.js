/* Read aloud (朗读, DESIGN §13): a button on each section of a page (its heading and what follows, up to
 * the next one) and on each quiz question, which reads it with the browser's own voice (Web Speech API)
 * in the page's language.  The buttons appear only where the browser has a voice for that language.
 * A question is read as the worker sees it: its prompt and options, and its feedback and explanation
 * only once they are shown (after answering); answers are sealed in the page until then, and only
 * text on screen is ever read.  One reading at a time: pause, resume, stop.
 * Written for old phones' browsers (ES2019 at most, checked by tests/unit/test_script_syntax.py).
 */
(() => {
  "use strict";
  const synth = window.speechSynthesis;
  const script = document.currentScript;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function" || !script) return;
  const t = JSON.parse(script.dataset.texts || "{}");
  const english = (document.documentElement.lang || "zh").toLowerCase().indexOf("en") === 0;
  const wanted = english ? /^en\b/i : /^(zh|cmn|yue)\b/i; // zh-CN, zh-TW, cmn-Hans-CN...
  const SECTION = "h1, h2";
  const SKIP = ".quiz, form, script, style, .read-aloud, .md-source-file, .headerlink";
  let voice = null;
  let current = null; // { box, parts, paused }

  const chooseVoice = () => {
    const voices = synth.getVoices().filter((v) => wanted.test(String(v.lang).replace("_", "-")));
    const local = voices.filter((v) => v.localService); // works with no network
    return local[0] || voices[0] || null;
  };

  // Pieces of at most MAX characters, cut after a sentence's end (or a clause's, or anywhere): long utterances stop halfway
  // in some browsers, and a piece at a time lets pause and stop take effect at once.
  const MAX = 120;
  const cut = (sentence) => (sentence.length <= MAX ? [sentence]
    : (sentence.match(/[^，,、：:]+[，,、：:]*/g) || []).reduce((parts, clause) => {
      for (let i = 0; i < clause.length; i += MAX) parts.push(clause.slice(i, i + MAX));
      return parts;
    }, []));
  function pieces(text) {
    const sentences = [].concat(...(text.replace(/\s+/g, " ").match(/[^。！？；.!?;]+[。！？；.!?;]*/g) || []).map(cut));
    const out = [];
    for (const sentence of sentences) {
      const last = out.length - 1;
      if (last >= 0 && out[last].length + sentence.length <= MAX) out[last] += sentence;
      else out.push(sentence);
    }
    return out.map((piece) => piece.trim()).filter(Boolean);
  }

  const shown = (element) => !element.hidden && !element.closest("[hidden]") && element.getClientRects().length > 0;
  const textOf = (element) => (element && shown(element) ? element.innerText.replace(/¶/g, "") : "");

  function sectionText(heading) {
    const parts = [textOf(heading)];
    for (let next = heading.nextElementSibling; next && !next.matches(SECTION); next = next.nextElementSibling) {
      if (!next.matches(SKIP) && !next.querySelector(".quiz")) parts.push(textOf(next));
    }
    return parts.join("\n");
  }

  function questionText(question) {
    const parts = [textOf(question.querySelector("legend"))];
    question.querySelectorAll(".quiz__option").forEach((option) => parts.push(textOf(option)));
    parts.push(textOf(question.querySelector("[data-quiz-feedback]")));
    parts.push(textOf(question.querySelector("[data-quiz-explanation]")));
    return parts.filter(Boolean).join("\n");
  }

  function show(box, state) {
    const [read, stop] = box.children;
    read.textContent = state === "speaking" ? t.pause : state === "paused" ? t.resume : t.read;
    read.setAttribute("aria-pressed", String(state !== "idle"));
    stop.hidden = state === "idle";
  }

  function finish() {
    if (current) show(current.box, "idle");
    current = null;
  }

  function speak(box, text) {
    synth.cancel();
    finish();
    const parts = pieces(text);
    if (!parts.length) return;
    current = { box, parts, paused: false };
    const reading = current;
    const next = () => {
      if (current !== reading) return;
      const piece = reading.parts.shift();
      if (piece === undefined) { finish(); return; }
      const utterance = new SpeechSynthesisUtterance(piece);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.onend = next;
      utterance.onerror = () => { if (current === reading) finish(); };
      synth.speak(utterance);
    };
    show(box, "speaking");
    next();
  }

  function press(box) {
    if (current && current.box === box) {
      current.paused = !current.paused;
      if (current.paused) synth.pause();
      else synth.resume();
      show(box, current.paused ? "paused" : "speaking");
      return;
    }
    speak(box, box.readAloud());
  }

  function button(what, read, place) {
    const box = document.createElement("div");
    box.className = "read-aloud";
    box.setAttribute("data-read-aloud", "");
    box.readAloud = read;
    const start = document.createElement("button");
    start.type = "button";
    start.className = "read-aloud__button";
    start.setAttribute("aria-label", (t.read_label || "{what}").replace("{what}", what.trim().slice(0, 60)));
    const stop = document.createElement("button");
    stop.type = "button";
    stop.className = "read-aloud__button";
    stop.textContent = t.stop;
    stop.hidden = true;
    start.addEventListener("click", () => press(box));
    stop.addEventListener("click", () => { synth.cancel(); finish(); });
    box.append(start, stop);
    show(box, "idle");
    place(box);
  }

  function addQuestion(question) {
    const legend = question.querySelector("legend");
    if (!legend || question.querySelector(".read-aloud")) return;
    const prompt = question.querySelector(".quiz__prompt");
    button(prompt ? prompt.textContent : legend.textContent, () => questionText(question), (box) => legend.after(box));
  }

  function start() {
    if (voice || !(voice = chooseVoice())) return;
    const article = document.querySelector(".md-content article") || document.querySelector(".md-content");
    if (!article) return;
    article.querySelectorAll(SECTION).forEach((heading) => {
      if (heading.parentElement !== article && !heading.parentElement.matches(".md-content__inner")) return;
      button(heading.textContent.replace(/¶/g, ""), () => sectionText(heading), (box) => heading.after(box));
    });
    document.querySelectorAll(".quiz__question").forEach(addQuestion);
    // The learner pages put their questions in after loading them.
    new MutationObserver(() => document.querySelectorAll(".quiz__question").forEach(addQuestion))
      .observe(article, { childList: true, subtree: true });
    window.addEventListener("pagehide", () => synth.cancel());
  }

  // Voices arrive late in some browsers (Chromium loads them after the page): wait for them.
  if (synth.addEventListener) synth.addEventListener("voiceschanged", start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
