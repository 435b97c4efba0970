"""Write the unit list in the layout read_units reads (序号, 单位名称, 单位类别, 简称)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from app.io.atomic import write_atomically
from app.io.writers.sheet_writing import append


def write_units(path: Path, title: str, rows: Sequence[tuple[int, str, str, str, bool]]) -> Path:
    """rows: (order, name, category, short name, active)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "考核对象"
    append(sheet, [title])
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(size=14, bold=True)
    append(sheet, ["序号", "单位名称", "单位类别", "简称", "状态"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for order, name, category, short, active in rows:
        append(sheet, [order, name, category or None, short or None, "在用" if active else "停用"])
    for column, width in zip("ABCDE", (6, 34, 16, 18, 8), strict=True):
        sheet.column_dimensions[column].width = width
    return write_atomically(path, workbook.save)
