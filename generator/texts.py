"""Interface texts of the quiz, per page language.

The engine script holds no texts of its own: the template puts these into the page, so
the script stays small and one place holds every word a worker reads.
"""

from __future__ import annotations

UI_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "intro": "共 {count} 题，答对 {pass_mark}% 及格。",
        "nojs": "这里可以阅读全部题目。自动评分需要启用 JavaScript：请换用手机自带浏览器或微信打开，或打开浏览器的 JavaScript。",
        "question": "第 {n} 题",
        "single": "单选",
        "multiple": "多选（选出所有正确答案）",
        "true_false": "判断",
        "true": "正确",
        "false": "错误",
        "submit": "提交答案",
        "retry": "重新答题",
        "unanswered": "还有 {count} 题没有作答（{list}）。没作答的题按答错计分；确认交卷请再点一次“提交答案”。",
        "unanswered_item": "第 {n} 题",
        "list_sep": "、",
        "score": "得分 {score}%：答对 {correct} 题，共 {total} 题。",
        "passed": "通过！及格线是 {pass_mark}%。",
        "failed": "未通过，及格线是 {pass_mark}%。看看下面的解析，再试一次吧。",
        "correct": "回答正确。",
        "incorrect": "回答错误。",
        "unanswered_one": "没有作答。",
        "right_answer": "正确答案：",
        "restored": "已恢复你上次的答题进度。",
    },
    "en": {
        "intro": "{count} questions. You pass with {pass_mark}% correct.",
        "nojs": "You can read all the questions here. Scoring needs JavaScript: open the page in your phone's browser or WeChat, or turn JavaScript on.",
        "question": "Question {n}",
        "single": "Choose one",
        "multiple": "Choose all that apply",
        "true_false": "True or false",
        "true": "True",
        "false": "False",
        "submit": "Submit answers",
        "retry": "Try again",
        "unanswered": "{count} question(s) not answered yet ({list}). Unanswered questions count as wrong; press \u201cSubmit answers\u201d again to hand in.",
        "unanswered_item": "question {n}",
        "list_sep": ", ",
        "score": "Score {score}%: {correct} of {total} correct.",
        "passed": "Passed! The pass mark is {pass_mark}%.",
        "failed": "Not passed; the pass mark is {pass_mark}%. Read the explanations below and try again.",
        "correct": "Correct.",
        "incorrect": "Incorrect.",
        "unanswered_one": "Not answered.",
        "right_answer": "Correct answer: ",
        "restored": "Your earlier answers were restored.",
    },
}

SCRIPT_TEXTS = (
    "unanswered", "unanswered_item", "list_sep", "score", "passed", "failed",
    "correct", "incorrect", "unanswered_one", "right_answer", "restored",
)
"""The texts quiz.js shows; the rest are written into the page by the template."""

INDEX_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "全部测验",
        "summary": "{count} 题 · {pass_mark}% 及格",
        "empty": "还没有测验。",
    },
    "en": {
        "title": "All quizzes",
        "summary": "{count} questions · pass mark {pass_mark}%",
        "empty": "No quizzes yet.",
    },
}
