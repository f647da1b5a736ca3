"""Safety-education site generator: quiz files and modules -> a bilingual static site.

The core (``load``, ``model``, ``problems``, ``project``, ``render``) does not import
MkDocs; ``plugin`` adapts it to MkDocs and ``cli`` is the command line.
"""

from .load import load_bank, load_quiz
from .model import Option, Question, QuestionType, Quiz, QuizBank, Text
from .problems import Level, Problem, format_report
from .project import ProjectPaths, check_project
from .render import render_quiz, render_quiz_list

__all__ = [
    "Level",
    "Option",
    "Problem",
    "ProjectPaths",
    "Question",
    "QuestionType",
    "Quiz",
    "QuizBank",
    "Text",
    "check_project",
    "format_report",
    "load_bank",
    "load_quiz",
    "render_quiz",
    "render_quiz_list",
]
