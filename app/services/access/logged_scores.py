"""Score cells as the change log says they are (the latest 评分 record of each unit, leaf and
assessor) beside the cells as stored: what names an edited score by cell (issue 15 §1).

The grid logs one dict per cell (values as typed, "是" for flags), a workbook import a list of
dicts (one per row of the cell, flags as JSON true); both become the same normalised rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, select

from app.models import ChangeLog

Cell = tuple[str, str, str]  # unit name, leaf code, assessor name
# deduction, score, answer, measured, not applicable, veto, reason
Row = tuple[str | None, str | None, bool | None, str | None, bool, bool, str]
LABELS = ("扣分", "得分", "是否", "实际值", "不适用", "否决", "理由")
NUMBERS = (0, 1, 3)  # positions of the numbers in a Row


def _number(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # a value the program would not have written: shown as it is
    return f"{number.normalize():f}" if number.is_finite() else str(value)


def _flag(value: Any) -> bool:
    return value is True or value in ("是", 1, "1", "true")


def _answer(value: Any) -> bool | None:
    if value is None:
        return None
    if value in (False, "否", 0, "0"):
        return False
    return _flag(value)


def logged_row(value: dict[str, Any]) -> Row:
    return (
        _number(value.get("扣分")),
        _number(value.get("得分")),
        _answer(value.get("是否")),
        _number(value.get("实际值")),
        _flag(value.get("不适用")),
        _flag(value.get("否决")),
        str(value.get("理由") or ""),
    )


def stored_row(values: list[Any]) -> Row:
    """From a score group's canonical line after node and assessor (raw database values)."""
    deduction, score, answer, measured, not_applicable, veto, reason = values
    return (
        _number(deduction),
        _number(score),
        None if answer is None else _answer(answer),
        _number(measured),
        _flag(not_applicable),
        _flag(veto),
        str(reason or ""),
    )


def _lossy(rows: Iterable[Row]) -> list[Row]:
    """Rows as records before issue 15 logged them: a 0 and a 否 were left out."""
    found = []
    for row in rows:
        items = list(row)
        for position in NUMBERS:
            if items[position] == "0":
                items[position] = None
        if items[2] is False:
            items[2] = None
        found.append(tuple(items))
    return sorted(found, key=repr)  # type: ignore[arg-type]


def same(logged: list[Row], stored: list[Row]) -> bool:
    if sorted(logged, key=repr) == sorted(stored, key=repr):
        return True
    return _lossy(logged) == _lossy(stored)


def describe(rows: list[Row] | None) -> str:
    if rows is None:
        return "（变更记录中没有这一格）"
    if not rows:
        return "（空）"
    parts = []
    for row in rows:
        shown = []
        for label, value in zip(LABELS, row, strict=True):
            if value is None or value is False or value == "":
                if label == "是否" and value is False:
                    shown.append("是否 否")
                continue
            shown.append(label if value is True else f"{label} {value}")
        parts.append(" ".join(shown) or "（空）")
    return "；".join(parts)


def _split(key: str, units: set[str], codes: set[str]) -> Cell | None:
    """ "单位/指标/评分人", where a name may itself hold a "/"."""
    parts = key.split("/")
    for middle in range(1, len(parts) - 1):
        unit, code = "/".join(parts[:middle]), parts[middle]
        if unit in units and code in codes:
            return unit, code, "/".join(parts[middle + 1 :])
    return None


@dataclass(frozen=True)
class LoggedCells:
    cells: dict[Cell, list[Row]]  # the latest logged rows per cell ([] when it was cleared)

    def get(self, cell: Cell) -> list[Row] | None:
        return self.cells.get(cell)


def logged_cells(
    connection: Connection, round_id: int, units: set[str], codes: set[str]
) -> LoggedCells:
    table = ChangeLog.__table__
    cells: dict[Cell, list[Row]] = {}
    query = (
        select(table.c.entity_key, table.c.new)
        .where(table.c.entity == "评分", table.c.round_id == round_id)
        .order_by(table.c.id)
    )
    for key, new in connection.execute(query):
        cell = _split(key, units, codes)
        if cell is None:
            continue
        if new is None:
            cells[cell] = []
        elif isinstance(new, dict):
            cells[cell] = [logged_row(new)]
        elif isinstance(new, list):
            cells[cell] = [logged_row(item) for item in new if isinstance(item, dict)]
    return LoggedCells(cells)


def stored_cells(rows: Iterable[tuple[Cell, list[Any]]]) -> dict[Cell, list[Row]]:
    found: dict[Cell, list[Row]] = defaultdict(list)
    for cell, values in rows:
        found[cell].append(stored_row(values))
    return found
