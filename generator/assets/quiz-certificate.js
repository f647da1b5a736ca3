/* Certificate drawing for the quiz engine, loaded only when a worker who passed asks for one.
 * Draws on a canvas the size of A4 at 150 dpi; quiz.js turns it into a PNG to keep or print.
 * The name is drawn as canvas text, so whatever was typed can never run as markup.
 */
(() => {
  "use strict";
  const W = 1240;
  const H = 1754;
  const CJK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"';
  // Latin first for English, or CJK fonts draw its quotation marks full-width.
  const FONTS = { zh: `${CJK}, sans-serif`, en: `"Noto Sans", "Helvetica Neue", Arial, ${CJK}, sans-serif` };
  const INK = "#1a237e";
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

  // What a line may not end with (opening brackets and quotes) or begin with (closing ones and
  // punctuation): the line-breaking rules of Chinese typesetting (and of English for brackets).
  const OPENING = /^[（【《「『〔〈“‘(\[{]+$/;
  const CLOSING = /^[）】》」』〕〉”’)\]}、。，．：；？！…,.:;?!％%]/;

  // Pieces that stay together: an opening mark with what follows it, closing marks with what precedes.
  function units(pieces) {
    const out = [];
    let opening = "";
    for (const piece of pieces) {
      if (OPENING.test(piece)) { opening += piece; continue; }
      const unit = opening + piece;
      opening = "";
      if (out.length && CLOSING.test(unit) && !/\s$/.test(out[out.length - 1])) out[out.length - 1] += unit;
      else out.push(unit);
    }
    if (opening) out.push(opening);
    return out;
  }

  // Lines no wider than width: Chinese breaks between characters, other scripts between words.
  function wrap(ctx, text, width) {
    const pieces = units(text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g) || []);
    const lines = [];
    let line = "";
    for (const piece of pieces) {
      if (line && ctx.measureText(line + piece).width > width) { lines.push(line.trimEnd()); line = piece.trimStart(); }
      else line += piece;
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  function draw(info) {
    const { t } = info;
    const canvas = document.createElement("canvas");
    canvas.width = W;
    canvas.height = H;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 12;
    ctx.strokeRect(60, 60, W - 120, H - 120);
    ctx.lineWidth = 3;
    ctx.strokeRect(92, 92, W - 184, H - 184);
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    let y = 280;
    const text = (value, size, options = {}) => {
      const font = (px) => `${options.bold ? "700 " : ""}${px}px ${FONTS[info.lang] || FONTS.zh}`;
      ctx.font = font(size);
      // Titles and names shrink to stay on one line (down to about half size), then wrap.
      while (options.fit && size > 48 && ctx.measureText(value).width > W - 280) ctx.font = font((size -= 4));
      ctx.fillStyle = options.color || "#212121";
      for (const line of wrap(ctx, value, W - 280)) {
        ctx.fillText(line, W / 2, y);
        y += Math.round(size * 1.45);
      }
      y += options.after || 0;
    };
    if (info.site) text(info.site, 40, { color: "#424242", after: 110 });
    text(t.cert_title, 104, { bold: true, color: INK, after: 120, fit: true });
    text(info.name, 88, { bold: true, after: 10, fit: true });
    if (info.unit) text(info.unit, 48, { color: "#424242" });
    y += 90;
    text(fill(t.cert_line, { quiz: info.quiz, score: info.score, pass_mark: info.passMark }), 50, { after: 120 });
    const date = new Date(info.at).toLocaleString(info.lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "long", timeStyle: "short" });
    text(fill(t.cert_date, { date }), 42, { color: "#424242" });
    text(fill(t.cert_code, { code: info.code }), 42, { color: "#424242" });
    y = H - 170;
    text(t.cert_footer, 30, { color: "#616161" });
    return canvas;
  }

  window.generatorQuizCertificate = { draw, wrap };
})();
