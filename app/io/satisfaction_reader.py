"""Read satisfaction results (满意度测评): one 0–100 score per unit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.io import cells
from app.io.errors import Problem, WorkbookError
from app.io.records import SatisfactionRecord
from app.io.sheet_table import Column, is_note_row, is_total_row, open_table

SATISFACTION_COLUMNS = (
    Column("unit", ("单位名称", "单位", "被考核单位", "考核对象"), required=True),
    Column(
        "score", ("满意度得分", "满意度", "测评得分", "满意度分值", "满意度测评得分"), required=True
    ),
)


def read_satisfaction(path: Path, *, sheet: str | None = None) -> list[SatisfactionRecord]:
    """One record per unit row; a score outside 0–100 or not a number is refused."""
    table = open_table(path, SATISFACTION_COLUMNS, "满意度", sheet=sheet)
    records: list[SatisfactionRecord] = []
    problems: list[Problem] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        unit = cells.name(table.value(values, "unit"))
        if not unit:
            continue
        try:
            score = cells.decimal(table.value(values, "score"))
        except cells.CellError as exc:
            problems.append(Problem(table.at(row, "score"), f"满意度得分{exc}"))
            continue
        if score is None:
            problems.append(Problem(table.at(row, "score"), f"单位“{unit}”缺少满意度得分"))
        elif not Decimal(0) <= score <= Decimal(100):
            problems.append(
                Problem(table.at(row, "score"), f"满意度得分 {score} 应在 0 到 100 之间")
            )
        else:
            records.append(SatisfactionRecord(unit, score, table.source(row)))
    if problems:
        raise WorkbookError(problems)
    return records
