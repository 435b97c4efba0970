"""The rules a score entry must follow, whichever way it comes in (the grid, an offline workbook,
a scores workbook, an objection's review): right field for the method, values within the leaf's
rule, and the warnings that go with values accepted as they are (issue 14 §4)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from app.io.rule_text import RANGE, deduction_amounts, recognise
from app.models import RoundNode
from app.services.entry.cells import CellValue

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


@dataclass(frozen=True)
class DeductionStep:
    """A per-item rule ("每项0.5"): a deduction is a whole number of items, or the whole leaf."""

    step: Decimal
    stated: tuple[str, ...]  # the words it was read from

    def rule(self) -> str:
        words = "、".join(f"“{w}”" for w in self.stated[:2])
        return f"按{words}，扣分应为 {self.step.normalize():f} 的整数倍"

    def allows(self, value: Decimal, points: Decimal) -> bool:
        return value % self.step == 0 or value == points  # 扣完为止: the whole leaf is a total


def deduction_step(node: RoundNode) -> DeductionStep | None:
    """The step of a 扣分 leaf whose 评分参数 or 评分标准 states a per-item amount ("每项X",
    "每次X", "每个X"…); a 酌情 range keeps its own rule (Discretion) instead."""
    if node.method != "扣分":
        return None
    amounts = deduction_amounts(node.parameters or "", node.standard or "")
    step = amounts.step()
    if step is None:
        return None
    return DeductionStep(step, amounts.stated)


@dataclass(frozen=True)
class ValueProblem:
    """What a leaf's rule says about one part of a value; the caller tells where the value
    came from (a workbook's file, sheet, row and the part's column; the grid's unit and leaf)."""

    part: str  # a CellValue field: "deduction", "score", …, "reason"
    message: str


@dataclass(frozen=True)
class ValueCheck:
    """A value checked against its leaf's rule: refused when it has problems (nothing is
    written), accepted as it is with the warnings to be looked at, and accepted but marked
    while it waits for what it still lacks (``pending``: a 酌情 deduction's reason), so a
    number typed before its reason is never lost (issue 17)."""

    value: CellValue
    problems: tuple[ValueProblem, ...] = ()
    warnings: tuple[ValueProblem, ...] = ()
    pending: tuple[ValueProblem, ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.problems


def check_value(value: CellValue, leaf: RoundNode) -> ValueCheck:
    """The one check of a score value, whichever way it comes in (the grid, an assessor's
    workbook, a scores workbook, a review): the value alone and the leaf's rule, so every
    path refuses the same value with the same words."""
    rule = _rule(leaf)
    problems = [*_misplaced(value, leaf, rule), *_out_of_rule(value, leaf, rule)]
    pending: tuple[ValueProblem, ...] = ()
    discretion = discretion_of(leaf)
    if not problems and reason_missing(value, discretion):
        assert discretion is not None
        pending = (ValueProblem("reason", f"{rule}，{discretion.rule()}；{REASON_PENDING}"),)
    return ValueCheck(value, tuple(problems), tuple(_warnings(value, leaf, rule)), pending)


REASON_PENDING = "须补扣分理由"


def reason_missing(value: CellValue | None, discretion: Discretion | None) -> bool:
    """A 酌情 deduction kept without its reason: written, but marked until it has one (the
    grid colours it, the round's gate lists it)."""
    return (
        discretion is not None
        and value is not None
        and value.deduction is not None
        and value.deduction != 0
        and not value.reason.strip()
    )


def _misplaced(value: CellValue, leaf: RoundNode, rule: str) -> list[ValueProblem]:
    """Parts filled that the leaf's method does not take: a value in another method's field,
    否决 on a leaf that is no veto, 不适用 beside a value."""
    expected = EXPECTED_FIELD[leaf.method]
    problems = []
    for field in VALUE_FIELDS:
        if getattr(value, field) is None or field == expected:
            continue
        if expected is None:
            hint = "否决项只填“否决”或“不适用”列"
        else:
            hint = f"请填在“{FIELD_LABELS[expected]}”列"
        problems.append(ValueProblem(field, f"{rule}，不应填写“{FIELD_LABELS[field]}”；{hint}"))
    if value.veto and leaf.method != "否决":
        problems.append(ValueProblem("veto", f"{rule}，不是一票否决项，不能标记否决"))
    if value.not_applicable and (
        value.veto or any(getattr(value, f) is not None for f in VALUE_FIELDS)
    ):
        problems.append(
            ValueProblem(
                "not_applicable",
                f"{rule}，同一行标记了“不适用”又填了分值：不适用的指标不评分，"
                "请删去分值或取消“不适用”",
            )
        )
    return problems


def _out_of_rule(value: CellValue, leaf: RoundNode, rule: str) -> list[ValueProblem]:
    """The amount in the method's own field against the leaf's points, step and range."""
    expected = EXPECTED_FIELD[leaf.method]
    amount = getattr(value, expected) if expected else None
    if expected == "deduction" and isinstance(amount, Decimal):
        return _deduction_problems(amount, leaf, rule)
    if expected == "score" and isinstance(amount, Decimal) and not 0 <= amount <= leaf.points:
        return [ValueProblem("score", f"{rule}，得分 {amount} 应在 0 到 {leaf.points} 之间")]
    if expected == "measured" and amount is not None and amount < 0:
        return [ValueProblem("measured", f"{rule}，实际值不能为负数")]
    return []


def _deduction_problems(amount: Decimal, leaf: RoundNode, rule: str) -> list[ValueProblem]:
    """Never negative; a whole number of the leaf's items; within a 酌情 range (its reason may
    follow: check_value marks it pending)."""
    problems = []
    if amount < 0:
        problems.append(
            ValueProblem(
                "deduction",
                f"{rule}，扣分不能为负数（扣 {(-amount).normalize():f} 分请填 "
                f"{(-amount).normalize():f}）",
            )
        )
    step = deduction_step(leaf)
    if step is not None and amount > 0 and not step.allows(amount, leaf.points):
        problems.append(
            ValueProblem(
                "deduction",
                f"{rule}，{step.rule()}（或扣完 {leaf.points.normalize():f} 分）；"
                f"{amount.normalize():f} 不是",
            )
        )
    discretion = discretion_of(leaf)
    if discretion is not None and amount != 0 and not discretion.low <= amount <= discretion.high:
        problems.append(
            ValueProblem(
                "deduction",
                f"{rule}，{discretion.rule()}；{amount.normalize():f} 不在此范围内（不扣分请填 0）",
            )
        )
    return problems


def _warnings(value: CellValue, leaf: RoundNode, rule: str) -> list[ValueProblem]:
    """What is accepted but should be looked at: a single deduction larger than the leaf's
    points counts as the whole leaf (扣完为止)."""
    amount = value.deduction
    if leaf.method == "扣分" and amount is not None and amount > leaf.points:
        return [
            ValueProblem(
                "deduction",
                f"{rule}，扣分 {amount.normalize():f} 超过分值，按扣完为止只扣 "
                f"{leaf.points.normalize():f} 分",
            )
        ]
    return []


def has_value(value: CellValue) -> bool:
    return any(getattr(value, f) is not None for f in VALUE_FIELDS) or (
        value.not_applicable or value.veto
    )


def _rule(node: RoundNode) -> str:
    return f"指标 {node.code}“{_short(node.name)}”为{node.method}项，分值 {node.points}"


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
