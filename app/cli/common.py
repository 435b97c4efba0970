"""What the command modules share: exit codes, dates and numbers as typed, JSON as printed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import UserError
from app.io import cells
from app.timefmt import FIRST_YEAR, LAST_YEAR

EXIT_OK, EXIT_USAGE_OR_INPUT, EXIT_INTERRUPTED = 0, 2, 130  # 130: 128 + SIGINT, as shells say


def parse_day(text: str | None) -> date | None:
    """A date as typed; its year within FIRST_YEAR..LAST_YEAR (9999-12-31 overflowed the
    deadlines computed from it)."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"日期“{text}”无效，应为 YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UserError(f"日期“{text}”超出范围：年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    return day


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def parse_decimal(text: str | None, what: str) -> Decimal | None:
    """An optional number given as text; `what` names it in the message when it is not one."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise UserError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise UserError(f"{what}“{text}”不是数字")
    try:
        return cells.plausible(value, text)
    except cells.CellError as error:
        raise UserError(f"{what}{error}") from None
