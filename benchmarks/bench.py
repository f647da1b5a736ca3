"""Build cost at scale (make bench): a synthetic site of 100 modules in both languages and
1,000 questions, built with the generator on and off in the same run, and the time to load
and check growing question banks.  Times are wall-clock medians on a shared machine: read
the ratios, not the seconds.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import load_bank  # noqa: E402

PARAGRAPH = ("安全生产人人有责。发现隐患要立即报告，不能冒险作业。"
             "Everyone is responsible for safety: report hazards at once and never take risks. ") * 4


def question(n: int) -> str:
    kind = ("single", "multiple", "true_false")[n % 3]
    lines = [f"  - id: q{n}", f"    type: {kind}", "    prompt:", f"      zh: 第{n}题：发现隐患应当怎么做？",
             f"      en: \"Question {n}: what do you do about a hazard?\""]
    if kind != "true_false":
        lines += ["    options:"] + [f"      - {{zh: 选项{c}, en: Option {c}}}" for c in "ABCD"]
    lines += [f"    answer: {'B' if kind == 'single' else '[A, C]' if kind == 'multiple' else 'true'}",
              "    explanation:", "      zh: 《安全生产法》第五十九条。", "      en: Work Safety Law Art. 59."]
    return "\n".join(lines)


def quiz(name: str, start: int, count: int) -> str:
    body = "\n".join(question(n) for n in range(start, start + count))
    return f"title:\n  zh: 测验 {name}\n  en: Quiz {name}\nquestions:\n{body}\n"


def make_site(folder: Path, modules: int = 100, per_quiz: int = 10, generator: bool = True) -> Path:
    folder.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:\n")[0] + "\nmarkdown_extensions:" + config.split("\nmarkdown_extensions:", 1)[1]
    if not generator:
        config = config.replace("  - generator:\n", "  - generator:\n      enabled: false\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "theme_overrides", folder / "theme_overrides")
    (folder / "quizzes").mkdir()
    for lang, title in (("zh", "首页"), ("en", "Home")):
        (folder / "content" / "modules").mkdir(parents=True, exist_ok=True)
        (folder / "content" / f"index.{lang}.md").write_text(f"# {title}\n\n<!-- campaign -->\n", encoding="utf-8")
    for m in range(modules):
        name = f"m{m:03d}"
        (folder / "quizzes" / f"{name}.yaml").write_text(quiz(name, m * per_quiz, per_quiz), encoding="utf-8")
        for lang in ("zh", "en"):
            sections = "\n\n".join(f"## 第{s}节 Section {s}\n\n{PARAGRAPH}" for s in range(6))
            (folder / "content" / "modules" / f"{name}.{lang}.md").write_text(
                f"# 模块 Module {name}\n\n{sections}\n\n## 测一测\n\n<!-- quiz: {name} -->\n", encoding="utf-8")
    return folder


def build_seconds(folder: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(folder / "out")], cwd=folder, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    return elapsed


def validate_seconds(folder: Path, total: int, per_file: int = 100) -> float:
    quizzes = folder / f"bank-{total}"
    quizzes.mkdir()
    for f in range(total // per_file):
        (quizzes / f"b{f:04d}.yaml").write_text(quiz(f"b{f}", f * per_file, per_file), encoding="utf-8")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        bank, problems = load_bank(folder, quizzes)
        runs.append(time.perf_counter() - start)
        assert not problems and sum(len(q.questions) for q in bank) == total
    return min(runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        on, off = make_site(base / "on"), make_site(base / "off", generator=False)
        times = {"on": [], "off": []}
        for _ in range(3):  # interleaved, so both see the same machine load
            times["on"].append(build_seconds(on))
            times["off"].append(build_seconds(off))
        median_on, median_off = statistics.median(times["on"]), statistics.median(times["off"])
        print("| measure | value |\n| --- | --- |")
        print(f"| build, 100 modules × 2 languages, 1,000 questions, generator on (median of 3) | {median_on:.2f} s |")
        print(f"| same site, generator off | {median_off:.2f} s |")
        print(f"| ratio on / off (target ≤ 1.10) | {median_on / median_off:.3f} |")
        previous = None
        for total in (1000, 2000, 5000, 10000):
            seconds = validate_seconds(base, total)
            growth = f" ({seconds / previous[1]:.2f}× for {total / previous[0]:.1f}× questions)" if previous else ""
            print(f"| load and check {total:,} questions | {seconds:.3f} s{growth} |")
            previous = (total, seconds)


if __name__ == "__main__":
    main()
