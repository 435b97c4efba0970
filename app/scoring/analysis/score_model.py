"""The round's totals as arrays, for thousands of what-if runs in floating point: per
configuration (an assessor left out or not, trimming on or off) each unit's earned points by
area and its bonus; a run then only weighs the areas and mixes the survey (numpy, vectorised).

Only the robustness analysis uses floats; every published figure comes from the exact engine,
and ``ScoreModel.nominal`` is checked against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.scoring.analysis.cells import RoundCells, assessors_of, scoring_areas
from app.scoring.types import Leaf, Method, Rules, Unit

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class Config:
    """What one run assumes about the assessors: who is left out (None: nobody), trimming."""

    dropped: str | None
    trim: bool


@dataclass
class ScoreModel:
    units: list[Unit]
    areas: list[str]  # scoring first-level areas, in tree order
    area_points: np.ndarray  # A: the tree's points of each area
    configs: list[Config]
    earned: np.ndarray  # C × U × A: points earned by area (unscaled)
    bonus: np.ndarray  # C × U: bonus before the cap
    applicable: np.ndarray  # U × A
    survey: np.ndarray  # U: the survey value (0 where none is mixed in)
    mixed: np.ndarray  # U bool: the survey is mixed into the final
    veto: np.ndarray  # U bool
    full_marks: float
    droppable: list[str]  # assessors who share at least one cell with another

    def config_index(self, dropped: str | None, trim: bool) -> int:
        return self.configs.index(Config(dropped, trim))

    def finals(
        self,
        config: np.ndarray,
        weights: np.ndarray,
        satisfaction_weight: np.ndarray | None,
        bonus_cap: float | None,
    ) -> np.ndarray:
        """R × U finals of R runs: ``config`` (R) indexes the configurations, ``weights``
        (R × A) scale each area's points (a 0 leaves the area out), ``satisfaction_weight``
        (R) is the survey's share. The base is earned / applicable points × full marks with
        both weighed alike, so weights need no renormalising to keep the full marks."""
        import numpy as np

        earned = self.earned[config]  # R × U × A
        numerator = np.einsum("rua,ra->ru", earned, weights)
        denominator = weights @ self.applicable.T  # R × U
        with np.errstate(invalid="ignore", divide="ignore"):
            base = np.where(denominator > 0, numerator / denominator * self.full_marks, 0.0)
        bonus = self.bonus[config]
        if bonus_cap is not None:
            bonus = np.minimum(bonus, bonus_cap)
        assessment = base + bonus
        if satisfaction_weight is None:
            return assessment
        w = satisfaction_weight[:, None]
        return np.where(self.mixed, (1 - w) * assessment + w * self.survey, assessment)


def build_model(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    cells: RoundCells,
    rules: Rules,
    satisfaction: dict[str, Decimal],
) -> ScoreModel:
    import numpy as np

    area_points = scoring_areas(leaves)
    areas = list(area_points)
    area_index = {code: i for i, code in enumerate(areas)}
    unit_index = {unit.name: i for i, unit in enumerate(units)}
    bonus_column = len(areas)
    assessors = assessors_of(cells.cells)
    assessor_index = {name: i for i, name in enumerate(assessors)}
    n_cells, n_units, n_areas = len(cells.cells), len(units), len(areas)
    values = np.full((n_cells, max(1, len(assessors))), np.nan)
    cell_unit = np.empty(n_cells, dtype=np.int64)
    cell_column = np.empty(n_cells, dtype=np.int64)
    for i, cell in enumerate(cells.cells):
        cell_unit[i] = unit_index[cell.unit]
        cell_column[i] = bonus_column if cell.method is Method.BONUS else area_index[cell.area]
        for name, score in cell.scores:
            values[i, assessor_index[name]] = float(score)
    present = ~np.isnan(values)
    shared = present.sum(axis=1) >= 2
    droppable = [name for name, i in assessor_index.items() if (present[:, i] & shared).any()]
    configs = [Config(None, True), Config(None, False)]
    configs += [Config(name, trim) for name in droppable for trim in (True, False)]
    base = np.zeros((n_units, n_areas + 1))
    for (unit, area), points in cells.defaults.items():
        base[unit_index[unit], area_index[area]] += float(points)
    earned = np.empty((len(configs), n_units, n_areas + 1))
    for c, config in enumerate(configs):
        keep = present.copy()
        if config.dropped is not None:
            column = assessor_index[config.dropped]
            keep[:, column] &= ~shared
        means = _cell_means(values, keep, rules.trim_from if config.trim else None)
        totals = base.copy()
        np.add.at(totals, (cell_unit, cell_column), means)
        earned[c] = totals
    applicable = np.zeros((n_units, n_areas))
    for (unit, area), points in cells.applicable.items():
        if area in area_index:
            applicable[unit_index[unit], area_index[area]] = float(points)
    exempt = rules.satisfaction_exempt
    mixed = np.array(
        [
            rules.satisfaction_weight is not None
            and u.name not in exempt
            and u.name in satisfaction
            for u in units
        ]
    )
    survey = np.array([float(satisfaction.get(u.name, 0)) for u in units])
    return ScoreModel(
        units=list(units),
        areas=areas,
        area_points=np.array([float(area_points[a]) for a in areas]),
        configs=configs,
        earned=earned[:, :, :n_areas],
        bonus=earned[:, :, n_areas],
        applicable=applicable,
        survey=survey,
        mixed=mixed,
        veto=np.array([u.name in cells.vetoed for u in units]),
        full_marks=float(sum(area_points.values(), Decimal(0))),
        droppable=droppable,
    )


def _cell_means(values: np.ndarray, keep: np.ndarray, trim_from: int | None) -> np.ndarray:
    """Each cell's mean over the kept assessors, one top and one bottom dropped when at least
    ``trim_from`` remain (the engine's rule)."""
    import numpy as np

    kept = np.where(keep, values, 0.0)
    total = kept.sum(axis=1)
    count = keep.sum(axis=1).astype(float)
    if trim_from is not None:
        trimmed = count >= trim_from
        if trimmed.any():
            high = np.where(keep, values, -np.inf).max(axis=1)
            low = np.where(keep, values, np.inf).min(axis=1)
            total = np.where(trimmed, total - high - low, total)
            count = np.where(trimmed, count - 2, count)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)
