"""Read a unit list (考核对象名单): names, categories (often merged over a group, or given as a
group heading row such as "一、行政执法部门（12个）"), short names and order."""

from __future__ import annotations

import re
from pathlib import Path

from app.errors import SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.row_kinds import is_note_row, is_total_row, only_text
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import UnitRecord
from app.io.text_rules import CATEGORY, SHORT_NAME, UNIT, name_key, text_problem

UNIT_COLUMNS = (
    Column("name", ("单位名称", "单位", "被考核单位", "考核对象", "单位全称"), required=True),
    Column("category", ("单位类别", "类别", "分类", "考核类别", "单位分类"), fill_merged=True),
    Column("short_name", ("简称", "单位简称")),
    Column("order", ("序号", "排序", "顺序", "编号")),
)
_NUMERAL = "一二三四五六七八九十"
GROUP_HEADING = re.compile(
    rf"^(?:[{_NUMERAL}]+[、.．]|[(（][{_NUMERAL}]+[)）]|第[{_NUMERAL}]+类[:：、]?)\s*(.+?)"
    r"\s*(?:[(（]\s*(?:共)?\s*\d+\s*(?:个|家|个单位)?\s*[)）])?\s*$"
)


def group_heading(text: str) -> str | None:
    """The category a heading row names: "一、行政执法部门（12个）" -> "行政执法部门"."""
    match = GROUP_HEADING.match(text)
    return cells.name(match.group(1)) if match else None


def read_units(path: Path, *, sheet: str | None = None) -> list[UnitRecord]:
    """The units in the sheet's order; raises WorkbookError for duplicates."""
    return inspect_units(path, sheet=sheet)[0]


def inspect_units(
    path: Path, *, sheet: str | None = None
) -> tuple[list[UnitRecord], list[SheetIssue]]:
    """The units, and a note for every row that is not a unit (合计, 注, a group heading, a row
    without a name), so that the preview shows what was passed over and why."""
    table = open_table(path, UNIT_COLUMNS, "考核对象名单", sheet=sheet)
    records: list[UnitRecord] = []
    problems: list[SheetIssue] = []
    skipped: list[SheetIssue] = []
    seen: dict[str, int] = {}
    heading: str | None = None
    for row, values in table.data_rows():
        first = next((cells.text(v) for v in values if cells.text(v)), "")
        if is_total_row(values) or is_note_row(values):
            kind = "合计行" if is_total_row(values) else "说明行"
            skipped.append(SheetIssue(table.at(row, "name"), f"“{first[:20]}”是{kind}，已跳过"))
            continue
        single = only_text(values)
        if single is not None and group_heading(single):
            heading = group_heading(single)
            problem = text_problem(heading or "", CATEGORY)
            if problem is not None:
                problems.append(SheetIssue(table.at(row, "name"), problem))
            skipped.append(
                SheetIssue(
                    table.at(row, "name"), f"分组标题“{single}”：其下单位的类别为“{heading}”"
                )
            )
            continue
        before = len(problems)
        name = table.name(row, values, "name", UNIT, problems)
        if not name:
            skipped.append(
                SheetIssue(table.at(row, "name"), f"没有单位名称（该行有“{first[:20]}”），已跳过")
            )
            continue
        key = name_key(name)  # "市司法局(法制办)" repeats "市司法局（法制办）"
        if key in seen:
            problems.append(
                SheetIssue(table.at(row, "name"), f"单位“{name}”重复（第 {seen[key]} 行已有）")
            )
            continue
        seen[key] = row
        order = None
        try:
            number = cells.decimal(table.value(values, "order"))
            if number is not None and number == number.to_integral_value():
                order = int(number)
        except cells.CellError:
            order = None  # a 序号 like "一" is only a label; the file's order is kept instead
        short = table.name(row, values, "short_name", SHORT_NAME, problems) or None
        category = table.name(row, values, "category", CATEGORY, problems) or heading
        if len(problems) > before:
            continue
        records.append(UnitRecord(name, category, short, order, table.source(row)))
    if problems:
        raise WorkbookError(problems)
    return records, skipped
