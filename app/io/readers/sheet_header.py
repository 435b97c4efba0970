"""Find a table's header as offices lay it out and map its columns to a record's fields.

One job apart from reading the rows (sheet_table.py): which row of the first rows is the header
(one or two rows deep, synonyms, "*" and "(分)" decorations), and what to say when none is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells

HEADER_SEARCH_ROWS = 30
_HEADER_DECORATION = re.compile(r"^[*※]+|[*※]+$|\([^()]*\)$")


@functools.cache
def _keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(cells.header(n) for n in names)


@dataclass(frozen=True)
class Column:
    """A field of a record and the header texts that name it (the first is the official one)."""

    field: str
    names: tuple[str, ...]
    required: bool = False
    fill_merged: bool = False  # a vertical merge means every row below has this value

    def matches(self, key: str) -> bool:
        return key in _keys(self.names)


def _field_of(value: Any, columns: Sequence[Column]) -> str | None:
    """The field a header cell names: exact synonym first, then without "*" or "(分)"."""
    key = cells.header(value)
    if not key:
        return None
    for candidate in (key, _HEADER_DECORATION.sub("", key)):
        for column in columns:
            if candidate and column.matches(candidate):
                return column.field
    return None


def grid_cell(rows: list[list[Any]], row: int, col: int) -> Any:
    """A cell of the sheet's rows, "" past the end of a short row (as calamine leaves blanks)."""
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else ""


def _match(rows: list[list[Any]], index: int, depth: int, columns: Sequence[Column]) -> dict:
    """Fields named in header rows index..index+depth-1; a lower cell wins over the one above."""
    found: dict[str, int] = {}
    width = max((len(rows[index + d]) for d in range(depth) if index + d < len(rows)), default=0)
    for col in range(width):
        for d in reversed(range(depth)):
            fieldname = _field_of(grid_cell(rows, index + d, col), columns)
            if fieldname:
                found.setdefault(fieldname, col)
                break
    return found


def _continues_header(rows: list[list[Any]], index: int, found: dict, columns) -> bool:
    """Row index+1 is a second header row (e.g. 扣分/得分 under a merged 评分情况), not data:
    under every column already found it holds nothing or another header word."""
    for col in found.values():
        value = grid_cell(rows, index + 1, col)
        if cells.text(value) and _field_of(value, columns) is None:
            return False
    return True


def header_at(rows: list[list[Any]], index: int, columns: Sequence[Column]) -> tuple[dict, int]:
    """(fields found, first data row index) for a header starting at row index."""
    required = [c.field for c in columns if c.required]
    one = _match(rows, index, 1, columns)
    two = _match(rows, index, 2, columns) if index + 1 < len(rows) else one
    if all(f in one for f in required):
        if len(two) > len(one) and _continues_header(rows, index, one, columns):
            return two, index + 2
        return one, index + 1
    if all(f in two for f in required):
        return two, index + 2
    return one, -1  # a partial header, reported by the row that holds it


def refuse_no_header(
    path: Path,
    columns: Sequence[Column],
    what: str,
    best: tuple[int, str, int, dict] | None,
    searched: list[str],
) -> NoReturn:
    """Refuse a workbook without the header: the best partial header names the missing
    columns, else the sheets searched are listed."""
    required = [c for c in columns if c.required]
    names = "、".join(f"“{c.names[0]}”" for c in required)
    if not searched:
        raise WorkbookError([SheetIssue(Location(str(path)), "工作簿中没有任何工作表")])
    if best is not None:
        _score, sheet_name, row, found = best
        missing = "、".join(f"“{c.names[0]}”" for c in required if c.field not in found)
        raise WorkbookError(
            [
                SheetIssue(
                    Location(str(path), sheet_name, row),
                    f"{what}表头缺少列{missing}（表头须同时包含{names}）",
                )
            ]
        )
    message = (
        f"没有找到{what}表头：工作表“{'”“'.join(searched)}”的前 {HEADER_SEARCH_ROWS} 行"
        f"都没有包含列{names}的行"
    )
    raise WorkbookError([SheetIssue(Location(str(path)), message)])
