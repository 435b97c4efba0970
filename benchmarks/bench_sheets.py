"""Time the offline assessor workbooks at scale: 80 assessors, each with its share of 152 leaves
x 80 units (12,160 cells in all): export, then import all 80 filled-in workbooks the way
`sheets import` does (check, diff, write). Prints figures (target: import under 20 s)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from large_round import LARGE_ROUND, build_large_round
from openpyxl import load_workbook

from app.models.opening import open_database
from app.services.entry.assessor_sheets import export_sheets
from app.services.entry.sheet_batch import import_sheets

VALUES = {
    "扣分": ("0.5", "抽查发现问题"),
    "得分": ("0.5", ""),
    "是否": ("是", ""),
    "分档": ("95%", ""),
}


def fill(path: Path) -> int:
    """What an assessor does: a value in every row (a reason with each deduction)."""
    workbook = load_workbook(path)
    sheet = workbook["评分表"] if "评分表" in workbook.sheetnames else workbook.worksheets[0]
    filled = 0
    for row in range(4, sheet.max_row + 1):
        method = sheet.cell(row, 6).value
        if method in VALUES:
            value, reason = VALUES[method]
            sheet.cell(row, 8).value = value
            sheet.cell(row, 9).value = reason or None
            filled += 1
    workbook.save(path)
    return filled


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "sheets.db")
        build_large_round(db, assessors=80, spread=True)
        start = time.perf_counter()
        paths = export_sheets(db, LARGE_ROUND, Path(folder) / "out")
        exported = time.perf_counter() - start
        cells = sum(fill(path) for path in paths)
        start = time.perf_counter()
        changed = sum(len(c.diffs) for c in import_sheets(db, LARGE_ROUND, paths).value)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        again = sum(len(c.diffs) for c in import_sheets(db, LARGE_ROUND, paths).value)
        repeated = time.perf_counter() - start
        print(f"{len(paths)} assessor workbooks, {cells} cells filled")
        print(f"  export: {exported:.1f} s")
        print(f"  import all (check, diff, write {changed} cells): {imported:.1f} s")
        print(f"  import all again (nothing changes: {again} cells): {repeated:.1f} s")
        db.dispose()


if __name__ == "__main__":
    main()
