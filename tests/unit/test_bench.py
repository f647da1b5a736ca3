"""The pure parts of `make bench` (benchmarks/): the synthetic sites, the byte counting, the verdicts.
No builds and no browser here: `make bench` itself runs those."""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from benchmarks import bench, scale, serve_reload
from generator.load import load_quiz
from generator.model import QuestionType


@pytest.fixture(scope="module")
def pools():
    return scale.sample_pools()


@pytest.fixture(scope="module")
def quizzes():
    return scale.sample_quizzes()


# -- bytes on the wire --------------------------------------------------------------------------------


def test_wire_bytes_counts_headers_and_encoded_body():
    assert scale.wire_bytes({"responseHeadersSize": 230, "responseBodySize": 22813}, {}) == 23043


def test_wire_bytes_of_a_cached_response_is_nothing():
    # Playwright reports a body of minus the headers for a response from the browser's cache.
    assert scale.wire_bytes({"responseHeadersSize": 236, "responseBodySize": -236}, {"content-length": "4967"}) == 0


def test_wire_bytes_of_a_worker_script_falls_back_to_its_content_length():
    # A worker's script reports a body of 0 though the server sent one (seen with Chromium 156).
    sizes = {"responseHeadersSize": 237, "responseBodySize": 0}
    assert scale.wire_bytes(sizes, {"content-length": "12286"}) == 237 + 12286
    assert scale.wire_bytes(sizes, {}) == 237
    assert scale.wire_bytes(sizes, {"content-length": "x"}) == 237


def test_worker_lists_reads_the_head_of_sw_js():
    source = (
        'const VERSION = "abc";\nconst ASSETS = ["assets/a.js", "assets/b.css"];\n'
        'const PAGES = {"zh": ["index.html", "search/search_index.json"], "en": ["en/index.html"]};\n'
        "const CACHE = `generator-${VERSION}`;\n"
    )
    assets, pages = scale.worker_lists(source)
    assert assets == ["assets/a.js", "assets/b.css"]
    assert pages == {"zh": ["index.html", "search/search_index.json"], "en": ["en/index.html"]}
    assert scale.worker_lists("// no lists") == ([], {})


def test_page_paths_follow_design_5():
    assert scale.page_path("home", "zh", "generator") == "index.html"
    assert scale.page_path("home", "en", "generator") == "en/index.html"
    assert scale.page_path("quiz", "zh", "generator") == "quizzes/m000.html"
    assert scale.page_path("quiz", "en", "plain Material") == f"en/{scale.HAND}/m000.html"


# -- the synthetic sites ------------------------------------------------------------------------------


def test_read_pool_takes_the_parts_of_a_module_and_leaves_figures_out(tmp_path):
    module = tmp_path / "a.zh.md"
    module.write_text(
        "# 标题\n\n第一段。\n\n## 要点\n\n### 小节\n\n- 一项\n1. 二项\n\n"
        '!!! warning "小心"\n    正文一\n    正文二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'
        "<figure>\n<svg>很长很长</svg>\n</figure>\n\n- S1 https://example.org/\n",
        encoding="utf-8",
    )
    pool = scale.read_pool([module])
    assert pool.titles == ("标题",)
    assert pool.headings == ("小节",)
    assert pool.paragraphs == ("第一段。",)
    assert pool.items == ("一项", "二项")
    assert pool.notes == (("warning", "小心", "正文一 正文二"),)
    assert pool.tables == (("| a | b |", "|---|---|", "| 1 | 2 |"),)
    assert pool.chars == len(scale.without_figures(module.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", scale.LANGUAGES)
def test_synthetic_modules_are_as_long_and_built_as_the_samples(pools, lang):
    pool = pools[lang]
    texts = [scale.module_text(pool, lang, m, f"m{m:03d}") for m in range(30)]
    lengths = [len(text) for text in texts]
    assert abs(statistics.median(lengths) - pool.chars) <= 0.05 * pool.chars
    assert max(lengths) <= 1.15 * pool.chars
    for m, text in enumerate(texts):
        lines = text.splitlines()
        assert lines[0].startswith("# ")
        assert sum(line.startswith("## ") for line in lines) == 7
        assert sum(line.startswith("### ") for line in lines) == 6
        assert sum(line.startswith("!!! ") for line in lines) == 3
        assert any(line.startswith("|") for line in lines)
        assert sum(line.startswith(("- ", "1. ", "2. ")) for line in lines) >= 40
        assert text.count(f"<!-- quiz: m{m:03d} -->") == 1
        assert "<figure>" not in text and "http" not in text
    assert len(set(texts)) == len(texts)  # each module its own text
    assert scale.module_text(pool, lang, 7, "m007") == texts[7]  # the same on every run


def test_module_quiz_takes_ten_questions_of_a_sample_quiz(quizzes):
    quiz = scale.module_quiz(quizzes, 13, "m013")
    assert quiz.id == "m013" and len(quiz.questions) == scale.QUESTIONS
    assert quiz.questions == quizzes[13 % len(quizzes)].questions[: scale.QUESTIONS]
    assert quiz.title.zh.endswith("第 14 课") and quiz.title.en.endswith("lesson 14")
    assert all(
        q.draw is None or q.draw <= scale.QUESTIONS
        for q in map(lambda n: scale.module_quiz(quizzes, n, "x"), range(12))
    )


def test_hand_quiz_page_has_every_question_with_its_answer(quizzes):
    quiz = scale.module_quiz(quizzes, 3, "m003")
    for lang in scale.LANGUAGES:
        page = scale.hand_quiz_page(quiz, lang)
        assert page.startswith(f"# {quiz.title.get(lang)}\n")
        assert page.count("\n## ") == scale.QUESTIONS
        for question in quiz.questions:
            assert question.prompt.get(lang) in page
    true_false = next(q for q in quiz.questions if q.type is QuestionType.TRUE_FALSE)
    assert true_false.prompt.en in scale.hand_quiz_page(quiz, "en")
    assert "- True\n- False" in scale.hand_quiz_page(quiz, "en")
    assert "- 对\n- 错" in scale.hand_quiz_page(quiz, "zh")


def test_nav_is_shaped_like_the_samples():
    nav = scale.nav_yaml(23, "generator")
    assert nav.startswith("nav:\n  - 首页: index.md\n")
    assert '  - "1–10":' in nav and '  - "21–23":' in nav
    assert nav.count("      - modules/m") == 23
    assert "  - 测验: quizzes/index.md" in nav and "      - learn/progress.md" in nav
    assert nav.endswith("  - glossary.md\n")
    hand = scale.nav_yaml(23, "by hand")
    assert f"  - 测验: {scale.HAND}/index.md" in hand and "learn/" not in hand


def test_project_config_per_kind():
    sample = (scale.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    generator = scale.project_config(sample, 12, "generator")
    assert "  - generator:\n      quiz_dir: quizzes" in generator and "custom_dir: theme_overrides" in generator
    assert "modules/m011.md" in generator and "modules/fire.md" not in generator
    by_hand = scale.project_config(sample, 12, "by hand")
    assert "  - generator:\n      enabled: false\n      quiz_dir: quizzes" in by_hand
    plain = scale.project_config(sample, 12, "plain Material")
    assert "generator" not in plain and "custom_dir" not in plain and "favicon" not in plain
    assert "  - i18n:" in plain and "  - search:" in plain and "markdown_extensions:" in plain
    assert plain.rstrip().endswith("build: true")  # the i18n languages: nothing cut after them


@pytest.mark.parametrize("kind", scale.KINDS)
def test_make_project_writes_the_same_pages_for_each_kind(tmp_path, pools, quizzes, kind):
    project = scale.make_project(tmp_path / "p", 3, kind, pools, quizzes)
    content = project / "content"
    pages = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))
    modules = [f"modules/m00{m}.{lang}.md" for m in range(3) for lang in ("en", "zh")]
    assert set(modules) <= set(pages)
    assert {"index.zh.md", "index.en.md", "glossary.zh.md", "glossary.en.md"} <= set(pages)
    hand = [p for p in pages if p.startswith(scale.HAND + "/")]
    if kind == "generator":
        assert not hand
        assert sorted(p.name for p in (project / "quizzes").iterdir()) == ["m000.yaml", "m001.yaml", "m002.yaml"]
        quiz, problems = load_quiz(project / "quizzes" / "m001.yaml")
        assert quiz is not None and not problems and len(quiz.questions) == scale.QUESTIONS
    else:
        assert len(hand) == 8  # three quizzes and the index, in two languages
    assert (project / "theme_overrides").is_dir() == (kind != "plain Material")
    assert (project / "quizzes").is_dir() == (kind != "plain Material")


# -- the report ------------------------------------------------------------------------------------


def test_growth_is_the_largest_change_from_the_smallest_site():
    assert scale.growth({12: 100, 100: 103, 500: 96}) == pytest.approx(-0.04)
    assert scale.growth({12: 100, 100: 103, 500: 112}) == pytest.approx(0.12)
    assert scale.growth({12: 100}) is None
    assert scale.percent(0.123) == "+12.3 %" and scale.percent(None) == "—"


def _visits(n: int, quiz_gzip: int, home_gzip: int = 60_000) -> list[scale.Visit]:
    visits = []
    for lang in scale.LANGUAGES:
        for mode in scale.MODES:
            factor = {"all": 1, "stock": 3.5, "none": 3.3}[mode]
            visits.append(scale.Visit("generator", lang, "home", mode, int(home_gzip * factor)))
            visits.append(scale.Visit("generator", lang, "quiz", mode, int(quiz_gzip * factor), background=5000))
            visits.append(scale.Visit("plain Material", lang, "quiz", mode, 300_000 * n))
    return visits


def _builds(n: int, generator: float, by_hand: float, material: float) -> scale.Builds:
    runs = {
        "generator": [(generator, generator)],
        "by hand": [(by_hand, by_hand)],
        "plain Material": [(material, material)],
    }
    return scale.Builds(n, runs, {kind: 10 * n for kind in runs})


def test_verdicts_read_each_budget():
    visits = {12: _visits(12, 80_000), 100: _visits(100, 82_000), 500: _visits(500, 95_000)}
    builds = {12: _builds(12, 5, 5, 4), 500: _builds(500, 100, 110, 95)}
    found = {v.budget.split(":")[0].split(" ≤")[0]: v for v in scale.verdicts(builds, visits)}
    gzip = found["a quiz page, first visit, server gzips all text"]
    assert gzip.ok and "92.8 KiB" in gzip.measured and "500 modules" in gzip.measured
    stock = found["the same on a stock server (HTML compressed only)"]
    assert stock.ok is False and "324.7 KiB" in stock.measured  # 3.5 × 95,000 bytes
    growth = found["first-visit weight the same (± 5 %) at 12, 100, 500 modules"]
    assert growth.ok is False and "+18.8 %" in growth.measured and "quiz page" in growth.measured
    by_hand = found["build"]
    assert by_hand.ok and "12 modules 1.00×" in by_hand.measured and "500 modules 0.91×" in by_hand.measured
    material = found["500 modules × 2 languages"]
    assert material.ok and material.measured.startswith("1.05×")
    table = "\n".join(scale.verdict_table(list(found.values())))
    assert "**missed**" in table and "| met |" in table


def test_verdicts_say_what_was_not_measured():
    found = scale.verdicts({12: _builds(12, 5, 6, 4)}, {12: _visits(12, 80_000)})
    words = {v.budget: v.word for v in found}
    assert words[next(b for b in words if b.startswith("first-visit weight"))] == "not measured"
    assert words[next(b for b in words if b.startswith("500 modules"))] == "not measured"
    assert words[next(b for b in words if b.startswith("build ≤"))] == "met"


def test_tables_have_a_row_per_build_and_per_page():
    builds = {12: _builds(12, 5, 5, 4), 100: _builds(100, 20, 21, 19)}
    lines = scale.build_tables(builds)
    assert sum(line.startswith("| 12 | ") for line in lines) == 4  # three builds and the ratios
    assert any(line == "| 100 | 0.95 / 0.95 | 1.05 / 1.05 |" for line in lines)
    visits = {12: _visits(12, 80_000), 100: _visits(100, 84_000)}
    table = scale.visit_tables(visits)
    row = next(line for line in table if line.startswith("| quiz | zh | generator |"))
    assert "78.1 / 273.4 / 257.8" in row and "+5.0 % / +5.0 % / +5.0 %" in row
    assert any(line.startswith("| zh | 100 | 4.9 KiB (0/0 files)") for line in table)


# -- bench.py and serve_reload.py ------------------------------------------------------------------


def test_variant_configs():
    config = scale.project_config((scale.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), 12, "generator")
    with_url = bench.variant_config(config, "site_url")
    assert 'site_url: "https://example.gov.cn/anquan/"' in with_url and 'site_url: ""' not in with_url
    without_nav = bench.variant_config(config, "no nav")
    assert "\nnav:" not in without_nav and "modules/m000.md" not in without_nav
    assert "markdown_extensions:" in without_nav and "  - generator:" in without_nav


def test_builds_in_reads_mkdocs_log():
    log = (
        "INFO    -  Building documentation...\nINFO    -  Documentation built in 41.23 seconds\n"
        "INFO    -  [11:02:03] Reloading browsers\nINFO    -  Documentation built in 7 seconds\n"
    )
    assert serve_reload.builds_in(log) == [41.23, 7.0]


def test_edited_quiz_has_the_new_prompt_and_nothing_else_changed(tmp_path, quizzes):
    path = tmp_path / "m000.yaml"
    path.write_text(scale.quiz_to_yaml(scale.module_quiz(quizzes, 0, "m000")), encoding="utf-8")
    before, _ = load_quiz(path)
    path.write_text(serve_reload.edited(path, "新的题目 new prompt"), encoding="utf-8")
    after, problems = load_quiz(path)
    assert after is not None and not problems
    assert after.questions[0].prompt.zh == after.questions[0].prompt.en == "新的题目 new prompt"

    def same(questions):
        return [dataclasses.replace(q, line=0) for q in questions]

    assert same(after.questions[1:]) == same(before.questions[1:])
    assert after.questions[0].options == before.questions[0].options
