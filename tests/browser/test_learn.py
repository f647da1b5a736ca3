"""The learner pages (DESIGN §12) on a phone: the book of mistakes, the daily challenge, random practice
and my progress, in both languages, offline after one visit, after a rebuild and without storage.

One scenario site, built once: two modules (fire embeds two practice quizzes, chemicals an exam-mode
quiz) and a quiz no module embeds.  The Chinese home page has the campaign block, the English one the
quiz list: the learner box sits in each.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ..conftest import GOOD_QUIZ, built, make_project
from .conftest import NO_STORAGE, answer, answer_key, start, visible_ids, wait_for_cache


def question(qid: str, kind: str, zh: str, en: str, right: str) -> str:
    options = "    options: [甲, 乙, 丙]\n" if kind != "true_false" else ""
    return (
        f"  - id: {qid}\n    type: {kind}\n    prompt: {{zh: {zh}, en: {en}}}\n{options}"
        f"    answer: {right}\n    explanation: {{zh: {zh}的解析, en: Why {en}}}\n"
    )


def chem_quiz(c1: str = "C") -> str:
    """The exam-mode quiz; ``c1``: its first question's answer (the rebuilt site changes it)."""
    return (
        "title: {zh: 危化品测验, en: Chemicals quiz}\nmode: exam\nquestions:\n"
        + question("c1", "single", "化一", "Chem one", c1)
        + question("c2", "multiple", "化二", "Chem two", "[A, B]")
        + question("c3", "true_false", "化三", "Chem three", "false")
    )


QUIZZES = {
    "fire-safety": GOOD_QUIZ,  # practice mode: fire-number (B), escape ([A, C]), hot-door (false)
    "smoke": "title: {zh: 烟雾测验, en: Smoke quiz}\nquestions:\n"
    + question("s1", "single", "烟一", "Smoke one", "A")
    + question("s2", "true_false", "烟二", "Smoke two", "true"),
    "chem": chem_quiz(),
    "loose": "title: {zh: 零散测验, en: Odd quiz}\nquestions:\n"
    + question("l1", "single", "散一", "Odd one", "B")
    + question("l2", "single", "散二", "Odd two", "A"),
}
PAGES = {
    "index.zh.md": "# 首页\n\n<!-- campaign -->\n",
    "index.en.md": "# Home\n\n<!-- quiz-list -->\n",
    "modules/fire.zh.md": "# 消防\n\n<!-- quiz: fire-safety -->\n\n<!-- quiz: smoke -->\n",
    "modules/fire.en.md": "# Fire\n\n<!-- quiz: fire-safety -->\n\n<!-- quiz: smoke -->\n",
    "modules/chem.zh.md": "# 危化品\n\n<!-- quiz: chem -->\n",
    "modules/chem.en.md": "# Chemicals\n\n<!-- quiz: chem -->\n",
}
KEY = {f"{quiz}/{qid}": right for quiz, source in QUIZZES.items() for qid, right in answer_key(quiz, source).items()}
"""The right values of every question, by its learner-page id "<quiz>/<question>"."""
FIRE_MODULE = {key for key in KEY if key.split("/")[0] in ("fire-safety", "smoke")}

SHANGHAI = ZoneInfo("Asia/Shanghai")
MISTAKES = 'form[data-quiz-id="mistakes"][data-quiz-ready]'
DAILY = 'form[data-quiz-id="daily"][data-quiz-ready]'
PRACTICE = 'form[data-quiz-id="practice"][data-quiz-ready]'


def root_of(quiz_id: str) -> str:
    return f'form[data-quiz-id="{quiz_id}"][data-quiz-ready]'


def scenario(root: Path, out: Path, chem: str = QUIZZES["chem"]) -> Path:
    """The scenario project at ``root`` built into ``out`` (with ``chem`` as the exam quiz's file)."""
    files = {f"{quiz}.yaml": source for quiz, source in {**QUIZZES, "chem": chem}.items()}
    return built(make_project(root, files, PAGES), out)


@pytest.fixture(scope="module")
def sites(served_root, tmp_path_factory) -> dict[str, Path]:
    """The scenario site, served under /learn/, and the same rebuilt with the answer of chem/c1 changed
    (C -> A), kept aside for test 6 to publish: two builds side by side, once."""
    work = tmp_path_factory.mktemp("learn")
    with ThreadPoolExecutor(2) as pool:  # each build is a subprocess
        first = pool.submit(scenario, work / "project", served_root / "learn")
        rebuilt = pool.submit(scenario, work / "rebuilt-project", work / "rebuilt-site", chem_quiz(c1="A"))
        return {"learn": first.result(), "rebuilt": rebuilt.result()}


@pytest.fixture(scope="module")
def learn_url(server_url, sites) -> str:
    return f"{server_url}{sites['learn'].name}/"


def phone(make_context, origin: str, seed: int | None = None, **options):
    """A page in a fresh watched phone context; ``seed`` fixes the learner pages' random draws."""
    context = make_context(origin=origin, **options)
    if seed is not None:
        context.add_init_script(f"window.generatorQuizSeed = {seed};")
    return context.new_page()


def tap(page, root: str, question_id: str, value: str) -> None:
    page.locator(f'{root} [data-question-id="{question_id}"] input[value="{value}"]').check()


def hand_in(page, root: str) -> str:
    """Submit (twice when some are left open, as the page asks); the score shown."""
    submit = page.locator(f'{root} button[type="submit"]')
    submit.click()
    if submit.is_visible():
        submit.click()  # past the list of unanswered questions
    return page.locator(f"{root} [data-quiz-result][data-score]").get_attribute("data-score")


def all_right(page, root: str) -> list[str]:
    """Answer every question of the round rightly; the question ids of the round."""
    shown = visible_ids(page, root)
    answer(page, root, {key: KEY[key] for key in shown})
    return shown


def new_round(page, root: str, button: str) -> None:
    """Press ``button`` and wait for the round it starts: learn.js puts a new quiz form in place of the old one."""
    old = page.locator(root.replace("[data-quiz-ready]", "")).element_handle()
    page.locator(button).click()
    page.wait_for_function("old => !old.isConnected", arg=old)
    page.locator(root).wait_for(state="attached")


def book_list(page) -> list[tuple[str, list[str]]]:
    """The mistakes page's list, as the worker sees it: (module heading, ["<quiz>/<question>", ...]) per group."""
    page.wait_for_function("document.querySelector('[data-learn-count]').textContent !== ''")
    groups = page.evaluate(
        """() => [...document.querySelectorAll('[data-learn-list] section')].map(s => [
            s.querySelector('h2').textContent,
            [...s.querySelectorAll('[data-mistake]')].map(m => `${m.dataset.quiz}/${m.dataset.question}`)])"""
    )
    return [(heading, keys) for heading, keys in groups]


def mistake(page, key: str):
    quiz, qid = key.split("/")
    return page.locator(f'[data-mistake][data-quiz="{quiz}"][data-question="{qid}"]')


# -- 1. the book of mistakes ------------------------------------------------------------------


def test_wrong_answers_fill_the_book_and_two_right_ones_empty_it(make_context, learn_url):
    """Wrong answers from practice and exam quizzes, in either language, land in one book grouped by
    module; practised right once they stay with a note, right again in a later round they leave."""
    page = phone(make_context, learn_url)
    fire = root_of("fire-safety")
    page.goto(learn_url + "quizzes/fire-safety.html")
    tap(page, fire, "fire-number", "A")  # practice mode: wrong at once
    tap(page, fire, "hot-door", "true")
    assert page.locator(f'{fire} [data-question-id="fire-number"]').get_attribute("data-outcome") == "incorrect"

    chem = root_of("chem")
    page.goto(learn_url + "quizzes/chem.html")
    tap(page, chem, "c1", "A")
    answer(page, chem, {"c2": ["A", "B"], "c3": ["false"]})
    waiting = "Object.keys(window.generatorProgress.get('book', {})).sort()"
    assert page.evaluate(waiting) == ["fire-safety/fire-number", "fire-safety/hot-door"], "an exam waits for scoring"
    assert hand_in(page, chem) == "67"

    page.goto(learn_url + "quizzes/loose.html")
    tap(page, root_of("loose"), "l1", "A")

    # The English page of the same quiz: the worker hands in the attempt kept from the Chinese page,
    # tries again and answers the question right this time.
    page.goto(learn_url + "en/quizzes/fire-safety.html")
    hand_in(page, fire)
    page.locator(f"{fire} [data-quiz-retry]").click()
    tap(page, fire, "fire-number", "B")
    assert page.locator(f'{fire} [data-question-id="fire-number"]').get_attribute("data-outcome") == "correct"

    page.goto(learn_url + "learn/mistakes.html")
    assert book_list(page) == [
        ("消防", ["fire-safety/fire-number", "fire-safety/hot-door"]),
        ("危化品", ["chem/c1"]),
        ("其他测验", ["loose/l1"]),
    ], "one entry per question, whatever the language it was answered in"
    assert page.locator("[data-learn-count]").inner_text() == "错题本里有 4 道题。"
    number = mistake(page, "fire-safety/fire-number")
    assert "发现火灾应拨打哪个电话报警？" in number.inner_text()
    assert "来自：消防安全知识测验" in number.inner_text()
    assert "已连续答对 1 次，再答对 1 次就移出。" in number.inner_text(), "right once, on the English page"
    assert "已连续答对" not in mistake(page, "fire-safety/hot-door").inner_text()

    mistake(page, "loose/l1").locator("[data-learn-remove]").click()
    assert book_list(page) == [
        ("消防", ["fire-safety/fire-number", "fire-safety/hot-door"]),
        ("危化品", ["chem/c1"]),
    ]
    assert page.locator("[data-learn-count]").inner_text() == "错题本里有 3 道题。"

    new_round(page, MISTAKES, "[data-learn-start]")
    assert page.locator("[data-learn-list]").is_hidden()
    assert visible_ids(page, MISTAKES) == ["chem/c1", "fire-safety/fire-number", "fire-safety/hot-door"]
    tap(page, MISTAKES, "fire-safety/fire-number", "B")
    asked = page.locator(f'{MISTAKES} [data-question-id="fire-safety/fire-number"]')
    assert asked.get_attribute("data-outcome") == "correct"
    assert asked.locator("[data-quiz-explanation]").inner_text() == "119 是火警电话。", "explained once answered"
    all_right(page, MISTAKES)
    assert page.locator("[data-learn-next]").is_hidden()
    assert hand_in(page, MISTAKES) == "100"
    assert page.locator("[data-learn-next]").is_visible()
    page.locator("[data-learn-back]").click()
    assert book_list(page) == [("消防", ["fire-safety/hot-door"]), ("危化品", ["chem/c1"])], "right twice: gone"
    assert "已连续答对 1 次" in mistake(page, "chem/c1").inner_text()

    page.goto(learn_url + "en/learn/mistakes.html")
    assert book_list(page) == [("Fire", ["fire-safety/hot-door"]), ("Chemicals", ["chem/c1"])]
    assert page.locator("[data-learn-count]").inner_text() == "2 questions in your book of mistakes."
    assert "Right once in a row: once more and it leaves the book." in mistake(page, "chem/c1").inner_text()
    new_round(page, MISTAKES, "[data-learn-start]")
    assert all_right(page, MISTAKES) == ["chem/c1", "fire-safety/hot-door"]
    assert hand_in(page, MISTAKES) == "100"
    page.locator("[data-learn-next]").click()
    page.locator("[data-learn-quiz]").wait_for(state="hidden")
    assert book_list(page) == []
    assert page.locator("[data-learn-count]").inner_text() == (
        "Your book of mistakes is empty. Questions you answer wrongly are kept here."
    )
    assert page.locator("[data-learn-count]").is_visible()
    assert page.locator("[data-learn-start]").is_hidden()


# -- 2. the daily challenge -------------------------------------------------------------------


def daily_state(page) -> str:
    return page.locator("[data-learn-daily]").inner_text()


def test_daily_challenge_counts_the_first_round_of_each_day(make_context, learn_url):
    """The day's first round counts (score, streak, best); more rounds that day are practice; after
    midnight on the phone a new round counts and the streak is 2; at the time limit the round hands
    itself in."""
    page = phone(make_context, learn_url, timezone_id="Asia/Shanghai")
    page.clock.install(time=dt.datetime(2026, 6, 3, 23, 50, tzinfo=SHANGHAI))
    page.goto(learn_url + "learn/daily.html")
    page.locator(DAILY).wait_for(state="attached")
    assert daily_state(page) == "今天的挑战还没做。"
    assert page.locator(f"{DAILY} [data-question-id]").first.is_hidden(), "the questions wait for Start"
    start(page, DAILY)
    first = all_right(page, DAILY)
    assert len(first) == 5 and set(first) <= set(KEY)
    assert hand_in(page, DAILY) == "100"
    assert daily_state(page) == "今天的挑战已完成：100 分。　连续 1 天　最好成绩 100 分"
    assert page.locator("[data-learn-status]").inner_text() == ""

    new_round(page, DAILY, "[data-learn-next]")
    assert page.locator("[data-learn-status]").inner_text() == "今天的挑战已经计过分了，这一轮是练习，不计入成绩。"
    start(page, DAILY)
    assert hand_in(page, DAILY) == "0"
    assert daily_state(page) == "今天的挑战已完成：100 分。　连续 1 天　最好成绩 100 分", "practice is not counted"

    page.clock.fast_forward("15:00")  # 00:05 on 4 June in Shanghai
    page.reload()
    page.locator(DAILY).wait_for(state="attached")
    assert daily_state(page) == "今天的挑战还没做。　连续 1 天　最好成绩 100 分"
    assert page.locator("[data-learn-status]").inner_text() == "", "a new day's first round counts"
    start(page, DAILY)
    shown = visible_ids(page, DAILY)
    answer(page, DAILY, {key: KEY[key] for key in shown[:3]})
    page.clock.fast_forward("02:31")  # past the 150 seconds, without handing in
    result = page.locator(f"{DAILY} [data-quiz-result][data-score]")
    result.wait_for()
    assert result.get_attribute("data-score") == "60"
    assert "时间到，已自动交卷。" in result.inner_text()
    assert daily_state(page) == "今天的挑战已完成：60 分。　连续 2 天　最好成绩 100 分"

    page.goto(learn_url + "en/learn/daily.html")
    page.locator(DAILY).wait_for(state="attached")
    assert daily_state(page) == "Today's challenge is done: 60%. · 2-day streak · best score 100%"


def test_a_round_counts_for_the_day_it_was_drawn_and_gives_way_on_a_later_day(make_context, learn_url):
    """Drawn at 23:59 and handed in after midnight, a round counts for the evening it was drawn; a
    practice round left open overnight gives way to the new day's round, which counts."""
    page = phone(make_context, learn_url, seed=3, timezone_id="Asia/Shanghai")
    page.clock.install(time=dt.datetime(2026, 6, 3, 23, 59, tzinfo=SHANGHAI))
    page.goto(learn_url + "learn/daily.html")
    page.locator(DAILY).wait_for(state="attached")
    start(page, DAILY)
    all_right(page, DAILY)
    page.clock.fast_forward("01:10")  # 4 June, 00:00:10: 80 seconds left
    assert hand_in(page, DAILY) == "100"
    assert daily_state(page) == "今天的挑战还没做。　连续 1 天　最好成绩 100 分", "counted for 3 June"

    new_round(page, DAILY, "[data-learn-next]")
    assert page.locator("[data-learn-status]").inner_text() == "", "4 June's first round counts"
    start(page, DAILY)
    shown = visible_ids(page, DAILY)
    answer(page, DAILY, {key: KEY[key] for key in shown[:4]})
    assert hand_in(page, DAILY) == "80"
    assert daily_state(page) == "今天的挑战已完成：80 分。　连续 2 天　最好成绩 100 分"

    new_round(page, DAILY, "[data-learn-next]")  # practice; the worker puts the phone away
    left_open = visible_ids(page, DAILY)
    page.clock.fast_forward("24:00:00")  # 5 June
    page.reload()
    page.locator(DAILY).wait_for(state="attached")
    assert daily_state(page) == "今天的挑战还没做。　连续 2 天　最好成绩 100 分"
    assert page.locator("[data-learn-status]").inner_text() == "", "not yesterday's practice round"
    start(page, DAILY)
    assert visible_ids(page, DAILY) != left_open
    all_right(page, DAILY)
    assert hand_in(page, DAILY) == "100"
    assert daily_state(page) == "今天的挑战已完成：100 分。　连续 3 天　最好成绩 100 分"


# -- 3. random practice -----------------------------------------------------------------------


def test_practice_draws_only_from_the_modules_chosen(make_context, learn_url):
    """One module ticked: each round, as many as wanted, draws only that module's questions, each
    marked and explained as soon as it is answered; a reload keeps the round."""
    page = phone(make_context, learn_url, seed=7)
    page.goto(learn_url + "en/learn/practice.html")
    page.locator("[data-learn-all]").uncheck()
    assert page.locator("[data-learn-quizzes]:checked").count() == 0
    page.locator("[data-learn-start]").click()
    assert page.locator("[data-learn-status]").inner_text() == "Choose at least one module."
    assert page.locator("[data-learn-quiz]").is_hidden()

    page.locator('[data-learn-quizzes="fire-safety smoke"]').check()
    page.locator("[data-learn-size]").select_option("5")
    new_round(page, PRACTICE, "[data-learn-start]")
    first = visible_ids(page, PRACTICE)
    assert sorted(first) == sorted(FIRE_MODULE), "five of the site's ten questions: the fire module's five"
    tap(page, PRACTICE, "smoke/s1", "A")
    asked = page.locator(f'{PRACTICE} [data-question-id="smoke/s1"]')
    assert asked.get_attribute("data-outcome") == "correct"
    assert asked.locator("[data-quiz-explanation]").inner_text() == "Why Smoke one"
    all_right(page, PRACTICE)
    assert hand_in(page, PRACTICE) == "100"
    for _ in range(2):
        new_round(page, PRACTICE, "[data-learn-next]")
        assert sorted(visible_ids(page, PRACTICE)) == sorted(FIRE_MODULE)
        assert page.locator(f"{PRACTICE} [data-outcome]").count() == 0, "a fresh round"
        all_right(page, PRACTICE)
        assert hand_in(page, PRACTICE) == "100"

    page.locator('[data-learn-quizzes="fire-safety smoke"]').uncheck()
    page.locator('[data-learn-quizzes="chem"]').check()
    new_round(page, PRACTICE, "[data-learn-next]")
    chem = visible_ids(page, PRACTICE)
    assert sorted(chem) == ["chem/c1", "chem/c2", "chem/c3"]
    tap(page, PRACTICE, "chem/c1", "C")
    page.reload()
    page.locator(PRACTICE).wait_for(state="attached")
    assert visible_ids(page, PRACTICE) == chem, "a reload brings back the same round"
    assert page.locator(f'{PRACTICE} [data-question-id="chem/c1"]').get_attribute("data-outcome") == "correct"


# -- 4. my progress and the home page's box ---------------------------------------------------


def test_progress_lists_passes_certificates_and_modules_read(make_context, learn_url):
    """After a pass with a certificate, a mistake and a module read: the progress page lists them in
    each language, and the home page's box offers to continue and counts the mistakes waiting."""
    page = phone(make_context, learn_url)
    fire = root_of("fire-safety")
    page.goto(learn_url + "quizzes/fire-safety.html")
    answer(page, fire, answer_key("fire-safety", GOOD_QUIZ))
    assert hand_in(page, fire) == "100"
    page.locator(f"{fire} [data-quiz-cert-name]").fill("张三")
    page.locator(f"{fire} [data-quiz-cert-make]").click()
    page.locator(f"{fire} [data-quiz-cert-output]").wait_for()
    page.goto(learn_url + "quizzes/smoke.html")
    tap(page, root_of("smoke"), "s1", "B")
    page.goto(learn_url + "modules/fire.html")

    page.goto(learn_url + "index.html")
    box = page.locator("[data-learn-home]")
    assert box.locator("[data-learn-continue]").inner_text() == "接着上次学：消防"
    assert box.locator("[data-learn-continue] a").get_attribute("href") == learn_url + "modules/fire.html"
    assert box.locator("[data-learn-waiting]").inner_text() == "错题本里待练习：1 道"
    box.locator("[data-learn-waiting] a").click()
    page.wait_for_url(learn_url + "learn/mistakes.html")
    assert book_list(page) == [("消防", ["smoke/s1"])]

    page.goto(learn_url + "learn/progress.html")
    page.locator("[data-learn-summary] li").first.wait_for()
    assert page.locator("[data-learn-summary] li").all_inner_texts() == [
        "错题本里待练习：1 道",
        "每日挑战：还没做过",
        "生成过的证书：1 张",
    ]
    assert page.locator("[data-learn-modules-heading]").inner_text() == "学过的模块：1 / 2"
    assert page.locator('[data-learn-opened="modules/fire"]').is_visible()
    assert page.locator('[data-learn-opened="modules/chem"]').is_hidden()
    assert page.locator("[data-learn-passed-heading]").inner_text() == "通过的测验：1 / 4"
    passed = page.locator("[data-learn-passed] li").all_inner_texts()
    assert len(passed) == 1 and re.fullmatch(r"消防安全知识测验\s+100 分，20\d\d年\d+月\d+日", passed[0]), passed
    assert page.locator("[data-learn-continue]").inner_text() == "接着上次学：消防"

    page.goto(learn_url + "en/learn/progress.html")
    page.locator("[data-learn-summary] li").first.wait_for()
    assert page.locator("[data-learn-summary] li").all_inner_texts() == [
        "Mistakes waiting: 1",
        "Daily challenge: not done yet",
        "Certificates made: 1",
    ]
    assert page.locator("[data-learn-modules-heading]").inner_text() == "Modules read: 1 of 2"
    assert page.locator('[data-learn-opened="modules/fire"]').is_visible()
    passed = page.locator("[data-learn-passed] li").all_inner_texts()
    assert len(passed) == 1 and re.fullmatch(r"Fire safety quiz\s+100%, \d+ \w+ 20\d\d", passed[0]), passed
    assert page.locator("[data-learn-continue]").is_hidden(), "nothing read in English yet"

    page.goto(learn_url + "en/index.html")
    box = page.locator("[data-learn-home]")
    assert box.locator("[data-learn-waiting]").inner_text() == "Mistakes waiting: 1"
    assert box.locator("[data-learn-continue]").is_hidden()


# -- 5. offline after one visit ---------------------------------------------------------------


def test_mistakes_and_daily_work_offline_after_one_visit(make_context, learn_url):
    """After one visit to the home page, with no network: a quiz never opened puts a mistake in the
    book, the mistakes page practises it and the daily challenge is drawn, scored and counted."""
    page = phone(make_context, learn_url)
    context = page.context
    page.goto(learn_url + "index.html")
    wait_for_cache(page, "learn/data/smoke.js")
    wait_for_cache(page, "search/search_index.json")  # the last of the language's files: the copy is complete
    context.set_offline(True)
    try:
        chem = root_of("chem")
        page.goto(learn_url + "quizzes/chem.html")
        tap(page, chem, "c1", "B")
        answer(page, chem, {"c2": ["A", "B"], "c3": ["false"]})
        assert hand_in(page, chem) == "67"

        page.goto(learn_url + "learn/mistakes.html")
        assert book_list(page) == [("危化品", ["chem/c1"])]
        new_round(page, MISTAKES, "[data-learn-start]")
        tap(page, MISTAKES, "chem/c1", "C")
        asked = page.locator(f'{MISTAKES} [data-question-id="chem/c1"]')
        assert asked.locator("[data-quiz-explanation]").inner_text() == "化一的解析"
        assert hand_in(page, MISTAKES) == "100"

        page.goto(learn_url + "learn/daily.html")
        page.locator(DAILY).wait_for(state="attached")
        start(page, DAILY)
        assert len(all_right(page, DAILY)) == 5
        assert hand_in(page, DAILY) == "100"
        assert daily_state(page).startswith("今天的挑战已完成：100 分。　连续 1 天")
    finally:
        context.set_offline(False)


# -- 6. a rebuilt site ------------------------------------------------------------------------


@pytest.fixture
def publish(served_root, server_url, tmp_path):
    """Puts a site in one served folder, as a rebuild does; returns its address.  The files are dated
    ahead of the server's clock: the browser's HTTP cache gives such files no heuristic lifetime, so a
    rebuild seconds after the first visit is seen at once, as a rebuild days later is on a phone."""
    out = served_root / f"learn-{tmp_path.name}"
    stamp = [time.time() + 3600]

    def put(site: Path) -> str:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(site, out)
        stamp[0] += 3600
        for path in out.rglob("*"):
            os.utime(path, (stamp[0], stamp[0]))
        return f"{server_url}{out.name}/"

    return put


def test_a_changed_question_leaves_the_book_after_a_rebuild(make_context, publish, sites):
    """A question whose answer changed in the rebuilt site leaves the book, quietly; an unchanged one stays."""
    url = publish(sites["learn"])
    page = phone(make_context, url)
    chem = root_of("chem")
    page.goto(url + "quizzes/chem.html")
    tap(page, chem, "c1", "B")
    answer(page, chem, {"c2": ["C"], "c3": ["false"]})
    assert hand_in(page, chem) == "33"
    page.goto(url + "learn/mistakes.html")
    assert book_list(page) == [("危化品", ["chem/c1", "chem/c2"])]

    page.goto("about:blank")  # the worker closes the page, so nothing of it loads while the folder is replaced
    publish(sites["rebuilt"])
    page.goto(url + "learn/mistakes.html")
    assert book_list(page) == [("危化品", ["chem/c2"])]
    assert page.locator("[data-learn-count]").inner_text() == "错题本里有 1 道题。"
    page.goto(url + "index.html")
    assert page.locator("[data-learn-waiting]").inner_text() == "错题本里待练习：1 道", "dropped from the phone too"


def test_a_round_of_mistakes_does_not_come_back_with_a_changed_question(make_context, publish, sites):
    """Mid-round when the site is rebuilt: the reload does not ask again a question that left the book."""
    url = publish(sites["learn"])
    page = phone(make_context, url)
    chem = root_of("chem")
    page.goto(url + "quizzes/chem.html")
    tap(page, chem, "c1", "B")
    answer(page, chem, {"c2": ["C"], "c3": ["false"]})
    hand_in(page, chem)
    page.goto(url + "learn/mistakes.html")
    new_round(page, MISTAKES, "[data-learn-start]")
    assert visible_ids(page, MISTAKES) == ["chem/c1", "chem/c2"]

    page.goto("about:blank")  # the worker closes the page, so nothing of it loads while the folder is replaced
    publish(sites["rebuilt"])
    page.goto(url + "learn/mistakes.html")
    page.wait_for_function(  # the list or a round, whichever the page shows
        f"document.querySelector('[data-learn-count]').textContent || document.querySelector('{MISTAKES}')"
    )
    listed = page.eval_on_selector_all(
        "[data-learn-list]:not([hidden]) [data-mistake]",
        "els => els.map(m => `${m.dataset.quiz}/${m.dataset.question}`)",
    )
    offered = listed + (visible_ids(page, MISTAKES) if page.locator(MISTAKES).count() else [])
    assert offered == ["chem/c2"], "the changed question left the book: not asked again; the unchanged one is offered"


# -- 7. no storage ----------------------------------------------------------------------------


@pytest.mark.parametrize("script", NO_STORAGE.values(), ids=NO_STORAGE.keys())
def test_without_storage_the_pages_say_so_and_the_daily_quiz_scores(make_context, learn_url, script):
    """Private mode or a full phone: each learner page says nothing can be kept; the daily challenge
    and a round of practice still score, with no error."""
    page = phone(make_context, learn_url)
    page.context.add_init_script(script)
    page.goto(learn_url + "learn/daily.html")
    assert page.locator("[data-learn-no-storage]").inner_text() == (
        "这个浏览器不让网页保存数据（例如无痕模式）：错题和学习记录无法保留，测验仍然可以做。"
    )
    page.locator(DAILY).wait_for(state="attached")
    start(page, DAILY)
    all_right(page, DAILY)
    assert hand_in(page, DAILY) == "100"
    assert daily_state(page) == "今天的挑战还没做。", "nothing could be kept"

    page.goto(learn_url + "en/learn/practice.html")
    assert page.locator("[data-learn-no-storage]").is_visible()
    page.locator("[data-learn-size]").select_option("5")
    new_round(page, PRACTICE, "[data-learn-start]")
    assert len(all_right(page, PRACTICE)) == 5
    assert hand_in(page, PRACTICE) == "100"
    for kind in ("mistakes", "progress"):
        page.goto(f"{learn_url}en/learn/{kind}.html")
        assert page.locator("[data-learn-no-storage]").is_visible()
    assert page.locator("[data-learn-summary] li").first.inner_text() == "Mistakes waiting: 0"
