"""The 佐证材料目录 as a workbook: one row per file (unit, indicator, file, size, SHA-256, who
submitted it and when, the review's status), names written as text, never as formulas."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append

HEADER = (
    "单位",
    "指标编码",
    "指标名称",
    "文件名",
    "类型",
    "大小（字节）",
    "SHA-256",
    "提交人",
    "提交时间",
    "审核状态",
    "文件位置",
)
WIDTHS = (18, 10, 30, 34, 8, 12, 66, 10, 18, 10, 40)


def write_evidence_index(path: Path, title: str, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "佐证材料目录"
    append(sheet, [title])
    sheet["A1"].font = Font(size=14, bold=True)
    header_row = append(sheet, HEADER)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        append(sheet, row)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    print_a4_landscape(sheet, f"{header_row}:{header_row}")
    return write_atomically(path, workbook.save)
