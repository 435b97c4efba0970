"""Opening a workbook the program sent out and expects back (an assessor's 评分表, a unit's
初步结果, a 自评包's 自评表): one way of saying that the file is missing, is no workbook, or is
not ours, and of reading the signed rows under its header."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells

if TYPE_CHECKING:  # openpyxl loads when a workbook is read, not when this module is imported
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def open_returned_workbook(path: Path, sheets: tuple[str, ...], not_ours: str) -> Workbook:
    """The workbook with its values (not formulas); ``not_ours`` is said when one of
    ``sheets`` (the data and the very hidden signature) is missing."""
    from openpyxl import load_workbook

    where = Location(str(path))
    if not path.exists():
        raise WorkbookError([SheetIssue(where, "文件不存在")])
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for files that are not workbooks
        raise WorkbookError(
            [SheetIssue(where, f"无法读取：不是有效的 .xlsx 工作簿（{exc}）")]
        ) from None
    if any(sheet not in workbook.sheetnames for sheet in sheets):
        raise WorkbookError([SheetIssue(where, not_ours)])
    return workbook


def signed_rows(
    sheet: Worksheet,
    header_row: int | None,
    count: int | None,
    header: tuple[str, ...],
    edited: Exception,
) -> list[tuple[Any, ...]]:
    """The ``count`` rows under the header the signature places at ``header_row``; ``edited``
    is raised when the header moved or changed, or rows were added or removed."""
    if header_row is None or count is None or header_row < 1:
        raise edited
    found_header = [
        cells.header(v) for v in next(sheet.iter_rows(header_row, header_row, values_only=True), ())
    ]
    if tuple(found_header[: len(header)]) != header:
        raise edited
    found = list(
        sheet.iter_rows(
            min_row=header_row + 1,
            max_row=header_row + count,
            max_col=len(header),
            values_only=True,
        )
    )
    if len(found) != count:
        raise edited
    return found
