"""Write a round's ranking to .xlsx: the overall ranking and one sheet per category."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append, put, sheet_title

THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
GRADE_FILLS = {
    "优秀": PatternFill("solid", fgColor="E2F0D9"),
    "不合格": PatternFill("solid", fgColor="F8D7DA"),
}


def ranking_sheet(
    sheet: Worksheet,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    grade_column: int,
) -> None:
    """A titled table as every ranking workbook prints it (the results, the 通报's .xlsx):
    bold boxed header, figures to 2 places, grades shaded, frozen panes, A4 landscape."""
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = put(sheet, number, column, value)
            cell.border = BORDER
            if isinstance(value, float):
                cell.number_format = "0.00"
        fill = GRADE_FILLS.get(str(row[grade_column - 1]))
        if fill is not None:
            sheet.cell(number, grade_column).fill = fill
    for column, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(
            8, min(34, len(text) * 2 + 4)
        )
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "C3"
    print_a4_landscape(sheet, "2:2")


def write_results(
    path: Path,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    category_column: int,
    grade_column: int,
) -> Path:
    """rows are already ranked; figures arrive as floats of 2-decimal values for Excel."""
    workbook = Workbook()
    overall = workbook.active
    assert overall is not None
    overall.title = "总排名"
    ranking_sheet(overall, title, header, rows, grade_column)
    categories = list(dict.fromkeys(str(r[category_column - 1]) for r in rows))
    for category in categories:
        members = [r for r in rows if str(r[category_column - 1]) == category]
        sheet = workbook.create_sheet(sheet_title(category or "未分类", workbook.sheetnames))
        ranking_sheet(sheet, f"{title}（{category}）", header, members, grade_column)
    return write_atomically(path, workbook.save)
