"""Settings of the MkDocs plugin (``plugins: - generator:`` in mkdocs.yml).

MkDocs checks plugin options with its own messages, which name Python types ("Expected type:
<class 'dict'>").  So every option passes through unchanged here, and generator.settings checks
them with plain words, the line in mkdocs.yml and an example, for the plugin and the CLI alike.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class _CheckedBySettings(c.BaseConfigOption):
    """An option MkDocs takes as written; ``generator.settings`` checks it."""

    def __init__(self, default=None) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value):
        return value


class GeneratorConfig(Config):
    enabled = _CheckedBySettings(default=True)
    quiz_dir = _CheckedBySettings(default="quizzes")
    """Folder of the quiz files, relative to mkdocs.yml."""
    campaign = _CheckedBySettings(default={})
    """The campaign: read and checked by generator.campaign, with line numbers."""
