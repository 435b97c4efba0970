"""The score grid in memory: leaves, units and assessors with their ids (what an edit writes
by) and names (what the grid shows), every assessor's cell, and the live results kept up to
date cell by cell (the round's scoring inputs in memory, so an edit re-ranks in milliseconds
instead of reloading the round)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

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


CellKey = tuple[int, int, int]  # unit id, leaf id (its round node), assessor id


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
    # the panel's entries by ids, several deduction rows of one assessor summed
    cells: dict[CellKey, CellValue] = field(default_factory=dict)
    # every assessor's cells, also those an 评分人 account does not see: the results count them
    all_cells: dict[CellKey, CellValue] = field(default_factory=dict)
    scoring_leaves: dict[str, Leaf] = field(default_factory=dict)
    scoring_units: list[ScoringUnit] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    satisfaction: dict[str, Decimal] = field(default_factory=dict)  # by unit name, as scored
    _live: LiveResults | None = None
    trim_from: int = 5
    disagreement_fraction: Decimal = DEFAULT_DISAGREEMENT
    # assessor -> leaf -> the units assigned (None: every unit); no entry: no assignment
    assignments: dict[int, dict[int, frozenset[int] | None]] = field(default_factory=dict)
    own_units: dict[int, int] = field(default_factory=dict)  # assessor -> their unit (回避)
    # (unit name, leaf code) -> the unit's own assessment: shown beside a cell, never edited here
    self_scores: dict[tuple[str, str], SelfScore] = field(default_factory=dict)

    @property
    def assessors(self) -> list[str]:
        """The names of the assessors shown, in their order."""
        return [a.name for a in self.panel]

    @property
    def values(self) -> CellsByName:
        """The panel's cells by the names people read, for reports and checks that name them
        (findings, preliminary results); the grid itself goes by ids (cells)."""
        return CellsByName(self.cells, self)

    @property
    def all_values(self) -> CellsByName:
        return CellsByName(self.all_cells, self)

    @cached_property
    def unit_names(self) -> dict[int, str]:
        return {u.id: u.name for u in self.units}

    @cached_property
    def ids_by_name(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Unit, leaf (by code) and assessor ids by name, for a cell asked for by names."""
        return (
            {u.name: u.id for u in self.units},
            {code: i for i, code in self.codes.items()},
            {name: i for i, name in self.assessor_names.items()},
        )

    def names_of(self, key: CellKey) -> tuple[str, str, str]:
        """A cell as the engine and the reports name it: unit, leaf code, assessor."""
        unit_id, leaf_id, assessor_id = key
        return self.unit_names[unit_id], self.codes[leaf_id], self.assessor_names[assessor_id]

    def live_results(self) -> LiveResults:
        """The results over every assessor's entries, built on first use (after the grid is
        painted) and then kept up to date cell by cell."""
        if self._live is None:
            units, codes, assessors = self.unit_names, self.codes, self.assessor_names
            self._live = LiveResults(
                self.scoring_leaves.values(),
                self.scoring_units,
                [
                    entry_of(units[u], codes[leaf], assessors[a], value)
                    for (u, leaf, a), value in self.all_cells.items()
                ],
                self.rules,
                self.satisfaction,
            )
        return self._live

    def store(self, unit_id: int, leaf_id: int, assessor_id: int, value: CellValue | None) -> None:
        """Keep a written cell: the cells shown, and the live results when built."""
        key = (unit_id, leaf_id, assessor_id)
        for cells in (self.cells, self.all_cells):
            if cells is not self.all_cells and all(a.id != assessor_id for a in self.panel):
                continue  # an 评分人's grid shows only their own column
            if value is None:
                cells.pop(key, None)
            else:
                cells[key] = value
        if self._live is not None:
            unit, leaf, assessor = self.names_of(key)
            entries = [] if value is None else [entry_of(unit, leaf, assessor, value)]
            self._live.set_cell(unit, leaf, assessor, entries)

    def applies(self, leaf: GridLeaf, unit: GridUnit) -> bool:
        return leaf.categories is None or unit.category in leaf.categories

    def assigned(self, assessor_id: int, unit_id: int, leaf_id: int) -> bool:
        """Is this cell the assessor's to score? Without any assignment, every cell is."""
        if self.own_units.get(assessor_id) == unit_id:
            return False
        mine = self.assignments.get(assessor_id)
        if mine is None:
            return True
        if leaf_id not in mine:
            return False
        units = mine[leaf_id]
        return units is None or unit_id in units


class CellsByName(Mapping[tuple[str, str, str], CellValue]):
    """Cells read by (unit, leaf code, assessor) names over the grid's cells by ids; nothing
    is copied, so a report that names a few cells pays for those alone."""

    def __init__(self, cells: dict[CellKey, CellValue], grid: GridData) -> None:
        self._cells = cells
        self._grid = grid

    def __getitem__(self, key: tuple[str, str, str]) -> CellValue:
        units, leaves, assessors = self._grid.ids_by_name
        unit, code, assessor = key
        try:
            return self._cells[(units[unit], leaves[code], assessors[assessor])]
        except KeyError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return (self._grid.names_of(key) for key in self._cells)

    def __len__(self) -> int:
        return len(self._cells)


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
