"""Read satisfaction results (满意度测评): a 0–100 score per unit, or the vote counts
(满意 / 基本满意 / 不满意) the survey produced, turned into a score with the round's weights."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import SatisfactionRecord
from app.io.text_rules import UNIT

DEFAULT_WEIGHTS = (Decimal(100), Decimal(60), Decimal(0))  # 满意, 基本满意, 不满意
VOTE_FIELDS = ("satisfied", "basic", "unsatisfied")
SATISFACTION_COLUMNS = (
    Column("unit", ("单位名称", "单位", "被考核单位", "考核对象"), required=True),
    Column("score", ("满意度得分", "满意度", "测评得分", "满意度分值", "满意度测评得分")),
    Column("satisfied", ("满意", "满意票数", "满意（票）", "满意票")),
    Column("basic", ("基本满意", "基本满意票数", "基本满意（票）", "较满意")),
    Column("unsatisfied", ("不满意", "不满意票数", "不满意（票）", "不满意票")),
)


def votes_score(votes: tuple[int, int, int], weights: tuple[Decimal, ...]) -> Decimal:
    """Weighted mean of the votes, 四舍五入 to 2 places as the survey result is published."""
    total = sum(votes)
    weighted = sum((Decimal(v) * w for v, w in zip(votes, weights, strict=True)), Decimal(0))
    return (weighted / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def read_satisfaction(
    path: Path,
    *,
    sheet: str | None = None,
    weights: tuple[Decimal, Decimal, Decimal] = DEFAULT_WEIGHTS,
) -> list[SatisfactionRecord]:
    """One record per unit row; a score outside 0–100, a vote count that is not a whole
    number, or a row with no votes is refused, each named by row and column."""
    table = open_table(path, SATISFACTION_COLUMNS, "满意度", sheet=sheet)
    by_votes = all(f in table.columns for f in VOTE_FIELDS)
    if "score" not in table.columns and not by_votes:
        raise WorkbookError(
            [
                SheetIssue(
                    Location(str(path), table.sheet, table.header_row),
                    "找不到“满意度得分”列，也找不到“满意、基本满意、不满意”三列票数",
                )
            ]
        )
    records: list[SatisfactionRecord] = []
    problems: list[SheetIssue] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        before = len(problems)
        unit = table.name(row, values, "unit", UNIT, problems)
        if not unit or len(problems) > before:
            continue
        if by_votes:
            record = _from_votes(table, row, values, unit, weights, problems)
        else:
            record = _from_score(table, row, values, unit, problems)
        if record is not None:
            records.append(record)
    if problems:
        raise WorkbookError(problems)
    return records


def _from_score(table, row, values, unit, problems) -> SatisfactionRecord | None:  # type: ignore[no-untyped-def]
    try:
        score = cells.decimal(table.value(values, "score"))
    except cells.CellError as exc:
        problems.append(SheetIssue(table.at(row, "score"), f"满意度得分{exc}"))
        return None
    if score is None:
        problems.append(SheetIssue(table.at(row, "score"), f"单位“{unit}”缺少满意度得分"))
    elif not Decimal(0) <= score <= Decimal(100):
        problems.append(
            SheetIssue(table.at(row, "score"), f"满意度得分 {score} 应在 0 到 100 之间")
        )
    else:
        return SatisfactionRecord(unit, score, table.source(row))
    return None


def _from_votes(table, row, values, unit, weights, problems) -> SatisfactionRecord | None:  # type: ignore[no-untyped-def]
    counts = []
    for name in VOTE_FIELDS:
        try:
            count = cells.decimal(table.value(values, name))
        except cells.CellError as exc:
            problems.append(SheetIssue(table.at(row, name), f"票数{exc}"))
            return None
        count = count if count is not None else Decimal(0)
        if count < 0 or count != count.to_integral_value():
            problems.append(SheetIssue(table.at(row, name), f"票数应为非负整数，而不是 {count}"))
            return None
        counts.append(int(count))
    votes = (counts[0], counts[1], counts[2])
    if sum(votes) == 0:
        problems.append(SheetIssue(table.at(row, "satisfied"), f"单位“{unit}”没有任何票数"))
        return None
    return SatisfactionRecord(unit, votes_score(votes, weights), table.source(row), votes)
