"""Settings of the MkDocs plugin (``plugins: - generator:`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GeneratorConfig(Config):
    enabled = c.Type(bool, default=True)
    quiz_dir = c.Type(str, default="quizzes")
    """Folder of the quiz files, relative to mkdocs.yml."""
    campaign = c.Type(dict, default={})
    """The campaign: read and checked by generator.campaign, with line numbers (not here)."""
