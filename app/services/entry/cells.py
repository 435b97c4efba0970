"""What one assessor entered for one unit and leaf, as the score grid shows and edits it."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from app.io import cells

NOT_APPLICABLE_WORDS = {"不适用", "n/a", "na", "/", "—", "-"}
YES_WORDS = {"是", "y", "yes", "√", "✓"}
NO_WORDS = {"否", "n", "no", "×", "✗", "x"}


class CellInputError(ValueError):
    """Typed text that does not fit the leaf; the message names the rule."""


class CellValue(NamedTuple):
    """A tuple, not a dataclass: the grid makes tens of thousands of them when it opens."""

    deduction: Decimal | None = None
    score: Decimal | None = None
    answer: bool | None = None
    measured: Decimal | None = None
    not_applicable: bool = False
    veto: bool = False
    reason: str = ""


def _number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellInputError(f"“{text}”不是数字，{what}") from None
    if not value.is_finite():
        raise CellInputError(f"“{text}”不是数字，{what}")
    try:
        return cells.plausible(value, text)
    except cells.CellError as error:
        raise CellInputError(f"{error}，{what}") from None


def parse_cell(method: str, text: str, reason: str = "") -> CellValue | None:
    """Typed text -> value; "" clears the cell (None). 不适用 works for every method."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        return None
    lowered = raw.lower()
    if lowered in NOT_APPLICABLE_WORDS:
        return CellValue(not_applicable=True, reason=reason)
    if method == "扣分":
        # A minus sign is kept: "-1" is refused by the leaf's rule, never read as 1.
        return CellValue(deduction=_number(raw, "扣分项请填扣分数"), reason=reason)
    if method in ("得分", "加分"):
        return CellValue(score=_number(raw, f"{method}项请填分数"), reason=reason)
    if method == "是否":
        if lowered in YES_WORDS:
            return CellValue(answer=True, reason=reason)
        if lowered in NO_WORDS:
            return CellValue(answer=False, reason=reason)
        raise CellInputError(f"是否项请填“是”或“否”，而不是“{raw}”")
    if method == "分档":
        try:
            measured = cells.rate(raw)  # the one reading of a rate, as in the scores workbook
        except cells.CellError as error:
            raise CellInputError(f"分档项的实际值{error}") from None
        if measured is None:
            raise CellInputError(f"“{raw}”不是数字，分档项请填实际值，如 97%")
        return CellValue(measured=measured, reason=reason)
    if method == "否决":
        if lowered in YES_WORDS or raw == "否决":
            return CellValue(veto=True, reason=reason)
        if lowered in NO_WORDS:
            return None
        raise CellInputError("否决项请填“是”（否决）或留空")
    raise CellInputError(f"未知的评分方式“{method}”")


def format_cell(method: str, value: CellValue | None) -> str:
    if value is None:
        return ""
    if value.not_applicable:
        return "不适用"
    if value.veto:
        return "否决"
    if value.deduction is not None:
        return f"{value.deduction.normalize():f}"
    if value.score is not None:
        return f"{value.score.normalize():f}"
    if value.answer is not None:
        return "是" if value.answer else "否"
    if value.measured is not None:
        return f"{(value.measured * 100).normalize():f}%"
    return "0" if method == "扣分" else ""
