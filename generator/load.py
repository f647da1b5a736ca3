"""Quiz files -> model, checking everything and keeping line numbers.

PyYAML's ``compose`` gives nodes that carry their position, so every problem can name
the line and column of what is wrong.  Values are read from the nodes' source text, not
from YAML's type guessing, so ``- 119`` or ``- no`` as an option is the text the author
typed, not a number or ``False``.

Quiz files come from Windows editors and Chinese input methods: a UTF-8 BOM, UTF-16 from
Notepad's "Unicode", GBK from older editors, CRLF line ends, tabs, full-width colons and
spaces.  Those are either read as meant or reported with the exact fix.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Mode, Option, Picture, Question, QuestionType, Quiz, QuizBank
from .nodes import NodeReader, scalar_text, shorten, suggest, yaml_lines
from .problems import Level, Problem, has_errors
from .vocabulary import FALSE_WORDS, LETTERS, TRUE_WORDS, TYPE_ALIASES, shown, slug

try:  # the C loader is much faster on big banks; positions are the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RESERVED_IDS = frozenset({"index", "home"})
"""Names of pages the site makes itself beside the quizzes': quizzes/index.html (all quizzes),
posters/index.html and posters/home.html (DESIGN §5)."""
PHONE_QUESTIONS = 300
"""Above this many questions a quiz page is too heavy for a cheap phone: a 5,000-question page
measured 561 KB gzipped and 13.6 s to start with 4x CPU slowdown (README, Performance)."""
QUIZ_KEYS = ("title", "description", "pass_mark", "mode", "draw", "shuffle", "time_limit", "questions")
QUESTION_KEYS = ("id", "type", "prompt", "image", "options", "answer", "explanation")
IMAGE_KEYS = ("file", "alt")
ALL_KEYS = frozenset(QUIZ_KEYS + QUESTION_KEYS + IMAGE_KEYS + ("zh", "en"))
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_PASS_MARK = 60

_MODE_ALIASES = {
    "practice": {"练习", "练习模式", "train", "training", "learn"},
    "exam": {"考试", "考试模式", "test", "examination"},
}

# Lines an input method or a Windows editor spoils in ways YAML reports badly.
_FULLWIDTH_COLON = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_]+)[ \u3000]*：")
_NO_SPACE_AFTER_COLON = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_]+):(?=[^\s])")
_BAD_INDENT = re.compile(r"^[ ]*[\t\u3000]")
# Characters YAML refuses anywhere in a file (PyYAML's Reader.NON_PRINTABLE, libyaml's check):
# control characters that come with text copied from Word, PDFs or web pages.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def load_bank(root: Path, quiz_dir: Path) -> tuple[QuizBank, list[Problem]]:
    """Load every quiz file in ``quiz_dir``; return the quizzes that are fine and all problems."""
    bank = QuizBank()
    problems: list[Problem] = []
    if not quiz_dir.is_dir():
        return bank, problems
    for path in sorted(quiz_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        shown_as = shown(root, path)
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":  # .yml, .YAML, .Yaml ...
            problems.append(
                Problem(
                    shown_as,
                    0,
                    0,
                    Level.ERROR,
                    "测验文件的扩展名应为 .yaml，这个文件不会被读取。",
                    "Quiz files must end in .yaml; this file would be ignored.",
                    f"把文件改名为 {path.stem}.yaml。",
                    f"Rename the file to {path.stem}.yaml.",
                )
            )
            continue
        if path.suffix != ".yaml":
            continue
        quiz, file_problems = load_quiz(path, shown_as)
        problems.extend(file_problems)
        if quiz is not None:
            bank.quizzes[quiz.id] = quiz
    return bank, problems


def load_quiz(path: Path, shown: str | None = None) -> tuple[Quiz | None, list[Problem]]:
    """Load one quiz file; the quiz is None when the file has any error."""
    reader = _QuizReader(shown or path.as_posix(), quiz_id=path.stem)
    try:
        data = path.read_bytes()
    except OSError as error:  # no permission, removed while reading, a network drive gone
        reader.problem(
            0,
            f"无法打开这个文件（{error.strerror or error}）。",
            f"The file cannot be opened ({error.strerror or error}).",
            "检查文件是否还在、是否被其他程序锁定，以及你有没有读取它的权限。",
            "Check that the file is still there, not locked by another program, and that you may read it.",
        )
        return None, reader.problems
    with _no_cyclic_gc():
        quiz = reader.read(data)
    if has_errors(reader.problems):
        quiz = None
    return quiz, reader.problems


@contextlib.contextmanager
def _no_cyclic_gc():
    """Reading a big bank makes hundreds of thousands of nodes, and CPython 3.11's cyclic
    collector rescans them all again and again: a 5,000-question file loaded in 1.2 s with
    it, 0.54 s without (20,000: 5.6 s against 2.2 s).  Reference counting still frees
    everything; the collector is back on as soon as the file is read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode(data: bytes) -> tuple[str | None, str]:
    """Bytes of a text file -> (text, encoding name); text is None when it cannot be read."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None, "unknown"


def _letters_hint(count: int) -> str:
    return "、".join(LETTERS[:count])


@dataclass
class _QuizReader(NodeReader):
    quiz_id: str = ""

    # -- reporting -----------------------------------------------------------------

    def read(self, data: bytes) -> Quiz | None:
        if not ID_PATTERN.match(self.quiz_id):
            example = slug(self.quiz_id)
            self.problem(
                0,
                f"文件名“{self.quiz_id}”不能用作测验编号：只能用小写英文字母、数字和连字符 -。",
                f'The file name "{self.quiz_id}" cannot be a quiz id: use only a-z, 0-9 and "-".',
                f"把文件改名，例如 {example}.yaml（文件名也是网址的一部分）。",
                f"Rename the file, e.g. {example}.yaml (the name becomes part of the web address).",
            )
        elif self.quiz_id in RESERVED_IDS:
            self.problem(
                0,
                f"文件名“{self.quiz_id}”已被网站自己使用（{self.quiz_id}.html 是目录页或海报页），不能用作测验编号。",
                f'The file name "{self.quiz_id}" is taken by the site itself ({self.quiz_id}.html is an index '
                "or poster page) and cannot be a quiz id.",
                f"把文件改名，例如 {self.quiz_id}-quiz.yaml。",
                f"Rename the file, e.g. {self.quiz_id}-quiz.yaml.",
            )
        text, encoding = decode(data)
        if text is None:
            self.problem(
                0,
                "无法读取文件的文字编码。",
                "The file's text encoding cannot be read.",
                "用记事本或 VS Code 打开，选择“另存为”，编码选 UTF-8。",
                'Open it in Notepad or VS Code, "Save as" with the encoding UTF-8.',
            )
            return None
        if encoding == "gb18030":
            self.problem(
                0,
                "文件是 GBK/GB18030 编码，已按此读取。",
                "The file is GBK/GB18030 encoded; it was read as such.",
                "建议另存为 UTF-8 编码，以免在其他电脑上出现乱码。",
                "Save it as UTF-8 so that it reads the same on every computer.",
                level=Level.WARNING,
            )
        if "\x00" in text:
            self.problem(
                0,
                "文件里有空字符，可能是 UTF-16 编码但缺少标记。",
                "The file holds NUL characters: probably UTF-16 without a byte-order mark.",
                "另存为 UTF-8 编码。",
                "Save it as UTF-8.",
            )
            return None
        if not self.scan_lines(text):
            return None
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as error:
            self.yaml_error(error, text)
            return None
        except yaml.YAMLError as error:  # pragma: no cover - scan_lines reports what the Reader refuses
            self.problem(0, "YAML 格式错误。", f"YAML syntax error: {error}")
            return None
        except RecursionError:  # pragma: no cover - only PyYAML's pure-Python composer recurses
            self.problem(
                0,
                "方括号或花括号套了太多层。",
                "Brackets [ ] or braces { } are nested too deeply.",
                "检查 [ ] 和 { } 是否成对；文字里的括号请放进英文引号。",
                "Check that every [ and { is closed; put a text holding brackets in quotes.",
            )
            return None
        if root is None:
            self.problem(
                0,
                "文件是空的。",
                "The file is empty.",
                "至少要有 title 和 questions，可参考 README 里的例子。",
                "It needs at least a title and questions; see the example in README.",
            )
            return None
        return self.quiz(root)

    def scan_lines(self, text: str) -> bool:
        """Find what input methods and editors spoil before YAML trips over it."""
        found = False
        for number, line in enumerate(yaml_lines(text), start=1):
            bad = _NON_PRINTABLE.search(line)
            if bad:
                column, code = bad.start() + 1, f"U+{ord(bad.group()):04X}"
                self.problem(
                    (number, column),
                    f"这一行第 {column} 个字符是看不见的控制字符 {code}，YAML 不允许。",
                    f"Character {column} of this line is an invisible control character ({code}) "
                    "that YAML does not allow.",
                    "删除它，或把这几个字重新输入一遍；这种字符常常是从 Word、PDF 或网页复制文字时带进来的。",
                    "Delete it, or type the words around it again; such characters often come with text copied "
                    "from Word, a PDF or a web page.",
                )
                found = True
                continue
            if _BAD_INDENT.match(line):
                bad = " Tab 制表符" if "\t" in line[: len(line) - len(line.lstrip())] else "全角空格"
                bad_en = "a tab" if bad.startswith("Tab") else "a full-width space (U+3000)"
                column = next(i for i, ch in enumerate(line, 1) if ch in "\t\u3000")
                self.problem(
                    (number, column),
                    f"这一行的缩进里有{bad}。",
                    f"The indentation of this line holds {bad_en}.",
                    "缩进只能用半角空格（英文输入法下的空格键），同一层的行要对齐。",
                    "Indent with plain spaces only, lining up items of the same level.",
                )
                found = True
                continue
            match = _FULLWIDTH_COLON.match(line)
            if match and match["key"] in ALL_KEYS:
                column = match.end()
                self.problem(
                    (number, column),
                    f"“{match['key']}”后面是中文冒号“：”。",
                    f'"{match["key"]}" is followed by a full-width colon "：".',
                    f"改成英文冒号加一个空格：{match['key']}: ……",
                    f'Use an ASCII colon and a space: "{match["key"]}: ..."',
                )
                found = True
                continue
            match = _NO_SPACE_AFTER_COLON.match(line)
            if match and match["key"] in ALL_KEYS:
                self.problem(
                    (number, match.end() + 1),
                    f"“{match['key']}:”的冒号后面少了一个空格。",
                    f'The colon after "{match["key"]}" needs a space after it.',
                    f"在冒号后加一个空格：{match['key']}: ……",
                    f'Add a space after the colon: "{match["key"]}: ..."',
                )
                found = True
        return not found

    # -- the quiz ------------------------------------------------------------------

    def quiz(self, root: yaml.Node) -> Quiz | None:
        values = self.mapping(root, QUIZ_KEYS, "测验文件", "A quiz file")
        if values is None:
            return None
        title_node = self.require(
            values,
            "title",
            root,
            "测验的标题",
            "the quiz title",
            "加上 title:，下面写 zh: 中文标题 和 en: English title。",
            'Add "title:" with "zh: ..." and "en: ..." under it.',
        )
        title = self.text(title_node, "title") if title_node is not None else None
        description = self.text(values["description"], "description") if "description" in values else None
        pass_mark = self.pass_mark(values["pass_mark"]) if "pass_mark" in values else DEFAULT_PASS_MARK
        questions_node = self.require(
            values,
            "questions",
            root,
            "题目列表",
            "the list of questions",
            "加上 questions:，下面每道题以“- id: ……”开头。",
            'Add "questions:" with each question starting "- id: ...".',
        )
        questions = self.questions(questions_node) if questions_node is not None else ()
        mode = self.mode(values["mode"]) if "mode" in values else Mode.PRACTICE
        shuffle = self.switch(values["shuffle"], "shuffle") if "shuffle" in values else False
        time_limit = self.time_limit(values["time_limit"]) if "time_limit" in values else None
        draw = self.draw(values["draw"], questions) if "draw" in values else None
        if (
            None in (title, pass_mark, questions, mode, shuffle)
            or ("time_limit" in values and time_limit is None)
            or ("draw" in values and draw is None)
        ):
            return None
        if len(questions) > PHONE_QUESTIONS:
            self.problem(
                questions_node,
                f"这个测验有 {len(questions)} 道题：整个题库都在一个网页里，手机打开和交卷会很慢（抽题 draw 也一样）。",
                f"This quiz has {len(questions)} questions: the whole bank is one web page, slow to open and hand in "
                "on a phone (with draw too).",
                f"每个测验最好不超过 {PHONE_QUESTIONS} 题：把题库拆成几个测验文件。",
                f"Keep a quiz to {PHONE_QUESTIONS} questions or fewer: split the bank into several quiz files.",
                level=Level.WARNING,
            )
        return Quiz(self.quiz_id, self.path, title, questions, pass_mark, description, mode, draw, shuffle, time_limit)

    def mode(self, node: yaml.Node) -> Mode | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        if raw in (m.value for m in Mode):
            return Mode(raw)
        alias = next((m for m, names in _MODE_ALIASES.items() if raw.lower() in names), None) or suggest(
            raw, [m.value for m in Mode]
        )
        self.problem(
            node,
            f"不认识的模式 mode“{shorten(raw)}”："
            "只能是 practice（练习，答一题就显示对错）或 exam（考试，交卷后才显示）。",
            f'Unknown mode "{shorten(raw)}": '
            "use practice (feedback after each question) or exam (feedback after handing in).",
            f"是不是想写 mode: {alias}？" if alias else "写 mode: practice 或 mode: exam。",
            f'Did you mean "mode: {alias}"?' if alias else "Write mode: practice or mode: exam.",
        )
        return None

    def draw(self, node: yaml.Node, questions: tuple[Question, ...] | None) -> int | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        # isdecimal, not isdigit: "²" or "᧚" are digits int() cannot read; leading zeros and
        # thousands of digits (more than int() reads) are still a number, just too big.
        text = unicodedata.normalize("NFKC", raw)
        digits = text.lstrip("0") if text.isdecimal() else ""
        if not digits:
            self.problem(
                node,
                f"抽题数 draw 应是 1 或更大的整数，这里是“{shorten(raw)}”。",
                f'draw must be a whole number of 1 or more; found "{shorten(raw)}".',
                "例如 draw: 10 表示每次从题库随机抽 10 题；不抽题就删掉这一行。",
                "For example draw: 10 draws 10 questions per attempt; delete the line to use all questions.",
            )
            return None
        count = int(digits) if len(digits) <= 9 else 10**9
        if questions is not None and count > len(questions):
            self.problem(
                node,
                f"抽题数 draw 是 {shorten(raw)}，但题库只有 {len(questions)} 题。",
                f"draw is {shorten(raw)}, but the bank has only {len(questions)} questions.",
                f"把 draw 改为 {len(questions)} 或更小，或者多写一些题。",
                f"Set draw to {len(questions)} or less, or add questions.",
            )
            return None
        return count

    def pass_mark(self, node: yaml.Node) -> float | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        text = unicodedata.normalize("NFKC", raw).rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not 0 <= value <= 100:
            self.problem(
                node,
                f"及格线 pass_mark 应是 0 到 100 之间的数，这里是“{shorten(raw)}”。",
                f'pass_mark must be a number from 0 to 100; found "{shorten(raw)}".',
                "写一个百分数的数字，例如 pass_mark: 80（表示 80 分及格）。",
                "Write the percent as a number, e.g. pass_mark: 80.",
            )
            return None
        return int(value) if value.is_integer() else value

    def questions(self, node: yaml.Node) -> tuple[Question, ...] | None:
        if (isinstance(node, yaml.ScalarNode) and not scalar_text(node)) or (
            isinstance(node, yaml.SequenceNode) and not node.value
        ):
            self.problem(
                node,
                "测验里没有题目。",
                "The quiz has no questions.",
                "在 questions: 下面至少写一道题，每道题以“- id: ……”开头。",
                'Write at least one question under "questions:", each starting "- id: ...".',
            )
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                "questions 应是题目列表，每道题以“- ”开头。",
                'questions must be a list, each question starting with "- ".',
                "参照 README 的例子，在每道题的第一行前加“- ”。",
                'Start each question with "- " as in the README example.',
            )
            return None
        questions: list[Question] = []
        first_line: dict[str, int] = {}
        failed = False
        for number, item in enumerate(node.value, start=1):
            self.where = f"第 {number} 题 question {number}"
            question = self.question(item, number, first_line)
            if question is None:
                failed = True
            else:
                questions.append(question)
        self.where = ""
        return None if failed else tuple(questions)

    def question(self, node: yaml.Node, number: int, first_line: dict[str, int]) -> Question | None:
        self.where = f"第 {number} 题 question {number}" + _raw_id(node)
        values = self.mapping(node, QUESTION_KEYS, "一道题", "A question")
        if values is None:
            return None
        question_id = self.question_id(values.get("id"), node, number, first_line)
        qtype = self.question_type(values.get("type"), node)
        prompt_node = self.require(
            values,
            "prompt",
            node,
            "题目的文字",
            "the question text",
            "加上 prompt:，下面写 zh: 和 en:。",
            'Add "prompt:" with "zh: ..." and "en: ..." under it.',
        )
        prompt = self.text(prompt_node, "prompt") if prompt_node is not None else None
        explanation = self.text(values["explanation"], "explanation") if "explanation" in values else None
        image = self.picture(values["image"], "image") if "image" in values else None
        options = self.options(values.get("options"), qtype, node)
        answer = self.answer(values.get("answer"), qtype, options, node)
        if None in (question_id, qtype, prompt, options, answer) or any(
            key in values and value is None for key, value in (("explanation", explanation), ("image", image))
        ):
            return None
        return Question(question_id, qtype, prompt, options, answer, explanation, node.start_mark.line + 1, image)

    def picture(self, node: yaml.Node, name: str) -> Picture | None:
        """``image:`` of a question or an option: its file and its alt text (what it shows) in both languages."""
        key = name.rpartition(" ")[2]
        example_zh = f"{key}: {{file: signs/no-smoking.svg, alt: {{zh: 红色圆环加斜杠，中间是点燃的香烟, en: …}}}}"
        example_en = (
            f"{key}: {{file: signs/no-smoking.svg, alt: {{zh: …, en: A red ring and bar over a lit cigarette}}}}"
        )
        if isinstance(node, yaml.ScalarNode) and scalar_text(node):
            self.problem(
                node,
                f"图片“{shorten(scalar_text(node))}”缺少替代文字 alt："
                "看不见图片的人（读屏软件）和图片加载不出来时，要靠它知道图上是什么。",
                f'The picture "{shorten(scalar_text(node))}" has no alt text: people who cannot see it (screen '
                "readers), and everyone when it fails to load, rely on it to know what it shows.",
                f"file 写文件名，alt 写图上画的是什么（不要写出答案），例如 {example_zh}",
                f"Give the file and what the picture shows (without giving the answer away), e.g. {example_en}",
            )
            return None
        values = self.mapping(node, IMAGE_KEYS, f"图片 {name}", f"The picture ({name})")
        if values is None:
            return None
        file_node = self.require(
            values, "file", node, "图片文件名", "the picture's file", f"例如 {example_zh}", f"For example: {example_en}"
        )
        alt_node = self.require(
            values,
            "alt",
            node,
            "图片的替代文字（图上画的是什么，给看不见图片的人）",
            "the picture's alt text (what it shows, for people who cannot see it)",
            f"例如 {example_zh}",
            f"For example: {example_en}",
        )
        alt = self.text(alt_node, "alt") if alt_node is not None else None
        if file_node is None or alt is None:
            return None
        file = scalar_text(file_node) if isinstance(file_node, yaml.ScalarNode) else ""
        if not file:
            self.problem(
                file_node,
                "图片的文件名 file 是空的。",
                'The picture\'s "file" is empty.',
                "写上 content/images/ 里的文件名，例如 file: signs/no-smoking.svg。",
                "Give the name of a file in content/images/, e.g. file: signs/no-smoking.svg.",
            )
            return None
        return Picture(file.replace("\\", "/"), alt, file_node.start_mark.line + 1)

    def question_id(
        self, node: yaml.Node | None, parent: yaml.Node, number: int, first_line: dict[str, int]
    ) -> str | None:
        if node is None:
            self.problem(
                parent,
                "这道题缺少编号 id。",
                "The question has no id.",
                f"加一行 id:，用小写英文字母、数字和 -，在本文件里不重复，例如 id: q{number}。",
                f'Add an "id:" line of a-z, 0-9 and "-", unique in this file, e.g. id: q{number}.',
            )
            return None
        value = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        self.where = f"第 {number} 题 question {number}" + (f" · {shorten(value)}" if value else "")
        if not ID_PATTERN.match(value):
            example = slug(value)[:40].strip("-") or f"q{number}"
            self.problem(
                node,
                f"编号 id“{shorten(value)}”不合格：只能用小写英文字母、数字和连字符 -。",
                f'The id "{shorten(value)}" is not valid: use only a-z, 0-9 and "-".',
                f"例如改为 id: {example}",
                f"For example: id: {example}",
            )
            return None
        if value in first_line:
            self.problem(
                node,
                f"编号 id“{shorten(value)}”重复了（第 {first_line[value]} 行已经用过）。",
                f'The id "{shorten(value)}" is used twice (first on line {first_line[value]}).',
                "每道题的 id 在本文件里必须不同，请改掉其中一个。",
                "Each question needs its own id in this file: change one.",
            )
            return None
        first_line[value] = node.start_mark.line + 1
        return value

    def question_type(self, node: yaml.Node | None, parent: yaml.Node) -> QuestionType | None:
        known = tuple(t.value for t in QuestionType)
        if node is None:
            self.problem(
                parent,
                "这道题缺少题型 type。",
                "The question has no type.",
                "加一行 type:，写 single（单选）、multiple（多选）或 true_false（判断）。",
                'Add "type:" with single, multiple or true_false.',
            )
            return None
        value = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        if value in known:
            return QuestionType(value)
        alias = next((t.value for t, names in TYPE_ALIASES.items() if value.lower() in names), None) or suggest(
            value, known
        )
        hint_zh = f"是不是想写 type: {alias}？" if alias else ""
        hint_en = f'Did you mean "type: {alias}"?' if alias else ""
        self.problem(
            node,
            f"不认识的题型“{shorten(value)}”。题型只能是 single（单选）、multiple（多选）或 true_false（判断）。",
            f'Unknown question type "{shorten(value)}": use single, multiple or true_false.',
            hint_zh,
            hint_en,
        )
        return None

    def options(
        self, node: yaml.Node | None, qtype: QuestionType | None, parent: yaml.Node
    ) -> tuple[Option, ...] | None:
        if qtype is QuestionType.TRUE_FALSE:
            if node is not None:
                self.problem(
                    node,
                    "判断题不需要选项 options，页面会自动显示“正确 / 错误”。",
                    'A true_false question has no options: the page shows "True / False" itself.',
                    "删除 options 和下面的选项。",
                    "Delete options and the lines under it.",
                )
                return None
            return ()
        if node is None:
            if qtype is None:
                return ()
            self.problem(
                parent,
                "选择题缺少选项 options。",
                "A choice question needs options.",
                "加上 options:，下面每个选项一行，以“- ”开头，至少两个。",
                'Add "options:" with one option per line starting with "- ", at least two.',
            )
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                "options 应是选项列表，每个选项以“- ”开头。",
                'options must be a list, each option starting with "- ".',
                "每个选项单独一行，以“- ”开头。",
                'Put each option on its own line starting with "- ".',
            )
            return None
        if len(node.value) < 2:
            self.problem(
                node,
                f"选择题至少要有两个选项，这里只有 {len(node.value)} 个。",
                f"A choice question needs at least two options; found {len(node.value)}.",
                "再加选项，或把题型改为 true_false（判断题）。",
                "Add options, or make it a true_false question.",
            )
            return None
        if len(node.value) > len(LETTERS):
            self.problem(
                node, f"选项太多：最多 {len(LETTERS)} 个（A–Z）。", f"Too many options: at most {len(LETTERS)} (A-Z)."
            )
            return None
        options = []
        for index, item in enumerate(node.value):
            letter = LETTERS[index]
            option = self.option(item, letter)
            if option is None:
                return None
            options.append(option)
        return tuple(options)

    def option(self, node: yaml.Node, letter: str) -> Option | None:
        """An option: a text, or a map of its texts (zh, en) and ``image:``; an option that is only a
        picture has the picture's alt as its text."""
        image_node = None
        if isinstance(node, yaml.MappingNode):
            rest = []
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and str(key_node.value).strip() == "image":
                    image_node = value_node
                else:
                    rest.append((key_node, value_node))
            if image_node is not None:
                if not rest:
                    image = self.picture(image_node, f"options {letter} image")
                    return Option(letter, image.alt, image) if image else None
                node = yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark, node.flow_style)
        text = self.text(node, f"options {letter}")
        image = self.picture(image_node, f"options {letter} image") if image_node is not None else None
        if text is None or (image_node is not None and image is None):
            return None
        return Option(letter, text, image)

    def answer(
        self, node: yaml.Node | None, qtype: QuestionType | None, options: tuple[Option, ...] | None, parent: yaml.Node
    ) -> frozenset[str] | None:
        if qtype is None or options is None:
            return frozenset()  # the type or options are already reported
        if node is None:
            examples = {
                QuestionType.SINGLE: "answer: B",
                QuestionType.MULTIPLE: "answer: [A, C]",
                QuestionType.TRUE_FALSE: "answer: true",
            }
            self.problem(
                parent,
                "这道题缺少答案 answer。",
                "The question has no answer.",
                f"加一行答案，例如 {examples[qtype]}。",
                f"Add the answer, e.g. {examples[qtype]}.",
            )
            return None
        if qtype is QuestionType.TRUE_FALSE:
            return self.true_false_answer(node)
        count = len(options)
        if qtype is QuestionType.SINGLE:
            items = node.value if isinstance(node, yaml.SequenceNode) else [node]
            if len(items) != 1:
                self.problem(
                    node,
                    f"单选题只能有一个答案，这里有 {len(items)} 个。",
                    f"A single-choice question has exactly one answer; found {len(items)}.",
                    "只留一个字母，如 answer: B；如果有多个正确答案，把 type 改为 multiple。",
                    "Keep one letter, e.g. answer: B; if several are right, change type to multiple.",
                )
                return None
            letter = self.letter(items[0], count)
            return None if letter is None else frozenset(letter)
        if not isinstance(node, yaml.SequenceNode):
            raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
            letters = [c for c in unicodedata.normalize("NFKC", raw).upper() if c.isalpha()]
            example = f"[{', '.join(letters)}]" if 1 < len(letters) <= len(LETTERS) else "[A, C]"
            self.problem(
                node,
                f"多选题的答案要写成方括号里的列表，这里是“{shorten(raw)}”。",
                f'A multiple-choice answer must be a list in brackets; found "{shorten(raw)}".',
                f"例如 answer: {example}（英文方括号、英文逗号）。",
                f"For example: answer: {example}",
            )
            return None
        if not node.value:
            self.problem(
                node,
                "多选题的答案是空的。",
                "The multiple-choice answer is empty.",
                "在方括号里写正确选项的字母，如 answer: [A, C]。",
                "List the right letters, e.g. answer: [A, C].",
            )
            return None
        letters: list[str] = []
        for item in node.value:
            letter = self.letter(item, count)
            if letter is None:
                return None
            if letter in letters:
                self.problem(
                    item,
                    f"答案里的“{letter}”写了两次。",
                    f'"{letter}" appears twice in the answer.',
                    "每个字母只写一次。",
                    "List each letter once.",
                )
                return None
            letters.append(letter)
        return frozenset(letters)

    def letter(self, node: yaml.Node, count: int) -> str | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        value = unicodedata.normalize("NFKC", raw).strip().upper()  # full-width "Ｂ" and "b" mean B
        allowed = _letters_hint(count)
        if "，" in raw or "、" in raw or (len(value) > 1 and "," in value):
            self.problem(
                node,
                f"答案“{shorten(raw)}”里用了中文逗号或顿号。",
                f'The answer "{shorten(raw)}" uses a Chinese comma.',
                "用英文逗号分隔，例如 answer: [A, C]。",
                "Separate letters with ASCII commas, e.g. answer: [A, C].",
            )
            return None
        if len(value) != 1 or value not in LETTERS[:count]:
            self.problem(
                node,
                f"答案“{shorten(raw)}”不在选项 {allowed} 中。",
                f'The answer "{shorten(raw)}" is not one of the options {", ".join(LETTERS[:count])}.',
                f"答案用选项的字母：{allowed}（第一个选项是 A）。",
                f"Use the letter of an option: {', '.join(LETTERS[:count])} (the first option is A).",
            )
            return None
        return value

    def true_false_answer(self, node: yaml.Node) -> frozenset[str] | None:
        raw = scalar_text(node) if isinstance(node, yaml.ScalarNode) else ""
        value = raw.strip().lower()
        if value in TRUE_WORDS:
            return frozenset({"true"})
        if value in FALSE_WORDS:
            return frozenset({"false"})
        self.problem(
            node,
            f"判断题的答案应是 true（正确）或 false（错误），这里是“{shorten(raw)}”。",
            f'A true_false answer must be true or false; found "{shorten(raw)}".',
            "写 answer: true 或 answer: false。",
            "Write answer: true or answer: false.",
        )
        return None


def _raw_id(node: yaml.Node) -> str:
    """ " · <id>" of a question mapping, as written, for naming it in messages before it is checked."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode) and scalar_text(value):
                return f" · {shorten(scalar_text(value))}"
    return ""
