"""Live results while scoring: the round's inputs kept in memory, one unit recomputed per edit.

An edit touches one unit, so only that unit's totals are computed again (with the engine's own
functions, hence the same figures as compute_results); ranks and grades are then assigned over
all units, which is cheap. A test checks it against a full compute after random edits.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from app.scoring.engine import EXACT, NO_ENTRIES, UnitEntries, group_entries, unit_result
from app.scoring.leaf_scores import each_assessor, has_value, leaf_score
from app.scoring.ranking import assign_grades_and_ranks
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


class LiveResults:
    """compute_results for a round that changes one cell at a time."""

    def __init__(
        self,
        leaves: Sequence[Leaf],
        units: Sequence[Unit],
        entries: Iterable[Entry],
        rules: Rules,
        satisfaction: Mapping[str, Decimal] | None = None,
    ) -> None:
        self.leaves = list(leaves)
        self.leaf_map = {leaf.code: leaf for leaf in self.leaves}
        self.units = list(units)
        self.unit_map = {unit.name: unit for unit in self.units}
        if len(self.leaf_map) != len(self.leaves):
            raise ScoringInputError("指标编码重复")
        if len(self.unit_map) != len(self.units):
            raise ScoringInputError("单位名称重复")
        self.rules = rules
        self.satisfaction = dict(satisfaction or {})
        self.full_marks = sum(
            (leaf.points for leaf in self.leaves if leaf.method not in (Method.BONUS, Method.VETO)),
            Decimal(0),
        )
        self.area_codes = list(dict.fromkeys(leaf.area_code for leaf in self.leaves))
        with decimal.localcontext(EXACT):
            self._grouped = group_entries(entries, self.leaf_map, self.unit_map)
        self._results: dict[str, UnitResult] = {}
        for unit in self.units:
            self._recompute(unit.name)
        self._ordered, self._quotas = assign_grades_and_ranks(list(self._results.values()), rules)

    # --- edits ----------------------------------------------------------------------------------
    def set_cell(self, unit: str, leaf: str, assessor: str, entries: Sequence[Entry]) -> None:
        """Replace one assessor's entries for a unit and leaf (none clears them), then
        recompute that unit and re-rank."""
        if unit not in self.unit_map:
            raise ScoringInputError(f"评分中的单位“{unit}”不在本批次中")
        if leaf not in self.leaf_map:
            raise ScoringInputError(f"评分中的指标“{leaf}”不在本批次中")
        mine = self._grouped.get(unit)
        if mine is None:
            mine = self._grouped[unit] = UnitEntries({}, set(), set())
        kept = [e for e in mine.by_leaf.get(leaf, ()) if e.assessor != assessor]
        kept += entries
        if kept:
            mine.by_leaf[leaf] = kept
        else:
            mine.by_leaf.pop(leaf, None)
        _mark(mine.not_applicable, leaf, any(e.not_applicable for e in kept))
        _mark(mine.vetoed, leaf, any(e.veto for e in kept))
        self._recompute(unit)
        self._rank()

    def set_satisfaction(self, unit: str, score: Decimal | None) -> None:
        if score is None:
            self.satisfaction.pop(unit, None)
        else:
            self.satisfaction[unit] = score
        self._recompute(unit)
        self._rank()

    # --- reading --------------------------------------------------------------------------------
    def result(self) -> RoundResult:
        return RoundResult(
            full_marks=self.full_marks, units=list(self._ordered), quotas=list(self._quotas)
        )

    # --- inside ---------------------------------------------------------------------------------
    def _recompute(self, unit: str) -> None:
        with decimal.localcontext(EXACT):
            self._results[unit] = unit_result(
                self.unit_map[unit],
                self.leaves,
                self._grouped.get(unit, NO_ENTRIES),
                self.rules,
                self.full_marks,
                self.area_codes,
                self.satisfaction.get(unit),
            )

    def _rank(self) -> None:
        # Results in the units' order first, as compute_results hands them to the ranking.
        self._ordered, self._quotas = assign_grades_and_ranks(
            [self._results[unit.name] for unit in self.units], self.rules
        )


def _mark(found: set[str], code: str, present: bool) -> None:
    if present:
        found.add(code)
    else:
        found.discard(code)


def assessor_scores(leaf: Leaf, entries: Sequence[Entry]) -> dict[str, Decimal]:
    """Each assessor's score for one leaf of one unit (扣分: points minus their deductions),
    for showing disagreements; entries marked only 不适用 or 否决 give none."""
    valued = [e for e in entries if not (e.not_applicable and not has_value(e))]
    if not valued or leaf.method is Method.VETO:
        return {}
    with decimal.localcontext(EXACT):
        return dict(each_assessor(leaf, valued))


def aggregate_score(leaf: Leaf, entries: Sequence[Entry], trim_from: int) -> Fraction | None:
    """The leaf's score as the totals count it (mean, trimmed when enough assessors)."""
    valued = [e for e in entries if has_value(e)]
    if not valued or leaf.method is Method.VETO:
        return None
    with decimal.localcontext(EXACT):
        total, divisor = leaf_score(leaf, valued, trim_from)
    return Fraction(total) / divisor if divisor else None


def disagreement(scores: Mapping[str, Decimal], points: Decimal, fraction: Decimal) -> bool:
    """Spread between the highest and lowest assessor above ``fraction`` of the points."""
    if len(scores) < 2 or points <= 0:
        return False
    return max(scores.values()) - min(scores.values()) > fraction * points
