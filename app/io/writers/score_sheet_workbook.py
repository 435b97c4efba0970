"""A unit's score sheet as a workbook to print or send: every leaf with its score and reasons
under its area's subtotal, then the calculation from the leaves to the final and, where the
printed figures do not add up to the total by hand, the note that says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.io.atomic import write_atomically
from app.io.writers.printing import check_code_footer, print_a4_landscape
from app.io.writers.sheet_writing import append, put

THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER = ("编码", "一级指标", "指标", "分值", "得分", "状态", "扣分理由")
WIDTHS = (10, 18, 40, 8, 9, 10, 40)
CALCULATION_TITLE = "得分计算"


@dataclass(frozen=True)
class SheetLine:
    """A row of the sheet: a leaf, or an area's subtotal (``subtotal``: printed in bold)."""

    code: str
    area: str
    name: str
    points: float
    score: float | None  # None: 不适用 or 未评 (the state says which)
    state: str
    reasons: str
    subtotal: bool = False


def append_calculation(
    sheet: Worksheet, lines: Sequence[tuple[str, str]], note: str, columns: int
) -> None:
    """Below what the sheet holds: a blank row, then each step of the calculation (what in the
    first two columns, how up to ``columns``), then the note, if any."""
    sheet.append([])
    start = sheet.max_row + 1
    for number, (what, how) in enumerate(((CALCULATION_TITLE, "算式与结果"), *lines)):
        row = start + number
        put(sheet, row, 1, what)
        put(sheet, row, 3, how)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=columns)
        for column in range(1, columns + 1):
            cell = sheet.cell(row, column)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if number == 0:
                cell.font = Font(bold=True)
    if note:
        row = start + len(lines) + 1
        put(sheet, row, 1, note)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")


def write_score_sheet_workbook(
    path: Path,
    title: str,
    summary: str,
    rows: Sequence[SheetLine],
    calculation: Sequence[tuple[str, str]],
    note: str,
    check_code: str,
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "得分明细"
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append(sheet, [summary])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    append(sheet, list(HEADER))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for line in rows:
        score: float | str | None = line.score
        if score is None and line.state in ("不适用", "未评"):
            score = line.state
        append(
            sheet, [line.code, line.area, line.name, line.points, score, line.state, line.reasons]
        )
        for column, cell in enumerate(sheet[sheet.max_row], start=1):
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column in (3, 7))
            if column in (4, 5) and isinstance(cell.value, float):
                cell.number_format = "0.00" if column == 5 else "General"
            if line.subtotal:
                cell.font = Font(bold=True)
    append_calculation(sheet, calculation, note, len(HEADER))
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = "A4"
    print_a4_landscape(sheet, "3:3")
    check_code_footer(sheet, check_code)
    return write_atomically(path, workbook.save)
