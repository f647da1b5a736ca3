"""The ``results:`` block of mkdocs.yml (DESIGN §11.1): where finished quizzes are sent, checked with its lines.

Without the block the site sends nothing anywhere.  With it, a scored quiz asks for the
worker's unit (from units.yaml) and, if configured, the name, shows the privacy notice and
sends the attempt to ``endpoint``, a path on the site's own host (``/anquan-api/``, proxied to
the results service) or a full address.  Read from the YAML node that settings.py composed,
like the campaign block, so every mistake names its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from .model import Text
from .nodes import NodeReader, scalar_text, shorten
from .problems import Problem, has_errors

RESULTS_KEYS = ("endpoint", "ask_name", "public_summary", "notice")
ASK_NAME = ("no", "optional", "required")


@dataclass(frozen=True)
class ResultsConfig:
    endpoint: str
    """Ends with "/": the service's API is at ``endpoint + "api/v1/..."``."""
    notice: Text
    """What is kept, why and for how long: shown before a worker sends a result."""
    ask_name: str = "no"
    public_summary: bool = False


def read_results(
    node: yaml.Node, site_url: str = "", shown: str = "mkdocs.yml"
) -> tuple[ResultsConfig | None, list[Problem]]:
    """The results block, or None when it has errors."""
    reader = _ResultsReader(shown)
    reader.where = "results"
    config = reader.results(node, site_url)
    return (None if has_errors(reader.problems) else config), reader.problems


class _ResultsReader(NodeReader):
    def results(self, node: yaml.Node, site_url: str) -> ResultsConfig | None:
        values = self.mapping(node, RESULTS_KEYS, "results（统计设置）", "results")
        if values is None:
            return None
        endpoint_node = self.require(
            values,
            "endpoint",
            node,
            "结果发送到的地址",
            "where results are sent",
            "加一行 endpoint: /anquan-api/（同一网站下的路径），或完整网址 https://api.example.gov.cn/anquan/。",
            'Add "endpoint: /anquan-api/" (a path on the site\'s host) or a full address.',
        )
        endpoint = self._endpoint(endpoint_node, site_url) if endpoint_node is not None else None
        notice_node = self.require(
            values,
            "notice",
            node,
            "告诉职工保存什么、为什么、保存多久的说明",
            "what is kept, why and for how long, shown to workers",
            "加上 notice:，下面写 zh: 和 en:，例如“成绩和单位用于统计本次活动参与情况，活动结束三个月后删除”。",
            'Add "notice:" with zh and en, e.g. "Your score and unit count towards the campaign; '
            'deleted 3 months after it ends".',
        )
        notice = self.text(notice_node, "notice") if notice_node is not None else None
        ask_name = self._ask_name(values["ask_name"]) if "ask_name" in values else "no"
        public_summary = (
            self.switch(values["public_summary"], "public_summary") if "public_summary" in values else False
        )
        if endpoint is None or notice is None or ask_name is None or public_summary is None:
            return None
        return ResultsConfig(endpoint, notice, ask_name, public_summary)

    def _endpoint(self, node: yaml.Node, site_url: str) -> str | None:
        raw = scalar_text(node).strip() if isinstance(node, yaml.ScalarNode) else ""
        parts = urlsplit(raw)
        full = parts.scheme in ("http", "https") and bool(parts.netloc)
        if not (full or (raw.startswith("/") and not raw.startswith("//"))) or parts.query or parts.fragment:
            self.problem(
                node,
                f"endpoint“{shorten(raw)}”不是可用的地址。",
                f'endpoint "{shorten(raw)}" is not an address results can be sent to.',
                "写同一网站下的路径，如 endpoint: /anquan-api/，或完整网址，如 https://api.example.gov.cn/anquan/。",
                "Write a path on the site's host such as /anquan-api/, or a full address such as "
                "https://api.example.gov.cn/anquan/.",
            )
            return None
        if full and parts.scheme == "http" and urlsplit(site_url).scheme == "https":
            self.problem(
                node,
                "网站是 https，结果地址却是 http：浏览器会拦下这种请求，结果发不出去。",
                "The site is https but the endpoint is http: browsers block such requests, so nothing would arrive.",
                "把 endpoint 改成 https:// 开头的地址，或同一网站下的路径。",
                "Use an https:// endpoint, or a path on the site's host.",
            )
            return None
        return raw if raw.endswith("/") else raw + "/"

    def _ask_name(self, node: yaml.Node) -> str | None:
        raw = scalar_text(node).strip().lower() if isinstance(node, yaml.ScalarNode) else ""
        value = {"false": "no", "off": "no"}.get(raw, raw)  # YAML 1.1 reads a bare no as false
        if value in ASK_NAME:
            return value
        self.problem(
            node,
            f"ask_name（是否填写姓名）只能是 no、optional 或 required，这里是“{shorten(raw)}”。",
            f'ask_name must be no, optional or required; found "{shorten(raw)}".',
            "no：不问姓名；optional：可以不填；required：必须填写。",
            "no: names are not asked; optional: a worker may leave it empty; required: a name is needed.",
        )
        return None
