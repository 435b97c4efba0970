"""Scores kept at each stage of a round (初评 when the preliminary results go out, 复核后 after
objections are reviewed), so what changed in review stays visible."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Round
from app.models.database import Database
from app.models.review import StageScore
from app.scoring.calculation import two
from app.scoring.engine import compute_results, unit_leaf_scores
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import RoundData, load_round_data
from app.services.rounds.rules_storage import rules_of


def _unit(data: RoundData, name: str):  # type: ignore[no-untyped-def]
    return next(u for u in data.units if u.name == name)


def leaf_score(session: Session, round_: Round, unit: str, leaf: str) -> Fraction | None:
    """A leaf's score for a unit as the totals count it now (None: 不适用)."""
    return leaf_scores(session, round_, unit).get(leaf)


def leaf_scores(session: Session, round_: Round, unit: str) -> dict[str, Fraction | None]:
    """Every leaf's score for a unit, read once (None: 不适用 or not scored): a file of many
    objections need not read the round again for each."""
    data = load_round_data(session, round_)
    scores = unit_leaf_scores(data.leaves, _unit(data, unit), data.entries, rules_of(round_))
    return {
        code: None if found.state == "不适用" else found.value for code, found in scores.items()
    }


def take_stage(
    session: Session,
    round_: Round,
    stage: str,
    *,
    units: list[str] | None = None,
    keep_existing: bool = False,
) -> int:
    """Store each unit's final and leaf scores under ``stage``; ``keep_existing`` leaves a
    stage already taken as it was (the 初评 is taken once)."""
    data = load_round_data(session, round_)
    rules = rules_of(round_)
    result = compute_results(data.leaves, data.units, data.entries, rules, data.satisfaction)
    finals = {u.unit: u.final for u in result.units}
    existing = {
        s.unit_id: s
        for s in session.scalars(
            select(StageScore).where(StageScore.round_id == round_.id, StageScore.stage == stage)
        )
    }
    taken = 0
    for unit in data.units:
        if units is not None and unit.name not in units:
            continue
        unit_id = data.unit_ids[unit.name]
        if keep_existing and unit_id in existing:
            continue
        leaves = {
            code: "不适用" if s.state == "不适用" else two(s.value)
            for code, s in unit_leaf_scores(data.leaves, unit, data.entries, rules).items()
        }
        row = existing.get(unit_id)
        if row is None:
            session.add(
                StageScore(
                    round_id=round_.id,
                    unit_id=unit_id,
                    stage=stage,
                    final=finals[unit.name],
                    leaves=leaves,
                )
            )
        else:
            row.final, row.leaves = finals[unit.name], leaves
        taken += 1
    return taken


def stage_finals(db: Database, round_name: str) -> dict[str, dict[str, Decimal]]:
    """stage -> unit -> final, for showing 初评 and 复核后 beside today's result."""
    from app.models import Unit

    with db.reading() as session:
        round_ = find_round(session, round_name)
        found: dict[str, dict[str, Decimal]] = {}
        for stage, unit, final in session.execute(
            select(StageScore.stage, Unit.name, StageScore.final)
            .join(Unit, Unit.id == StageScore.unit_id)
            .where(StageScore.round_id == round_.id)
        ):
            found.setdefault(stage, {})[unit] = final
        return found
