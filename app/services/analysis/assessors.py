"""评分一致性 of a round: α overall, by area and leaf, each assessor's leniency and what
leaving them out would change, as JSON and in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models.database import Database
from app.scoring.analysis.agreement import (
    AgreementResult,
    Alpha,
    analyse_agreement,
    ranks_changed_without,
)
from app.scoring.analysis.cells import round_cells
from app.services.analysis.round_inputs import RoundInputs, figure, percent, read_round
from app.services.progress import Cancelled, Progress

DEFAULT_THRESHOLD = 0.05  # leniency beyond 5 % of a leaf's points is flagged 偏宽/偏严


@dataclass
class AssessorAnalysis:
    agreement: AgreementResult
    ranks_changed: dict[str, int]  # assessor -> units whose rank changes without them
    threshold: float
    cancelled: bool = False  # stopped before every assessor was left out in turn


def round_assessors(
    db: Database,
    round_name: str,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 2025,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[RoundInputs, AssessorAnalysis]:
    """Steps reported: reading, α and leniency, then each assessor left out in turn."""
    inputs = read_round(db, round_name)
    data = inputs.data
    cells = round_cells(data.leaves, data.units, data.entries).cells
    if progress is not None:
        progress(1, 3)
    agreement = analyse_agreement(cells, threshold=threshold, seed=seed)
    names = [a.assessor for a in agreement.assessors]
    steps = 2 + len(names)

    def rerun(done: int, _total: int) -> None:
        if progress is not None:
            progress(2 + done, steps)

    changed = ranks_changed_without(
        data.leaves, data.units, data.entries, inputs.rules, data.satisfaction, names,
        rerun, cancelled, cells,
    )  # fmt: skip
    if progress is not None and len(changed) == len(names):
        progress(steps, steps)
    return inputs, AssessorAnalysis(agreement, changed, threshold, len(changed) < len(names))


def _alpha(a: Alpha) -> dict[str, Any]:
    return {
        "alpha": None if a.value is None else figure(a.value),
        "interval": None if a.interval is None else [figure(x) for x in a.interval],
        "cells": a.cells,
    }


def assessors_json(inputs: RoundInputs, x: AssessorAnalysis) -> dict[str, Any]:
    """α to 2 places; leniency in points, leniency_rate in percent of the leaf's points."""
    from app.services.analysis.words import assessor_sentences

    g = x.agreement
    return {
        "round": inputs.name,
        "alpha": {
            "overall": None if g.overall.value is None else figure(g.overall.value),
            "interval": None
            if g.overall.interval is None
            else [figure(v) for v in g.overall.interval],
            "cells": g.overall.cells,
            "areas": {code: _alpha(a) for code, a in g.areas.items()},
            "leaves": {code: _alpha(a) for code, a in g.leaves.items()},
        },
        "threshold": percent(x.threshold),
        "cancelled": x.cancelled,
        "assessors": [
            {
                "assessor": a.assessor,
                "cells": a.cells,
                "leniency": figure(a.points),
                "leniency_rate": percent(a.rate),
                "interval": [figure(v) for v in a.interval],
                "flag": a.flag,
                "ranks_changed_without": x.ranks_changed.get(a.assessor),  # None: cancelled
            }
            for a in g.assessors
        ],
        "disagreements": [
            {
                "unit": d.unit,
                "leaf": d.leaf,
                "name": inputs.leaf_names.get(d.leaf, ""),
                "spread": figure(d.spread),
                "scores": {name: figure(v) for name, v in d.scores},
            }
            for d in g.disagreements
        ],
        "sentences": assessor_sentences(inputs, x),
    }
