"""Build workbooks the way clerks lay them out: several sheets, merges, hidden sheets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.errors import WorkbookError

Rows = Sequence[Sequence[Any]]


def book(
    path: Path,
    rows: Rows,
    *,
    merges: Sequence[str] = (),
    title: str = "Sheet1",
    before: dict[str, Rows] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """One data sheet (rows from A1, None = blank), optionally after other sheets."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, other_rows in (before or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
        if name in hidden:
            other.sheet_state = "hidden"
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.active = len(workbook.sheetnames) - 1
    workbook.save(path)
    return path


def refused(reader: Any, path: Path) -> str:
    """The message of the WorkbookError the reader raises (the test fails if none)."""
    with pytest.raises(WorkbookError) as error:
        reader(path)
    assert error.value.problems
    return str(error.value)
