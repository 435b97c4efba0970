"""The scoring engine: exact totals, ranks and grades of a round from plain data.

Sums stay in Decimal (exact for decimal inputs and fast); the few divisions (means over
assessors, 折算) are done once per unit in Fraction, so the final is exact before it is
rounded 四舍五入 once.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from app.scoring.ranking import assign_grades_and_ranks
from app.scoring.rounding import round_half_up
from app.scoring.types import (
    Entry,
    Leaf,
    Method,
    RoundResult,
    Rules,
    ScoringInputError,
    Unit,
    UnitResult,
)

__all__ = ["compute_results", "round_half_up"]

ZERO = Decimal(0)
# Enough digits that no sum of decimal inputs is ever rounded.
EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP, traps=[decimal.Inexact])


def _assessor_score(leaf: Leaf, entries: list[Entry]) -> Decimal:
    """One assessor's score for one unit and leaf (an assessor's deductions add up)."""
    method = leaf.method
    if method is Method.DEDUCT:
        total = ZERO
        for entry in entries:
            if entry.score is not None or entry.answer is not None or entry.measured is not None:
                raise ScoringInputError(f"指标 {leaf.code} 为扣分项，只能填扣分")
            if entry.deduction is not None:
                if entry.deduction < 0:
                    raise ScoringInputError(f"指标 {leaf.code} 的扣分为负数")
                total = EXACT.add(total, entry.deduction)
        return max(ZERO, EXACT.subtract(leaf.points, total))
    valued = [e for e in entries if _has_value(e)]
    if len(valued) > 1:
        raise ScoringInputError(
            f"单位“{entries[0].unit}”指标 {leaf.code} 评分人“{entries[0].assessor}”有多个分值"
        )
    entry = valued[0] if valued else None
    if entry is not None and entry.deduction is not None:
        raise ScoringInputError(f"指标 {leaf.code} 为{method}项，不能填扣分")
    if method in (Method.SCORE, Method.BONUS):
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
                return EXACT.multiply(tier.fraction, leaf.points)
        return ZERO
    _wrong_field(leaf, entry)  # 否决: only flags
    return ZERO


def _has_value(entry: Entry) -> bool:
    return (
        entry.deduction is not None
        or entry.score is not None
        or entry.answer is not None
        or entry.measured is not None
    )


def _wrong_field(leaf: Leaf, entry: Entry | None) -> None:
    if entry is not None and _has_value(entry):
        raise ScoringInputError(f"指标 {leaf.code} 为{leaf.method}项，分值填错了栏目")


def _leaf_score(leaf: Leaf, entries: list[Entry], trim_from: int) -> tuple[Decimal, int]:
    """(sum, divisor): the mean over assessors, trimmed of one top and one bottom score
    when enough assessors scored; kept as a fraction so nothing is rounded here."""
    by_assessor: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_assessor[entry.assessor].append(entry)
    scores = [_assessor_score(leaf, group) for group in by_assessor.values()]
    if len(scores) >= trim_from:
        scores.sort()
        scores = scores[1:-1]
    total = ZERO
    for score in scores:
        total = EXACT.add(total, score)
    return total, len(scores)


class _Sums:
    """Decimal sums kept per divisor; exact as a Fraction only when asked."""

    __slots__ = ("by_divisor",)

    def __init__(self) -> None:
        self.by_divisor: dict[int, Decimal] = {}

    def add(self, value: Decimal, divisor: int = 1) -> None:
        self.by_divisor[divisor] = EXACT.add(self.by_divisor.get(divisor, ZERO), value)

    def exact(self) -> Fraction:
        return sum(
            (Fraction(value) / divisor for divisor, value in self.by_divisor.items()), Fraction(0)
        )


def _group_entries(
    entries: Iterable[Entry], leaves: Mapping[str, Leaf], units: Mapping[str, Unit]
) -> dict[tuple[str, str], list[Entry]]:
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.unit not in units:
            raise ScoringInputError(f"评分中的单位“{entry.unit}”不在本批次中")
        if entry.leaf not in leaves:
            raise ScoringInputError(f"评分中的指标“{entry.leaf}”不在本批次中")
        groups[(entry.unit, entry.leaf)].append(entry)
    return groups


def _unit_result(
    unit: Unit,
    leaves: Sequence[Leaf],
    groups: Mapping[tuple[str, str], list[Entry]],
    rules: Rules,
    full_marks: Decimal,
    area_codes: Sequence[str],
    satisfaction: Decimal | None,
) -> UnitResult:
    base_sums, bonus_sums = _Sums(), _Sums()
    area_sums = {code: _Sums() for code in area_codes}
    applicable_points = ZERO
    missing = 0
    veto = False
    for leaf in leaves:
        entries = groups.get((unit.name, leaf.code))
        if leaf.categories is not None and unit.category not in leaf.categories:
            continue
        if entries and any(e.not_applicable for e in entries):
            continue
        if entries and any(e.veto for e in entries):
            veto = True
        if leaf.method is Method.VETO:
            if entries:
                _leaf_score(leaf, entries, rules.trim_from)  # validates the entries
            continue
        if not entries:
            if leaf.method is Method.BONUS:
                continue
            value, divisor = (leaf.points, 1) if leaf.method is Method.DEDUCT else (ZERO, 1)
            if leaf.method is not Method.DEDUCT:
                missing += 1
        else:
            value, divisor = _leaf_score(leaf, entries, rules.trim_from)
        if leaf.method is Method.BONUS:
            bonus_sums.add(value, divisor)
            continue
        applicable_points = EXACT.add(applicable_points, leaf.points)
        base_sums.add(value, divisor)
        area_sums[leaf.area_code].add(value, divisor)
    base = (
        base_sums.exact() / Fraction(applicable_points) * Fraction(full_marks)
        if applicable_points
        else Fraction(0)
    )
    bonus = bonus_sums.exact()
    if rules.bonus_cap is not None:
        bonus = min(bonus, Fraction(rules.bonus_cap))
    assessment = base + bonus
    final_exact = assessment
    if rules.satisfaction_weight is not None:
        weight = Fraction(rules.satisfaction_weight)
        survey = Fraction(satisfaction) if satisfaction is not None else Fraction(0)
        final_exact = (1 - weight) * assessment + weight * survey
    return UnitResult(
        unit=unit.name,
        category=unit.category,
        order=unit.order,
        base=base,
        bonus=bonus,
        assessment=assessment,
        satisfaction=satisfaction,
        final_exact=final_exact,
        final=round_half_up(final_exact, 2),
        veto=veto,
        missing=missing,
        applicable_points=applicable_points,
        areas={code: sums.exact() for code, sums in area_sums.items()},
    )


def compute_results(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    entries: Iterable[Entry],
    rules: Rules,
    satisfaction: Mapping[str, Decimal] | None = None,
) -> RoundResult:
    leaf_map = {leaf.code: leaf for leaf in leaves}
    unit_map = {unit.name: unit for unit in units}
    if len(leaf_map) != len(leaves):
        raise ScoringInputError("指标编码重复")
    if len(unit_map) != len(units):
        raise ScoringInputError("单位名称重复")
    groups = _group_entries(entries, leaf_map, unit_map)
    full_marks = ZERO
    for leaf in leaves:
        if leaf.method not in (Method.BONUS, Method.VETO):
            full_marks = EXACT.add(full_marks, leaf.points)
    area_codes = list(dict.fromkeys(leaf.area_code for leaf in leaves))
    surveys = satisfaction or {}
    results = [
        _unit_result(unit, leaves, groups, rules, full_marks, area_codes, surveys.get(unit.name))
        for unit in units
    ]
    ordered = assign_grades_and_ranks(results, rules)
    return RoundResult(full_marks=full_marks, units=ordered)
