"""Staff commands end to end: new, import, export, check, and the preview that survives a broken quiz."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

from openpyxl import Workbook

from ..conftest import GOOD_QUIZ, HOME_PAGES, SITE_URL, fixture_config, run_generator, with_site_url

PAGES = HOME_PAGES


def bank_sheet(path, count=100):
    """A real-looking bank: mixed types, Chinese headers, English columns for some rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "题目（英文）"])
    for n in range(1, count + 1):
        kind = ("单选", "多选", "判断")[n % 3]
        answer = {"单选": "ABCD"[n % 4], "多选": "A,C", "判断": "对" if n % 2 else "×"}[kind]
        options = ["", "", "", ""] if kind == "判断" else [f"选项{n}{c}" for c in "ABCD"]
        sheet.append([n, kind, f"第{n}题 题干 ", *options, answer, f"依据第{n}条", f"Question {n}" if n % 2 else None])
    book.save(path)
    return path


def test_new_module_and_quiz(project):
    """Both language files of a module and a commented quiz file; a second run overwrites nothing."""
    root = project({}, PAGES, with_site_url(fixture_config()))  # no site_url is a warning
    assert run_generator("new", "module", "electricity", cwd=root).returncode == 0
    assert run_generator("new", "quiz", "electricity", cwd=root).returncode == 0
    module = (root / "content/modules/electricity.zh.md").read_text(encoding="utf-8")
    assert "## 你将学会" in module and (root / "content/modules/electricity.en.md").is_file()
    quiz = (root / "quizzes/electricity.yaml").read_text(encoding="utf-8")
    assert "# single 单选 | multiple 多选 | true_false 判断" in quiz.replace("type: single            ", "")
    again = run_generator("new", "quiz", "electricity", cwd=root)
    assert again.returncode == 1 and "已经存在" in again.stderr
    assert (root / "quizzes/electricity.yaml").read_text(encoding="utf-8") == quiz
    checked = run_generator("check", "--strict", cwd=root)
    assert checked.returncode == 0, checked.stdout
    bad = run_generator("new", "quiz", "Electricity Safety", cwd=root)
    assert bad.returncode == 1 and "electricity-safety" in bad.stderr
    taken = run_generator("new", "quiz", "index", cwd=root)  # quizzes/index.html lists all quizzes
    assert taken.returncode == 1 and "index-quiz" in taken.stderr and not (root / "quizzes/index.yaml").exists()


def test_import_a_100_question_sheet_and_build(project, tmp_path):
    """One command turns an Excel bank into a quiz; the site builds with all 100 questions."""
    root = project({}, PAGES)
    sheet = bank_sheet(tmp_path / "题库.xlsx")
    result = run_generator(
        "import", str(sheet), "--quiz", "campaign-bank", "--title", "安全生产月题库/Safety Month bank", cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert "已导入 100 题" in result.stdout
    assert "序号" in result.stderr, "an unknown column is mentioned as ignored"
    built = run_generator("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = (root / "site/quizzes/campaign-bank.html").read_text(encoding="utf-8")
    assert page.count("data-question-id=") == 100 and "安全生产月题库" in page
    again = run_generator("import", str(sheet), "--quiz", "campaign-bank", cwd=root)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_generator("import", str(sheet), "--quiz", "campaign-bank", "--force", cwd=root).returncode == 0


def test_import_of_a_bad_sheet_writes_nothing(project, tmp_path):
    """Rows that cannot be read are listed by number; no quiz file is written."""
    root = project({}, PAGES)
    sheet = bank_sheet(tmp_path / "bank.xlsx", 5)
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    book.active["H3"] = "Z"
    book.active["C5"] = None
    book.save(sheet)
    result = run_generator("import", str(sheet), "--quiz", "bad", cwd=root)
    assert result.returncode == 1
    assert (
        "bank.xlsx:3: 错误 error [第 3 行 row 3]" in result.stderr
        and "bank.xlsx:5: 错误 error [第 5 行 row 5]" in result.stderr
    )
    assert "没有写入任何文件" in result.stderr and not (root / "quizzes/bad.yaml").exists()


def test_exports(project):
    """xlsx, GIFT and paper exams land in exports/; an unknown quiz gets the closest name."""
    root = project({"fire-safety.yaml": GOOD_QUIZ}, PAGES)
    for fmt in ("xlsx", "gift", "paper"):
        assert run_generator("export", "fire-safety", "--format", fmt, cwd=root).returncode == 0
    names = sorted(p.name for p in (root / "exports").iterdir())
    assert names == [
        "fire-safety.both.gift",
        "fire-safety.paper.en.html",
        "fire-safety.paper.zh.html",
        "fire-safety.xlsx",
    ]
    wrong = run_generator("export", "fire-safty", "--format", "gift", cwd=root)
    assert wrong.returncode == 1 and "fire-safety" in wrong.stderr


def test_a_quiz_too_wide_for_a_sheet_is_not_exported(project):
    """A sheet has columns 选项A-H: a question with ten options is named, and GIFT or paper suggested."""
    ten = "".join(f'      - "{n}"\n' for n in range(10))
    wide = GOOD_QUIZ.replace('      - "110"\n      - "119"\n', ten)
    root = project({"wide.yaml": wide}, PAGES)
    result = run_generator("export", "wide", "--format", "xlsx", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "fire-number" in result.stderr and "--format gift" in result.stderr
    assert not (root / "exports").exists()
    assert run_generator("export", "wide", "--format", "gift", cwd=root).returncode == 0


def test_check_reports_links_images_and_tables(project):
    """The check report lists dead links and images without alt text (errors) and the two tables."""
    pages = dict(
        PAGES,
        **{
            "modules/fire.zh.md": (
                "# 消防\n\n见[模块](../modules/nowhere.md)和[测验](../quizzes/fire-safety.html)。\n\n![](steps.svg)\n"
            ),
            "modules/fire.en.md": "# Fire\n\nSee [home](../index.md).\n",
        },
    )
    root = project({"fire-safety.yaml": GOOD_QUIZ}, pages)
    (root / "content/modules/steps.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    result = run_generator("check", cwd=root)
    assert result.returncode == 1
    assert "content/modules/fire.zh.md:3:2: 错误 error" in result.stdout and "“../modules/nowhere.md”" in result.stdout
    assert "content/modules/fire.zh.md:5:1: 错误 error" in result.stdout and "替代文字" in result.stdout
    assert (
        "modules/fire" in result.stdout
        and "fire-safety                        1           1              1                3" in result.stdout
    )


def test_preview_survives_a_broken_quiz(project):
    """`mkdocs serve` keeps serving: the error is in the terminal and on the page, and a fix shows up."""
    root = project(
        {"fire-safety.yaml": GOOD_QUIZ.replace("answer: B", "answer: Z")},
        dict(
            PAGES, **{"modules/fire.zh.md": "# 消防\n\n<!-- quiz: fire-safety -->\n", "modules/fire.en.md": "# Fire\n"}
        ),
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def page_text(deadline=60):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/modules/fire.html", timeout=5) as response:
                    return response.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        raise AssertionError("the preview did not answer")

    try:
        assert "测验“fire-safety”有错误" in page_text()
        (root / "quizzes/fire-safety.yaml").write_text(GOOD_QUIZ, encoding="utf-8")
        end = time.monotonic() + 60
        while 'data-quiz-id="fire-safety"' not in page_text() and time.monotonic() < end:
            time.sleep(1)
        assert 'data-quiz-id="fire-safety"' in page_text()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "答案“Z”不在选项 A、B、C 中" in output


SIGNS_QUIZ = """\
title: {zh: 标志, en: Signs}
questions:
  - id: kind
    type: single
    prompt: {zh: 这个标志属于哪一类？, en: Which kind of sign is this?}
    image:
      file: signs/ring.svg
      alt: {zh: 红色圆环, en: A red ring}
    options:
      - {zh: 禁止标志, en: Prohibition sign}
      - {zh: 警告标志, en: Warning sign}
    answer: A
  - id: which-photo
    type: single
    prompt: {zh: 哪个做法正确？, en: Which is right?}
    options:
      - image: {file: photos/helmet.jpg, alt: {zh: 工人戴着安全帽, en: A worker in a hard hat}}
      - {zh: 不戴, en: Without}
    answer: A
"""
RING_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="40"/></svg>'


def signs_project(project, config=None, pictures=True):
    """A project whose quiz has a question picture (SVG) and an option picture (a JPEG made with Pillow)."""
    from PIL import Image

    root = project({"signs.yaml": SIGNS_QUIZ}, PAGES, config)
    if pictures:
        images = root / "content" / "images"
        (images / "signs").mkdir(parents=True, exist_ok=True)
        (images / "photos").mkdir(exist_ok=True)
        (images / "signs" / "ring.svg").write_text(RING_SVG, encoding="utf-8")
        Image.new("RGB", (1200, 900), (30, 120, 200)).save(images / "photos" / "helmet.jpg", "JPEG")
    return root


def test_exports_of_a_quiz_with_pictures(project):
    """Paper carries its pictures; GIFT describes them, with a warning, until site_url is set, then shows
    them from the built site's address; the sheet has picture columns."""
    from openpyxl import load_workbook

    root = signs_project(project)  # the test project's mkdocs.yml has no site_url
    paper = run_generator("export", "signs", "--format", "paper", "--language", "zh", cwd=root)
    assert paper.returncode == 0, paper.stderr
    html = (root / "exports/signs.paper.zh.html").read_text(encoding="utf-8")
    assert 'src="data:image/svg+xml;base64,' in html and 'src="data:image/jpeg;base64,' in html
    gift = run_generator("export", "signs", "--format", "gift", "--language", "zh", cwd=root)
    assert gift.returncode == 0 and "site_url" in gift.stderr and "Traceback" not in gift.stderr
    assert "[图片：红色圆环]" in (root / "exports/signs.zh.gift").read_text(encoding="utf-8")
    sheet = run_generator("export", "signs", "--format", "xlsx", cwd=root)
    assert sheet.returncode == 0 and sheet.stderr == ""
    header = next(load_workbook(root / "exports/signs.xlsx").active.iter_rows(values_only=True))
    assert header[-7:] == ("图片", "图片说明", "图片说明（英文）", "选项A图片", "选项B图片", "选项C图片", "选项D图片")

    root = signs_project(project, with_site_url(fixture_config()))
    gift = run_generator("export", "signs", "--format", "gift", "--language", "en", cwd=root)
    assert gift.returncode == 0 and gift.stderr == "" and SITE_URL in gift.stdout
    text = (root / "exports/signs.en.gift").read_text(encoding="utf-8")
    addresses = re.findall(r'<img src\\="https\\://example\.gov\.cn/anquan/([^"]+)"', text)
    assert len(addresses) == 2
    built = run_generator("build", cwd=root)
    assert built.returncode == 0, built.stderr
    for address in addresses:
        assert (root / "site" / address).is_file(), f"the site publishes {address}"


def test_export_with_a_missing_picture_names_it(project):
    """A picture file that is not there stops paper (and GIFT with site_url): the quiz file, line and
    picture are named, nothing is written, no traceback.  GIFT without site_url needs no files."""
    root = signs_project(project, with_site_url(fixture_config()), pictures=False)
    line = SIGNS_QUIZ.splitlines().index("      file: signs/ring.svg") + 1
    for fmt in ("paper", "gift"):
        result = run_generator("export", "signs", "--format", fmt, cwd=root)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"quizzes/signs.yaml:{line}: 错误 error [第 1 题 question 1 · kind]" in result.stderr
        assert "找不到图片文件“signs/ring.svg”" in result.stderr and "photos/helmet.jpg" in result.stderr
        assert "没有导出任何文件" in result.stderr
    assert not (root / "exports").exists()
    root = signs_project(project, pictures=False)
    assert run_generator("export", "signs", "--format", "gift", cwd=root).returncode == 0


def test_import_of_a_sheet_with_pictures(project, tmp_path):
    """A sheet with picture columns becomes a quiz file with the pictures; import reminds where the files go."""
    root = project({}, PAGES)
    book = Workbook()
    book.active.append(["题型", "题目", "选项A", "选项B", "答案", "图片", "图片说明", "选项A图片"])
    book.active.append(["单选", "这是什么标志？", "禁止标志", "警告标志", "A", "signs\\ring.svg", "红色圆环", ""])
    book.active.append(["单选", "哪个是指令标志？", "蓝色圆形", "黄色三角形", "A", "", "", "signs/blue.svg"])
    book.save(tmp_path / "signs.xlsx")
    result = run_generator("import", str(tmp_path / "signs.xlsx"), "--quiz", "signs", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "2 张图片" in result.stdout and "content/images/" in result.stdout
    text = (root / "quizzes/signs.yaml").read_text(encoding="utf-8")
    assert "signs/ring.svg" in text and "signs/blue.svg" in text
