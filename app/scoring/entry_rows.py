"""A round's entries as rows of plain values, scored without an Entry object per row (issue 22).

A city's round has 60,000 entries and a stress round 3 million; building an Entry for each cost
more than the arithmetic. Here each row is a tuple as the database hands it back, grouped by
unit and leaf in one pass. A group of the usual kind (扣分 rows carrying only a deduction;
得分, 是否, 分档 and 加分 rows carrying one valid value, one row per assessor) is scored here
with the same sums leaf_scores.py makes, kept in Decimal, so its (sum, divisor) is the very
value leaf_score would give. Every other group (否决, 不适用 or 否决 marks, several values from
one assessor, a value in the wrong field or out of range) becomes Entry objects and is scored,
and refused, by leaf_scores.py itself, exactly when and as it was before.
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from app.scoring.engine import EXACT, UnitEntries
from app.scoring.engine import _cyclic_gc_paused as gc_paused  # millions of tuples, no cycles
from app.scoring.leaf_scores import ZERO, mean_parts
from app.scoring.types import Entry, Leaf, Method, ScoringInputError

__all__ = ["SCORED_HERE", "Row", "group_rows"]

# (unit, leaf, assessor, deduction, score, answer, measured, not_applicable, veto): the keys are
# whatever names them in the caller's maps (ids), the numbers Decimal or their exact text.
Row = tuple[Hashable, Hashable, Hashable, Any, Any, Any, Any, Any, Any]
# The entries of a group scored here: unit_result takes the group's (sum, divisor) from
# ``scored`` and never reads these.
SCORED_HERE: list[Entry] = []
_VALUED = (Method.SCORE, Method.BONUS, Method.YES_NO, Method.TIER)


def group_rows(
    rows: Iterable[Row],
    leaves: Mapping[Hashable, Leaf],
    units: Mapping[Hashable, str],
    assessors: Mapping[Hashable, str],
    trim_from: int,
) -> tuple[dict[str, UnitEntries], dict[str, dict[str, tuple[Decimal, int]]]]:
    """(entries by unit and leaf, the groups' (sum, divisor) scored here), ready for
    engine.compute_grouped; ``leaves``, ``units`` and ``assessors`` map the rows' keys to the
    leaf, the unit's name and the assessor's name."""
    numbers: dict[Any, Decimal] = {}

    def number(value: Any) -> Decimal | None:
        if value is None:
            return None
        found = numbers.get(value)
        if found is None:
            found = numbers[value] = Decimal(value)
        return found

    groups: dict[tuple[Hashable, Hashable], list[Row]] = {}
    with gc_paused():
        for row in rows:
            key = (row[0], row[1])
            found = groups.get(key)
            if found is None:
                groups[key] = [row]
            else:
                found.append(row)
    grouped: dict[str, UnitEntries] = {}
    scored: dict[str, dict[str, tuple[Decimal, int]]] = {}
    with decimal.localcontext(EXACT), gc_paused():
        for (unit_key, leaf_key), group in groups.items():
            unit = units.get(unit_key)
            leaf = leaves.get(leaf_key)
            if unit is None:
                raise ScoringInputError(f"评分中的单位（{unit_key}）不在本批次中")
            if leaf is None:
                raise ScoringInputError(f"评分中的指标（{leaf_key}）不在本批次中")
            mine = grouped.get(unit)
            if mine is None:
                mine = grouped[unit] = UnitEntries({}, set(), set())
                scored[unit] = {}
            parts = _score_here(leaf, group, number, trim_from)
            if parts is not None:
                mine.by_leaf[leaf.code] = SCORED_HERE
                scored[unit][leaf.code] = parts
                continue
            entries = [
                Entry(
                    unit,
                    leaf.code,
                    assessors[a],
                    number(d),
                    number(s),
                    None if yes is None else bool(yes),
                    number(m),
                    bool(na),
                    bool(veto),
                )
                for _, _, a, d, s, yes, m, na, veto in group
            ]
            mine.by_leaf[leaf.code] = entries
            for entry in entries:
                if entry.not_applicable:
                    mine.not_applicable.add(leaf.code)
                if entry.veto:
                    mine.vetoed.add(leaf.code)
    return grouped, scored


def _score_here(
    leaf: Leaf, group: list[Row], number: Any, trim_from: int
) -> tuple[Decimal, int] | None:
    """The group's (sum, divisor) when it is of the usual kind, else None."""
    method = leaf.method
    if method is Method.DEDUCT:
        deducted: dict[Hashable, Decimal] = {}
        for _, _, assessor, d, s, yes, m, na, veto in group:
            if s is not None or yes is not None or m is not None or na or veto:
                return None
            value = number(d)
            if value is None:
                deducted.setdefault(assessor, ZERO)
                continue
            if value < ZERO:
                return None
            deducted[assessor] = deducted.get(assessor, ZERO) + value
        points = leaf.points
        return mean_parts(
            [points - total if total < points else ZERO for total in deducted.values()],
            trim_from,
        )
    if method not in _VALUED:
        return None
    seen: set[Hashable] = set()
    scores: list[Decimal] = []
    for _, _, assessor, d, s, yes, m, na, veto in group:
        if d is not None or na or veto or assessor in seen:
            return None
        seen.add(assessor)
        value = _value(leaf, number(s), yes, number(m))
        if value is None:
            return None
        scores.append(value)
    return mean_parts(scores, trim_from)


def _value(
    leaf: Leaf, score: Decimal | None, answer: Any, measured: Decimal | None
) -> Decimal | None:
    """One assessor's valid value by the leaf's method (leaf_scores._entry_value's), else None."""
    method = leaf.method
    if method is Method.SCORE or method is Method.BONUS:
        if answer is not None or measured is not None or score is None:
            return None
        return score if ZERO <= score <= leaf.points else None
    if method is Method.YES_NO:
        if score is not None or measured is not None or answer is None:
            return None
        return leaf.points if answer else ZERO
    if score is not None or answer is not None or measured is None or measured < 0:
        return None
    for tier in leaf.tiers:  # 分档
        if measured >= tier.threshold:
            return tier.fraction * leaf.points
    return ZERO
