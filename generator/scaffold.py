"""Starting points for staff: a new module (both languages) or a new quiz, with comments
that explain each part.  Nothing that exists is ever overwritten."""

from __future__ import annotations

from pathlib import Path

MODULE_TEMPLATE = {
    "zh": """\
# {title}

<!-- 这是新模块的模板。尖括号和感叹号之间的文字是说明，网页上不会显示，写完后可以删掉。
     每个二级标题（##）都要保留，英文文件 {name}.en.md 里有同样的几节。 -->

一两句话说明这个模块讲什么、为什么对工人重要。

## 你将学会

- 学完能做到的第一件事
- 第二件事

## 要点

- 用短句写规定和做法，每条一行。

!!! danger "最危险的错误"
    用提醒框写最要紧的警告。可用 note、tip、warning、danger、info。

## 该做和不该做

✅ 要做：

- ……

❌ 不要：

- ……

## 案例

一个真实感的工作场景：发生了什么，哪里做对了或做错了，应该吸取什么教训。

## 法律依据

- 《中华人民共和国安全生产法》第××条：这一条说了什么（条文号要和法律原文核对）。

## 测一测

<!-- 先运行 python -m generator new quiz {name} 建测验，再在这里单独一行写测验标记（见 README）。 -->

## 依据 / 来源

- 法律名称和条文号；资料来源的网址。
""",
    "en": """\
# {title}

<!-- A template for a new module. Text between these marks is guidance and does not show
     on the site; delete it when done. Keep every level-2 heading (##): the Chinese file
     {name}.zh.md has the same sections. -->

One or two sentences on what the module covers and why it matters to a worker.

## What you will be able to do

- The first thing the worker can do afterwards
- The second

## Key rules

- Short points, one rule or practice each.

!!! danger "The most dangerous mistake"
    Put the most important warning in a box: note, tip, warning, danger or info.

## Do and don't

✅ Do:

- ...

❌ Don't:

- ...

## Scenario

A realistic workplace scene: what happened, what went right or wrong, the lesson.

## Legal basis

- Work Safety Law Art. ##: what it says (check the number against the law text).

## Test yourself

<!-- Create the quiz with: python -m generator new quiz {name}; then put its marker line here (see README). -->

## Sources

- Laws with article numbers; addresses of the sources used.
""",
}

QUIZ_TEMPLATE = """\
# 测验文件 {name}.yaml：网址是 quizzes/{name}.html 和 en/quizzes/{name}.html。
# A quiz file: its pages are quizzes/{name}.html and en/quizzes/{name}.html.
# 井号 # 后面是说明，可以删掉。冒号、括号、逗号用英文半角，冒号后面空一格，缩进只用空格。

title:                      # 测验标题，中英文各一行 / title in both languages
  zh: {title}
  en: {title_en}
pass_mark: 80               # 及格线（百分比），不写默认 60 / percent needed to pass
# mode: exam                # 考试模式：交卷后才显示对错；不写就是练习模式
# draw: 10                  # 每次随机抽 10 题（不能超过题数）
# shuffle: true             # 每次打乱选项顺序
# time_limit: 15m           # 限时：15m、90s、1h
questions:
  - id: example-single      # 题目编号：小写字母、数字和 -，本文件内不重复
    type: single            # single 单选 | multiple 多选 | true_false 判断
    prompt:
      zh: 示例单选题：发现火灾应拨打哪个电话？（请改成你的题目）
      en: "Example: which number do you call to report a fire? (replace with your question)"
    options:                # 选项按顺序编为 A、B、C……；中英文相同可以只写一行
      - "110"
      - "119"
      - zh: 120（急救）
        en: 120 (ambulance)
    answer: B               # 单选写一个字母
    explanation:            # 解析：交卷后显示，写出依据的条文
      zh: 火警电话是 119。《消防法》第四十四条。
      en: The fire number is 119. Fire Protection Law Art. 44.
  - id: example-multiple
    type: multiple
    prompt:
      zh: 示例多选题：火场逃生时应该怎么做？
      en: "Example: what should you do to escape a fire?"
    options:
      - zh: 用湿毛巾捂住口鼻
        en: Cover your mouth and nose with a wet towel
      - zh: 乘电梯
        en: Take the lift
      - zh: 低姿前进
        en: Stay low
    answer: [A, C]          # 多选写成方括号里的列表
    explanation:
      zh: 不要乘电梯。
      en: Never use the lift.
  - id: example-true-false
    type: true_false
    prompt:
      zh: 示例判断题：门把手很烫时可以开门。
      en: "Example: you may open a door whose handle is hot."
    answer: false           # 判断题写 true（正确）或 false（错误）；不写 options
    explanation:
      zh: 错。门把手很烫说明门外有火，不要开门。
      en: False. A hot handle means fire behind the door; keep it shut.
"""


class Exists(Exception):
    """A file the command would write is already there."""


def new_module(docs_dir: Path, name: str) -> list[Path]:
    paths = [docs_dir / "modules" / f"{name}.{language}.md" for language in MODULE_TEMPLATE]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise Exists(existing[0])
    title = name.replace("-", " ").capitalize()
    for path, (language, template) in zip(paths, MODULE_TEMPLATE.items(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            template.format(name=name, title=title if language == "en" else f"新模块 {name}"), encoding="utf-8"
        )
    return paths


def new_quiz(quiz_dir: Path, name: str) -> Path:
    path = quiz_dir / f"{name}.yaml"
    if path.exists():
        raise Exists(path)
    quiz_dir.mkdir(parents=True, exist_ok=True)
    title_en = name.replace("-", " ").capitalize() + " quiz"
    path.write_text(
        QUIZ_TEMPLATE.format(name=name, title=f"{name} 测验（请改成中文标题）", title_en=title_en), encoding="utf-8"
    )
    return path
