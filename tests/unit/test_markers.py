"""Quiz markers in module pages: found outside code, checked against the quizzes that exist."""

from __future__ import annotations

from generator.markers import find_markers
from generator.project import ProjectPaths, check_project

from ..conftest import GOOD_QUIZ, make_project


def test_markers_are_found_outside_code_blocks():
    """A marker in a fenced code block is an example, not a quiz."""
    text = "# T\n\n<!-- quiz: fire-safety -->\n\n```\n<!-- quiz: example -->\n```\n\n<!-- quiz-list -->\n"
    markers, problems = find_markers(text, "content/a.zh.md")
    assert [(m.line, m.quiz_id) for m in markers] == [(3, "fire-safety"), (9, None)]
    assert problems == []


def test_malformed_marker_is_reported():
    """Something that looks like a marker but is not one would silently show nothing: it is an error."""
    _, [problem] = find_markers("text\n<!--quiz fire-safety-->\n", "content/a.zh.md")
    assert problem.line == 2 and "<!-- quiz: fire-safety -->" in problem.hint_zh


def test_unknown_quiz_suggests_the_closest(tmp_path):
    """A marker naming a quiz that does not exist names the file, the line and the closest id."""
    root = make_project(
        tmp_path,
        {"fire-safety.yaml": GOOD_QUIZ},
        {"modules/fire.zh.md": "# 消防\n\n正文\n\n<!-- quiz: fire-safty -->\n", "modules/fire.en.md": "# Fire\n"},
    )
    _, problems = check_project(ProjectPaths.default(root))
    [problem] = [p for p in problems if p.is_error]
    assert problem.path == "content/modules/fire.zh.md" and problem.line == 5
    assert "fire-safty" in problem.zh and "<!-- quiz: fire-safety -->" in problem.hint_zh


def test_marker_of_a_broken_quiz_is_not_reported_twice(tmp_path):
    """When the quiz file itself has an error, only that error is shown, not also the marker."""
    root = make_project(
        tmp_path,
        {"fire-safety.yaml": GOOD_QUIZ.replace("answer: B", "answer: Z")},
        {"a.zh.md": "<!-- quiz: fire-safety -->\n", "a.en.md": "x\n"},
    )
    _, problems = check_project(ProjectPaths.default(root))
    assert [p.path for p in problems] == ["quizzes/fire-safety.yaml"]


def test_missing_translation_is_a_warning(tmp_path):
    """A module in one language only is a warning that names the file to create."""
    root = make_project(tmp_path, {"fire-safety.yaml": GOOD_QUIZ}, {"modules/fire.zh.md": "# 消防\n"})
    _, [problem] = check_project(ProjectPaths.default(root))
    assert not problem.is_error and "fire.en.md" in problem.hint_zh
