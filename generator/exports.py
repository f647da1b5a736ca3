"""Exports of a quiz for other tools and for paper: Moodle GIFT and a printable exam.

GIFT (Moodle's question format) escapes ~ = # { } : with a backslash; a multiple-choice
question spreads 100% over its right options and gives -100% to each wrong one, which is
how Moodle scores "all that apply".  The paper exam is one self-contained HTML file per
language: numbered questions with boxes to tick, and the answer key on its own A4 page.
"""

from __future__ import annotations

import re

from .model import QuestionType, Quiz, Text
from .render import environment, inline_markdown
from .texts import UI_TEXT, number

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift_text(text: Text, language: str) -> str:
    value = (
        text.zh
        if language == "zh"
        else text.en
        if language == "en"
        else (text.zh if text.zh == text.en else f"{text.zh} / {text.en}")
    )
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


def to_gift(quiz: Quiz, language: str = "both") -> str:
    """The quiz in GIFT; ``language`` is zh, en or both (Chinese / English side by side)."""
    lines = [f"// {_gift_text(quiz.title, language)} ({quiz.id})", f"$CATEGORY: {quiz.id}", ""]
    for q in quiz.questions:
        feedback = f"####{_gift_text(q.explanation, language)}" if q.explanation else ""
        head = f"::{q.id}::[markdown]{_gift_text(q.prompt, language)}"
        if q.type is QuestionType.TRUE_FALSE:
            lines.append(f"{head}{{{'TRUE' if 'true' in q.answer else 'FALSE'}{feedback}}}")
        else:
            lines.append(head + "{")
            for option in q.options:
                text = _gift_text(option.text, language)
                if q.type is QuestionType.SINGLE:
                    lines.append(f"{'=' if option.letter in q.answer else '~'}{text}")
                else:
                    share = _weight(100 / len(q.answer)) if option.letter in q.answer else "-100"
                    lines.append(f"~%{share}%{text}")
            if feedback:
                lines.append(feedback)
            lines.append("}")
        lines.append("")
    return "\n".join(lines)


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


def to_paper(quiz: Quiz, language: str) -> str:
    """A printable exam in one language, with the answer key on a separate page."""
    ui = UI_TEXT[language]
    text = PAPER_TEXT[language]
    points = round(100 / len(quiz.questions), 1)
    questions = []
    for index, q in enumerate(quiz.questions, start=1):
        if q.type is QuestionType.TRUE_FALSE:
            choices = [("", ui["true"]), ("", ui["false"])]
            key = ui["true"] if "true" in q.answer else ui["false"]
        else:
            choices = [(o.letter, inline_markdown(o.text.get(language))) for o in q.options]
            key = "".join(sorted(q.answer))
        questions.append(
            {
                "number": index,
                "type": ui[q.type.value],
                "prompt": inline_markdown(q.prompt.get(language)),
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
            intro=text["intro"].format(count=len(questions), points=_weight(points), pass_mark=number(quiz.pass_mark)),
        )
    )
