"""What the grid shows about a cell beyond one assessor's value: every assessor's score, the
aggregate the totals count, a disagreement flag, the unit's self-assessment; and progress
(已评/未评) per assessor and per unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from app.scoring.incremental import aggregate_score, assessor_scores, disagreement
from app.services.entry.grid_types import GridData, GridLeaf, GridUnit, SelfScore, entry_of

OPTIONAL_METHODS = ("加分", "否决")  # left empty when there is nothing to add or veto
ANY_ASSESSOR = 0  # no assessor's id (SQLite's ids start at 1): every assessor


@dataclass(frozen=True)
class CellSummary:
    scores: dict[str, Decimal]  # assessor -> their score for the leaf
    aggregate: Fraction | None  # what the totals count (mean, trimmed when enough assessors)
    disagreement: bool  # spread above the round's share of the points
    self_score: SelfScore | None


def summarize(grid: GridData, unit: GridUnit, leaf: GridLeaf) -> CellSummary:
    entries = [
        entry_of(unit.name, leaf.code, assessor.name, value)
        for assessor in grid.panel
        if (value := grid.cells.get((unit.id, leaf.id, assessor.id))) is not None
    ]
    scoring_leaf = grid.scoring_leaves[leaf.code]
    scores = assessor_scores(scoring_leaf, entries) if entries else {}
    return CellSummary(
        scores,
        aggregate_score(scoring_leaf, entries, grid.trim_from) if entries else None,
        disagreement(scores, leaf.points, grid.disagreement_fraction),
        grid.self_scores.get((unit.name, leaf.code)),
    )


def counted(grid: GridData, leaf: GridLeaf, unit: GridUnit, assessor: int) -> bool:
    """Does this cell count towards progress (an assessor's, or anyone's)?"""
    if leaf.method in OPTIONAL_METHODS or not grid.applies(leaf, unit):
        return False
    return assessor == ANY_ASSESSOR or grid.assigned(assessor, unit.id, leaf.id)


def scored(grid: GridData, leaf: GridLeaf, unit: GridUnit, assessor: int) -> bool:
    if assessor != ANY_ASSESSOR:
        return (unit.id, leaf.id, assessor) in grid.cells
    return any((unit.id, leaf.id, a.id) in grid.cells for a in grid.panel)


@dataclass
class Progress:
    """已评 and 应评 cells per (assessor or ANY_ASSESSOR, unit) by ids, kept up to date by unit."""

    grid: GridData
    counts: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit in self.grid.units:
            self.update_unit(unit)

    def update_unit(self, unit: GridUnit) -> None:
        for assessor in (ANY_ASSESSOR, *(a.id for a in self.grid.panel)):
            done = total = 0
            for leaf in self.grid.leaves:
                if counted(self.grid, leaf, unit, assessor):
                    total += 1
                    done += scored(self.grid, leaf, unit, assessor)
            self.counts[(assessor, unit.id)] = (done, total)

    def of_unit(self, assessor: int, unit_id: int) -> tuple[int, int]:
        return self.counts.get((assessor, unit_id), (0, 0))

    def of_assessor(self, assessor: int, units: list[GridUnit] | None = None) -> tuple[int, int]:
        done = total = 0
        for unit in units if units is not None else self.grid.units:
            d, t = self.of_unit(assessor, unit.id)
            done, total = done + d, total + t
        return done, total
