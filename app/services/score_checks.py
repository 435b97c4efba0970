"""Check imported score rows against the round: right unit, right leaf, values within the rule."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from app.io.errors import Problem
from app.io.records import ScoreRecord
from app.io.rule_text import RANGE, recognise
from app.models import RoundNode

PARAMETER_RANGE = re.compile(r"^酌情(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$")

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


@dataclass(frozen=True)
class Discretion:
    """A 酌情 range ("酌情扣5-10分"): a deduction is 0, or within the range with a note."""

    low: Decimal
    high: Decimal

    def rule(self) -> str:
        return f"酌情扣 {self.low.normalize():f} 至 {self.high.normalize():f} 分，须填写扣分理由"


def discretion_of(node: RoundNode) -> Discretion | None:
    """The leaf's 酌情 range: from its 评分参数 ("酌情5-10"), else from a 扣分 leaf's 评分标准
    that says 酌情/视情 扣 a range; never a range beyond the leaf's points."""
    if node.method != "扣分":
        return None
    parameters = unicodedata.normalize("NFKC", node.parameters or "").replace(" ", "")
    found: Discretion | None = None
    if match := PARAMETER_RANGE.match(parameters):
        low, high = sorted((Decimal(match.group(1)), Decimal(match.group(2))))
        found = Discretion(low, high)
    elif not parameters:
        standard = unicodedata.normalize("NFKC", node.standard or "").replace(" ", "")
        match = RANGE.search(standard)
        if match is not None and ("酌情" in match.group(0) or "视情" in match.group(0)):
            recognised = recognise(standard, node.points)
            if (
                recognised is not None
                and recognised.low is not None
                and recognised.high is not None
            ):
                found = Discretion(recognised.low, recognised.high)
    if found is None or found.high > node.points:
        return None
    return found


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
    discretion = discretion_of(node) if expected == "deduction" else None
    if discretion is not None and isinstance(value, Decimal) and value != 0:
        if not discretion.low <= value <= discretion.high:
            problems.append(
                Problem(
                    record.source.at("deduction"),
                    f"{rule}，{discretion.rule()}；{value.normalize():f} 不在此范围内"
                    "（不扣分请填 0）",
                )
            )
        elif not record.reason.strip():
            problems.append(
                Problem(record.source.at("reason"), f"{rule}，{discretion.rule()}；请先填写理由")
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
