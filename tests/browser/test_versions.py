"""A worker's stored attempt meets a rebuilt site: stale state is dropped, never misapplied.

The same quiz is built, answered in Chromium, then rebuilt at the same address with a
question added, removed or changed, and the page reloaded.  Answers stored for the old
questions must not be ticked on the new ones and an old score must not be shown.  Fixing a
typo in a prompt keeps the attempt: it does not change what the answers mean.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import built, make_project

ROOT = 'form[data-quiz-id="v"][data-quiz-ready]'
BASE = "title:\n  zh: 版本\n  en: Versions\nquestions:\n"


def question(qid: str, answer: str = "B", prompt: str = "哪一个？") -> str:
    return (
        f"  - id: {qid}\n    type: single\n    prompt: {{zh: {prompt}, en: Which one?}}\n"
        f"    options: [甲, 乙, 丙]\n    answer: {answer}\n"
    )


V1 = BASE + question("a") + question("b") + question("c")
CHANGES = {
    "question-added": (BASE + question("a") + question("new") + question("b") + question("c"), False),
    "question-removed": (BASE + question("a") + question("c"), False),
    "answer-changed": (BASE + question("a") + question("b", answer="C") + question("c"), False),
    "ids-swapped": (BASE + question("b") + question("a") + question("c"), False),
    "prompt-typo-fixed": (BASE + question("a", prompt="哪一个?") + question("b") + question("c"), True),
}


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, Path]:
    """Each version of the quiz built once (V1 and each change): version name -> its site folder."""
    root = tmp_path_factory.mktemp("versions")
    sources = {"v1": V1, **{name: source for name, (source, _) in CHANGES.items()}}
    return {
        name: built(make_project(root / f"{name}-project", {"v.yaml": source}), root / f"{name}-site")
        for name, source in sources.items()
    }


@pytest.fixture
def rebuild(served_root, tmp_path, versions):
    """Puts a version's site in the same served folder each time it is called, as a rebuild does
    (a copy of a site built once, so ten cases cost six builds, not twenty)."""
    out = served_root / f"versions-{tmp_path.name}"

    def publish(name: str) -> str:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(versions[name], out)
        return out.name

    return publish


def ticked(page) -> list[str]:
    return page.eval_on_selector_all(f"{ROOT} input:checked", "els => els.map(e => e.name + '=' + e.value)")


@pytest.mark.parametrize("scored", [False, True], ids=["mid-quiz", "after-scoring"])
@pytest.mark.parametrize("change", CHANGES)
def test_rebuilt_quiz_drops_stale_state(make_context, server_url, rebuild, change, scored):
    _, kept = CHANGES[change]
    url = f"{server_url}{rebuild('v1')}/quizzes/v.html"
    page = make_context(origin=server_url).new_page()
    page.goto(url)
    page.wait_for_selector(ROOT)
    for qid in "abc":
        page.locator(f'{ROOT} [data-question-id="{qid}"] input[value="B"]').check()
    if scored:
        page.locator(f'{ROOT} button[type="submit"]').click()
        assert page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score") == "100"
    before = ticked(page)
    assert len(before) == 3

    rebuild(change)
    page.reload()
    page.wait_for_selector(ROOT)
    result = page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score")
    if kept:
        assert ticked(page) == before
        assert result == ("100" if scored else None)
    else:
        assert ticked(page) == [], "answers of the old questions were applied to the new ones"
        assert result is None, "the old score was shown for new questions"
        page.locator(f'{ROOT} [data-question-id="a"] input[value="B"]').check()  # and the new one works
        page.locator(f'{ROOT} button[type="submit"]').click()
        page.locator(f'{ROOT} button[type="submit"]').click()  # past the list of unanswered questions
        assert page.locator(f"{ROOT} [data-quiz-result]").get_attribute("data-score") is not None
