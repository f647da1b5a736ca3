"""The campaign block of mkdocs.yml: theme, dates, organiser and activities, checked.

It lives under the plugin's options (``plugins: - generator: campaign: ...``) so that one
file holds the whole site's settings.  It is read from the YAML nodes like the quiz
files, so a mistake is reported with its line in mkdocs.yml and a fix: ``settings.py`` reads
mkdocs.yml once and keeps the campaign's node for ``read_campaign``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .model import Text
from .nodes import NodeReader, scalar_text
from .problems import Problem, has_errors

CAMPAIGN_KEYS = ("year", "edition", "theme", "start", "end", "organiser", "activities", "daily")
DAILY_KEYS = ("questions", "time_limit")
ACTIVITY_KEYS = ("date", "title", "place")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class DailySettings:
    """The daily challenge, from the campaign block's ``daily:`` (defaults of the national contest)."""

    questions: int = 5
    time_limit: int = 150
    """Seconds."""
    pass_mark: float = 60


@dataclass(frozen=True)
class Activity:
    date: dt.date
    title: Text
    place: Text | None = None


@dataclass(frozen=True)
class Campaign:
    year: int
    theme: Text
    start: dt.date
    end: dt.date
    edition: int | None = None
    organiser: Text | None = None
    activities: tuple[Activity, ...] = ()
    daily: DailySettings = field(default_factory=DailySettings)
    """The learner pages' daily challenge (learn.py): questions per round and time limit."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def read_campaign(node: yaml.Node, shown: str = "mkdocs.yml") -> tuple[Campaign | None, list[Problem]]:
    """The campaign of the block ``node`` in mkdocs.yml (``Settings.campaign``), or None when it has errors."""
    reader = _CampaignReader(shown)
    campaign = reader.campaign(node)
    if has_errors(reader.problems):
        campaign = None
    return campaign, reader.problems


class _CampaignReader(NodeReader):
    def campaign(self, node: yaml.Node) -> Campaign | None:
        self.where = "campaign"
        values = self.mapping(node, CAMPAIGN_KEYS, "campaign（活动设置）", "campaign")
        if values is None:
            return None
        theme = self._required_text(values, "theme", node, "安全生产月的主题", "the campaign theme")
        start = (
            self.date(values["start"], "start")
            if "start" in values
            else self._missing(node, "start", "开始日期", "the first day")
        )
        end = (
            self.date(values["end"], "end")
            if "end" in values
            else self._missing(node, "end", "结束日期", "the last day")
        )
        if start and end and end < start:
            self.problem(
                values["end"],
                f"结束日期 {end} 早于开始日期 {start}。",
                f"The end date {end} is before the start date {start}.",
                "检查 start 和 end 是否写反，或者年份、月份写错。",
                "Check whether start and end are swapped, or a year or month is wrong.",
            )
            end = None
        year = self.number(values["year"], "year", 2000, 2100) if "year" in values else (start.year if start else None)
        if "year" in values and year and start and year != start.year:
            self.problem(
                values["year"],
                f"year 是 {year}，但开始日期在 {start.year} 年。",
                f"year is {year}, but the start date is in {start.year}.",
                f"改为 year: {start.year}，或改开始日期。",
                f"Set year: {start.year}, or fix the start date.",
            )
            year = None
        edition = self.number(values["edition"], "edition", 1, 999) if "edition" in values else 0
        organiser = self.text(values["organiser"], "organiser") if "organiser" in values else None
        activities = self.activities(values["activities"]) if "activities" in values else ()
        daily = self.daily(values["daily"]) if "daily" in values else DailySettings()
        if None in (theme, start, end, year, edition, activities, daily) or (
            "organiser" in values and organiser is None
        ):
            return None
        return Campaign(year, theme, start, end, edition or None, organiser, activities, daily)

    def daily(self, node: yaml.Node) -> DailySettings | None:
        """``daily: {questions: 5, time_limit: 150s}``: the daily challenge of the learner pages."""
        values = self.mapping(node, DAILY_KEYS, "daily（每日挑战）", "daily (the daily challenge)")
        if values is None:
            return None
        self.where = "campaign · daily"
        questions = (
            self.number(values["questions"], "questions", 1, 50) if "questions" in values else DailySettings.questions
        )
        seconds = self.time_limit(values["time_limit"]) if "time_limit" in values else DailySettings.time_limit
        self.where = "campaign"
        return None if questions is None or seconds is None else DailySettings(questions, seconds)

    def _required_text(self, values, key, parent, zh, en) -> Text | None:
        node = self.require(
            values,
            key,
            parent,
            zh,
            en,
            f"加上 {key}:，下面写 zh: 和 en:。",
            f'Add "{key}:" with "zh: ..." and "en: ..." under it.',
        )
        return self.text(node, key) if node is not None else None

    def _missing(self, parent: yaml.Node, key: str, zh: str, en: str) -> None:
        self.problem(
            parent,
            f"缺少 {key}：{zh}。",
            f'"{key}" is missing: {en}.',
            f"加一行 {key}: 2025-06-01 这样的日期。",
            f'Add a date such as "{key}: 2025-06-01".',
        )
        return None

    def date(self, node: yaml.Node, name: str) -> dt.date | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        match = _DATE.match(unicodedata.normalize("NFKC", raw))
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                pass  # 2025-02-30 and the like: reported below
        self.problem(
            node,
            f"{name} 的日期“{raw}”看不懂或不存在。",
            f'The date "{raw}" of {name} cannot be read or does not exist.',
            "写成 年-月-日，例如 2025-06-01（也可以写 2025年6月1日）。",
            "Write year-month-day, e.g. 2025-06-01.",
        )
        return None

    def number(self, node: yaml.Node, name: str, low: int, high: int) -> int | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        text = unicodedata.normalize("NFKC", raw).strip()
        if text.isdigit() and low <= int(text) <= high:
            return int(text)
        self.problem(
            node,
            f"{name} 应是 {low} 到 {high} 之间的整数，这里是“{raw}”。",
            f'{name} must be a whole number from {low} to {high}; found "{raw}".',
            "只写数字，例如 edition: 24（第 24 个安全生产月）。"
            if name == "edition"
            else f"只写数字，例如 {name}: 2025。",
            "Write the number only, e.g. edition: 24."
            if name == "edition"
            else f"Write the number only, e.g. {name}: 2025.",
        )
        return None

    def activities(self, node: yaml.Node) -> tuple[Activity, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                "activities 应是活动列表，每项以“- date: ……”开头。",
                'activities must be a list, each item starting "- date: ...".',
                "参照 README 里的例子。",
                "See the example in README.",
            )
            return None
        activities, failed = [], False
        for number, item in enumerate(node.value, start=1):
            self.where = f"campaign · 第 {number} 项活动 activity {number}"
            values = self.mapping(item, ACTIVITY_KEYS, "一项活动", "An activity")
            if values is None:
                failed = True
                continue
            day = (
                self.date(values["date"], "date")
                if "date" in values
                else self._missing(item, "date", "活动日期", "the date")
            )
            title = self._required_text(values, "title", item, "活动名称", "the activity's title")
            place = self.text(values["place"], "place") if "place" in values else None
            if day is None or title is None or ("place" in values and place is None):
                failed = True
                continue
            activities.append(Activity(day, title, place))
        self.where = "campaign"
        return None if failed else tuple(sorted(activities, key=lambda a: a.date))
