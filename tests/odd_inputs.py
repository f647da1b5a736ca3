"""Big and odd inputs (issue 8): a 5,000-question quiz, a 1 MB module, texts outside the BMP, emoji, RTL.

The scenario is built once per test run by the ``odd_site`` fixture of tests/conftest.py and used
by tests/build/test_odd_inputs.py (the pages hold the texts intact) and
tests/browser/test_odd_inputs.py (the big quiz works, the odd texts stay inside a 360-px screen).
"""

from __future__ import annotations

import yaml

from .conftest import campaign_of, fixture_config, question_bank

BIG_COUNT = 5000
MODULE_BYTES = 1_000_000

RARE = "𠀀𪚥𰻞"
"""CJK Extension B (U+20000, U+2A6A5) and G (U+30EDE): four bytes in UTF-8, two UTF-16 code units in JS."""
EMOJI = "👷‍♀️🧯🇨🇳🏳️‍🌈👍🏽1️⃣👨‍👩‍👧‍👦"
"""ZWJ sequences (woman construction worker, rainbow flag, family), a regional-indicator flag, a skin tone, a keycap."""
ARABIC = "السلامة أولاً في موقع العمل"
HEBREW = "בטיחות קודם כל באתר העבודה"

ODD = {
    "title_zh": f"{RARE}安全测验 {EMOJI}",
    "title_en": f"Safety quiz {RARE} · {ARABIC} · {HEBREW}",
    "prompt_zh": f"“{ARABIC}”是什么意思？{RARE}{EMOJI}",
    "prompt_en": f"What does “{ARABIC}” mean? And “{HEBREW}”? {EMOJI}",
    "option_a": f"{ARABIC} = 安全第一 safety first",
    "option_b": f"{HEBREW} {EMOJI}",
    "option_c": f"{RARE}（罕用字 rare characters）",
    "explanation": f"{ARABIC}：安全第一。{HEBREW}。{RARE}{EMOJI}",
    "long_rtl": " ".join([ARABIC, HEBREW] * 12),
    "emoji_run": EMOJI * 8,
    "theme_zh": f"测试主题{RARE}——{EMOJI}",
    "theme_en": f"Safety for everyone {EMOJI} · {ARABIC}",
    "organiser_zh": f"{RARE}县安全生产委员会办公室",
    "organiser_en": f"{HEBREW} · Work Safety Committee",
    "activity_zh": f"“{ARABIC}”咨询日 {EMOJI}",
    "activity_en": f"Consultation day {ARABIC} {EMOJI}",
    "place_zh": f"{RARE}广场",
    "place_en": f"{HEBREW} square",
}
"""Every odd text of the scenario: each must reach its page unchanged."""


def odd_quiz() -> str:
    """A quiz whose title, prompts, options and explanation mix astral CJK, emoji, Arabic and Hebrew."""
    quiz = {
        "title": {"zh": ODD["title_zh"], "en": ODD["title_en"]},
        "description": {"zh": f"{RARE} {ODD['long_rtl']}", "en": ODD["emoji_run"]},
        "questions": [
            {
                "id": "rtl",
                "type": "single",
                "prompt": {"zh": ODD["prompt_zh"], "en": ODD["prompt_en"]},
                "options": [ODD["option_a"], ODD["option_b"], ODD["option_c"]],
                "answer": "A",
                "explanation": ODD["explanation"],
            },
            {
                "id": "long",
                "type": "multiple",
                "prompt": ODD["long_rtl"],
                "options": [ODD["emoji_run"], ODD["long_rtl"], RARE],
                "answer": ["A", "C"],
            },
            {
                "id": "emoji",
                "type": "true_false",
                "prompt": {"zh": f"{EMOJI}是表情符号。", "en": f"{EMOJI} are emoji."},
                "answer": True,
            },
        ],
    }
    return yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False)


def big_quiz(count: int = BIG_COUNT) -> str:
    return "title:\n  zh: 五千题题库\n  en: Five thousand questions\nquestions:\n" + question_bank(count)


def huge_module(language: str, size: int = MODULE_BYTES) -> str:
    """About ``size`` bytes of ordinary module Markdown: headings, paragraphs, lists, a table, admonitions."""
    if language == "zh":
        parts = [f"# 超长模块 {RARE}\n\n本模块用于测试：约 1 MB 的 Markdown。{EMOJI}\n"]
        section = (
            "## 第{n}节 安全生产责任\n\n生产经营单位的主要负责人是本单位安全生产第一责任人，对本单位的安全生产工作全面负责（第{n}条）。"
            "其他负责人对职责范围内的安全生产工作负责。从业人员应当遵守本单位的安全生产规章制度和操作规程，"
            "服从管理，正确佩戴和使用劳动防护用品。{rare}\n\n"
            "- 发现事故隐患立即报告\n- 接受安全生产教育和培训\n- **不得**违章指挥、强令冒险作业\n\n"
            "| 项目 | 要求 |\n| --- | --- |\n| 第{n}项 | 按规定检查 |\n\n"
            '!!! warning "注意"\n    发现直接危及人身安全的紧急情况时，有权停止作业或者在采取可能的应急措施后撤离作业场所。\n\n'
        )
    else:
        parts = [f"# Very long module {RARE}\n\nThis module tests about 1 MB of Markdown. {EMOJI}\n"]
        section = (
            "## Section {n}: responsibility for work safety\n\nThe principal person in charge of a business is the first person "
            "responsible for its work safety and answers for all of it (article {n}). Other managers answer for work safety "
            "within their duties. Workers follow the unit's safety rules and operating procedures, obey management and wear "
            "and use protective equipment correctly. {rare}\n\n"
            "- Report a hazard at once\n- Take part in safety education and training\n- **Never** order risky work\n\n"
            "| Item | Requirement |\n| --- | --- |\n| Item {n} | Check as required |\n\n"
            '!!! warning "Watch out"\n    In an emergency that directly endangers life, you may stop work or leave the site '
            "after taking what emergency measures you can.\n\n"
        )
    n, total = 0, len(parts[0].encode("utf-8"))
    while total < size:
        n += 1
        text = section.format(n=n, rare=RARE if n % 50 == 0 else "")
        parts.append(text)
        total += len(text.encode("utf-8"))
    return "".join(parts)


def odd_pages() -> dict[str, str]:
    return {
        "index.zh.md": "# 首页\n\n<!-- campaign -->\n\n<!-- quiz-list -->\n",
        "index.en.md": "# Home\n\n<!-- campaign -->\n\n<!-- quiz-list -->\n",
        "modules/huge.zh.md": huge_module("zh"),
        "modules/huge.en.md": huge_module("en"),
        "modules/odd.zh.md": f"# {RARE}{EMOJI}\n\n{ODD['long_rtl']}\n\n<!-- quiz: odd -->\n",
        "modules/odd.en.md": f"# {ARABIC} {EMOJI}\n\n{HEBREW}\n\n<!-- quiz: odd -->\n",
    }


def odd_config() -> dict:
    """The test project's mkdocs.yml with the odd texts in every campaign field."""
    config = fixture_config()
    campaign = campaign_of(config)
    campaign["theme"] = {"zh": ODD["theme_zh"], "en": ODD["theme_en"]}
    campaign["organiser"] = {"zh": ODD["organiser_zh"], "en": ODD["organiser_en"]}
    campaign["activities"][0]["title"] = {"zh": ODD["activity_zh"], "en": ODD["activity_en"]}
    campaign["activities"][0]["place"] = {"zh": ODD["place_zh"], "en": ODD["place_en"]}
    return config
