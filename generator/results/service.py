"""What the results service knows from the moment it starts: the quizzes, the units, who may call it.

Everything is read once, at start, with the core's own loaders (``load_bank``, ``load_units``), so
the service judges an answer by the very quiz file the site was built from; nothing is reloaded
while it runs.  A quiz or units.yaml with errors keeps it from starting (``load_service`` returns
the problems for the plain report).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..campaign import Campaign, DailySettings, read_campaign
from ..learn import with_daily
from ..load import load_bank
from ..model import QuizBank, quiz_version
from ..problems import Problem, has_errors
from ..project import check_reserved_quiz_ids
from ..results_config import ResultsConfig, read_results
from ..settings import Settings
from ..units import UNITS_FILE, Unit, load_units

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Limit:
    """A token bucket: ``burst`` requests at once, then ``rate`` a second."""

    rate: float
    burst: int


ADDRESS_LIMIT = Limit(rate=10, burst=600)
"""Per client address: a factory's 300 workers behind one public IP hand in together (300 records,
each with its CORS preflight) without a single 429; one client flooding is slowed to 10 a second."""
DEVICE_LIMIT = Limit(rate=1, burst=30)
"""Per device id: a phone sending its whole queue of waiting records at once is fine."""


@dataclass(frozen=True)
class Service:
    bank: QuizBank
    units: dict[str, Unit]
    """By code, in the order of units.yaml."""
    ask_name: str = "no"
    """no | optional | required: the results block's ``ask_name``, which the page follows too."""
    public_summary: bool = False
    """The results block's ``public_summary``: without it /api/v1/public/summary answers 404."""
    origins: tuple[str, ...] = ()
    """The origins (scheme://host[:port]) whose pages may call the service: the site's, and --allow-origin."""
    proxies: tuple[Network, ...] = ()
    """Addresses of trusted reverse proxies: only their X-Forwarded-For is believed."""
    campaign: Campaign | None = None
    """The campaign block (its dates frame the dashboard's daily chart), when mkdocs.yml has one."""
    address_limit: Limit = ADDRESS_LIMIT
    device_limit: Limit = DEVICE_LIMIT
    versions: dict[str, str] = field(init=False)
    """quiz id -> the fingerprint pages carry as data-quiz-version."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "versions", {quiz.id: quiz_version(quiz) for quiz in self.bank})


def load_service(settings: Settings, **options: Any) -> tuple[Service | None, list[Problem]]:
    """The service for the project of ``settings`` (``options``: the other fields of ``Service``), or
    None with the problems of its quizzes, units.yaml and results block when any has errors.  Without
    a results block the page sends nothing; the service then keeps the block's defaults."""
    bank, problems = load_bank(settings.root, settings.quiz_dir)
    problems += check_reserved_quiz_ids(settings.paths)
    units, unit_problems = load_units(settings.root / UNITS_FILE)
    problems += unit_problems
    results: ResultsConfig | None = None
    if settings.results is not None:
        results, results_problems = read_results(settings.results, settings.site_url, settings.config_file.name)
        problems += results_problems
    campaign = None
    if settings.campaign is not None:
        campaign, campaign_problems = read_campaign(settings.campaign, settings.config_file.name)
        problems += campaign_problems
    if units is None or has_errors(problems):
        return None, problems
    service = Service(
        # The learner pages' daily challenge is a quiz of its own: a day's first round counts for the unit.
        with_daily(bank, campaign.daily if campaign else DailySettings()),
        {unit.code: unit for unit in units},
        ask_name=results.ask_name if results else ResultsConfig.ask_name,
        public_summary=results.public_summary if results else ResultsConfig.public_summary,
        campaign=campaign,
        origins=tuple(dict.fromkeys(o for o in (origin(settings.site_url), *options.pop("origins", ())) if o)),
        **options,
    )
    return service, problems


def origin(url: str) -> str | None:
    """The origin a browser sends for pages under ``url`` (scheme://host[:port], the default port
    left out), or None when ``url`` is not an http(s) address."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    host = f"[{host}]" if ":" in host else host
    if port is not None and port != {"http": 80, "https": 443}[parts.scheme]:
        host += f":{port}"
    return f"{parts.scheme}://{host}"


def network(address: str) -> Network | None:
    """A trusted proxy's address or network (``127.0.0.1``, ``10.0.0.0/8``, ``::1``), or None."""
    try:
        return ipaddress.ip_network(address.strip(), strict=False)
    except ValueError:
        return None
