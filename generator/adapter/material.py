"""Rewrites of Material for MkDocs' own output (checked against Material 9.x)."""

from __future__ import annotations

import json
import re

_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def search_base(output: str, prefix: str) -> str:
    """Material finds the search index and links its results from "base": point it at the language's folder."""

    def rebase(match: re.Match) -> str:
        data = json.loads(match.group(2))
        data["base"] = f"{data['base'].rstrip('/')}/{prefix}"  # a folder: it must end with /
        return match.group(1) + json.dumps(data, ensure_ascii=False).replace("</", "<\\/") + match.group(3)

    return _CONFIG.sub(rebase, output, count=1)
