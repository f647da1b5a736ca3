"""Exports of a quiz for other tools and for paper: Moodle GIFT and a printable exam.

GIFT (Moodle's question format) escapes ~ = # { } : with a backslash; a multiple-choice
question spreads 100% over its right options and gives -100% to each wrong one, which is
how Moodle scores "all that apply".  The paper exam is one self-contained HTML file per
language: numbered questions with boxes to tick, and the answer key on its own A4 page.

Pictures: a GIFT file is text and cannot carry files, so a question with pictures points at
them on the published site (``[html]`` with ``<img src="https://…">``), or, without the site's
address, says in brackets what each shows.  The paper exam carries its pictures inside it
(data: URIs), so that the one file prints anywhere, offline; it names no picture file, whose
name could give an answer away.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from html import escape

from .images import Processed
from .model import Picture, Question, QuestionType, Quiz, Text
from .render import environment, inline_markdown
from .texts import UI_TEXT, number

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")

QUESTION_PICTURE_PX = 480
"""A question's picture in Moodle, in CSS pixels at most: Moodle shows an ``<img>`` at its file's size
(720 px, wider than its question text column on a laptop)."""
OPTION_PICTURE_PX = 160
"""An option's picture in Moodle: Moodle lists options one under another, and four sign pictures of this
size fit one laptop screen with the question."""
_DESCRIBED = {"zh": "[图片：{}]", "en": "[Picture: {}]", "both": "[图片 Picture：{}]"}
"""A picture in GIFT without the site's address: what it shows, in brackets."""


def _in(text: Text, language: str) -> str:
    """``text`` in ``language``: zh, en, or both (Chinese / English, once when they are the same)."""
    if language in ("zh", "en"):
        return text.get(language)
    return text.zh if text.zh == text.en else f"{text.zh} / {text.en}"


def _gift_escape(value: str) -> str:
    """One line of GIFT text: whitespace runs (a blank line ends a question) as one space, specials escaped."""
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _gift_text(text: Text, language: str) -> str:
    return _gift_escape(_in(text, language))


def _html_text(text: Text, language: str) -> str:
    """``text`` as the HTML the site shows for it (Markdown made inline, everything else escaped)."""
    if language in ("zh", "en") or text.zh == text.en:
        return str(inline_markdown(_in(text, language)))
    return f"{inline_markdown(text.zh)} / {inline_markdown(text.en)}"


def picture_url(site_url: str, picture: Processed) -> str:
    """The address of ``picture`` on the published site: its fallback file (JPEG, PNG, or the SVG or GIF
    itself), which every browser and Moodle can show; the site publishes it at ``<site_url>images/…``."""
    return f"{site_url.rstrip('/')}/{picture.fallback.path}"


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


class _GiftPictures:
    """How one GIFT file writes pictures: as ``<img>`` on the published site when its address is known
    and the picture was processed, else as what it shows in brackets."""

    def __init__(self, language: str, pictures: Mapping[str, Processed] | None, site_url: str) -> None:
        self.language = language
        self.pictures = pictures or {}
        self.site_url = site_url

    def shown(self, question: Question) -> bool:
        """True when the question's pictures are shown: the question is then written as ``[html]``."""
        return (
            bool(question.pictures) and bool(self.site_url) and all(p.file in self.pictures for p in question.pictures)
        )

    def img(self, picture: Picture, width: int) -> str:
        """``width``: at most that many CSS pixels wide (an SVG exactly as wide: it has no pixels of its own)."""
        processed = self.pictures[picture.file]
        fallback = processed.fallback
        if fallback.mime != "image/svg+xml":
            width = min(width, fallback.width)
        return (
            f'<img src="{escape(picture_url(self.site_url, processed))}" '
            f'alt="{escape(_in(picture.alt, self.language))}" width="{width}">'
        )

    def described(self, picture: Picture) -> str:
        return _DESCRIBED[self.language].format(_in(picture.alt, self.language))


def to_gift(
    quiz: Quiz, language: str = "both", pictures: Mapping[str, Processed] | None = None, site_url: str = ""
) -> str:
    """The quiz in GIFT; ``language`` is zh, en or both (Chinese / English side by side).

    ``pictures``: each picture's processed files by its ``file`` (as the site publishes them), and
    ``site_url`` the published site's address: a question with pictures then shows them from there.
    Without either, its pictures are described in brackets ("[图片：…]"); a quiz without pictures is
    written the same either way.
    """
    gift_pictures = _GiftPictures(language, pictures, site_url)
    lines = [f"// {_gift_text(quiz.title, language)} ({quiz.id})", f"$CATEGORY: {quiz.id}", ""]
    for q in quiz.questions:
        lines += _gift_question(q, language, gift_pictures)
        lines.append("")
    return "\n".join(lines)


def _gift_question(q: Question, language: str, pictures: _GiftPictures) -> list[str]:
    """One question's lines.  A question whose pictures are shown is ``[html]``, and Moodle reads its
    options and feedback in the question's format, so they are HTML too (what the site shows for them);
    every other question is ``[markdown]``, as the quiz files' texts are."""
    html = pictures.shown(q)

    def text(value: Text) -> str:
        return _html_text(value, language) if html else _in(value, language)

    def picture(value: Picture, width: int) -> str:
        return pictures.img(value, width) if html else pictures.described(value)

    prompt = text(q.prompt)
    if q.image:
        prompt += ("<br>" if html else " ") + picture(q.image, QUESTION_PICTURE_PX)
    head = f"::{q.id}::[{'html' if html else 'markdown'}]{_gift_escape(prompt)}"
    feedback = f"####{_gift_escape(text(q.explanation))}" if q.explanation else ""
    if q.type is QuestionType.TRUE_FALSE:
        return [f"{head}{{{'TRUE' if 'true' in q.answer else 'FALSE'}{feedback}}}"]
    lines = [head + "{"]
    for option in q.options:
        # The picture first, as on the site; a picture-only option's text is its picture's alt.
        parts = [picture(option.image, OPTION_PICTURE_PX)] if option.image else []
        if option.text_shown:
            parts.append(text(option.text))
        label = _gift_escape(" ".join(parts))
        if q.type is QuestionType.SINGLE:
            lines.append(f"{'=' if option.letter in q.answer else '~'}{label}")
        else:
            share = _weight(100 / len(q.answer)) if option.letter in q.answer else "-100"
            lines.append(f"~%{share}%{label}")
    if feedback:
        lines.append(feedback)
    lines.append("}")
    return lines


PAPER_TEXT = {
    "zh": {
        "name": "姓名",
        "unit": "单位",
        "date": "日期",
        "score": "得分",
        "key": "参考答案",
        "intro": "共 {count} 题，每题 {points} 分，{pass_mark} 分及格。单选、判断题选一个；多选题选出所有正确答案。",
        "answer": "答案",
        "number": "题号",
    },
    "en": {
        "name": "Name",
        "unit": "Workplace",
        "date": "Date",
        "score": "Score",
        "key": "Answer key",
        "intro": (
            "{count} questions, {points} points each; {pass_mark} to pass. "
            "Tick one box, or every right box where it says so."
        ),
        "answer": "Answer",
        "number": "No.",
    },
}


CM = 96 / 2.54
"""CSS pixels per centimetre: what a browser prints a pixel of ``width``/``height`` as."""
QUESTION_PICTURE_BOX = (8 * CM, 5 * CM)
"""A question's picture on paper fits 8 cm x 5 cm: a sign big enough to recognise, three questions a page."""
OPTION_PICTURE_BOX = (2.6 * CM, 2.6 * CM)
"""An option's picture fits 2.6 cm x 2.6 cm: four options side by side across an A4 page with their boxes."""


def to_paper(quiz: Quiz, language: str, pictures: Mapping[str, Processed] | None = None) -> str:
    """A printable exam in one language, with the answer key on a separate page.

    ``pictures``: each picture of the quiz processed as the site publishes it, by its ``file``
    (needed when the quiz has pictures); they are put inside the page.  The answer key gives
    letters and explanations only, as for a quiz without pictures.
    """
    ui = UI_TEXT[language]
    text = PAPER_TEXT[language]
    pictures = pictures or {}
    points = round(100 / len(quiz.questions), 1)
    questions = []
    for index, q in enumerate(quiz.questions, start=1):
        if q.type is QuestionType.TRUE_FALSE:
            choices = [("", ui["true"], None), ("", ui["false"], None)]
            key = ui["true"] if "true" in q.answer else ui["false"]
        else:
            choices = [
                (
                    o.letter,
                    inline_markdown(o.text.get(language)) if o.text_shown else "",
                    _paper_picture(o.image, pictures, language, OPTION_PICTURE_BOX) if o.image else None,
                )
                for o in q.options
            ]
            key = "".join(sorted(q.answer))
        questions.append(
            {
                "number": index,
                "type": ui[q.type.value],
                "prompt": inline_markdown(q.prompt.get(language)),
                "picture": _paper_picture(q.image, pictures, language, QUESTION_PICTURE_BOX) if q.image else None,
                "option_pictures": any(o.image for o in q.options),
                "choices": choices,
                "key": key,
                "explanation": inline_markdown(q.explanation.get(language)) if q.explanation else "",
            }
        )
    return (
        environment()
        .get_template("paper.html")
        .render(
            lang=language,
            title=quiz.title.get(language),
            t=text,
            questions=questions,
            pictures=any(q.pictures for q in quiz.questions),
            intro=text["intro"].format(count=len(questions), points=_weight(points), pass_mark=number(quiz.pass_mark)),
        )
    )


def _paper_picture(
    picture: Picture, pictures: Mapping[str, Processed], language: str, box: tuple[float, float]
) -> dict[str, str | int]:
    """A picture inside the exam: its fallback file (the SVG or GIF itself, else a JPEG or PNG at most
    720 px wide: sharp at 8 cm) as a data: URI, at the largest size that fits ``box``."""
    processed = pictures.get(picture.file)
    if processed is None:  # staff.run_export processes every picture first and reports a missing file
        raise ValueError(f"the picture {picture.file!r} was not processed")
    fallback = processed.fallback
    data = base64.b64encode(processed.files[fallback.path].read_bytes()).decode("ascii")
    width, height = processed.width or 1, processed.height or 1
    scale = min(box[0] / width, box[1] / height)
    return {
        "src": f"data:{fallback.mime};base64,{data}",
        "alt": picture.alt.get(language),
        "width": max(1, round(width * scale)),
        "height": max(1, round(height * scale)),
    }
