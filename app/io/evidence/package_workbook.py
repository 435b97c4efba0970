"""The workbook inside a unit's package (自评表.xlsx): its applicable leaves with points and
评分标准, two yellow columns for the unit (自评分, 自评说明), the evidence it already gave and
the folder each leaf's files go in, and what the assessors sent back (退回补充) with the
deadline. A very hidden sheet signs the round, the unit and the leaf list, as the assessors'
and the units' other workbooks are signed: a workbook of another round or unit, or with its
rows edited, is refused rather than read as something it is not."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.io import cells
from app.io.exchange.signed_workbook import signed_rows
from app.io.text_rules import TEXT, text_problem
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append

WORKBOOK_NAME = "自评表.xlsx"
DATA_SHEET = "自评"
RETURNED_SHEET = "退回补充"
SIGNATURE_SHEET = "签名"
SHEET_PASSWORD = "kaoping"  # keeps accidental edits out; not a secret
HEADER = (
    "指标编码",
    "一级指标",
    "指标名称",
    "分值",
    "评分标准",
    "自评分",
    "自评说明",
    "已提交材料",
    "材料文件夹",
    "退回补充",
)
SCORE_COLUMN, NOTE_COLUMN = "F", "G"
WIDTHS = (10, 14, 30, 6, 40, 8, 36, 30, 24, 30)
TO_FILL_COLOUR, RETURNED_COLOUR = "FFF2CC", "F8CBAD"  # cells to fill in; items sent back
HELP = (
    "填写说明：在黄色“自评分”列填写自评分（0 到分值之间，不适用填“不适用”），在“自评说明”列简要"
    "说明；把每个指标的佐证材料放进同名文件夹（“材料文件夹”列），允许 PDF、OFD、图片、Word、"
    "Excel、WPS 和纯文本文件，不要放压缩包或程序。已提交过的材料已放在文件夹中：保留的不要删，"
    "要撤回的删去，要更换的用新文件替换。红色行为考核组退回要求补充的材料，请在期限内补齐。"
    "完成后把整个文件夹压缩为 zip（或原样拷回）交回。"
)


@dataclass(frozen=True)
class PackageLeaf:
    code: str
    area: str
    name: str
    points: str
    standard: str
    folder: str
    self_score: str = ""  # as it stands (a previous package), shown for the unit to keep
    note: str = ""
    files: tuple[str, ...] = ()
    returned: str = ""  # 退回补充: what is missing and by when


@dataclass(frozen=True)
class PackageSignature:
    round_name: str
    unit: str
    digest: str


@dataclass(frozen=True)
class PackageRow:
    """A leaf row as the unit returned it."""

    row: int
    code: str
    folder: str
    score: str
    note: str


def leaves_digest(round_name: str, unit: str, codes: Sequence[str], folders: Sequence[str]) -> str:
    """The signature: the round, the unit, the leaf codes and their folders, in order."""
    text = "\n".join((round_name, unit, *codes, *folders))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_workbook(
    title: str, round_name: str, unit: str, leaves: Sequence[PackageLeaf]
) -> bytes:
    """The workbook as bytes, to go into the package's zip."""
    # openpyxl loads only when a package is written or read (the window's home page lists
    # what units owe through this module's neighbours: no spreadsheet library at start).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="000000")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    to_fill = PatternFill("solid", fgColor=TO_FILL_COLOUR)
    returned_fill = PatternFill("solid", fgColor=RETURNED_COLOUR)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    help_row = append(sheet, [HELP])
    sheet.merge_cells(start_row=help_row, start_column=1, end_row=help_row, end_column=len(HEADER))
    sheet.cell(help_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(help_row, 1).fill = to_fill
    sheet.row_dimensions[help_row].height = 60
    header_row = append(sheet, HEADER)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for leaf in leaves:
        written = append(
            sheet,
            [
                leaf.code,
                leaf.area,
                leaf.name,
                leaf.points,
                leaf.standard,
                leaf.self_score or None,
                leaf.note or None,
                "\n".join(leaf.files) or None,
                leaf.folder,
                leaf.returned or None,
            ],
        )
        for column, cell in enumerate(sheet[written], start=1):
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=column in (3, 5, 7, 8, 10))
            if column in (6, 7):
                cell.fill = to_fill
                cell.protection = Protection(locked=False)
            elif leaf.returned and column == 10:
                cell.fill = returned_fill
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    print_a4_landscape(sheet, f"{header_row}:{header_row}")
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    returned = [leaf for leaf in leaves if leaf.returned]
    if returned:
        listed = workbook.create_sheet(RETURNED_SHEET)
        append(listed, ["指标编码", "指标名称", "退回补充（缺少的材料与期限）"])
        for leaf in returned:
            append(listed, [leaf.code, leaf.name, leaf.returned])
        listed.column_dimensions["B"].width = 30
        listed.column_dimensions["C"].width = 60
    hidden = workbook.create_sheet(SIGNATURE_SHEET)
    codes = [leaf.code for leaf in leaves]
    folders = [leaf.folder for leaf in leaves]
    for label, value in (
        ("考核批次", round_name),
        ("单位", unit),
        ("签名", leaves_digest(round_name, unit, codes, folders)),
        ("表头行", header_row),
        ("指标数", len(codes)),
    ):
        append(hidden, [label, value])
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    hidden.protection.password = SHEET_PASSWORD
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class PackageWorkbookError(Exception):
    """The workbook is not the one sent out, or was edited where it may not be; the text says
    what (the service names the package)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_package_workbook(content: bytes) -> tuple[PackageSignature, list[PackageRow]]:
    """The signature and every leaf row as returned. Rows added, removed, recoded or moved to
    another folder break the signature: refused whole."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for files that are not workbooks
        raise PackageWorkbookError(
            [f"{WORKBOOK_NAME} 无法读取：不是有效的工作簿（{exc}）"]
        ) from None
    if SIGNATURE_SHEET not in workbook.sheetnames or DATA_SHEET not in workbook.sheetnames:
        raise PackageWorkbookError(
            [f"{WORKBOOK_NAME} 不是本系统导出的自评表（缺少签名或“自评”工作表）"]
        )
    signed = [row[1] if len(row) > 1 else None for row in workbook[SIGNATURE_SHEET].values]
    signed += [None] * (5 - len(signed))
    signature = PackageSignature(
        cells.plain(signed[0]), cells.plain(signed[1]), cells.plain(signed[2])
    )
    header_row, count = _count(signed[3]), _count(signed[4])
    edited = PackageWorkbookError(
        [f"{WORKBOOK_NAME} 的表格结构被改动（指标行被增删或改动），请用导出的原表填写"]
    )
    found = signed_rows(workbook[DATA_SHEET], header_row, count, HEADER, edited)
    codes = [cells.plain(values[0]) for values in found]
    folders = [cells.plain(values[8]) for values in found]
    if leaves_digest(signature.round_name, signature.unit, codes, folders) != signature.digest:
        raise edited
    rows, problems = [], []
    for number, values in enumerate(found, start=header_row + 1):
        score, note = cells.text(values[5]), cells.plain(values[6])
        problem = text_problem(note, TEXT)
        if problem is not None:
            problems.append(
                f"{WORKBOOK_NAME} 第 {number} 行 {NOTE_COLUMN} 列（自评说明）：{problem}"
            )
        rows.append(
            PackageRow(
                number,
                codes[number - header_row - 1],
                folders[number - header_row - 1],
                score,
                note,
            )
        )
    if problems:
        raise PackageWorkbookError(problems)
    return signature, rows
