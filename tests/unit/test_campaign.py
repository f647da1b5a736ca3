"""The campaign block of mkdocs.yml: read with its lines, every mistake explained."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.campaign import read_campaign
from generator.settings import read_settings

CONFIG = """\
site_name: 测试
theme:
  name: material
  custom_dir: !ENV [THEME_DIR, theme_overrides]
plugins:
  - search
  - generator:
      quiz_dir: quizzes
      campaign:
        year: 2025
        edition: 24
        theme:
          zh: 测试主题：安全在身边
          en: "Test theme: safety around you"
        start: 2025-06-01
        end: 2025年6月30日
        organiser: {zh: 测试县安委办, en: Test County}
        activities:
          - date: 2025-06-16
            title: {zh: 安全宣传咨询日, en: Consultation Day}
          - date: 2025-06-01
            title: 启动仪式
            place: {zh: 广场, en: Square}
"""


def settings_of(tmp_path, text):
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings is not None, problems
    return settings


def load(tmp_path, text):
    return read_campaign(settings_of(tmp_path, text).campaign)


def test_campaign_loads(tmp_path):
    """Dates in either form, texts in both languages, activities in date order; !ENV elsewhere is fine."""
    campaign, problems = load(tmp_path, CONFIG)
    assert problems == []
    assert settings_of(tmp_path, CONFIG).check().project.campaign == campaign, "the check reads the same block"
    assert campaign.year == 2025 and campaign.edition == 24
    assert campaign.start == dt.date(2025, 6, 1) and campaign.end == dt.date(2025, 6, 30) and campaign.days == 30
    assert campaign.theme.en.startswith("Test theme")
    assert [a.date.day for a in campaign.activities] == [1, 16]
    assert campaign.activities[0].title.en == "启动仪式" and campaign.activities[0].place.en == "Square"


def test_no_campaign_is_fine(tmp_path):
    """A site without a campaign block has no campaign and no problem."""
    settings = settings_of(tmp_path, "site_name: x\nsite_url: https://example.gov.cn/\nplugins:\n  - generator\n")
    checked = settings.check()
    assert settings.campaign is None and checked.project.campaign is None and checked.problems == ()


@pytest.mark.parametrize(
    "old, new, line, words, hint",
    [
        ("start: 2025-06-01", "start: 6月1日", 15, "看不懂或不存在", "2025-06-01"),
        ("end: 2025年6月30日", "end: 2025-05-01", 16, "早于开始日期", "写反"),
        ("year: 2025", "year: 2024", 10, "开始日期在 2025 年", "year: 2025"),
        ("edition: 24", "edition: 第24个", 11, "整数", "edition: 24"),
        ('          en: "Test theme: safety around you"\n', "", 13, "缺少英文", "en:"),
        ("        organiser:", "        organizer:", 17, "organizer", "organiser"),
        ("            title: 启动仪式\n", "", 21, "缺少 title", "title:"),
    ],
    ids=[
        "unreadable-date",
        "end-before-start",
        "year-mismatch",
        "edition-words",
        "missing-english",
        "misspelt-key",
        "activity-without-title",
    ],
)
def test_campaign_errors(tmp_path, old, new, line, words, hint):
    """Each mistake names mkdocs.yml, its line, what is wrong and the fix."""
    assert old in CONFIG
    campaign, problems = load(tmp_path, CONFIG.replace(old, new))
    assert campaign is None
    [problem] = [p for p in problems if p.is_error]
    assert problem.path == "mkdocs.yml" and problem.line == line, problem.format()
    assert words in problem.zh and hint in problem.hint_zh + problem.hint_en, problem.format()


def test_an_impossible_date_is_named_with_its_line(tmp_path):
    """2025-02-30 stops MkDocs' own loader, which names no line; the campaign's message names it and the fix."""
    path = tmp_path / "mkdocs.yml"
    path.write_text(CONFIG.replace("start: 2025-06-01", "start: 2025-02-30"), encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings is None and "day is out of range" in problems[0].hint_zh
    [problem] = [p for p in problems if p.line]
    assert problem.path == "mkdocs.yml" and problem.line == 15, problem.format()
    assert "看不懂或不存在" in problem.zh and "2025-06-01" in problem.hint_zh, problem.format()
