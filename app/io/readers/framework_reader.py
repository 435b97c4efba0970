"""Read a 考核细则 workbook into an indicator tree: levels in columns, one row per leaf.

Offices merge level cells vertically, state a parent's points in its name ("…（20分）") or on a
heading row of its own, and close with a 合计 row; all of that is read, and every problem found
is collected before the import is refused, so the clerk fixes the file in one pass. This module
finds the columns and sorts the rows (合计, 小计, notes, indicators); framework_tree.py places
the indicator rows in the tree and checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.framework_tree import TreeBuilder
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import FrameworkSheet

FRAMEWORK_COLUMNS = (
    Column("level1", ("一级指标", "一级", "考核项目", "考核领域"), required=True, fill_merged=True),
    Column("level2", ("二级指标", "二级"), fill_merged=True),
    Column(
        "level3",
        ("三级指标", "三级", "三级指标/考核内容", "三级指标(考核内容)", "考核要点"),
        fill_merged=True,
    ),
    Column("level4", ("四级指标", "四级", "评分要点"), fill_merged=True),
    Column("points", ("分值", "分数", "标准分", "权重分", "分值(分)", "标准分值"), required=True),
    Column("code", ("编码", "指标编码", "指标代码")),
    Column("method", ("评分方式", "计分方式", "评分方法")),
    Column("parameters", ("评分参数", "计分参数")),
    Column("standard", ("评分标准", "考核标准", "评分细则", "扣分标准", "计分标准")),
    Column("content", ("考核内容", "工作内容", "指标内容")),
    Column("assessment_method", ("考核方式", "考核方法", "评价方式")),
    Column(
        "lead_department",
        ("牵头单位", "评分单位", "责任单位", "牵头(评分)单位", "评分责任单位", "牵头部门"),
    ),
    Column("categories", ("适用类别", "适用单位类别", "适用范围", "适用对象")),
)


@dataclass
class FrameworkInspection:
    """What a sheet holds before anything is saved: the tree (None when rows could not be
    placed), the problems that block an import, and stated figures the rows contradict."""

    sheet_name: str
    tree: FrameworkSheet | None
    problems: list[SheetIssue]
    warnings: list[SheetIssue]
    passed_over: list[SheetIssue] = field(default_factory=list)  # 小计/合计/注 rows, said
    title: str = ""  # the title row above the table: the name the office gave it


def _in_order(problems: list[SheetIssue]) -> list[SheetIssue]:
    return sorted(problems, key=lambda p: (p.location.row or 0, p.location.column or ""))


def read_framework(path: Path, *, sheet: str | None = None) -> FrameworkSheet:
    """The indicator tree of a 考核细则 sheet; raises WorkbookError listing every problem."""
    found = inspect_framework(path, sheet=sheet)
    if found.problems or found.warnings or found.tree is None:
        raise WorkbookError(_in_order(found.problems + found.warnings))
    return found.tree


def inspect_framework(path: Path, *, sheet: str | None = None) -> FrameworkInspection:
    """Read a 考核细则 sheet without refusing it: every problem is returned for a preview.
    An unreadable file or a missing header still raises WorkbookError."""
    table = open_table(path, FRAMEWORK_COLUMNS, "指标体系（考核细则）", sheet=sheet)
    builder = TreeBuilder(table)
    previous: list[str] = []
    stated_total: Decimal | None = None
    total_row = 0
    passed_over: list[SheetIssue] = []
    for row, values in table.data_rows():
        first = next((cells.text(v) for v in values if cells.text(v)), "")
        if is_total_row(values):
            if cells.header(first).startswith("小计"):
                passed_over.append(
                    SheetIssue(table.at(row, "level1"), f"“{first[:20]}”是小计行，已跳过")
                )
                continue
            passed_over.append(
                SheetIssue(
                    table.at(row, "level1"), f"“{first[:20]}”是合计行：用来核对总分，不是指标"
                )
            )
            try:
                stated_total = cells.points(table.value(values, "points"))
                total_row = row
            except cells.CellError as exc:
                builder.problem(row, "points", f"合计分值{exc}")
            continue
        if is_note_row(values):
            passed_over.append(
                SheetIssue(table.at(row, "level1"), f"“{first[:20]}”是说明行，已跳过")
            )
            continue
        previous = builder.add_row(row, values, previous)
    if not builder.roots and not builder.problems:
        builder.problems.append(SheetIssue(Location(str(path), table.sheet), "表中没有任何指标"))
    builder.finish_leaves(builder.roots)
    total, _extra, sure = builder.settle_points(builder.roots)
    if sure and stated_total is not None and stated_total != total:
        builder.warnings.append(
            SheetIssue(
                table.at(total_row, "points"),
                f"合计标明 {stated_total} 分，但各指标（加分、否决项不计入）合计为 {total} 分",
            )
        )
    builder.check_codes()
    tree = FrameworkSheet(builder.roots, stated_total) if builder.roots else None
    return FrameworkInspection(
        table.sheet,
        tree,
        _in_order(builder.problems),
        _in_order(builder.warnings),
        passed_over,
        table.title,
    )
