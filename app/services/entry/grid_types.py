"""The score grid in memory: leaves, units and assessors with their ids (what an edit writes
by) and names (what the grid shows), every assessor's cell, and the live results kept up to
date cell by cell (the round's scoring inputs in memory, so an edit re-ranks in milliseconds
instead of reloading the round)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.models.review import DEFAULT_DISAGREEMENT
from app.scoring.incremental import LiveResults
from app.scoring.types import Entry, Leaf, Rules
from app.scoring.types import Unit as ScoringUnit
from app.services.entry.cells import CellValue
from app.services.entry.checks import Discretion


@dataclass(frozen=True)
class GridLeaf:
    id: int  # its round node's
    code: str
    name: str
    area_code: str
    area_name: str
    points: Decimal
    method: str
    standard: str
    categories: frozenset[str] | None
    discretion: Discretion | None = None  # a 酌情 range ("扣5-10分"): value in it and a note


@dataclass(frozen=True)
class GridUnit:
    id: int
    name: str
    short_name: str
    category: str


@dataclass(frozen=True)
class GridAssessor:
    id: int
    name: str


@dataclass(frozen=True)
class SelfScore:
    """A unit's self-assessment (自评) of one leaf."""

    score: Decimal | None
    not_applicable: bool
    note: str


@dataclass
class GridData:
    round_id: int
    round_name: str
    status: str
    leaves: list[GridLeaf]
    units: list[GridUnit]
    panel: list[GridAssessor]  # the assessors shown: an 评分人 account sees only itself
    assessor_names: dict[int, str]  # every assessor, also those not shown: the results name them
    codes: dict[int, str]  # every node of the round by id
    # (unit, leaf code, assessor) -> that assessor's entry, several deduction rows summed
    values: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    scoring_leaves: dict[str, Leaf] = field(default_factory=dict)
    scoring_units: list[ScoringUnit] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    satisfaction: dict[str, Decimal] = field(default_factory=dict)
    # every assessor's cells, also those an 评分人 account does not see: the results count them
    all_values: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    _live: LiveResults | None = None
    trim_from: int = 5
    disagreement_fraction: Decimal = DEFAULT_DISAGREEMENT
    # assessor -> leaf code -> the units assigned (None: every unit); no entry: no assignment
    assignments: dict[str, dict[str, frozenset[str] | None]] = field(default_factory=dict)
    own_units: dict[str, str] = field(default_factory=dict)  # assessor -> their unit (回避)
    self_scores: dict[tuple[str, str], SelfScore] = field(default_factory=dict)

    @property
    def assessors(self) -> list[str]:
        """The names of the assessors shown, in their order."""
        return [a.name for a in self.panel]

    def live_results(self) -> LiveResults:
        """The results over every assessor's entries, built on first use (after the grid is
        painted) and then kept up to date cell by cell."""
        if self._live is None:
            self._live = LiveResults(
                self.scoring_leaves.values(),
                self.scoring_units,
                [entry_of(*key, value) for key, value in self.all_values.items()],
                self.rules,
                self.satisfaction,
            )
        return self._live

    def store(self, unit_id: int, leaf_id: int, assessor_id: int, value: CellValue | None) -> None:
        """Keep a written cell: the values shown, and the live results when built."""
        unit = next(u.name for u in self.units if u.id == unit_id)
        leaf, assessor = self.codes[leaf_id], self.assessor_names[assessor_id]
        key = (unit, leaf, assessor)
        for values in (self.values, self.all_values):
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        if self._live is not None:
            entries = [] if value is None else [entry_of(unit, leaf, assessor, value)]
            self._live.set_cell(unit, leaf, assessor, entries)

    def applies(self, leaf: GridLeaf, unit: GridUnit) -> bool:
        return leaf.categories is None or unit.category in leaf.categories

    def assigned(self, assessor: str, unit: str, leaf: str) -> bool:
        """Is this cell the assessor's to score? Without any assignment, every cell is."""
        if self.own_units.get(assessor) == unit:
            return False
        mine = self.assignments.get(assessor)
        if mine is None:
            return True
        if leaf not in mine:
            return False
        units = mine[leaf]
        return units is None or unit in units


def entry_of(unit: str, leaf: str, assessor: str, value: CellValue) -> Entry:
    """A cell as the scoring engine takes it: by the names its results show."""
    return Entry(
        unit,
        leaf,
        assessor,
        value.deduction,
        value.score,
        value.answer,
        value.measured,
        value.not_applicable,
        value.veto,
    )
