#!/usr/bin/env bash
# county-edits.sh: show that a county's own edits do not break its `make test` (issue 12 §2).
#
# A county copies this repository and edits mkdocs.yml, content/ and quizzes/.  This script
# does the same on a throw-away copy and runs the whole test suite there:
#
#   1. copies the project (the files git lists, tracked or new and not ignored, as they are in
#      the working tree now) into a temporary folder; .venv/, site/ and caches are left out
#      (.cache/node, the GIFT parser the export tests install, is copied when present);
#   2. sets site_url: "https://example.gov.cn/anquan/";
#   3. replaces the whole campaign block: year 2026, edition 25, theme 测试主题 / Test theme,
#      1-30 June 2026, another organiser, activities dated 2026;
#   4. removes a module (content/modules/mines.*.md), the quiz it embeds and its nav entry;
#   5. imports a quiz from an Excel sheet with the project's own command
#      (python -m generator import county-bank.xlsx --quiz county-bank ...);
#   6. reorders nav: (the home page stays first, the other entries are reversed);
#   7. runs `python -m generator check`, then the whole suite (pytest) in the copy.
#
# The copy is tested with this checkout's .venv: its Python runs with PYTHONPATH=<copy>, so the
# copy's generator package is imported (also by the builds the tests start with sys.executable,
# which inherit PYTHONPATH) instead of the editable install that points at this checkout, and
# the tests' ROOT is the copy.  `make test` itself is not run there: its dependency stamps would
# re-install the package in editable mode from the copy into this checkout's .venv.
#
# The edits of mkdocs.yml are plain text edits on known keys, good enough for a demonstration
# (the file holds a !!python/object/apply tag that a YAML round trip through PyYAML would need
# help with; the tests themselves edit configurations structurally).
#
# Usage:  scripts/county-edits.sh [pytest arguments]    e.g. scripts/county-edits.sh -x -q
#         KEEP=1 scripts/county-edits.sh                 keeps the copy (its path is printed)
# Exit status: that of the test run (or non-zero when an edit or the check fails).
set -euo pipefail

ORIG=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON="$ORIG/.venv/bin/python"
[ -x "$PYTHON" ] || { echo "No $PYTHON: run 'make test' in $ORIG once first." >&2; exit 1; }
COPY=$(mktemp -d "${TMPDIR:-/tmp}/county-XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "The copy stays in $COPY"
else
    trap 'rm -rf "$COPY"' EXIT
fi
export NO_MKDOCS_2_WARNING=1 PYTHONUTF8=1 PYTHONPATH="$COPY" PYTHONDONTWRITEBYTECODE=1

echo "== 1. copy $ORIG -> $COPY"
(cd "$ORIG" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$ORIG" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
    (cd "$ORIG" && tar --null -T - -cf -) | tar -xf - -C "$COPY"
if [ -d "$ORIG/.cache/node" ]; then mkdir -p "$COPY/.cache" && cp -a "$ORIG/.cache/node" "$COPY/.cache/"; fi
cd "$COPY"
cp mkdocs.yml mkdocs.yml.orig

echo "== 2-4, 6. edit mkdocs.yml, remove a module"
MODULE=mines
QUIZ=$(sed -n 's/^<!-- quiz: *\([a-z0-9-]*\) *-->.*/\1/p' "content/modules/$MODULE.zh.md" | head -n1)
[ -n "$QUIZ" ] || { echo "content/modules/$MODULE.zh.md embeds no quiz" >&2; exit 1; }
rm "content/modules/$MODULE.zh.md" "content/modules/$MODULE.en.md" "quizzes/$QUIZ.yaml"
echo "removed content/modules/$MODULE.{zh,en}.md and quizzes/$QUIZ.yaml"

"$PYTHON" - "$MODULE" <<'PY'
import re
import sys
from pathlib import Path

module = sys.argv[1]
path = Path("mkdocs.yml")
lines = path.read_text(encoding="utf-8").splitlines()


def block(key: str, indent: int) -> tuple[int, int]:
    """The lines of ``key:`` at ``indent`` and of everything indented under it: (first, end)."""
    first = next(n for n, line in enumerate(lines) if line == " " * indent + key + ":")
    end = first + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    while not lines[end - 1].strip():  # blank lines before the next key stay outside
        end -= 1
    return first, end


# 2. site_url
count = sum(1 for line in lines if line.startswith("site_url:"))
assert count == 1, "one site_url: line expected"
lines = [('site_url: "https://example.gov.cn/anquan/"' if line.startswith("site_url:") else line) for line in lines]

# 3. the campaign block, whatever it holds now
first, end = block("campaign", 6)
lines[first:end] = """\
      campaign:
        year: 2026
        edition: 25
        theme:
          zh: 测试主题
          en: Test theme
        start: 2026-06-01
        end: 2026-06-30
        organiser:
          zh: 测试县应急管理局
          en: Test County Emergency Management Bureau
        activities:
          - date: 2026-06-03
            title: {zh: 测试县启动仪式, en: Test County launch}
            place: {zh: 县体育馆, en: County stadium}
          - date: 2026-06-16
            title: {zh: 安全宣传咨询日, en: Safety Publicity and Consultation Day}
            place: {zh: 人民广场, en: People's Square}""".splitlines()

# 4. the removed module's nav entry; 6. nav reordered
first, end = block("nav", 0)
items: list[list[str]] = []
for line in lines[first + 1:end]:
    if re.match(r"^  - ", line):
        items.append([line])
    elif items:
        items[-1].append(line)
removed = [n for n, item in enumerate(items) for line in item if line.strip() == f"- modules/{module}.md"]
assert removed, f"modules/{module}.md is not in nav:"
for item in items:
    item[:] = [line for line in item if line.strip() != f"- modules/{module}.md"]
items = [item for item in items if len(item) > 1 or not item[0].rstrip().endswith(":")]  # no empty section
home = [item for item in items if "index.md" in item[0] and "quizzes/" not in item[0]]
rest = [item for item in items if item not in home]
lines[first + 1:end] = [line for item in home + rest[::-1] for line in item]

path.write_text("\n".join(lines) + "\n", encoding="utf-8")
PY
diff -u mkdocs.yml.orig mkdocs.yml || true
rm mkdocs.yml.orig

echo "== 5. import a quiz from an Excel sheet"
"$PYTHON" - <<'PY'
from openpyxl import Workbook

book = Workbook()
sheet = book.active
sheet.append(["题型", "题目", "选项A", "选项B", "选项C", "答案", "解析", "题目（英文）", "选项A（英文）", "选项B（英文）",
              "选项C（英文）", "解析（英文）"])
sheet.append(["单选", "县里的安全生产举报电话是？", "12350", "12315", "12345", "A", "12350 是安全生产举报投诉电话。",
              "Which number reports work-safety violations?", "12350", "12315", "12345", "12350 is the work-safety hotline."])
sheet.append(["多选", "进入有限空间前要做什么？", "通风", "检测气体", "直接进入", "AB", "先通风、再检测、后作业。",
              "What comes before entering a confined space?", "Ventilate", "Test the air", "Just go in",
              "Ventilate, test, then work."])
sheet.append(["判断", "发现隐患可以先不报告。", None, None, None, "错", "发现隐患应当立即报告。",
              "A hazard need not be reported at once.", None, None, None, "Report a hazard at once."])
sheet.append(["单选", "灭火器应对准火焰的哪里？", "顶部", "根部", "烟雾", "B", "对准火焰根部。",
              "Where do you aim an extinguisher?", "The top", "The base", "The smoke", "At the base of the flames."])
book.save("county-bank.xlsx")
PY
"$PYTHON" -m generator import county-bank.xlsx --quiz county-bank --title "县题库/County quiz bank" --pass-mark 75
rm county-bank.xlsx

echo "== 7. check, then the whole suite"
"$PYTHON" -m generator check
start=$(date +%s)
status=0
"$PYTHON" -m pytest -p no:cacheprovider "$@" || status=$?
echo "== the suite in the county's copy: exit $status after $(( $(date +%s) - start )) s"
exit "$status"
