"""Read score rows (评分表): unit, leaf code, assessor and the value in the method's column.

Only the syntax of each cell is checked here; whether the unit and code exist, and whether the
value fits the leaf's method, is the service's job (it points back with RowSource.at(field)).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.errors import SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import RowSource, ScoreRecord
from app.io.text_rules import ASSESSOR, CODE, UNIT

SCORE_COLUMNS = (
    Column("unit", ("单位名称", "单位", "被考核单位", "考核对象"), required=True),
    Column("leaf_code", ("指标编码", "编码", "指标代码"), required=True),
    Column("assessor", ("评分人", "评分单位", "考核组", "评分责任单位")),
    Column("deduction", ("扣分", "扣分值", "扣分分值")),
    Column("score", ("得分", "评分", "分数")),
    Column("measured", ("实际值", "完成率", "实际完成值")),
    Column("not_applicable", ("不适用",)),
    Column("veto", ("否决", "一票否决")),
    Column("reason", ("扣分理由", "扣分原因", "理由", "备注", "扣分依据")),
)
NOT_APPLICABLE_WORDS = frozenset({"不适用", "n/a", "na"})
VETO_WORDS = frozenset({"否决", "一票否决"})


def _score_cell(value: Any, source: RowSource, problems: list[SheetIssue]) -> tuple[Any, Any]:
    """The 得分 column holds a number, or 是/否 for a yes/no leaf: (score, answer)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, value
    raw = cells.text(value)
    if isinstance(value, str) and raw and not (raw[0].isdigit() or raw[0] in "+-."):
        try:
            return None, cells.yes_no(value)
        except cells.CellError:
            pass
    try:
        return cells.decimal(value), None
    except cells.CellError as exc:
        problems.append(SheetIssue(source.at("score"), f"得分{exc}（是否项请填“是”或“否”）"))
        return None, None


def _flag(words: frozenset[str]):
    def read(value: Any) -> bool:
        return bool(cells.yes_no(value, words))

    return read


READERS: tuple[tuple[str, Any, str], ...] = (
    ("deduction", cells.decimal, "扣分"),
    ("measured", cells.rate, "实际值"),
    ("not_applicable", _flag(NOT_APPLICABLE_WORDS), "不适用"),
    ("veto", _flag(VETO_WORDS), "否决"),
)


def read_scores(path: Path, *, sheet: str | None = None) -> list[ScoreRecord]:
    """Every score row of the sheet; raises WorkbookError listing each unreadable cell."""
    table = open_table(path, SCORE_COLUMNS, "评分", sheet=sheet)
    records: list[ScoreRecord] = []
    problems: list[SheetIssue] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        source = table.source(row)
        before = len(problems)
        unit = table.name(row, values, "unit", UNIT, problems)
        code = table.name(row, values, "leaf_code", CODE, problems, cells.header)
        assessor = table.name(row, values, "assessor", ASSESSOR, problems)
        if not unit and not code and len(problems) == before:
            continue
        if not unit:
            problems.append(SheetIssue(source.at("unit"), "缺少单位名称"))
        if not code:
            problems.append(SheetIssue(source.at("leaf_code"), "缺少指标编码"))
        read: dict[str, Any] = {}
        for field_name, reader, label in READERS:
            try:
                read[field_name] = reader(table.value(values, field_name))
            except cells.CellError as exc:
                problems.append(SheetIssue(source.at(field_name), f"{label}{exc}"))
        score, answer = _score_cell(table.value(values, "score"), source, problems)
        if len(problems) > before:
            continue
        records.append(
            ScoreRecord(
                unit=unit,
                leaf_code=code,
                assessor=assessor or None,
                deduction=read["deduction"],
                score=score,
                answer=answer,
                measured=read["measured"],
                not_applicable=read["not_applicable"],
                veto=read["veto"],
                reason=cells.plain(table.value(values, "reason")),
                source=source,
            )
        )
    if problems:
        raise WorkbookError(problems)
    return records
