"""The ledger's statistics as a workbook: the summary sentence, then one sheet per view."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from app.io.atomic import write_atomically
from app.io.writers.sheet_writing import append, sheet_title

HEADERS = {
    "按单位": ("责任单位", "发现问题", "已销号", "整改率", "逾期"),
    "按来源": ("问题来源", "发现问题", "已销号", "整改率", "逾期"),
    "按领域": ("考核领域", "发现问题", "已销号", "整改率", "逾期"),
    "按月份": ("月份", "当月发现", "当月销号", "", ""),
}
WIDTHS = (34, 10, 10, 10, 8)


def write_ledger_report(
    path: Path, sentence: str, sections: dict[str, Sequence[Sequence[object]]]
) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sections.items():
        sheet = workbook.create_sheet(sheet_title(title, workbook.sheetnames))
        append(sheet, [sentence])
        sheet["A1"].font = Font(bold=True)
        append(sheet, [h for h in HEADERS[title] if h])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append(sheet, [v for v, h in zip(row, HEADERS[title], strict=True) if h])
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "2:2"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return write_atomically(path, workbook.save)
