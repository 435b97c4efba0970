"""Check imported score rows against the round: right unit, right leaf, values within the rule."""

from __future__ import annotations

from decimal import Decimal

from app.io.errors import Problem
from app.io.records import ScoreRecord
from app.models import RoundNode

VALUE_FIELDS = ("deduction", "score", "answer", "measured")
FIELD_LABELS = {
    "deduction": "扣分",
    "score": "得分",
    "answer": "得分（是/否）",
    "measured": "实际值",
}
# Which value field each method takes.
EXPECTED_FIELD = {
    "扣分": "deduction",
    "得分": "score",
    "是否": "answer",
    "分档": "measured",
    "加分": "score",
    "否决": None,
}


def check_score_record(record: ScoreRecord, node: RoundNode) -> list[Problem]:
    """Every problem of one row, each pointing at the cell to fix."""
    problems: list[Problem] = []
    method = node.method
    expected = EXPECTED_FIELD[method]
    rule = f"指标 {node.code}“{_short(node.name)}”为{method}项，分值 {node.points}"
    for field in VALUE_FIELDS:
        if getattr(record, field) is None or field == expected:
            continue
        if expected is None:
            hint = "否决项只填“否决”或“不适用”列"
        else:
            hint = f"请填在“{FIELD_LABELS[expected]}”列"
        problems.append(
            Problem(record.source.at(field), f"{rule}，不应填写“{FIELD_LABELS[field]}”；{hint}")
        )
    if record.veto and method != "否决":
        problems.append(Problem(record.source.at("veto"), f"{rule}，不是一票否决项，不能标记否决"))
    value = getattr(record, expected) if expected else None
    if expected == "deduction" and value is not None and value < 0:
        problems.append(Problem(record.source.at("deduction"), f"{rule}，扣分不能为负数"))
    if (
        expected == "score"
        and isinstance(value, Decimal)
        and not Decimal(0) <= value <= node.points
    ):
        problems.append(
            Problem(record.source.at("score"), f"{rule}，得分 {value} 应在 0 到 {node.points} 之间")
        )
    if expected == "measured" and value is not None and value < 0:
        problems.append(Problem(record.source.at("measured"), f"{rule}，实际值不能为负数"))
    return problems


def has_value(record: ScoreRecord) -> bool:
    return any(getattr(record, f) is not None for f in VALUE_FIELDS) or (
        record.not_applicable or record.veto
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
