"""Campaign exams: exam and practice modes, random draws, shuffled options, the time limit, review."""

from __future__ import annotations

import re

from ..conftest import EXAM_QUIZ, PRACTICE_QUIZ
from .conftest import answer, answer_key, start, visible_ids

EXAM = 'form[data-quiz-id="exam"][data-quiz-ready]'
SHORT = 'form[data-quiz-id="short"][data-quiz-ready]'
PRACTICE = 'form[data-quiz-id="drill"][data-quiz-ready]'


def seeded(make_context, seed: int):
    """A fresh phone context whose draws and shuffles follow ``seed`` (the tests' switch)."""
    context = make_context()
    context.add_init_script(f"window.generatorQuizSeed = {seed};")
    return context.new_page()


def shown_order(page, root):
    """Per question of the attempt: its input values in the order shown."""
    return page.evaluate(f"""() => Object.fromEntries(
        [...document.querySelectorAll('{root} [data-question-id]:not([hidden])')]
        .map(q => [q.dataset.questionId, [...q.querySelectorAll('input')].map(i => i.value)]))""")


def test_exam_shows_nothing_until_handed_in(page, exam_url):
    """In exam mode a chosen answer gives no hint; after submitting, every question is reviewed."""
    page.goto(exam_url + "quizzes/exam.html")
    start(page, EXAM)
    ids = visible_ids(page, EXAM)
    key = answer_key("exam", EXAM_QUIZ)
    answer(page, EXAM, {qid: key[qid] for qid in ids[:5]})
    assert page.locator(f"{EXAM} [data-outcome]").count() == 0
    assert page.locator(f"{EXAM} [data-quiz-explanation]:visible, {EXAM} [data-quiz-feedback]:visible").count() == 0
    submit = page.locator(f'{EXAM} button[type="submit"]')
    submit.click()
    submit.click()
    result = page.locator(f"{EXAM} [data-quiz-result]")
    assert result.get_attribute("data-score") == "50" and result.get_attribute("data-passed") == "false"
    assert re.search(r"用时 \d+ 秒", result.inner_text())
    assert page.locator(f"{EXAM} [data-outcome]").count() == 10
    for qid in ids:
        question = page.locator(f'{EXAM} [data-question-id="{qid}"]')
        feedback = question.locator("[data-quiz-feedback]").inner_text()
        number = int(qid[1:])
        assert question.locator("[data-quiz-explanation]").inner_text() == f"第{number}题的解析依据第{number}条规定"
        if qid in ids[:5]:
            assert feedback.startswith("回答正确")
        else:
            assert feedback.startswith("没有作答") and "正确答案：" in feedback


def test_wrong_choice_is_reviewed_with_both_answers(page, exam_url):
    """The review names the worker's choice and the correct one, with the letters as shown."""
    page.goto(exam_url + "en/quizzes/exam.html")
    start(page, EXAM)
    key = answer_key("exam", EXAM_QUIZ)
    single = next(qid for qid in visible_ids(page, EXAM) if len(key[qid]) == 1 and key[qid][0] in "ABCD")
    question = page.locator(f'{EXAM} [data-question-id="{single}"]')
    wrong = next(v for v in "ABCD" if v not in key[single])
    question.locator(f'input[value="{wrong}"]').check()
    submit = page.locator(f'{EXAM} button[type="submit"]')
    submit.click()
    submit.click()

    def shown(value):  # "C. Q7 option A": the letter on screen, then the text of the quiz file's option
        return " ".join(question.locator(f'label:has(input[value="{value}"])').inner_text().split())

    feedback = " ".join(question.locator("[data-quiz-feedback]").inner_text().split())
    assert f"Your answer: {shown(wrong)}" in feedback
    assert f"Correct answer: {shown(key[single][0])}" in feedback


def test_draw_survives_reload_and_changes_on_retry(page, exam_url):
    """Ten of thirty questions, numbered 1-10; the same ten after a reload, others after retry."""
    page.goto(exam_url + "quizzes/exam.html")
    start(page, EXAM)
    first = visible_ids(page, EXAM)
    assert len(first) == 10 and len(set(first)) == 10
    numbers = page.locator(f"{EXAM} [data-question-id]:not([hidden]) .quiz__number").all_inner_texts()
    assert numbers == [f"第 {n} 题" for n in range(1, 11)]
    page.reload()
    assert visible_ids(page, EXAM) == first
    order = shown_order(page, EXAM)
    page.reload()
    assert shown_order(page, EXAM) == order, "the option order is kept too"
    submit = page.locator(f'{EXAM} button[type="submit"]')
    submit.click()
    submit.click()
    page.locator(f"{EXAM} [data-quiz-retry]").click()
    start(page, EXAM)
    second = visible_ids(page, EXAM)
    assert len(second) == 10 and second != first


def test_seed_makes_draws_repeatable(make_context, exam_url):
    """Tests can fix the random draw with a seed; without it every worker gets a fresh draw."""
    draws = []
    for seed in (42, 42, 7):
        page = seeded(make_context, seed)
        page.goto(exam_url + "quizzes/exam.html")
        draws.append((visible_ids(page, EXAM), shown_order(page, EXAM)))
    assert draws[0] == draws[1] and draws[0] != draws[2]


def test_shuffle_keeps_values_and_letters_follow_the_screen(make_context, exam_url):
    """Shuffled options keep the quiz file's letters as values; the letters shown go A, B, C in order."""
    orders = []
    for seed in (1, 2):
        page = seeded(make_context, seed)
        page.goto(exam_url + "quizzes/drill.html")
        orders.append(shown_order(page, PRACTICE))
        letters = (
            page.locator(f"{PRACTICE} [data-question-id] .quiz__options")
            .first.locator(".quiz__letter")
            .all_inner_texts()
        )
        assert letters == ["A.", "B.", "C.", "D."]
    for values in orders[0].values():
        assert sorted(values) == (["false", "true"] if len(values) == 2 else ["A", "B", "C", "D"])
        if len(values) == 2:
            assert values == ["true", "false"], "true/false is never shuffled"
    assert orders[0] != orders[1]
    assert any(values != ["A", "B", "C", "D"] for values in orders[0].values() if len(values) == 4)


def test_practice_gives_feedback_at_once(page, exam_url):
    """Practice mode: a tapped answer is marked at once; a multiple-choice one after "Check this answer"."""
    page.goto(exam_url + "en/quizzes/drill.html")
    key = answer_key("drill", PRACTICE_QUIZ)
    single = page.locator(f'{PRACTICE} [data-question-type="single"]').first
    qid = single.get_attribute("data-question-id")
    single.locator(f'input[value="{key[qid][0]}"]').check()
    assert single.get_attribute("data-outcome") == "correct"
    assert (
        single.locator("[data-quiz-explanation]").inner_text()
        == f"Explanation {int(qid[1:])} rests on rule {int(qid[1:])}"
    )
    assert single.locator("input:enabled").count() == 0, "a checked question is locked"
    multiple = page.locator(f'{PRACTICE} [data-question-type="multiple"]').first
    mid = multiple.get_attribute("data-question-id")
    multiple.locator(f'input[value="{key[mid][0]}"]').check()
    assert multiple.get_attribute("data-outcome") is None
    multiple.locator("[data-quiz-check]").click()
    assert multiple.get_attribute("data-outcome") == "incorrect"
    page.reload()
    assert page.locator(f'{PRACTICE} [data-question-id="{mid}"]').get_attribute("data-outcome") == "incorrect"


def test_time_limit_submits_at_zero(page, exam_url):
    """A visible countdown, a warning in the last minute, and automatic submission at zero."""
    page.goto(exam_url + "en/quizzes/short.html")
    assert not page.locator(f"{SHORT} [data-question-id]").first.is_visible(), "questions wait for Start"
    start(page, SHORT)
    timer = page.locator(f"{SHORT} [data-quiz-timer]")
    assert re.fullmatch(r"Time left 00:0[1-3]", timer.inner_text())
    assert timer.get_attribute("data-warn") == ""
    assert page.locator(f"{SHORT} [data-quiz-status]").inner_text() == "One minute left."
    page.locator(f"{SHORT} [data-question-id] input").first.check()
    result = page.locator(f"{SHORT} [data-quiz-result]")
    page.wait_for_function(
        f"document.querySelector('{SHORT} [data-quiz-result]').dataset.score !== undefined", timeout=8000
    )
    assert "Time is up" in result.inner_text()
    assert not timer.is_visible()


def test_timer_keeps_running_across_reloads(page, exam_url):
    """The countdown counts from when the attempt started, not from the last page load."""
    page.goto(exam_url + "quizzes/exam.html")
    start(page, EXAM)
    page.wait_for_timeout(2100)
    page.reload()
    timer = page.locator(f"{EXAM} [data-quiz-timer]")
    assert re.fullmatch(r"剩余时间 09:5[0-8]", timer.inner_text()), timer.inner_text()
    assert page.locator(f"{EXAM} [data-question-id]:not([hidden])").first.is_visible(), "no second Start"


def test_time_runs_out_while_away(make_context, exam_url):
    """A worker who comes back after the time is up finds the attempt handed in."""
    context = make_context()
    page = context.new_page()
    page.clock.install()
    page.goto(exam_url + "quizzes/exam.html")
    start(page, EXAM)
    page.close()
    page = context.new_page()
    page.clock.install()
    page.clock.fast_forward("10:05")
    page.goto(exam_url + "quizzes/exam.html")
    result = page.locator(f"{EXAM} [data-quiz-result]")
    assert result.get_attribute("data-score") == "0"
    assert "时间到" in result.inner_text()
