"""Write an analysis (与上年比较, 结果稳健性, 评分一致性) to .xlsx: a 说明 sheet with the
sentences, then one table per sheet, boxed and frozen like the ranking workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.results_writer import BORDER
from app.io.writers.sheet_writing import append, put, sheet_title


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]  # floats are printed to 2 places


def write_analysis(
    path: Path, title: str, sentences: Sequence[str], tables: Sequence[Table]
) -> Path:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "说明"
    append(notes, [title])
    notes["A1"].font = Font(size=14, bold=True)
    for sentence in sentences:
        append(notes, [sentence])
    notes.column_dimensions["A"].width = 120
    for row in notes.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.name, workbook.sheetnames))
        append(sheet, [table.title])
        sheet["A1"].font = Font(size=14, bold=True)
        append(sheet, table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER
        for number, row in enumerate(table.rows, start=3):
            for column, value in enumerate(row, start=1):
                cell = put(sheet, number, column, value)
                cell.border = BORDER
                if isinstance(value, float):
                    cell.number_format = "0.00"
        for column, text in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(
                8, min(30, len(str(text)) * 2 + 4)
            )
        sheet.column_dimensions["A"].width = 30
        sheet.freeze_panes = "B3"
        print_a4_landscape(sheet, "2:2")
    return write_atomically(path, workbook.save)
