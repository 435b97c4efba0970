"""Opening a workbook the program sent out and expects back (an assessor's 评分表, a unit's
初步结果): one way of saying that the file is missing, is no workbook, or is not ours."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.errors import Location, SheetIssue, WorkbookError


def open_returned_workbook(path: Path, sheets: tuple[str, ...], not_ours: str) -> Workbook:
    """The workbook with its values (not formulas); ``not_ours`` is said when one of
    ``sheets`` (the data and the very hidden signature) is missing."""
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
