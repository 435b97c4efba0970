"""A unit's preliminary results (初步结果) as a workbook: its total, rank and grade, every leaf
with its score and the reasons for lost points, and two yellow columns for its objections
(申辩), read back in so the objections need not be retyped. A very hidden sheet signs the
round, the unit and the leaf list, so a file of another round or unit, or with its rows
edited, is refused rather than read as something it is not."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells
from app.io.atomic import write_atomically
from app.io.exchange.signed_workbook import open_returned_workbook, signed_rows
from app.io.text_rules import TEXT, text_problem
from app.io.writers.printing import print_a4_landscape
from app.io.writers.score_sheet_workbook import append_calculation
from app.io.writers.sheet_writing import append

DATA_SHEET = "初步结果"
SIGNATURE_SHEET = "签名"
SHEET_PASSWORD = "kaoping"  # keeps accidental edits out; not a secret
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
CODE_COLUMN, REASON_COLUMN, REQUESTED_COLUMN = "A", "H", "I"
WIDTHS = (10, 16, 40, 7, 7, 7, 40, 30, 10)
CALCULATION_COLUMNS = 7  # up to 扣分理由: the objection columns stay the unit's
HELP = (
    "填写说明：如有异议，请在黄色“申辩理由”列写明理由，申请分值可填可不填"
    "（填写时应在 0 到分值之间）；每个指标一行，只填黄色单元格，其他单元格不计入、已保护。"
    "填好后按规定时限将本文件原样交回。"
)


@dataclass(frozen=True)
class PrelimLeaf:
    code: str
    area: str
    name: str
    points: float
    score: float | None  # None: 不适用
    reasons: str


@dataclass(frozen=True)
class PrelimSignature:
    round_name: str
    unit: str
    digest: str


@dataclass(frozen=True)
class ObjectionRow:
    """A leaf row the unit wrote in: where, which leaf, and what it asks."""

    row: int
    code: str
    name: str
    reason: str
    requested: Decimal | None


def leaves_digest(round_name: str, unit: str, codes: Sequence[str]) -> str:
    """What the signature holds: the round, the unit and the leaf codes in their order."""
    text = "\n".join((round_name, unit, *codes))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_prelim_workbook(
    path: Path,
    title: str,
    summary: Sequence[str],
    leaves: Sequence[PrelimLeaf],
    calculation: Sequence[tuple[str, str]] = (),
    note: str = "",
    *,
    round_name: str,
    unit: str,
) -> Path:
    """``calculation`` (what, how) and ``note`` go under the leaves: how the leaves make the
    total, and why adding the printed figures by hand may miss it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for line in summary:
        append(sheet, [line])
    help_row = append(sheet, [HELP])
    sheet.merge_cells(start_row=help_row, start_column=1, end_row=help_row, end_column=len(HEADER))
    sheet.cell(help_row, 1).font = Font(bold=True, color="9C5700")
    sheet.cell(help_row, 1).fill = TO_FILL
    sheet.cell(help_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[help_row].height = 36
    header_row = append(sheet, HEADER)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for column in (8, 9):
        sheet.cell(header_row, column).fill = TO_FILL
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
                cell.protection = Protection(locked=False)
            leaf_styles[column] = copy(cell._style)
    if calculation:
        append_calculation(sheet, calculation, note, CALCULATION_COLUMNS)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    print_a4_landscape(sheet, f"{header_row}:{header_row}")
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    hidden = workbook.create_sheet(SIGNATURE_SHEET)
    codes = [leaf.code for leaf in leaves]
    for label, value in (
        ("考核批次", round_name),
        ("单位", unit),
        ("签名", leaves_digest(round_name, unit, codes)),
        ("表头行", header_row),
        ("指标数", len(codes)),
    ):
        append(hidden, [label, value])
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    hidden.protection.password = SHEET_PASSWORD
    return write_atomically(path, workbook.save)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_prelim_objections(path: Path) -> tuple[PrelimSignature, list[ObjectionRow]]:
    """The signature and the leaf rows with a 申辩理由 or a 申请分值 as written; whether they
    fit the round is the service's to say. A file whose leaf rows do not match its signature
    (rows added, removed or recoded) is refused whole."""
    workbook = open_returned_workbook(
        path,
        (SIGNATURE_SHEET, DATA_SHEET),
        "不是本系统导出的初步结果表（缺少签名或“初步结果”工作表）",
    )
    signed = [row[1] if len(row) > 1 else None for row in workbook[SIGNATURE_SHEET].values]
    signed += [None] * (5 - len(signed))
    signature = PrelimSignature(
        cells.plain(signed[0]), cells.plain(signed[1]), cells.plain(signed[2])
    )
    header_row, count = _count(signed[3]), _count(signed[4])
    sheet = workbook[DATA_SHEET]
    edited = WorkbookError(
        [
            SheetIssue(
                Location(str(path), DATA_SHEET),
                "表格结构被改动（指标行被增删或改动），请用导出的原表填写",
            )
        ]
    )
    found = signed_rows(sheet, header_row, count, HEADER, edited)
    codes = [cells.plain(values[0]) for values in found]
    if leaves_digest(signature.round_name, signature.unit, codes) != signature.digest:
        raise edited
    rows: list[ObjectionRow] = []
    problems: list[SheetIssue] = []
    for number, values in enumerate(found, start=header_row + 1):
        reason, requested = cells.plain(values[7]), None
        problem = text_problem(reason, TEXT)
        if problem is not None:
            problems.append(
                SheetIssue(Location(str(path), DATA_SHEET, number, REASON_COLUMN), problem)
            )
        try:
            requested = cells.decimal(values[8])
        except cells.CellError as error:
            problems.append(
                SheetIssue(
                    Location(str(path), DATA_SHEET, number, REQUESTED_COLUMN), f"申请分值{error}"
                )
            )
            continue
        if reason or requested is not None:
            rows.append(
                ObjectionRow(
                    number,
                    codes[number - header_row - 1],
                    cells.plain(values[2]),
                    reason,
                    requested,
                )
            )
    if problems:
        raise WorkbookError(problems)
    return signature, rows
