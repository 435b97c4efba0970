"""What a name or a piece of free text may hold, checked where text enters: the readers (by
column, so the message names the cell) and the services that create names from typed text.

- No control characters (U+0000–U+001F but tab and line breaks, U+007F–U+009F): a NUL in a
  unit name (from the ``_x0000_`` escape of a workbook) broke every export that showed it.
- Names hold no invisible format characters (Unicode category Cf): bidirectional overrides
  and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E/U+200F, U+061C), zero-width
  characters and the BOM. "\\u202e局法司市州云" shows as 云州市司法局 and is another unit.
- Names have a maximum length. The limits are far above any real name (the longest unit name
  in the demo is 17 characters, the longest indicator name under 60) and keep documents and
  file names workable: a title or a table cell is laid out line by line.
- Names are kept as written ("市司法局（法制办）" keeps its full-width brackets: it is an official
  name and the notices print it) and compared by their key (name_key): full-width and ASCII
  forms alike, spaces tidied. A workbook that writes "(" finds the unit stored with "（", and a
  unit stored with "(" by an earlier version is found by a list that writes "（".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from app.errors import UserError

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_SPACES = re.compile(r"\s+")
# Spaces between Chinese characters (or brackets/punctuation next to them) are typing noise.
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef()\[\]【】]"
_WIDE_GAP = re.compile(rf"(?<={_WIDE})\s+(?={_WIDE})")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # category Cc but \t \n \r
EXCEL_CELL_LIMIT = 32_767


@dataclass(frozen=True)
class TextRule:
    label: str  # what the text is, as the message says it: 单位名称
    max_length: int
    name: bool = True  # names also refuse invisible format characters


UNIT = TextRule("单位名称", 100)
SHORT_NAME = TextRule("单位简称", 50)
CATEGORY = TextRule("单位类别", 50)
ASSESSOR = TextRule("评分人名称", 100)
DEPARTMENT = TextRule("部门名称", 100)
NODE = TextRule("指标名称", 500)
CODE = TextRule("指标编码", 50)
ROUND = TextRule("考核批次名称", 100)
FRAMEWORK = TextRule("指标体系名称", 100)
USERNAME = TextRule("用户名", 50)
DISPLAY_NAME = TextRule("姓名", 50)
# Free text (reasons, 评分标准, descriptions, progress notes): no control characters, and no
# more than a worksheet cell holds.
TEXT = TextRule("文字", EXCEL_CELL_LIMIT, name=False)


def tidy(text: str) -> str:
    """Runs of spaces and line breaks as one space, none between Chinese characters, trimmed:
    what a cell's wrapping and a clerk's typing add, not part of a name."""
    return _WIDE_GAP.sub("", _SPACES.sub(" ", text).strip())


@functools.lru_cache(maxsize=4096)  # a scores sheet names the same units on every row
def name_key(name: str) -> str:
    """What two names are compared by (never what is stored or printed): NFKC, so "（）" and
    "()", full-width and ASCII letters and digits are alike, and spaces tidied."""
    return tidy(unicodedata.normalize("NFKC", name))


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _control_message(rule: TextRule, char: str) -> str:
    return (
        f"{rule.label}含有控制字符 {_code_point(char)}"
        "（不可见，常见于损坏或转换出错的文件），请删去后重试"
    )


def text_problem(text: str, rule: TextRule) -> str | None:
    """Why ``text`` cannot be a value under ``rule``, in Chinese, or None."""
    if not rule.name:
        control = CONTROL.search(text)
        if control is not None:
            return _control_message(rule, control.group())
    if len(text) > rule.max_length:
        return f"{rule.label}有 {len(text)} 个字，超过上限 {rule.max_length} 个字"
    return _name_problem(text, rule) if rule.name else None


@functools.lru_cache(maxsize=4096)  # a scores sheet names the same units on every row
def _name_problem(text: str, rule: TextRule) -> str | None:
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            return _control_message(rule, char)
        if category == "Cf":
            return (
                f"{rule.label}含有不可见的格式字符 {_code_point(char)}"
                "（如文字方向控制符，会使名称看起来像另一个名称），请删去后重试"
            )
        if char in _ALLOWED_CONTROLS:
            return f"{rule.label}不能含有换行符或制表符"
    return None


def checked(text: str, rule: TextRule) -> str:
    """``text`` stripped, or UserError saying why it cannot be used."""
    text = text.strip()
    problem = text_problem(text, rule)
    if problem is not None:
        raise UserError(problem)
    return text
