"""The change log as a workbook, for the file or for a reviewer who asks who changed what."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append

HEADERS = ("序号", "时间", "操作人", "对象", "名称", "操作", "原值", "新值", "理由", "来源")
WIDTHS = (8, 18, 12, 10, 28, 8, 40, 40, 24, 24)


def write_changes(path: Path, title: str, rows: Sequence[Sequence[object]], check: str) -> Path:
    """rows: one per change, in HEADERS order; ``check`` is the chain's code at export."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "变更记录"
    append(sheet, [title])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    append(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    # By row number: sheet[sheet.max_row] scans every cell for the size, which made a log of
    # 16,000 records (the demo logs each score) take minutes.
    for row in rows:
        number = append(sheet, row)
        for column in range(1, len(row) + 1):
            sheet.cell(number, column).alignment = wrap
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
    sheet.freeze_panes = "A3"
    print_a4_landscape(sheet, "2:2")
    sheet.oddFooter.center.text = f"变更记录链校验码 {check}　第 &P 页 共 &N 页"
    return write_atomically(path, workbook.save)
