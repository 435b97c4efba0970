"""How far each round still in progress has got, for the home page: units, what nobody has
scored yet, and the present stage's deadline. Computing a round's results takes a moment per
round, so the window asks for this off its GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.models.database import Database
from app.services.review.results import compute_round_results
from app.services.rounds.definition import PUBLISHED, list_rounds, stage_deadline


@dataclass(frozen=True)
class RoundProgress:
    name: str
    status: str
    units: int
    unscored: int  # applicable 得分/是否/分档 leaves nobody scored, over all units
    units_done: int
    deadline: str = ""  # the date the round's present stage ends, e.g. "评分截止 2026-12-20"
    overdue: bool = False


def rounds_in_progress(db: Database, today: date) -> list[RoundProgress]:
    """Every round not yet published, in the order the round list shows them."""
    progress = []
    for info in list_rounds(db):
        if info.status == PUBLISHED:
            continue
        units = compute_round_results(db, info.name).result.units
        deadline, passed = stage_deadline(info, today)
        progress.append(
            RoundProgress(
                info.name,
                info.status,
                len(units),
                sum(u.missing for u in units),
                sum(1 for u in units if u.missing == 0),
                deadline,
                passed,
            )
        )
    return progress
