"""How robust each rank is (结果稳健性): a seeded Monte Carlo over what an office could
reasonably have chosen differently — area weights, one assessor left out, trimming, the survey's
weight — and each area left out in turn (after the OECD/JRC handbook and COINr).

The nominal ranks and grades are the exact engine's (the published ones); the runs use the
floating-point ScoreModel, checked to reproduce the nominal standings first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from app.scoring.analysis.cells import round_cells
from app.scoring.analysis.score_model import ScoreModel, build_model
from app.scoring.analysis.standings import Standings, standings
from app.scoring.engine import compute_results
from app.scoring.types import Entry, Leaf, Rules, Unit

if TYPE_CHECKING:
    import numpy as np

CHUNK = 200  # runs ranked at once (R × U × U comparisons stay small)
WEIGHTS, DROPOUT, TRIMMING, SATISFACTION = "weights", "dropout", "trimming", "satisfaction"


@dataclass(frozen=True, slots=True)
class RobustnessOptions:
    runs: int = 1000
    seed: int = 2025
    weight_spread: float = 0.2  # each area's points × U(1 − X, 1 + X); 0: fixed
    dropout: bool = True  # each run leaves out one assessor where a cell has several
    trimming: bool = True  # each run trims (the round's rule) or not, half and half
    satisfaction_spread: float = 0.05  # the survey weight ± this; 0: fixed
    sensitive_share: float = 0.10  # grade or flag changing in more runs than this: 名次敏感


@dataclass(frozen=True, slots=True)
class UnitRobustness:
    unit: str
    category: str
    nominal_rank: int
    grade: str
    bottom: bool
    median_rank: int
    low_rank: int  # 5th percentile (the best ranks)
    high_rank: int  # 95th percentile
    grade_kept: float  # share of runs keeping the nominal grade
    bottom_kept: float  # share of runs keeping the nominal 排名靠后 flag
    mean_shift: float  # mean |rank − nominal| over the runs
    sensitive: bool


@dataclass(frozen=True, slots=True)
class AreaLeftOut:
    """The ranks with one area left out (the others keep their points, full marks stay)."""

    area: str
    rank_changes: dict[str, int]  # unit -> nominal rank − rank without the area (+: moves up)
    mean_shift: float
    grades_changed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorEffect:
    """One assumption varied alone: how much the ranks move and how many grades or flags."""

    factor: str
    runs: int
    mean_shift: float
    units_changed: int  # units whose grade or flag changes in more than the sensitive share


@dataclass
class RobustnessResult:
    options: RobustnessOptions
    runs_done: int
    cancelled: bool
    units: list[UnitRobustness]  # in the published order
    mean_shift: float
    varied: tuple[str, ...]  # the assumptions that actually varied (some may have nothing to do)
    model_agrees: bool  # the float model's nominal standings equal the engine's
    left_out: list[AreaLeftOut] = field(default_factory=list)
    factors: list[FactorEffect] = field(default_factory=list)
    main_factor: str | None = None  # WEIGHTS / DROPOUT / … behind most sensitive units
    main_area: str | None = None  # the area whose weight moves the sensitive units most

    @property
    def sensitive(self) -> list[UnitRobustness]:
        return [u for u in self.units if u.sensitive]


@dataclass
class _Draws:
    config: np.ndarray
    weights: np.ndarray
    satisfaction: np.ndarray | None

    def part(self, runs: slice) -> _Draws:
        survey = None if self.satisfaction is None else self.satisfaction[runs]
        return _Draws(self.config[runs], self.weights[runs], survey)


def analyse_robustness(
    leaves: Sequence[Leaf],
    units: Sequence[Unit],
    entries: Sequence[Entry],
    rules: Rules,
    satisfaction: dict[str, Decimal],
    options: RobustnessOptions = RobustnessOptions(),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RobustnessResult:
    import numpy as np

    exact = compute_results(leaves, units, entries, rules, satisfaction)
    by_name = {r.unit: r for r in exact.units}
    order = [by_name[u.name] for u in units]
    nominal_rank = np.array([r.rank for r in order])
    nominal_grade = np.array(
        [[b.name for b in rules.bands_for(r.category)].index(r.grade) for r in order]
    )
    nominal_bottom = np.array([r.bottom for r in order])
    model = build_model(leaves, units, round_cells(leaves, units, entries), rules, satisfaction)
    nominal = _run(model, _nominal_draws(model, rules, 1), units, rules)
    agrees = bool(
        (nominal.rank[0] == nominal_rank).all()
        and (nominal.grade[0] == nominal_grade).all()
        and (nominal.bottom[0] == nominal_bottom).all()
    )
    varied = _varied(model, rules, options)
    draws = _draw(model, rules, options, options.runs, options.seed, varied)
    ranks, grades, bottoms, done = [], [], [], 0
    total = options.runs
    was_cancelled = False
    for start in range(0, total, CHUNK):
        if cancelled is not None and cancelled():
            was_cancelled = True
            break
        part = slice(start, min(total, start + CHUNK))
        s = _run(model, draws.part(part), units, rules)
        ranks.append(s.rank)
        grades.append(s.grade)
        bottoms.append(s.bottom)
        done = part.stop
        if progress is not None:
            progress(done, total)
    rank = np.concatenate(ranks) if ranks else np.empty((0, len(units)), dtype=np.int64)
    grade_kept = (np.concatenate(grades) == nominal_grade).mean(axis=0) if done else None
    bottom_kept = (np.concatenate(bottoms) == nominal_bottom).mean(axis=0) if done else None
    result_units: list[UnitRobustness] = []
    shifts = np.abs(rank - nominal_rank)
    if done:
        low, median, high = np.quantile(rank, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    limit = 1 - options.sensitive_share
    for i, r in enumerate(order):
        kept_grade = float(grade_kept[i]) if grade_kept is not None else 1.0
        kept_bottom = float(bottom_kept[i]) if bottom_kept is not None else 1.0
        result_units.append(
            UnitRobustness(
                unit=r.unit,
                category=r.category,
                nominal_rank=r.rank,
                grade=r.grade,
                bottom=r.bottom,
                median_rank=int(median[i]) if done else r.rank,
                low_rank=int(low[i]) if done else r.rank,
                high_rank=int(high[i]) if done else r.rank,
                grade_kept=kept_grade,
                bottom_kept=kept_bottom,
                mean_shift=float(shifts[:, i].mean()) if done else 0.0,
                sensitive=kept_grade < limit or kept_bottom < limit,
            )
        )
    result_units.sort(key=lambda u: [r.unit for r in exact.units].index(u.unit))
    result = RobustnessResult(
        options=options,
        runs_done=done,
        cancelled=was_cancelled,
        units=result_units,
        mean_shift=float(shifts.mean()) if done else 0.0,
        varied=varied,
        model_agrees=agrees,
    )
    if was_cancelled:
        return result
    result.left_out = _left_out(model, units, rules, order, nominal_rank, nominal_grade)
    result.factors = [
        _factor_effect(model, units, rules, options, factor, nominal_rank, nominal_grade,
                       nominal_bottom)
        for factor in varied
    ]  # fmt: skip
    _name_main_cause(result, model, draws, rank, units)
    return result


def _varied(model: ScoreModel, rules: Rules, options: RobustnessOptions) -> tuple[str, ...]:
    """The assumptions switched on that can change anything in this round."""
    found = []
    if options.weight_spread > 0 and len(model.areas) > 1:
        found.append(WEIGHTS)
    if options.dropout and model.droppable:
        found.append(DROPOUT)
    trims = model.earned[model.config_index(None, True)] != model.earned[
        model.config_index(None, False)]  # fmt: skip
    if options.trimming and trims.any():
        found.append(TRIMMING)
    if options.satisfaction_spread > 0 and rules.satisfaction_weight is not None:
        found.append(SATISFACTION)
    return tuple(found)


def _nominal_draws(model: ScoreModel, rules: Rules, runs: int) -> _Draws:
    import numpy as np

    weight = rules.satisfaction_weight
    return _Draws(
        np.full(runs, model.config_index(None, True)),
        np.ones((runs, len(model.areas))),
        None if weight is None else np.full(runs, float(weight)),
    )


def _draw(
    model: ScoreModel,
    rules: Rules,
    options: RobustnessOptions,
    runs: int,
    seed: int,
    varied: Sequence[str],
) -> _Draws:
    """Every run's assumptions, drawn up front in a fixed order so a seed gives the same runs
    whatever is switched off."""
    import numpy as np

    rng = np.random.default_rng(seed)
    spread = options.weight_spread
    factors = rng.uniform(1 - spread, 1 + spread, size=(runs, len(model.areas)))
    trim = rng.random(runs) < 0.5
    dropped = rng.integers(0, max(1, len(model.droppable)), size=runs)
    delta = rng.uniform(-1, 1, size=runs) * options.satisfaction_spread
    draws = _nominal_draws(model, rules, runs)
    if WEIGHTS in varied:
        draws.weights = factors
    trims = trim if TRIMMING in varied else np.ones(runs, dtype=bool)
    if DROPOUT in varied:
        names = [model.config_index(name, True) for name in model.droppable]
        draws.config = np.array(names)[dropped] + np.where(trims, 0, 1)
    else:
        draws.config = np.where(trims, 0, 1)  # configs 0 and 1: nobody left out
    if SATISFACTION in varied and draws.satisfaction is not None:
        draws.satisfaction = np.clip(draws.satisfaction + delta, 0, 1)
    return draws


def _run(model: ScoreModel, draws: _Draws, units: Sequence[Unit], rules: Rules) -> Standings:
    cap = None if rules.bonus_cap is None else float(rules.bonus_cap)
    finals = model.finals(draws.config, draws.weights, draws.satisfaction, cap)
    return standings(finals, units, model.veto, rules)


def _left_out(
    model: ScoreModel,
    units: Sequence[Unit],
    rules: Rules,
    order: Sequence,
    nominal_rank: np.ndarray,
    nominal_grade: np.ndarray,
) -> list[AreaLeftOut]:
    import numpy as np

    n = len(model.areas)
    if n < 2:
        return []
    draws = _nominal_draws(model, rules, n)
    draws.weights = 1 - np.eye(n)
    s = _run(model, draws, units, rules)
    found = []
    for a, area in enumerate(model.areas):
        change = nominal_rank - s.rank[a]
        found.append(
            AreaLeftOut(
                area=area,
                rank_changes={r.unit: int(change[i]) for i, r in enumerate(order)},
                mean_shift=float(np.abs(change).mean()),
                grades_changed=tuple(
                    r.unit for i, r in enumerate(order) if s.grade[a, i] != nominal_grade[i]
                ),
            )
        )
    return found


def _factor_effect(
    model: ScoreModel,
    units: Sequence[Unit],
    rules: Rules,
    options: RobustnessOptions,
    factor: str,
    nominal_rank: np.ndarray,
    nominal_grade: np.ndarray,
    nominal_bottom: np.ndarray,
) -> FactorEffect:
    """The same Monte Carlo with this assumption alone varied (a quarter of the runs)."""
    runs = max(50, min(options.runs, 1000) // 4)
    draws = _draw(model, rules, options, runs, options.seed + 1, (factor,))
    s = _run(model, draws, units, rules)
    changed = ((s.grade != nominal_grade) | (s.bottom != nominal_bottom)).mean(axis=0)
    return FactorEffect(
        factor=factor,
        runs=runs,
        mean_shift=float(abs(s.rank - nominal_rank).mean()),
        units_changed=int((changed > options.sensitive_share).sum()),
    )


def _name_main_cause(
    result: RobustnessResult,
    model: ScoreModel,
    draws: _Draws,
    rank: np.ndarray,
    units: Sequence[Unit],
) -> None:
    """The factor that alone changes the most grades (then moves ranks most), and the area
    whose weight goes most with the sensitive units' ranks across the runs."""
    import numpy as np

    if result.factors:
        top = max(result.factors, key=lambda f: (f.units_changed, f.mean_shift))
        result.main_factor = top.factor if top.mean_shift > 0 else None
    if WEIGHTS not in result.varied or not result.runs_done:
        return
    names = [u.name for u in units]
    chosen = [names.index(u.unit) for u in result.sensitive] or list(range(len(units)))
    weights = draws.weights[: rank.shape[0]]
    strength = np.zeros(len(model.areas))
    for i in chosen:
        column = rank[:, i].astype(float)
        if column.std() == 0:
            continue
        for a in range(len(model.areas)):
            strength[a] += abs(np.corrcoef(weights[:, a], column)[0, 1])
    if strength.any():
        result.main_area = model.areas[int(strength.argmax())]
