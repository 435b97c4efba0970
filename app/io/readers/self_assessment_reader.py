"""Read a unit's self-assessment (自评) workbook: per leaf code its own score or deduction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import RowSource

SELF_ASSESSMENT_COLUMNS = (
    Column("unit", ("单位名称", "单位", "被考核单位", "考核对象")),
    Column("code", ("指标编码", "编码", "指标代码", "序号编码"), required=True),
    Column("score", ("自评得分", "自评分", "自评分值", "自评")),
    Column("deduction", ("自评扣分", "自查扣分", "扣分")),
    Column("note", ("自评说明", "说明", "佐证材料", "备注", "自评情况")),
)


@dataclass(frozen=True)
class SelfAssessmentRow:
    unit: str  # "" when the workbook has no unit column
    code: str
    text: str  # the value as written: a number, 是/否 or 不适用
    is_deduction: bool  # read from a 扣分 column rather than a 得分 one
    note: str
    source: RowSource


def read_self_assessment(path: Path) -> list[SelfAssessmentRow]:
    """Rows with a leaf code and a value; a workbook with neither a 自评得分 nor a 自评扣分
    column is refused."""
    table = open_table(path, SELF_ASSESSMENT_COLUMNS, "自评")
    if "score" not in table.columns and "deduction" not in table.columns:
        raise WorkbookError(
            [
                SheetIssue(
                    Location(str(path), table.sheet, table.header_row),
                    "找不到“自评得分”或“自评扣分”列",
                )
            ]
        )
    field = "score" if "score" in table.columns else "deduction"
    rows: list[SelfAssessmentRow] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        code = cells.text(table.value(values, "code"))
        value = table.value(values, field)
        if not code or value is None:
            continue
        rows.append(
            SelfAssessmentRow(
                cells.name(table.value(values, "unit")),
                code,
                cells.text(value),
                field == "deduction",
                cells.text(table.value(values, "note")),
                table.source(row),
            )
        )
    return rows
