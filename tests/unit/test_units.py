"""Counting participation, the site's side of the settings: units.yaml and the results block, checked
with file, line and fix (DESIGN §11.1)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.problems import Level
from generator.settings import read_settings
from generator.units import Unit, load_units

UNITS = """\
units:
  - code: yjj
    name: {zh: 县应急管理局, en: County Emergency Management Bureau}
    headcount: 120
  - code: town-1
    name: 一镇
"""

CONFIG = """\
site_name: 测试站点
site_url: https://anquan.example.gov.cn/xian/
docs_dir: content
plugins:
  - generator:
      results:
        endpoint: /anquan-api
        ask_name: no
        notice: {zh: 成绩和单位用于统计参与情况，活动结束三个月后删除。, en: Kept for three months after the campaign.}
"""


def units_of(tmp_path: Path, text: str):
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    return load_units(path)


def checked(tmp_path: Path, config: str = CONFIG, units: str | None = UNITS):
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    if units is not None:
        (tmp_path / "units.yaml").write_text(units, encoding="utf-8")
    settings, problems = read_settings(tmp_path / "mkdocs.yml")
    assert problems == [], [p.format() for p in problems]
    return settings.check()


def test_units_load_in_file_order(tmp_path):
    units, problems = units_of(tmp_path, UNITS)
    assert problems == []
    assert units[0] == Unit("yjj", units[0].name, 120) and units[0].name.en.startswith("County")
    assert (units[1].code, units[1].name.zh, units[1].name.en, units[1].headcount) == ("town-1", "一镇", "一镇", None)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("units:\n  - code: Town 1\n    name: 一镇\n", 2, 'unit code "Town 1" cannot be used'),
        ("units:\n  - code: a\n    name: A\n  - code: a\n    name: B\n", 4, "used twice; line 2"),
        ("units:\n  - code: a\n    name: A\n    headcount: lots\n", 4, "headcount"),
        ("units:\n  - code: a\n    name: A\n    head: 3\n", 4, 'Did you mean "headcount"?'),
        ("units:\n  - name: A\n", 2, 'no "code"'),
        ("units:\n  - code: a\n", 2, '"name" is missing'),
        ("units: []\n", 1, "needs a list of units"),
        ("units:\n  - code: a\n    name: A\n  - code: b\n   name: B\n", 5, "indentation"),
    ],
)
def test_unit_mistakes_name_their_line(tmp_path, text, line, words):
    units, problems = units_of(tmp_path, text)
    assert units is None
    found = [p for p in problems if p.level is Level.ERROR]
    assert found and found[0].line == line, [p.format() for p in problems]
    assert words in "\n".join(p.format() for p in problems)


def test_the_results_block_is_read_with_its_units(tmp_path):
    project = checked(tmp_path).project
    results = project.results
    assert results.endpoint == "/anquan-api/" and results.ask_name == "no" and results.public_summary is False
    assert results.notice.en == "Kept for three months after the campaign."
    assert [unit.code for unit in project.units] == ["yjj", "town-1"]


def test_without_results_nothing_is_asked(tmp_path):
    config = "site_name: x\nsite_url: https://a.example/\nplugins:\n  - generator\n"
    check = checked(tmp_path, config, units=None)
    assert check.project.results is None and check.project.units == () and check.problems == ()


def test_results_without_units_yaml_say_what_to_create(tmp_path):
    [problem] = [p for p in checked(tmp_path, units=None).problems if p.is_error]
    assert problem.path == "units.yaml" and "Create units.yaml" in problem.hint_en


@pytest.mark.parametrize(
    "change, words",
    [
        (("endpoint: /anquan-api", "endpoint: anquan-api"), "not an address results can be sent to"),
        (("endpoint: /anquan-api", "endpoint: http://api.example.gov.cn/"), "browsers block such requests"),
        (("ask_name: no", "ask_name: maybe"), "ask_name must be no, optional or required"),
        (("        ask_name: no\n", "        public_summary: sometimes\n"), "public_summary must be true or false"),
        (("        notice:", "        notise:"), 'Did you mean "notice"?'),
        (("        endpoint: /anquan-api\n", ""), '"endpoint" is missing'),
    ],
)
def test_results_mistakes_name_their_line(tmp_path, change, words):
    problems = checked(tmp_path, CONFIG.replace(*change)).problems
    errors = [p for p in problems if p.is_error]
    assert errors and all(p.path == "mkdocs.yml" and p.line >= 6 for p in errors)
    assert words in "\n".join(p.format() for p in errors)
