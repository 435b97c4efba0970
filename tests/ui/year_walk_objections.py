"""The walk's objections from the units' own files: the 初步结果 exported from the 申辩复核 page,
one unit writes its objection into the yellow cells as the sheet tells it, and the clerk imports
that very file (issue 17: every objection used to be retyped)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from app.ui.pages.review.objection_files import ObjectionFilesDialog
from tests.ui.year_walk_clerk import Clerk


def export_prelim(clerk: Clerk, folder: Path) -> list[Path]:
    """导出各单位初步结果…, into a folder she picks."""
    page = clerk.go("申辩复核")
    folder.mkdir()
    clerk.will_choose(str(folder))
    clerk.click(page, "导出各单位初步结果…")
    clerk.wait_for(page.message, "已导出")
    return sorted(folder.glob("*.xlsx"))


def unit_writes_objection(path: Path, code: str, reason: str, asked: str) -> None:
    """What the unit does with its file: the reason and the score it asks for, in the yellow
    cells of the leaf's row (the sheet's 填写说明 says so)."""
    book = load_workbook(path)
    sheet = book.active
    header = next(r for r in sheet.iter_rows() if r[0].value == "指标编码")
    columns = {cell.value: cell.column_letter for cell in header}
    row = next(r[0].row for r in sheet.iter_rows(min_row=header[0].row + 1) if r[0].value == code)
    assert not sheet[f"{columns['申辩理由']}{row}"].protection.locked
    sheet[f"{columns['申辩理由']}{row}"] = reason
    sheet[f"{columns['申请分值']}{row}"] = float(asked)
    book.save(path)


def import_objections(clerk: Clerk, paths: list[Path]) -> list[str]:
    """导入单位申辩（初步结果表）…: every file previewed, the good ones recorded. Returns the
    states the preview showed."""
    page = clerk.go("申辩复核")
    states: list[str] = []

    def looked_at(dialog: ObjectionFilesDialog) -> None:
        model = dialog.model
        states.extend(model.index(r, 2).data() for r in range(model.rowCount()))

    clerk.will_choose(([str(p) for p in paths], ""))
    clerk.will_fill(ObjectionFilesDialog, looked_at)
    clerk.click(page, "导入单位申辩（初步结果表）…")
    clerk.wait_for(page.message, "已导入 1 条申辩")
    return states
