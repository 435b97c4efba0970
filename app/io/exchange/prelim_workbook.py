"""A unit's preliminary results (初步结果) as a workbook: its total, rank and grade, every leaf
with its score and the reasons for lost points, and two columns for its objections (申辩)."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.score_sheet_workbook import append_calculation
from app.io.writers.sheet_writing import append

THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
TO_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER = (
    "指标编码",
    "一级指标",
    "指标名称",
    "分值",
    "得分",
    "失分",
    "扣分理由",
    "申辩理由",
    "申请分值",
)
WIDTHS = (10, 16, 40, 7, 7, 7, 40, 30, 10)
CALCULATION_COLUMNS = 7  # up to 扣分理由: the objection columns stay the unit's


@dataclass(frozen=True)
class PrelimLeaf:
    code: str
    area: str
    name: str
    points: float
    score: float | None  # None: 不适用
    reasons: str


def write_prelim_workbook(
    path: Path,
    title: str,
    summary: Sequence[str],
    leaves: Sequence[PrelimLeaf],
    calculation: Sequence[tuple[str, str]] = (),
    note: str = "",
) -> Path:
    """``calculation`` (what, how) and ``note`` go under the leaves: how the leaves make the
    total, and why adding the printed figures by hand may miss it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "初步结果"
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for line in summary:
        append(sheet, [line])
    header_row = append(sheet, HEADER)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    leaf_styles: dict[int, StyleArray] = {}
    for leaf in leaves:
        lost = None if leaf.score is None else round(leaf.points - leaf.score, 2)
        written = append(
            sheet,
            [
                leaf.code,
                leaf.area,
                leaf.name,
                leaf.points,
                "不适用" if leaf.score is None else leaf.score,
                lost or None,
                leaf.reasons,
                None,
                None,
            ],
        )
        for column, cell in enumerate(sheet[written], start=1):
            if column in leaf_styles:  # as the first leaf's: openpyxl hashes each style set
                cell._style = copy(leaf_styles[column])  # (80 workbooks took ~10 s)
                continue
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column in (3, 7, 8))
            if column >= 8:
                cell.fill = TO_FILL
            leaf_styles[column] = copy(cell._style)
    if calculation:
        append_calculation(sheet, calculation, note, CALCULATION_COLUMNS)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    print_a4_landscape(sheet, f"{header_row}:{header_row}")
    return write_atomically(path, workbook.save)
