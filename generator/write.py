"""Model -> quiz file text, in the project's format (the reverse of load.py).

Used by import and scaffolding.  A text that is the same in both languages is written
once, as DESIGN §6 allows; YAML quoting is left to PyYAML so any sheet text stays text.
"""

from __future__ import annotations

import yaml

from .model import Mode, Option, Picture, QuestionType, Quiz, Text


def _text(text: Text):
    return text.zh if text.zh == text.en else {"zh": text.zh, "en": text.en}


def _picture(picture: Picture) -> dict:
    return {"file": picture.file, "alt": _text(picture.alt)}


def _option(option: Option):
    """An option as load.py reads it: its text, a picture alone (its alt is its text), or both."""
    if option.image is None:
        return _text(option.text)
    if not option.text_shown:
        return {"image": _picture(option.image)}
    return {"zh": option.text.zh, "en": option.text.en, "image": _picture(option.image)}


def quiz_data(quiz: Quiz) -> dict:
    data: dict = {"title": _text(quiz.title), "pass_mark": quiz.pass_mark}
    if quiz.description:
        data["description"] = _text(quiz.description)
    if quiz.mode is not Mode.PRACTICE:
        data["mode"] = quiz.mode.value
    if quiz.draw:
        data["draw"] = quiz.draw
    if quiz.shuffle:
        data["shuffle"] = True
    if quiz.time_limit:
        data["time_limit"] = f"{quiz.time_limit}s"
    questions = []
    for question in quiz.questions:
        item: dict = {"id": question.id, "type": question.type.value, "prompt": _text(question.prompt)}
        if question.image:
            item["image"] = _picture(question.image)
        if question.type is QuestionType.TRUE_FALSE:
            item["answer"] = "true" in question.answer
        else:
            item["options"] = [_option(option) for option in question.options]
            letters = sorted(question.answer)
            item["answer"] = letters[0] if question.type is QuestionType.SINGLE else letters
        if question.explanation:
            item["explanation"] = _text(question.explanation)
        questions.append(item)
    data["questions"] = questions
    return data


class _Dumper(yaml.SafeDumper):
    """Block style everywhere, but answer lists as "[A, C]", the way README shows them; lists indented."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, items: list):
    letters = all(isinstance(item, str) and len(item) == 1 for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=letters)


def _str(dumper: yaml.SafeDumper, text: str):
    """Texts with line breaks as "|" blocks, or double-quoted with escapes when a block cannot hold them.

    PyYAML would write them single-quoted, where a NEL (U+0085) line break folds into a space
    when read back: a text from a sheet would change on its way through the quiz file.
    """
    if any(ch in text for ch in "\r\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_str(text)


_Dumper.add_representer(list, _list)
_Dumper.add_representer(str, _str)


def quiz_to_yaml(quiz: Quiz, header: str = "") -> str:
    """The quiz as a quiz file; ``header`` lines are written first, as comments."""
    body = yaml.dump(
        quiz_data(quiz), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body
