"""How consistent the assessors are (评分一致性): Krippendorff's α at the interval level where
several assessors scored the same cells, with a bootstrap interval over the cells; each
assessor's leniency against the others on the same cells; the cells they disagree on most.

α compares each leaf score as a share of the leaf's points, so that 1-point and 10-point
leaves weigh alike; leniency is in points and as that share.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.scoring.analysis.cells import Cell, assessors_of, round_cells, several, shared_cells
from app.scoring.engine import EXACT, compute_grouped, compute_results, group_entries
from app.scoring.leaf_scores import mean_parts
from app.scoring.types import Entry, Leaf, RoundResult, Rules, Unit

if TYPE_CHECKING:
    import numpy as np

BOOTSTRAP = 1000
BATCH = 100  # bootstrap replicates drawn at once
NORMAL_FROM = 2000  # cells from which a resample's sums are drawn as normal (see below)
Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Alpha:
    value: float | None  # None: fewer than two values, or no variation at all
    interval: tuple[float, float] | None
    cells: int  # cells with at least two scores


@dataclass(frozen=True, slots=True)
class Leniency:
    assessor: str
    cells: int  # cells they scored that others also scored
    points: float  # mean of (their score − the mean of the others') in points
    rate: float  # the same as a share of the leaf's points
    interval: tuple[float, float]  # 95 % interval of ``points``
    flag: str  # 偏宽 / 偏严 / ""


@dataclass(frozen=True, slots=True)
class Disagreement:
    unit: str
    leaf: str
    spread: float  # highest − lowest score, in points
    scores: tuple[tuple[str, float], ...]


@dataclass
class AgreementResult:
    overall: Alpha
    areas: dict[str, Alpha]
    leaves: dict[str, Alpha]
    assessors: list[Leniency]
    disagreements: list[Disagreement]


def alpha_interval(reliability: Sequence[Sequence[float | None]]) -> float | None:
    """Krippendorff's α (interval) of a units × coders table with None (or NaN) for a missing
    rating: α = 1 − D_o / D_e over the pairable values (units with two or more)."""
    import numpy as np

    rows = [
        [float(v) for v in row if v is not None and not math.isnan(float(v))] for row in reliability
    ]
    stats = _unit_stats([np.array(r) for r in rows if len(r) >= 2])
    return _alpha(*(s.sum() for s in stats))


def _unit_stats(values: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Per unit of analysis: m, Σv, Σv², and the within-unit disagreement Σ_i≠j (vi − vj)² /
    (m − 1) — all α needs, and they add up over any resample of units."""
    import numpy as np

    m = np.array([len(v) for v in values], dtype=float)
    total = np.array([v.sum() for v in values])
    squares = np.array([(v * v).sum() for v in values])
    within = np.divide(2 * (m * squares - total**2), m - 1, out=np.zeros_like(m), where=m > 1)
    return m, total, squares, within


def _alphas(
    n: np.ndarray, total: np.ndarray, squares: np.ndarray, within: np.ndarray
) -> np.ndarray:
    """α of many resamples at once (NaN where a resample has no variation)."""
    import numpy as np

    expected = 2 * (n * squares - total**2) / (n * (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 1e-12, 1 - (within / n) / expected, np.nan)


def _alpha(n: float, total: float, squares: float, within: float) -> float | None:
    if n < 2:
        return None
    observed = within / n
    expected = 2 * (n * squares - total**2) / (n * (n - 1))
    if expected <= 1e-12:
        return None
    return float(1 - observed / expected)


def alpha_with_interval(values: list[np.ndarray], seed: int, reps: int = BOOTSTRAP) -> Alpha:
    """α over these cells' values and a 95 % percentile interval from resampling the cells."""
    import numpy as np

    if not values:
        return Alpha(None, None, 0)
    stats = np.vstack(_unit_stats(values))  # 4 × C
    value = _alpha(*stats.sum(axis=1))
    if value is None or len(values) < 2 or reps <= 0:
        return Alpha(value, None, len(values))
    rng = np.random.default_rng(seed)
    count = len(values)
    if count >= NORMAL_FROM:
        # The four sums of a resample are sums of ``count`` independent draws of the cells:
        # with thousands of cells they are normal to within far less than the 2 decimals
        # shown, and drawing them directly costs nothing (resampling 12,000 cells 1,000 times
        # took most of a second).
        sums = rng.multivariate_normal(
            stats.sum(axis=1), np.cov(stats, bias=True) * count, size=reps
        )
        found = [_alphas(*sums.T)]
    else:
        found = []
        for start in range(0, reps, BATCH):
            size = min(BATCH, reps - start)
            drawn = rng.integers(0, count, size=(size, count))  # resamples of the cells
            offsets = (np.arange(size) * count)[:, None]
            times = np.bincount((drawn + offsets).ravel(), minlength=size * count)
            found.append(_alphas(*(stats @ times.reshape(size, count).T.astype(float))))
    replicates = np.concatenate(found)
    replicates = replicates[~np.isnan(replicates)]
    if not len(replicates):
        return Alpha(value, None, count)
    low, high = np.quantile(replicates, [0.025, 0.975])
    return Alpha(value, (float(low), float(high)), count)


def analyse_agreement(
    cells: Sequence[Cell],
    *,
    threshold: float = 0.05,
    seed: int = 2025,
    reps: int = BOOTSTRAP,
    worst: int = 10,
) -> AgreementResult:
    """``threshold``: leniency (as a share of the leaf's points) beyond which an assessor is
    flagged, when its 95 % interval also leaves out 0."""
    import numpy as np

    shared = [c for c in several(cells) if c.points > 0]
    # Each cell's scores as shares of its points, converted once for every grouping below.
    rated = [np.array([float(v) for _, v in c.scores]) / float(c.points) for c in shared]
    overall = alpha_with_interval(rated, seed, reps)
    by_area: dict[str, list[np.ndarray]] = {}
    by_leaf: dict[str, list[np.ndarray]] = {}
    for cell, rates in zip(shared, rated, strict=True):
        by_area.setdefault(cell.area, []).append(rates)
        by_leaf.setdefault(cell.leaf, []).append(rates)
    areas = {a: alpha_with_interval(r, seed, reps) for a, r in by_area.items()}
    leaves = {code: alpha_with_interval(r, seed, reps // 4) for code, r in by_leaf.items()}
    return AgreementResult(
        overall=overall,
        areas=areas,
        leaves=leaves,
        assessors=leniencies(shared, threshold),
        disagreements=_disagreements(shared, worst),
    )


def leniencies(shared: Sequence[Cell], threshold: float) -> list[Leniency]:
    """Each assessor against the mean of the others on every cell they share."""
    import numpy as np

    diffs: dict[str, list[tuple[float, float]]] = {name: [] for name in assessors_of(shared)}
    for cell in shared:
        values = [float(v) for _, v in cell.scores]
        total, m, points = sum(values), len(values), float(cell.points)
        for (name, _), value in zip(cell.scores, values, strict=True):
            others = (total - value) / (m - 1)
            diffs[name].append((value - others, (value - others) / points))
    found = []
    for name, pairs in diffs.items():
        d = np.array([p for p, _ in pairs])
        r = np.array([q for _, q in pairs])
        mean, rate = float(d.mean()), float(r.mean())
        half = Z95 * float(d.std(ddof=1)) / math.sqrt(len(d)) if len(d) > 1 else math.inf
        interval = (mean - half, mean + half)
        beyond = abs(rate) >= threshold and (interval[0] > 0 or interval[1] < 0)
        flag = ("偏宽" if rate > 0 else "偏严") if beyond else ""
        found.append(Leniency(name, len(d), mean, rate, interval, flag))
    return found


def _disagreements(shared: Sequence[Cell], worst: int) -> list[Disagreement]:
    found = []
    for cell in shared:
        values = [float(v) for _, v in cell.scores]
        found.append(
            Disagreement(
                cell.unit,
                cell.leaf,
                max(values) - min(values),
                tuple((n, float(v)) for n, v in cell.scores),
            )
        )
    found.sort(key=lambda d: (-d.spread, d.unit, d.leaf))
    return [d for d in found[:worst] if d.spread > 0]


def ranks_changed_without(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    entries: Sequence[Entry],
    rules: Rules,
    satisfaction: dict[str, Decimal],
    assessors: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    cells: Sequence[Cell] | None = None,
) -> dict[str, int]:
    """Per assessor, how many units' ranks change when their scores on shared cells are left
    out (exact engine, the round's rules). Cancelled: the assessors done so far.

    The entries are grouped once and every leaf keeps its assessors' own scores (``cells``,
    round_cells'); leaving one out takes each shared leaf's mean again over the others (the
    engine's mean_parts), and the engine adds up, ranks and grades as it always does. An
    assessor whose entries on shared cells carry 不适用 or 否决 is left out of the entries
    themselves, since those marks decide more than a mean."""
    leaf_map = {leaf.code: leaf for leaf in leaves}
    unit_map = {unit.name: unit for unit in units}
    with decimal.localcontext(EXACT):
        grouped = group_entries(entries, leaf_map, unit_map)
    trim = rules.trim_from
    scored: dict[str, dict[str, tuple[Decimal, int]]] = {}
    shared_by: dict[str, list[_Shared]] = {}  # assessor -> the shared cells they scored
    with decimal.localcontext(EXACT):
        for cell in cells if cells is not None else round_cells(leaves, units, entries).cells:
            values = [v for _, v in cell.scores]
            total = sum(values, Decimal(0))
            scored.setdefault(cell.unit, {})[cell.leaf] = mean_parts(values, trim)
            if len(cell.scores) > 1:
                for name, value in cell.scores:
                    shared_by.setdefault(name, []).append((cell, value, total))
    published = _ranks(compute_grouped(leaves, units, grouped, rules, satisfaction, scored))
    flagged = [e for e in entries if e.veto or e.not_applicable]
    shared = shared_cells(entries) if flagged else set()
    marked = {e.assessor for e in flagged if (e.unit, e.leaf) in shared}
    found = {}
    for done, name in enumerate(assessors):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(done, len(assessors))
        if name in marked:
            kept = [e for e in entries if e.assessor != name or (e.unit, e.leaf) not in shared]
            again = _ranks(compute_results(leaves, units, kept, rules, satisfaction))
        else:
            without = _without(scored, shared_by.get(name, []), name, trim)
            again = _ranks(compute_grouped(leaves, units, grouped, rules, satisfaction, without))
        found[name] = sum(1 for unit, rank in again.items() if rank != published[unit])
    return found


_Shared = tuple[Cell, Decimal, Decimal]  # a shared cell, one assessor's score, all added


def _without(
    scored: dict[str, dict[str, tuple[Decimal, int]]],
    shared: list[_Shared],
    name: str,
    trim: int,
) -> dict[str, dict[str, tuple[Decimal, int]]]:
    """The leaf scores with ``name`` left out of the ``shared`` cells they scored: the total
    less their score, or (where the rest are still trimmed) the engine's mean_parts again."""
    found = dict(scored)
    with decimal.localcontext(EXACT):
        for cell, value, total in shared:
            mine = found[cell.unit]
            if mine is scored[cell.unit]:
                mine = found[cell.unit] = dict(mine)
            rest = len(cell.scores) - 1
            if rest >= trim:
                mine[cell.leaf] = mean_parts([v for n, v in cell.scores if n != name], trim)
            else:
                mine[cell.leaf] = (total - value, rest)
    return found


def _ranks(result: RoundResult) -> dict[str, int]:
    return {r.unit: r.rank for r in result.units}
