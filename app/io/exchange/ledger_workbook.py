"""The 整改台账 as a workbook: written for a unit (or the office) to fill in progress, and read
back. Units fill only the three columns on the right; the rest tells them what each row is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.errors import SheetIssue, WorkbookError
from app.io import cells
from app.io.atomic import write_atomically
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import RowSource
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append

HEADER = (
    "编号",
    "问题来源",
    "来源事项",
    "责任单位",
    "问题描述",
    "方案期限",
    "完成期限",
    "状态",
    "逾期",
    "整改进展",
    "佐证材料",
    "已完成整改",
)
WIDTHS = (11, 10, 22, 18, 40, 11, 11, 8, 6, 36, 20, 10)
INPUT_FROM = 10  # 1-based: 整改进展, 佐证材料, 已完成整改 are the unit's to fill
PROGRESS_COLUMNS = (
    Column("number", ("编号", "问题编号"), required=True),
    Column("unit", ("责任单位",)),
    Column("progress", ("整改进展", "整改情况", "进展情况"), required=True),
    Column("evidence", ("佐证材料", "佐证资料")),
    Column("done", ("已完成整改", "是否完成")),
)
THIN = Side(style="thin", color="000000")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class ProgressRecord:
    number: str
    unit: str
    text: str
    evidence: str
    done: bool
    source: RowSource


def write_ledger(path: Path, title: str, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "整改台账"
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append(sheet, HEADER)
    for row in rows:
        append(sheet, row)
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if cell.row > 2 and cell.column >= INPUT_FROM:
                cell.fill = INPUT_FILL
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    print_a4_landscape(sheet, "2:2")
    return write_atomically(path, workbook.save)


def read_progress(path: Path) -> list[ProgressRecord]:
    """Rows with progress written; every unreadable cell is named before anything is applied."""
    table = open_table(path, PROGRESS_COLUMNS, "整改台账")
    records: list[ProgressRecord] = []
    problems: list[SheetIssue] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        number = cells.text(table.value(values, "number"))
        text = cells.plain(table.value(values, "progress"))
        if not number or not text:
            continue
        try:
            done = bool(cells.yes_no(table.value(values, "done")))
        except cells.CellError as exc:
            problems.append(SheetIssue(table.at(row, "done"), f"“已完成整改”{exc}"))
            continue
        records.append(
            ProgressRecord(
                number,
                cells.name(table.value(values, "unit")),
                text,
                cells.plain(table.value(values, "evidence")),
                done,
                table.source(row),
            )
        )
    if problems:
        raise WorkbookError(problems)
    return records
