"""Every figure explained: a unit's result leaf by leaf and assessor by assessor, built with the
engine's own functions so the explanation always adds up to the published final."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.scoring.engine import EXACT, NO_ENTRIES, UnitEntries, group_entries
from app.scoring.leaf_scores import each_assessor
from app.scoring.types import Entry, Leaf, Method, Rules, Unit, UnitResult

ZERO = Decimal(0)
SCORED = "评分"
UNSCORED = "未评"
NOT_APPLICABLE = "不适用"
VETOED = "否决"


@dataclass(frozen=True, slots=True)
class AssessorValue:
    """One assessor's score for a leaf, and whether trimming dropped it."""

    assessor: str
    value: Decimal | None  # exact; None where the assessor only marked the leaf 不适用 or 否决
    trimmed: bool
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class LeafExplanation:
    code: str
    method: Method
    points: Decimal
    status: str  # 评分 / 未评 / 不适用 / 否决
    score: Fraction | None  # what the leaf adds (the mean of the kept values); None: nothing
    assessors: tuple[AssessorValue, ...]


@dataclass(frozen=True, slots=True)
class UnitExplanation:
    result: UnitResult
    scale: Fraction | None  # full marks / applicable points (折算); None when nothing applies
    leaves: tuple[LeafExplanation, ...]
    earned: Fraction  # sum of the applicable non-bonus leaf scores, before 折算
    satisfaction_weight: Decimal | None
    bonus_cap: Decimal | None = None  # the rules a reader needs to say the figures aloud
    trim_from: int | None = None


def explain_unit(
    leaves: Sequence[Leaf],
    unit: Unit,
    entries: Iterable[Entry],
    rules: Rules,
    full_marks: Decimal,
    result: UnitResult,
) -> UnitExplanation:
    """The calculation behind ``result`` (compute_results' figure for ``unit``)."""
    leaf_map = {leaf.code: leaf for leaf in leaves}
    with decimal.localcontext(EXACT):
        mine = group_entries(
            (e for e in entries if e.unit == unit.name), leaf_map, {unit.name: unit}
        ).get(unit.name, NO_ENTRIES)
        explained = tuple(
            _explain_leaf(leaf, unit, mine.by_leaf.get(leaf.code, []), mine, rules)
            for leaf in leaves
        )
    earned = sum(
        (
            x.score
            for x in explained
            if x.score is not None and x.method not in (Method.BONUS, Method.VETO)
        ),
        Fraction(0),
    )
    points = result.applicable_points
    scale = Fraction(full_marks) / Fraction(points) if points else None
    return UnitExplanation(
        result,
        scale,
        explained,
        earned,
        rules.satisfaction_weight,
        rules.bonus_cap,
        rules.trim_from,
    )


def _explain_leaf(
    leaf: Leaf, unit: Unit, entries: list[Entry], mine: UnitEntries, rules: Rules
) -> LeafExplanation:
    if (leaf.categories is not None and unit.category not in leaf.categories) or (
        leaf.code in mine.not_applicable
    ):
        return LeafExplanation(
            leaf.code, leaf.method, leaf.points, NOT_APPLICABLE, None, _marks_only(entries)
        )
    if not entries:
        status = UNSCORED if leaf.method in (Method.SCORE, Method.YES_NO, Method.TIER) else SCORED
        score = {Method.DEDUCT: Fraction(leaf.points), Method.VETO: None}.get(
            leaf.method, Fraction(0)
        )
        return LeafExplanation(leaf.code, leaf.method, leaf.points, status, score, ())
    values = each_assessor(leaf, entries)
    trimmed = _trimmed(values, rules.trim_from)
    kept = [v for i, (_, v) in enumerate(values) if i not in trimmed]
    # Decimal sums are exact here (EXACT context); one Fraction for the mean.
    score = None if leaf.method is Method.VETO else Fraction(sum(kept, ZERO)) / len(kept)
    by_assessor: dict[str, list[Entry]] = {}
    for entry in entries:
        by_assessor.setdefault(entry.assessor, []).append(entry)
    assessors = tuple(
        AssessorValue(
            name,
            None if leaf.method is Method.VETO else value,
            index in trimmed,
            tuple(by_assessor[name]),
        )
        for index, (name, value) in enumerate(values)
    )
    status = VETOED if leaf.code in mine.vetoed else SCORED
    return LeafExplanation(leaf.code, leaf.method, leaf.points, status, score, assessors)


def _trimmed(values: list[tuple[str, Decimal]], trim_from: int) -> set[int]:
    """Indexes of the one lowest and one highest value dropped when enough assessors scored;
    among equal values the assessor named first alphabetically is the one dropped low."""
    if len(values) < trim_from:
        return set()
    order = sorted(range(len(values)), key=lambda i: (values[i][1], values[i][0]))
    return {order[0], order[-1]}


def _marks_only(entries: list[Entry]) -> tuple[AssessorValue, ...]:
    names = dict.fromkeys(e.assessor for e in entries)
    return tuple(
        AssessorValue(n, None, False, tuple(e for e in entries if e.assessor == n)) for n in names
    )
