"""The scoring engine: exact totals, ranks and grades of a round from plain data.

Here entries are grouped by unit and leaf and a unit's leaf scores are added up into its
areas, base, bonus and final; each leaf's own score by its method is leaf_scores.py's job.

Sums stay in Decimal (exact for decimal inputs and fast); the few divisions (means over
assessors, 折算) are done once per unit in Fraction, so the final is exact before it is
rounded 四舍五入 once.
"""

from __future__ import annotations

import decimal
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.scoring.leaf_scores import ZERO, leaf_score
from app.scoring.ranking import assign_grades_and_ranks
from app.scoring.rounding import round_half_up
from app.scoring.types import (
    MISSING_SURVEY,
    NOTHING_APPLIES,
    UNSCORED,
    Entry,
    Leaf,
    Method,
    RoundResult,
    Rules,
    ScoringInputError,
    Unit,
    UnitResult,
)

__all__ = [
    "EXACT",
    "NO_ENTRIES",
    "LeafScore",
    "UnitEntries",
    "compute_grouped",
    "compute_results",
    "group_entries",
    "round_half_up",
    "unit_leaf_scores",
    "unit_result",
]

# Enough digits that no sum of decimal inputs is ever rounded.
EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP, traps=[decimal.Inexact])


@dataclass(slots=True)
class UnitEntries:
    """One unit's entries by leaf, with the leaves it marks 不适用 and 否决."""

    by_leaf: dict[str, list[Entry]]
    not_applicable: set[str]
    vetoed: set[str]


NO_ENTRIES = UnitEntries({}, set(), set())


def group_entries(
    entries: Iterable[Entry], leaves: Mapping[str, Leaf], units: Mapping[str, Unit]
) -> dict[str, UnitEntries]:
    """Entries by unit, then leaf. Entries usually arrive unit by unit, so the unit's bucket
    is looked up only when the unit changes."""
    grouped: dict[str, UnitEntries] = {}
    current_unit: str | None = None
    current = NO_ENTRIES
    for entry in entries:
        unit = entry.unit
        if unit != current_unit:
            found = grouped.get(unit)
            if found is None:
                if unit not in units:
                    raise ScoringInputError(f"评分中的单位“{unit}”不在本批次中")
                found = grouped[unit] = UnitEntries({}, set(), set())
            current, current_unit = found, unit
        code = entry.leaf
        group = current.by_leaf.get(code)
        if group is None:
            if code not in leaves:
                raise ScoringInputError(f"评分中的指标“{code}”不在本批次中")
            current.by_leaf[code] = [entry]
        else:
            group.append(entry)
        if entry.not_applicable:
            current.not_applicable.add(code)
        if entry.veto:
            current.vetoed.add(code)
    return grouped


def unit_result(
    unit: Unit,
    leaves: Sequence[Leaf],
    mine: UnitEntries,
    rules: Rules,
    full_marks: Decimal,
    area_codes: Sequence[str],
    satisfaction: Decimal | None,
    scored: Mapping[str, tuple[Decimal, int]] | None = None,
) -> UnitResult:
    """``scored``: leaf code -> (sum, divisor) already known from these entries (what
    leaf_score gives them), so a what-if that changes a few leaves rescores only those."""
    # Decimal sums per (area, divisor) and per divisor for bonuses: exact and cheap to add.
    sums: dict[tuple[str, int], Decimal] = {}
    bonus_sums: dict[int, Decimal] = {}
    applicable_points = ZERO
    missing = 0
    veto = False
    category, trim_from = unit.category, rules.trim_from
    by_leaf, not_applicable, vetoed = mine.by_leaf, mine.not_applicable, mine.vetoed
    for leaf in leaves:
        if leaf.categories is not None and category not in leaf.categories:
            continue
        code = leaf.code
        if not_applicable and code in not_applicable:
            continue
        if vetoed and code in vetoed:
            veto = True
        method = leaf.method
        entries = by_leaf.get(code)
        if entries is None:
            if method is Method.DEDUCT:
                value, divisor = leaf.points, 1
            elif method is Method.BONUS or method is Method.VETO:
                continue
            else:
                missing += 1
                value, divisor = ZERO, 1
        else:
            known = scored.get(code) if scored is not None else None
            if known is None:
                value, divisor = leaf_score(leaf, entries, trim_from)  # also validates them
            else:
                value, divisor = known
            if method is Method.VETO:
                continue
            if method is Method.BONUS:
                bonus_sums[divisor] = bonus_sums.get(divisor, ZERO) + value
                continue
        applicable_points += leaf.points
        slot = (leaf.area_code, divisor)
        sums[slot] = sums.get(slot, ZERO) + value
    areas = {code: Fraction(0) for code in area_codes}
    for (area, divisor), value in sums.items():
        areas[area] += Fraction(value) / divisor
    earned = sum(areas.values(), Fraction(0))
    base = (
        earned / Fraction(applicable_points) * Fraction(full_marks)
        if applicable_points
        else Fraction(0)
    )
    bonus_before_cap = sum((Fraction(v) / d for d, v in bonus_sums.items()), Fraction(0))
    bonus = bonus_before_cap
    if rules.bonus_cap is not None:
        bonus = min(bonus, Fraction(rules.bonus_cap))
    assessment = base + bonus
    final_exact, survey, incomplete = _mix_satisfaction(unit, assessment, satisfaction, rules)
    if missing:
        incomplete.append(UNSCORED)
    if not applicable_points:
        incomplete.append(NOTHING_APPLIES)
    return UnitResult(
        unit=unit.name,
        category=unit.category,
        order=unit.order,
        base=base,
        bonus=bonus,
        assessment=assessment,
        satisfaction=survey,
        final_exact=final_exact,
        final=round_half_up(final_exact, 2),
        veto=veto,
        missing=missing,
        applicable_points=applicable_points,
        areas=areas,
        incomplete=tuple(sorted(incomplete)),
        satisfaction_exempt=unit.name in rules.satisfaction_exempt,
        bonus_before_cap=bonus_before_cap,
    )


def _mix_satisfaction(
    unit: Unit, assessment: Fraction, satisfaction: Decimal | None, rules: Rules
) -> tuple[Fraction, Decimal | None, list[str]]:
    """(final, the survey value mixed in, reasons incomplete). A missing survey is never a 0:
    the final is then the assessment alone, and the unit is incomplete unless excused."""
    weight = rules.satisfaction_weight
    if weight is None:
        return assessment, satisfaction, []
    if unit.name in rules.satisfaction_exempt:
        return assessment, None, []
    if satisfaction is None:
        return assessment, None, [MISSING_SURVEY]
    w = Fraction(weight)
    return (1 - w) * assessment + w * Fraction(satisfaction), satisfaction, []


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
    with decimal.localcontext(EXACT), _cyclic_gc_paused():
        return _compute(
            leaves, units, group_entries(entries, leaf_map, unit_map), rules, satisfaction
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The engine builds millions of small lists and dicts but no reference cycles; left on,
    the cyclic collector rescans the caller's millions of entries again and again (a third of
    the time of a 5,000-unit round). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_grouped(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    grouped: dict[str, UnitEntries],
    rules: Rules,
    satisfaction: Mapping[str, Decimal] | None = None,
    scored: Mapping[str, Mapping[str, tuple[Decimal, int]]] | None = None,
) -> RoundResult:
    """compute_results over entries grouped once (group_entries), with leaf scores already
    known per unit (``scored``: unit -> leaf -> (sum, divisor)): for many what-ifs of one
    round, e.g. each assessor left out in turn."""
    with decimal.localcontext(EXACT), _cyclic_gc_paused():
        return _compute(leaves, units, grouped, rules, satisfaction, scored)


def _compute(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    grouped: dict[str, UnitEntries],
    rules: Rules,
    satisfaction: Mapping[str, Decimal] | None,
    scored: Mapping[str, Mapping[str, tuple[Decimal, int]]] | None = None,
) -> RoundResult:
    full_marks = ZERO
    for leaf in leaves:
        if leaf.method not in (Method.BONUS, Method.VETO):
            full_marks += leaf.points
    area_codes = list(dict.fromkeys(leaf.area_code for leaf in leaves))
    surveys = satisfaction or {}
    results = [
        unit_result(
            unit,
            leaves,
            grouped.get(unit.name, NO_ENTRIES),
            rules,
            full_marks,
            area_codes,
            surveys.get(unit.name),
            scored.get(unit.name) if scored is not None else None,
        )
        for unit in units
    ]
    ordered, quotas = assign_grades_and_ranks(results, rules)
    return RoundResult(full_marks=full_marks, units=ordered, quotas=quotas)


@dataclass(frozen=True, slots=True)
class LeafScore:
    """A leaf's score for one unit as the totals count it, for score sheets."""

    value: Fraction  # the mean (trimmed where the rules say) over the assessors
    state: str  # 已评 / 默认满分 (扣分, nobody deducted) / 未评 / 不适用 / 否决项


def unit_leaf_scores(
    leaves: Sequence[Leaf], unit: Unit, entries: Iterable[Entry], rules: Rules
) -> dict[str, LeafScore]:
    """Every leaf's score for one unit, by the same rules as compute_results (the same
    functions), so a score sheet always adds up to the published total."""
    leaf_map = {leaf.code: leaf for leaf in leaves}
    with decimal.localcontext(EXACT):
        grouped = group_entries(
            (e for e in entries if e.unit == unit.name), leaf_map, {unit.name: unit}
        ).get(unit.name, NO_ENTRIES)
        scores: dict[str, LeafScore] = {}
        for leaf in leaves:
            if (leaf.categories is not None and unit.category not in leaf.categories) or (
                leaf.code in grouped.not_applicable
            ):
                scores[leaf.code] = LeafScore(Fraction(0), "不适用")
                continue
            found = grouped.by_leaf.get(leaf.code)
            if found is None:
                if leaf.method is Method.DEDUCT:
                    scores[leaf.code] = LeafScore(Fraction(leaf.points), "默认满分")
                else:
                    scores[leaf.code] = LeafScore(Fraction(0), "未评")
                continue
            total, divisor = leaf_score(leaf, found, rules.trim_from)
            value = Fraction(total) / divisor if divisor else Fraction(0)
            state = "否决项" if leaf.method is Method.VETO else "已评"
            scores[leaf.code] = LeafScore(value, state)
        return scores
