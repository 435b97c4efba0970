"""结果稳健性 of a round: the Monte Carlo and the areas left out, as JSON and in words."""

from __future__ import annotations

from typing import Any

from app.models.database import Database
from app.scoring.analysis.robustness import (
    DROPOUT,
    SATISFACTION,
    TRIMMING,
    WEIGHTS,
    RobustnessOptions,
    RobustnessResult,
    analyse_robustness,
)
from app.services.analysis.round_inputs import RoundInputs, figure, percent, read_round
from app.services.progress import Cancelled, Progress

FACTOR_WORDS = {
    WEIGHTS: "各一级指标权重",
    DROPOUT: "个别考核组缺评",
    TRIMMING: "是否去掉最高最低分",
    SATISFACTION: "满意度权重",
}


def round_robustness(
    db: Database,
    round_name: str,
    options: RobustnessOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[RoundInputs, RobustnessResult]:
    inputs = read_round(db, round_name)
    data = inputs.data
    result = analyse_robustness(
        data.leaves,
        data.units,
        data.entries,
        inputs.rules,
        data.satisfaction,
        options or RobustnessOptions(),
        progress,
        cancelled,
    )
    return inputs, result


def robustness_json(inputs: RoundInputs, r: RobustnessResult) -> dict[str, Any]:
    """Figures as strings to 2 places; shares ("grade_kept", …) in percent."""
    from app.services.analysis.words import robustness_sentences

    o = r.options
    return {
        "round": inputs.name,
        "runs": r.runs_done,
        "seed": o.seed,
        "cancelled": r.cancelled,
        "options": {
            "weights": figure(o.weight_spread),
            "dropout": o.dropout,
            "trimming": o.trimming,
            "satisfaction": figure(o.satisfaction_spread),
        },
        "varied": list(r.varied),
        "model_agrees": r.model_agrees,
        "mean_shift": figure(r.mean_shift),
        "units": [
            {
                "unit": u.unit,
                "category": u.category,
                "rank": u.nominal_rank,
                "median_rank": u.median_rank,
                "interval": [u.low_rank, u.high_rank],
                "grade": u.grade,
                "grade_kept": percent(u.grade_kept),
                "bottom": u.bottom,
                "bottom_kept": percent(u.bottom_kept),
                "mean_shift": figure(u.mean_shift),
                "sensitive": u.sensitive,
            }
            for u in r.units
        ],
        "sensitive": [u.unit for u in r.sensitive],
        "left_out": {
            a.area: {
                "name": inputs.data.area_names.get(a.area, ""),
                "mean_shift": figure(a.mean_shift),
                "grades_changed": list(a.grades_changed),
                "rank_changes": a.rank_changes,
            }
            for a in r.left_out
        },
        "factors": {
            f.factor: {
                "runs": f.runs,
                "mean_shift": figure(f.mean_shift),
                "units_changed": f.units_changed,
            }
            for f in r.factors
        },
        "main_factor": r.main_factor,
        "main_area": r.main_area,
        "sentences": robustness_sentences(inputs, r),
    }
