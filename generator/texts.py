"""Interface texts of the quiz, per page language.

The engine script holds no texts of its own: the template puts these into the page, so
the scripts stay small and one place holds every word a worker reads.
"""

from __future__ import annotations

UI_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "intro": "共 {count} 题，答对 {pass_mark}% 及格。",
        "intro_draw": "每次从 {bank} 道题中随机抽取 {count} 题，答对 {pass_mark}% 及格。",
        "intro_time": "限时 {limit}。",
        "intro_practice": "练习模式：每答一题就显示对错和解析。",
        "intro_exam": "考试模式：交卷后才显示对错和解析。",
        "nojs": "这里可以阅读全部题目。自动评分需要启用 JavaScript：请换用手机自带浏览器或微信打开，或打开浏览器的 JavaScript。",
        "question": "第 {n} 题",
        "single": "单选",
        "multiple": "多选（选出所有正确答案）",
        "true_false": "判断",
        "true": "正确",
        "false": "错误",
        "submit": "提交答案",
        "retry": "重新答题",
        "start": "开始答题",
        "start_note": "点“开始答题”后开始计时。",
        "check": "核对本题",
        "unanswered": "还有 {count} 题没有作答（{list}）。没作答的题按答错计分；确认交卷请再点一次“提交答案”。",
        "unanswered_item": "第 {n} 题",
        "list_sep": "、",
        "score": "得分 {score}%：答对 {correct} 题，共 {total} 题。",
        "passed": "通过！及格线是 {pass_mark}%。",
        "failed": "未通过，及格线是 {pass_mark}%。看看下面的解析，再试一次吧。",
        "taken": "用时 {time}。",
        "correct": "回答正确。",
        "incorrect": "回答错误。",
        "unanswered_one": "没有作答。",
        "your_answer": "你的答案：",
        "right_answer": "正确答案：",
        "restored": "已恢复你上次的答题进度。",
        "timer": "剩余时间 {time}",
        "time_warning": "只剩 1 分钟了，请抓紧时间。",
        "time_up": "时间到，已自动交卷。",
        "hours": "{n} 小时",
        "minutes": "{n} 分钟",
        "seconds": "{n} 秒",
        "cert_heading": "生成合格证书",
        "cert_name": "姓名",
        "cert_unit": "单位（可不填）",
        "cert_make": "生成证书",
        "cert_name_missing": "请先填写姓名。",
        "cert_hint": "长按图片可保存到手机相册，也可以下载或打印。证书只在你的手机上生成，不会上传任何信息。",
        "cert_download": "下载图片",
        "cert_print": "打印",
        "cert_alt": "合格证书：{name}，{quiz}，成绩 {score}%",
        "cert_title": "合格证书",
        "cert_line": "完成“{quiz}”，成绩 {score}%（及格线 {pass_mark}%）",
        "cert_date": "日期：{date}",
        "cert_code": "校验码：{code}",
        "cert_footer": "本证书由网页在答题人的设备上生成。",
    },
    "en": {
        "intro": "{count} questions. You pass with {pass_mark}% correct.",
        "intro_draw": "Each attempt draws {count} of {bank} questions at random. You pass with {pass_mark}% correct.",
        "intro_time": "Time limit: {limit}.",
        "intro_practice": "Practice mode: you see right or wrong and why after each question.",
        "intro_exam": "Exam mode: right or wrong and why are shown after you hand in.",
        "nojs": "You can read all the questions here. Scoring needs JavaScript: open the page in your phone's browser or WeChat, or turn JavaScript on.",
        "question": "Question {n}",
        "single": "Choose one",
        "multiple": "Choose all that apply",
        "true_false": "True or false",
        "true": "True",
        "false": "False",
        "submit": "Submit answers",
        "retry": "Try again",
        "start": "Start",
        "start_note": "The clock starts when you press Start.",
        "check": "Check this answer",
        "unanswered": "{count} question(s) not answered yet ({list}). Unanswered questions count as wrong; press \u201cSubmit answers\u201d again to hand in.",
        "unanswered_item": "question {n}",
        "list_sep": ", ",
        "score": "Score {score}%: {correct} of {total} correct.",
        "passed": "Passed! The pass mark is {pass_mark}%.",
        "failed": "Not passed; the pass mark is {pass_mark}%. Read the explanations below and try again.",
        "taken": "Time taken: {time}.",
        "correct": "Correct.",
        "incorrect": "Incorrect.",
        "unanswered_one": "Not answered.",
        "your_answer": "Your answer: ",
        "right_answer": "Correct answer: ",
        "restored": "Your earlier answers were restored.",
        "timer": "Time left {time}",
        "time_warning": "One minute left.",
        "time_up": "Time is up: your answers were handed in.",
        "hours": "{n} h",
        "minutes": "{n} min",
        "seconds": "{n} s",
        "cert_heading": "Make your certificate",
        "cert_name": "Name",
        "cert_unit": "Workplace (optional)",
        "cert_make": "Make certificate",
        "cert_name_missing": "Please enter your name first.",
        "cert_hint": "Long-press the image to save it, or download or print it. It is made on your phone; nothing is sent anywhere.",
        "cert_download": "Download image",
        "cert_print": "Print",
        "cert_alt": "Certificate: {name}, {quiz}, score {score}%",
        "cert_title": "Certificate of Completion",
        "cert_line": "passed \u201c{quiz}\u201d with {score}% (pass mark {pass_mark}%)",
        "cert_date": "Date: {date}",
        "cert_code": "Check code: {code}",
        "cert_footer": "Made in the browser on the quiz taker's device.",
    },
}

SCRIPT_TEXTS = (
    "question",
    "unanswered",
    "unanswered_item",
    "list_sep",
    "score",
    "passed",
    "failed",
    "taken",
    "correct",
    "incorrect",
    "unanswered_one",
    "your_answer",
    "right_answer",
    "restored",
    "timer",
    "time_warning",
    "time_up",
    "hours",
    "minutes",
    "seconds",
    "cert_name_missing",
    "cert_alt",
    "cert_title",
    "cert_line",
    "cert_date",
    "cert_code",
    "cert_footer",
)
"""The texts the scripts show; the rest are written into the page by the template."""

RESULTS_TEXT: dict[str, dict[str, str]] = {
    # Counting participation (DESIGN §11): the panel under a scored quiz and what results.js says.
    "zh": {
        "heading": "计入本单位的参与情况",
        "unit": "你的单位",
        "choose": "请选择单位",
        "filter": "查找单位（输入几个字）",
        "name": "姓名",
        "name_optional": "姓名（可不填）",
        "send": "提交成绩",
        "need_unit": "请先选择你的单位。",
        "need_name": "请填写姓名。",
        "sending": "正在发送……",
        "sent": "已计入统计：{unit}，{score} 分。谢谢参与！",
        "queued": "现在发不出去，成绩已保存在这部手机上；联网后打开本网站任何一页，会自动发送。",
        "file": "这个页面是从文件打开的，成绩发送不了。请用网址打开本网站，再做一次测验。",
        "refused": "没有被接受：{reason}",
        "full": "这部手机上等待发送的成绩太多，这一次没有保存。请联网打开本网站，让之前的成绩先发出去。",
        "no_storage": "没有发出去，这部手机也保存不了它（浏览器禁止了存储）。请联网后再点“提交成绩”。",
    },
    "en": {
        "heading": "Count this result for your unit",
        "unit": "Your unit",
        "choose": "Choose your unit",
        "filter": "Find your unit (type a few letters)",
        "name": "Your name",
        "name_optional": "Your name (optional)",
        "send": "Send my result",
        "need_unit": "Please choose your unit first.",
        "need_name": "Please enter your name.",
        "sending": "Sending…",
        "sent": "Counted for {unit}: {score} points. Thank you for taking part!",
        "queued": "It cannot be sent right now; it is kept on this phone and sent by itself when you open any page of this site online.",
        "file": "This page was opened from a file, so the result cannot be sent. Open the site from its web address and take the quiz again.",
        "refused": "Not accepted: {reason}",
        "full": "Too many results are waiting on this phone, so this one was not kept. Open the site online so that the waiting ones are sent first.",
        "no_storage": "Not sent, and this phone cannot keep it (the browser blocks storage). Tap “Send my result” again when you are online.",
    },
}

SUMMARY_TEXT: dict[str, dict[str, str | dict[str, str]]] = {
    # The home page's participation counter (results: public_summary: true), filled in by
    # results-summary.js.  A text with forms per plural category ("one", "other": Intl.PluralRules)
    # is a dict; Chinese needs only "other".  {n} is the number, shown in bold.
    "zh": {
        "heading": "参与情况",
        "total": "已有 {attempts}参与，共 {people}。",
        "attempts": {"other": "{n} 人次"},
        "people": {"other": "{n} 人"},
        "units": "各单位参与人数",
        "more": {"other": "其余 {n} 个单位"},
    },
    "en": {
        "heading": "Taking part",
        "total": "{attempts} so far, by {people}.",
        "attempts": {"one": "{n} attempt", "other": "{n} attempts"},
        "people": {"one": "{n} person", "other": "{n} people"},
        "units": "People taking part, by unit",
        "more": {"one": "{n} more unit", "other": "{n} more units"},
    },
}
SUMMARY_SCRIPT_TEXTS = ("total", "attempts", "people", "more")
"""The counter's texts that results-summary.js writes; the rest are in the page."""


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


def number(value: float) -> str:
    """A mark as people write it: 60 rather than 60.0, 62.5 as it is."""
    return str(int(value)) if float(value).is_integer() else str(value)


def duration(seconds: int, language: str) -> str:
    """15 分钟, 1 小时 30 分钟, 90 秒 -> 1 分钟 30 秒; the same words quiz.js uses."""
    text = UI_TEXT[language]
    parts = []
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    for value, unit in ((hours, "hours"), (minutes, "minutes"), (secs, "seconds")):
        if value:
            parts.append(text[unit].format(n=value))
    return " ".join(parts)


CAMPAIGN_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "edition": "{year}年 第{edition}个全国“安全生产月”",
        "edition_no_number": "{year}年 全国“安全生产月”",
        "theme": "主题：{theme}",
        "dates": "{start}—{end}",
        "date": "{month}月{day}日",
        "organiser": "主办：{organiser}",
        "before": "距活动开始还有 {n} 天",
        "today_start": "今天开幕",
        "during": "活动第 {n} 天（共 {total} 天）",
        "after": "本届活动已结束，测验仍可参加",
        "cta": "参加安全知识测验",
        "modules": "学习模块",
        "passed": "已通过",
        "calendar": "活动安排",
        "when": "日期",
        "what": "活动",
        "where": "地点",
        "posters": "宣传海报（供工作人员打印）",
        "scan": "微信扫一扫，用手机学习和答题",
        "scan_quiz": "微信扫一扫，参加测验",
        "no_site_url": "还不能生成二维码：请在 mkdocs.yml 里填写网站的完整地址 site_url（例如 https://example.gov.cn/anquan/），然后重新生成网站。",
        "poster_index": "全部宣传海报",
        "poster_home": "首页海报",
        "poster_intro": "每张海报打印在一张 A4 纸上。二维码指向网站上的对应页面。",
        "other_language": "English posters",
        "back_to_site": "← 返回网站：{site_name}",
        "language_name": "中文",
        "handout_qr": "扫码做测验：",
        "share": "分享给工友",
        "share_copied": "链接已复制，可以粘贴到微信里发给工友。",
        "share_failed": "无法自动复制，请长按下面的链接复制：",
        "qr_label": "二维码，指向 {url}",
    },
    "en": {
        "edition": "{edition_ordinal} National Work Safety Month, {year}",
        "edition_no_number": "National Work Safety Month, {year}",
        "theme": "Theme: {theme}",
        "dates": "{start} – {end}",
        "date": "{day} {month_name}",
        "organiser": "Organised by {organiser}",
        "before": "{n} days to go",
        "today_start": "Starts today",
        "during": "Day {n} of {total}",
        "after": "This year's campaign has ended; the quizzes stay open",
        "cta": "Take a safety quiz",
        "modules": "Modules",
        "passed": "passed",
        "calendar": "Activities",
        "when": "Date",
        "what": "Activity",
        "where": "Place",
        "posters": "Posters (for staff to print)",
        "scan": "Scan with WeChat to learn and take the quizzes",
        "scan_quiz": "Scan with WeChat to take the quiz",
        "no_site_url": "No QR code yet: set site_url in mkdocs.yml to the site's full address (e.g. https://example.gov.cn/anquan/) and build again.",
        "poster_index": "All posters",
        "poster_home": "Home page poster",
        "poster_intro": "Each poster prints on one A4 sheet. The QR code opens the matching page of the site.",
        "other_language": "中文海报",
        "back_to_site": "← Back to the site: {site_name}",
        "language_name": "English",
        "handout_qr": "Scan to take the quiz: ",
        "share": "Share with workmates",
        "share_copied": "Link copied: paste it into WeChat to send it.",
        "share_failed": "Could not copy automatically; long-press the link below to copy it:",
        "qr_label": "QR code for {url}",
    },
}
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
