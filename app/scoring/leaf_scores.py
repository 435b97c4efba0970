"""A leaf's score from its entries, by its method (扣分, 得分, 是否, 分档, 加分, 否决).

One job apart from the engine's totals: the engine, the live results (incremental.py) and the
explanations (explain.py) all score a leaf with these same functions, so their figures agree.
Callers run them inside the engine's EXACT decimal context: no sum here is ever rounded.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from app.scoring.types import Entry, Leaf, Method, ScoringInputError

__all__ = [
    "ZERO",
    "deduct_scores",
    "each_assessor",
    "has_value",
    "leaf_score",
    "mean_parts",
    "value_scores",
]

ZERO = Decimal(0)


def deduct_scores(leaf: Leaf, entries: list[Entry]) -> list[Decimal]:
    """扣分: each assessor's deductions add up; the leaf never goes below 0 (扣完为止).
    The hot path of every round, hence written out plainly."""
    deducted: dict[str, Decimal] = {}
    for entry in entries:
        if entry.score is not None or entry.answer is not None or entry.measured is not None:
            raise ScoringInputError(f"指标 {leaf.code} 为扣分项，只能填扣分")
        value = entry.deduction
        if value is None:
            deducted.setdefault(entry.assessor, ZERO)
            continue
        if value < ZERO:
            raise ScoringInputError(f"指标 {leaf.code} 的扣分为负数")
        deducted[entry.assessor] = deducted.get(entry.assessor, ZERO) + value
    points = leaf.points
    return [points - total if total < points else ZERO for total in deducted.values()]


def _assessor_score(leaf: Leaf, entries: list[Entry]) -> Decimal:
    """One assessor's score for a leaf scored by value (得分, 是否, 分档, 加分, 否决)."""
    valued = [e for e in entries if has_value(e)]
    if len(valued) > 1:
        raise ScoringInputError(
            f"单位“{entries[0].unit}”指标 {leaf.code} 评分人“{entries[0].assessor}”有多个分值"
        )
    return _entry_value(leaf, valued[0] if valued else None)


def _entry_value(leaf: Leaf, entry: Entry | None) -> Decimal:
    """The score one valued entry (or none) gives a leaf scored by value."""
    method = leaf.method
    if entry is not None and entry.deduction is not None:
        raise ScoringInputError(f"指标 {leaf.code} 为{method}项，不能填扣分")
    if method is Method.SCORE or method is Method.BONUS:
        if entry is None or entry.score is None:
            _wrong_field(leaf, entry)
            return ZERO
        if not ZERO <= entry.score <= leaf.points:
            raise ScoringInputError(f"指标 {leaf.code} 的得分 {entry.score} 超出 0–{leaf.points}")
        return entry.score
    if method is Method.YES_NO:
        if entry is None or entry.answer is None:
            _wrong_field(leaf, entry)
            return ZERO
        return leaf.points if entry.answer else ZERO
    if method is Method.TIER:
        if entry is None or entry.measured is None:
            _wrong_field(leaf, entry)
            return ZERO
        if entry.measured < 0:
            raise ScoringInputError(f"指标 {leaf.code} 的实际值为负数")
        for tier in leaf.tiers:
            if entry.measured >= tier.threshold:
                return tier.fraction * leaf.points
        return ZERO
    _wrong_field(leaf, entry)  # 否决: only flags
    return ZERO


def has_value(entry: Entry) -> bool:
    return (
        entry.deduction is not None
        or entry.score is not None
        or entry.answer is not None
        or entry.measured is not None
    )


def _wrong_field(leaf: Leaf, entry: Entry | None) -> None:
    if entry is not None and has_value(entry):
        raise ScoringInputError(f"指标 {leaf.code} 为{leaf.method}项，分值填错了栏目")


def leaf_score(leaf: Leaf, entries: list[Entry], trim_from: int) -> tuple[Decimal, int]:
    """(sum, divisor): the mean over assessors, trimmed of one top and one bottom score
    when enough assessors scored; kept as a fraction so nothing is rounded here."""
    if leaf.method is Method.DEDUCT:
        scores = deduct_scores(leaf, entries)
    else:
        scores = value_scores(leaf, entries)
    return mean_parts(scores, trim_from)


def mean_parts(scores: list[Decimal], trim_from: int) -> tuple[Decimal, int]:
    """(sum, divisor) of the assessors' own scores: one top and one bottom dropped from
    ``trim_from`` scores on. Sorts ``scores`` in place."""
    if len(scores) >= trim_from:
        scores.sort()
        scores = scores[1:-1]
    return sum(scores, ZERO), len(scores)


def each_assessor(leaf: Leaf, entries: list[Entry]) -> list[tuple[str, Decimal]]:
    """(assessor, their score) for one leaf of one unit, in the order the engine counts them
    (first appearance): the values the mean and the trimming are taken over."""
    names = list(dict.fromkeys(e.assessor for e in entries))
    scores = (
        deduct_scores(leaf, entries)
        if leaf.method is Method.DEDUCT
        else value_scores(leaf, entries)
    )
    return list(zip(names, scores, strict=True))


def value_scores(leaf: Leaf, entries: list[Entry]) -> list[Decimal]:
    """Each assessor's score; the usual case (one entry per assessor) without regrouping."""
    scores: list[Decimal] = []
    seen: set[str] = set()
    for entry in entries:
        if entry.assessor in seen:
            break
        seen.add(entry.assessor)
        valued = (
            entry.deduction is not None
            or entry.score is not None
            or entry.answer is not None
            or entry.measured is not None
        )
        scores.append(_entry_value(leaf, entry if valued else None))
    else:
        return scores
    by_assessor: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_assessor[entry.assessor].append(entry)
    return [_assessor_score(leaf, group) for group in by_assessor.values()]
