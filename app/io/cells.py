"""Cell values as offices type them: full-width digits, numbers as text, 97%, 是/否, 5分.

Numbers never pass through float arithmetic: a float cell is read by its shortest decimal form
(0.1 stays 1/10), so totals and published figures carry no float noise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from app.io.text_rules import tidy

YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "已"})
NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "无", "未"})
EXCEL_DIGITS = 15  # Excel keeps and shows 15 significant digits; more is float noise
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_LIST_SEPARATORS = re.compile(r"[、,，;；/／\n]")


class CellError(ValueError):
    """A cell that cannot be read as the column requires; the message says what was wanted."""


def text(value: Any) -> str:
    """NFKC, trimmed (ASCII and full-width spaces); numbers shown as the sheet shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return float_text(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def plain(value: Any) -> str:
    """Free text kept as written (Chinese punctuation stays full-width), only trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return float_text(value)
    return str(value).strip(" \t\r\n\u3000")


def name(value: Any) -> str:
    """A name (a unit's, a category's, an indicator's, an assessor's) as written, its
    full-width brackets kept, only its spaces tidied; names are compared by
    text_rules.name_key."""
    return tidy(plain(value))


def header(value: Any) -> str:
    """Header text compared without spaces or line breaks, brackets at one width."""
    return _SPACES.sub("", text(value))


def float_text(value: float) -> str:
    """A float by its shortest decimal form: 0.1 stays 0.1, 3.0 becomes 3, 0.1+0.2 gives 0.3."""
    if value.is_integer():
        return str(int(value))
    shortest = repr(value)
    digits = shortest.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    if len(digits) > EXCEL_DIGITS:
        shortest = format(value, f".{EXCEL_DIGITS}g")
    return shortest


def decimal(value: Any) -> Decimal | None:
    """A number, or None for a blank cell; raises CellError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return plausible(Decimal(float_text(value)), float_text(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise CellError("应为数字，而不是日期或时间")
    raw = text(value).replace("\u2212", "-").replace(" ", "")
    if not raw:
        return None
    if raw.startswith("#"):
        raise CellError(f"是公式错误值“{raw}”，应为数字")
    if _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"“{text(value)}”不是数字") from None
    if not number.is_finite():
        raise CellError(f"“{text(value)}”不是数字")
    return plausible(number, text(value))


PLACES = 4  # decimals a score, rate or count may have
LARGEST = Decimal(10) ** 6  # no figure of an assessment comes near a million


def plausible(number: Decimal, shown: str) -> Decimal:
    """The number if an assessment could hold it: at most 4 decimal places and below a
    million. Seen: a deduction of 1e-61 made every result of the round fail (decimal.Inexact),
    1e1000000 overflowed and 1e999999 was stored as a million-character string."""
    shown = shown if len(shown) <= 24 else shown[:20] + "…"
    if number != 0 and number.adjusted() >= LARGEST.adjusted():  # no arithmetic: it may overflow
        raise CellError(f"“{shown}”过大：分值、得分和比率都应小于 {LARGEST:,}")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PLACES:
        raise CellError(f"“{shown}”小数位过多：最多 {PLACES} 位小数")
    return number


def points(value: Any) -> Decimal | None:
    """A 分值 cell; offices sometimes type the unit: "5分"."""
    if isinstance(value, str) and text(value).endswith("分"):
        try:
            return decimal(text(value)[:-1])
        except CellError:
            raise CellError(f"“{text(value)}”不是数字") from None
    return decimal(value)


def rate(value: Any) -> Decimal | None:
    """A rate: 97% (a percent-formatted cell), "97%" and 0.97 all mean 0.97. Above 1 only
    when written with %: a bare 85 could be 85 % or a typing slip, so it is refused rather
    than read as 8500 %."""
    if isinstance(value, str):
        raw = text(value)
        if raw.endswith("%"):
            number = decimal(raw[:-1])
            return None if number is None else number / 100
    number = decimal(value)
    if number is not None and number > 1:
        shown = f"{number.normalize():f}"
        raise CellError(
            f"“{shown}”大于 1：比率请带 % 写（如 85%、120%）或写成小数（如 0.85）；"
            f"是否指 {shown}%？"
        )
    return number


def yes_no(value: Any, extra_yes: frozenset[str] = frozenset()) -> bool | None:
    """是/否 and the ticks and letters clerks use for them; blank is None."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if not raw:
        return None
    if raw in YES or raw in extra_yes:
        return True
    if raw in NO:
        return False
    raise CellError(f"“{text(value)}”应填“是”或“否”")


def category_list(value: Any) -> tuple[str, ...]:
    """适用类别: names separated by 、 , ， ; ； (blank: every category)."""
    parts = _LIST_SEPARATORS.split(plain(value))
    return tuple(dict.fromkeys(name(p) for p in parts if name(p)))
