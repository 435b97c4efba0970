"""Each scored cell (unit × leaf) with every assessor's own score, as the engine counts them:
what the robustness model and the assessor analysis both start from."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.scoring.engine import EXACT, NO_ENTRIES, group_entries
from app.scoring.leaf_scores import each_assessor
from app.scoring.types import Entry, Leaf, Method, Unit


@dataclass(frozen=True, slots=True)
class Cell:
    """One unit's applicable leaf with its assessors' scores (in the engine's order)."""

    unit: str
    leaf: str
    area: str
    points: Decimal
    method: Method
    scores: tuple[tuple[str, Decimal], ...]  # (assessor, their score for the leaf)


@dataclass(frozen=True, slots=True)
class RoundCells:
    """The cells with entries, and per unit what the engine adds without any: a 扣分 leaf
    nobody deducted counts its full points, an unscored one 0 (未评)."""

    cells: list[Cell]
    defaults: dict[tuple[str, str], Decimal]  # (unit, area) -> points earned by default
    applicable: dict[tuple[str, str], Decimal]  # (unit, area) -> applicable non-bonus points
    vetoed: frozenset[str]  # units with a 否决 mark


def round_cells(
    leaves: Sequence[Leaf], units: Sequence[Unit], entries: Iterable[Entry]
) -> RoundCells:
    """The engine's reading of the entries, cell by cell (same grouping, same per-assessor
    scores), so a model built on them agrees with the published figures."""
    leaf_map = {leaf.code: leaf for leaf in leaves}
    unit_map = {unit.name: unit for unit in units}
    cells: list[Cell] = []
    defaults: dict[tuple[str, str], Decimal] = {}
    applicable: dict[tuple[str, str], Decimal] = {}
    vetoed: set[str] = set()
    with decimal.localcontext(EXACT):
        grouped = group_entries(entries, leaf_map, unit_map)
        for unit in units:
            mine = grouped.get(unit.name, NO_ENTRIES)
            for leaf in leaves:
                if leaf.categories is not None and unit.category not in leaf.categories:
                    continue
                if leaf.code in mine.not_applicable:
                    continue
                if leaf.code in mine.vetoed:
                    vetoed.add(unit.name)
                if leaf.method is Method.VETO:
                    continue
                key = (unit.name, leaf.area_code)
                if leaf.method is not Method.BONUS:
                    applicable[key] = applicable.get(key, Decimal(0)) + leaf.points
                found = mine.by_leaf.get(leaf.code)
                if found is None:
                    if leaf.method is Method.DEDUCT:
                        defaults[key] = defaults.get(key, Decimal(0)) + leaf.points
                    continue
                scores = tuple(each_assessor(leaf, found))
                cells.append(
                    Cell(unit.name, leaf.code, leaf.area_code, leaf.points, leaf.method, scores)
                )
    return RoundCells(cells, defaults, applicable, frozenset(vetoed))


def several(cells: Iterable[Cell]) -> list[Cell]:
    """The cells that more than one assessor scored (where agreement can be measured)."""
    return [cell for cell in cells if len(cell.scores) > 1]


def scoring_areas(leaves: Sequence[Leaf]) -> dict[str, Decimal]:
    """First-level areas that hold scoring (non-bonus, non-veto) leaves, with their points."""
    areas: dict[str, Decimal] = {}
    for leaf in leaves:
        if leaf.method not in (Method.BONUS, Method.VETO):
            areas[leaf.area_code] = areas.get(leaf.area_code, Decimal(0)) + leaf.points
    return areas


def shared_cells(entries: Iterable[Entry]) -> set[tuple[str, str]]:
    """(unit, leaf) of the cells more than one assessor scored."""
    scorers: dict[tuple[str, str], set[str]] = {}
    for entry in entries:
        scorers.setdefault((entry.unit, entry.leaf), set()).add(entry.assessor)
    return {cell for cell, names in scorers.items() if len(names) > 1}


def assessors_of(cells: Iterable[Cell]) -> list[str]:
    """Assessors in the order they first appear."""
    seen: dict[str, None] = {}
    for cell in cells:
        for name, _ in cell.scores:
            seen.setdefault(name)
    return list(seen)
