"""Cell values as offices type them: full-width digits, numbers as text, 97%, 是/否."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

YES = {"是", "√", "✓", "y", "yes", "true", "1", "有", "已"}
NO = {"否", "×", "✗", "x", "n", "no", "false", "0", "无", "未"}
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


class CellError(ValueError):
    """A cell that cannot be read as the column requires; the message says what was wanted."""


def text(value: Any) -> str:
    """NFKC, trimmed (ASCII and full-width spaces); numbers shown as the sheet shows them."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = _float_text(value)
    elif isinstance(value, bool):
        value = "是" if value else "否"
    return unicodedata.normalize("NFKC", str(value)).strip()


def plain(value: Any) -> str:
    """Free text kept as written (Chinese punctuation stays full-width), only trimmed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _float_text(value)
    return str(value).strip(" \t\r\n\u3000")


def label(value: Any) -> str:
    """An indicator name as written, spaces tidied like a unit name's."""
    return _CJK_GAP.sub("", _SPACES.sub(" ", plain(value)))


def name(value: Any) -> str:
    """A unit or indicator name: runs of spaces collapsed, spaces between Chinese removed."""
    return _CJK_GAP.sub("", _SPACES.sub(" ", text(value)))


def header(value: Any) -> str:
    """Header text compared without spaces, line breaks or brackets' width."""
    return _SPACES.sub("", text(value))


def _float_text(value: float) -> str:
    """A float by its shortest decimal form: 0.1 stays 0.1, 3.0 becomes 3."""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def decimal(value: Any) -> Decimal | None:
    """A number, or None for a blank cell; raises CellError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(_float_text(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise CellError("应为数字，而不是日期")
    raw = text(value).replace(",", "")
    if not raw:
        return None
    if raw.startswith("#"):
        raise CellError(f"单元格是公式错误值“{raw}”，应为数字")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"“{raw}”不是数字") from None
    if not number.is_finite():
        raise CellError(f"“{raw}”不是数字")
    return number


def rate(value: Any) -> Decimal | None:
    """A rate: 97%, "97%" and 0.97 all mean 0.97."""
    if isinstance(value, str) and text(value).endswith("%"):
        number = decimal(text(value)[:-1])
        return None if number is None else number / 100
    return decimal(value)


def yes_no(value: Any) -> bool | None:
    raw = text(value).lower()
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(f"“{text(value)}”应填“是”或“否”")


def category_list(value: Any) -> tuple[str, ...]:
    parts = re.split(r"[、,，;；/]", text(value))
    return tuple(name(p) for p in parts if name(p))
