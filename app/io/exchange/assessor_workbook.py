"""The offline assessor workbook: one sheet of the assessor's cells, inputs unlocked and
validated, everything else protected, a very hidden sheet with the export's signature, and
the units' evidence for those cells (names and SHA-256 of the files, beside each row and on a
sheet of their own) so an assessor away from the program knows what to look at and can check
the copies they were given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from app.errors import Location, SheetIssue, WorkbookError
from app.io.atomic import write_atomically
from app.io.exchange.signed_workbook import open_returned_workbook
from app.io.text_rules import EXCEL_CELL_LIMIT, TextRule, text_problem
from app.io.writers.sheet_writing import append, put

DATA_SHEET = "评分表"
SIGNATURE_SHEET = "签名"
EVIDENCE_SHEET = "佐证材料"
EVIDENCE_HEADER = (
    "单位名称",
    "指标编码",
    "指标名称",
    "文件",
    "大小（字节）",
    "SHA-256",
    "审核",
    "材料文件夹中的位置",
)
HEADER = (
    "序号",
    "单位名称",
    "指标编码",
    "指标名称",
    "分值",
    "评分方式",
    "评分标准",
    "评分",
    "扣分理由",
)
EVIDENCE_COLUMN = len(HEADER) + 1  # J: after the inputs, never read back
LOCKED_COLUMNS = ("B", "C", "D", "E", "F")  # what identifies a row; editing them is refused
VALUE_COLUMN, REASON_COLUMN = "H", "I"
FIRST_ROW = 4
TYPED_TEXT = {
    VALUE_COLUMN: TextRule("评分", EXCEL_CELL_LIMIT, name=False),
    REASON_COLUMN: TextRule("扣分理由", EXCEL_CELL_LIMIT, name=False),
}
SHEET_PASSWORD = "kaoping"  # keeps accidental edits out; not a secret
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="999999")
HELP = (
    "请只填写黄色单元格：扣分项填扣分数（不扣分填 0，留空表示未评），"
    "得分/加分项填分数，是否项填“是”或“否”，"
    "分档项填实际值（如 97%），不适用填“不适用”；扣分请在“扣分理由”列写明理由（酌情扣分项必填）。"
    "其他单元格已保护。"
)


@dataclass(frozen=True)
class SheetRow:
    unit: str
    code: str
    name: str
    points: str
    method: str
    standard: str
    value: str
    reason: str
    evidence: str = ""  # the unit's files for the cell, one name a line


@dataclass(frozen=True)
class EvidenceLine:
    """One file a unit gave for a cell of the workbook."""

    unit: str
    code: str
    name: str
    file: str
    size: int
    sha256: str
    review: str
    place: str  # where it is in the folder exported beside the workbook ("" when none)


@dataclass(frozen=True)
class Signature:
    round_name: str
    assessor: str
    digest: str


def write_assessor_workbook(
    path: Path,
    title: str,
    signature: Signature,
    rows: Sequence[SheetRow],
    evidence: Sequence[EvidenceLine] = (),
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    put(sheet, 1, 1, title)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    put(sheet, 2, 1, HELP)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    sheet.row_dimensions[2].height = 36
    append(sheet, HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    # Addresses are collected first: adding cells to a validation one by one is quadratic.
    # Named styles and tracked row numbers keep a 10,000-row sheet to seconds.
    body, entry = _named_styles(workbook)
    targets: dict[tuple[str, str], list[str]] = {}
    for position, row in enumerate(rows, start=1):
        line = FIRST_ROW + position - 1
        values = (
            position,
            row.unit,
            row.code,
            row.name,
            row.points,
            row.method,
            row.standard,
            row.value,
            row.reason,
        )
        for column, value in enumerate(values, start=1):
            cell = put(sheet, line, column, value)
            cell.style = entry if column >= 8 else body
        if evidence:
            put(sheet, line, EVIDENCE_COLUMN, row.evidence).style = body
        kind = {"是否": "list", "得分": "range", "加分": "range", "扣分": "number"}.get(row.method)
        if kind is not None:
            targets.setdefault((kind, row.points), []).append(f"{VALUE_COLUMN}{line}")
    for (kind, points), addresses in targets.items():
        sheet.add_data_validation(_validation(kind, points, addresses))
    for column, width in zip("ABCDEFGHI", (6, 22, 9, 30, 6, 8, 40, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    if evidence:
        put(sheet, 3, EVIDENCE_COLUMN, EVIDENCE_SHEET).font = Font(bold=True)
        sheet.column_dimensions["J"].width = 36
        _evidence_sheet(workbook, evidence)
    sheet.freeze_panes = "C4"
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "3:3"
    hidden = workbook.create_sheet(SIGNATURE_SHEET)
    append(hidden, ["考核批次", signature.round_name])
    append(hidden, ["评分人", signature.assessor])
    append(hidden, ["签名", signature.digest])
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    hidden.protection.password = SHEET_PASSWORD
    return write_atomically(path, workbook.save)


def _evidence_sheet(workbook: Workbook, lines: Sequence[EvidenceLine]) -> None:
    """Every file of the workbook's cells with its SHA-256 (protected, read by nobody)."""
    sheet = workbook.create_sheet(EVIDENCE_SHEET)
    append(sheet, EVIDENCE_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        append(
            sheet,
            [
                line.unit,
                line.code,
                line.name,
                line.file,
                line.size,
                line.sha256,
                line.review,
                line.place,
            ],
        )
    for column, width in zip("ABCDEFGH", (22, 9, 30, 36, 12, 66, 10, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD


def _named_styles(workbook: Workbook) -> tuple[str, str]:
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    align = Alignment(wrap_text=True, vertical="center")
    body = NamedStyle(name="评分表正文", border=border, alignment=align)
    entry = NamedStyle(
        name="评分表输入",
        border=border,
        alignment=align,
        fill=INPUT_FILL,
        protection=Protection(locked=False),
    )
    workbook.add_named_style(body)
    workbook.add_named_style(entry)
    return body.name, entry.name


def _validation(kind: str, points: str, addresses: list[str]) -> DataValidation:
    """What Excel/WPS lets a cell take, agreeing with the sheet's own instructions: a number in
    range or "不适用" (a decimal rule would refuse the "不适用" the instructions ask for). A
    custom formula names the first cell; Excel applies it to each cell relative to that one."""
    if kind == "list":
        rule = DataValidation(type="list", formula1='"是,否,不适用"', allow_blank=True)
        rule.error = "请选择“是”“否”或“不适用”"
    else:
        first = addresses[0]
        upper = f",{first}<={points}" if kind == "range" else ""
        formula = f'OR({first}="不适用",AND(ISNUMBER({first}),{first}>=0{upper}))'
        rule = DataValidation(type="custom", formula1=formula, allow_blank=True)
        rule.error = (
            f"请输入 0 到 {points} 之间的得分，或“不适用”"
            if kind == "range"
            else "请输入不小于 0 的扣分，或“不适用”"
        )
    rule.showErrorMessage = True
    rule.sqref = MultiCellRange(" ".join(addresses))
    return rule


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_assessor_workbook(path: Path) -> tuple[Signature, list[tuple[int, SheetRow]]]:
    """The signature and the rows as found; checking them against the round is the service's."""
    workbook = open_returned_workbook(
        path, (SIGNATURE_SHEET, DATA_SHEET), "不是本系统导出的评分表（缺少签名或评分表工作表）"
    )
    signed = workbook[SIGNATURE_SHEET]
    signature = Signature(
        _text(signed["B1"].value), _text(signed["B2"].value), _text(signed["B3"].value)
    )
    sheet = workbook[DATA_SHEET]
    rows = []
    problems = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=len(HEADER), values_only=True), start=FIRST_ROW
    ):
        if not any(v not in (None, "") for v in values):
            continue
        _, unit, code, name, points, method, standard, value, reason = values
        for column, typed in ((VALUE_COLUMN, value), (REASON_COLUMN, reason)):
            problem = text_problem(_text(typed), TYPED_TEXT[column])
            if problem is not None:
                problems.append(
                    SheetIssue(Location(str(path), DATA_SHEET, number, column), problem)
                )
        rows.append(
            (
                number,
                SheetRow(
                    _text(unit),
                    _text(code),
                    _text(name),
                    _text(points),
                    _text(method),
                    _text(standard),
                    _text(value),
                    _text(reason),
                ),
            )
        )
    if problems:
        raise WorkbookError(problems)
    return signature, rows
