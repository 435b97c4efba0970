"""Every value the writers put in a worksheet goes through here, so that text stays text.

openpyxl guesses a cell's type from a str: "=…" becomes a live formula (a unit called
``=HYPERLINK("http://x","y")`` would be a link in a workbook sent to units) and "#N/A" an
error value. A name or a reason is never a formula: text cells are stored as strings, with
nothing added to what the reader sees (no leading quote). Characters a worksheet cannot hold
(control characters, refused at import but possibly in an old database) are shown as "\ufffd"
rather than failing the whole export, and text past Excel's 32,767 characters per cell is cut
with a note rather than writing a file Excel calls damaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only the types: importing this module loads no spreadsheet library
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CELL_LIMIT = 32_767
_CUT_NOTE = "…（超过 Excel 单元格上限，已截断）"
# What a worksheet's XML cannot hold (openpyxl refuses them): C0 controls but tab, LF, CR.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE_BAD = re.compile(r"[\\/*?:\[\]\x00-\x1f]")
SHEET_TITLE_LIMIT = 31


def cell_text(text: str) -> str:
    """The text as a cell can hold it: unwritable characters shown, overlong text cut."""
    text = _UNWRITABLE.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(_CUT_NOTE)] + _CUT_NOTE
    return text


def set_value(cell: Cell, value: Any) -> Cell:
    """Put ``value`` in ``cell``; a str is always a string cell, never a formula or error."""
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``sheet.cell(row, column, value)`` with text kept as text."""
    return set_value(sheet.cell(row, column), value)


def append(sheet: Worksheet, values: Iterable[Any]) -> int:
    """``sheet.append(values)`` with text kept as text; returns the row written."""
    row = sheet._current_row + 1  # where openpyxl's own append writes: after the last row used
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)
    return row


def sheet_title(name: str, taken: Iterable[str]) -> str:
    """A worksheet title Excel accepts, made from a name (a category, say): no ``\\ / * ? : [
    ]``, no apostrophe at either end, at most 31 characters, and not one already ``taken``
    (compared as Excel does, ignoring case)."""
    title = _SHEET_TITLE_BAD.sub("_", name).strip().strip("'").strip() or "未命名"
    used = {t.casefold() for t in taken}
    candidate = title[:SHEET_TITLE_LIMIT]
    number = 2
    while candidate.casefold() in used or candidate.casefold() == "history":
        suffix = f"({number})"
        candidate = title[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        number += 1
    return candidate
