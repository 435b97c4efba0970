"""The 通报's tables as a workbook for printing: the ranking by category and every unit's
score sheet, numbers as numbers, headers frozen and repeated on each printed page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from app.io.atomic import write_atomically
from app.io.writers.printing import check_code_footer
from app.io.writers.results_writer import ranking_sheet
from app.scoring.calculation import two_number

if TYPE_CHECKING:
    from app.io.writers.report_input import UnitSheet
    from app.scoring.round_results import RoundResults

DETAIL_HEADER = ("单位", "类别", "编码", "一级指标", "指标", "分值", "得分", "状态", "扣分理由")


def write_report_workbook(
    path: Path,
    results: RoundResults,
    sheets: list[UnitSheet],
    check_code: str,
    notes: dict[str, str],
) -> Path:
    """``notes``: each unit's 备注 (its flags, worded by the services as on every ranking)."""
    workbook = Workbook()
    ranking = workbook.active
    assert ranking is not None
    ranking.title = "考核结果"
    rows = []
    for u in results.result.units:
        rows.append([u.category_rank, u.unit, u.category, float(u.final), u.grade, notes[u.unit]])
    category_order = {c: i for i, c in enumerate(dict.fromkeys(r[2] for r in rows))}
    rows.sort(key=lambda r: (category_order[r[2]], r[0]))
    ranking_sheet(
        ranking,
        f"{results.round_name}结果（按类别）",
        ("类别名次", "单位", "类别", "最终得分", "等次", "备注"),
        rows,
        5,
    )
    detail = workbook.create_sheet("得分明细")
    area_names = results.area_names
    detail_rows = []
    for sheet in sheets:
        for row in sheet.rows:
            detail_rows.append(
                [
                    sheet.unit,
                    sheet.category,
                    row.code,
                    area_names.get(row.area, row.area),
                    row.name,
                    float(row.points),
                    None if row.state in ("不适用", "未评") else two_number(row.score),
                    row.state,
                    row.reasons,
                ]
            )
    ranking_sheet(detail, f"{results.round_name}各单位得分明细", DETAIL_HEADER, detail_rows, 8)
    detail.column_dimensions["E"].width = 34
    detail.column_dimensions["I"].width = 40
    for sheet_ in (ranking, detail):
        check_code_footer(sheet_, check_code)
    return write_atomically(path, workbook.save)
