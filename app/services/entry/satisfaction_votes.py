"""The vote counts a round's satisfaction scores were computed from, for showing beside them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import SatisfactionResult, Unit
from app.models.database import Database
from app.services.rounds.definition import find_round


def satisfaction_votes(db: Database, round_name: str) -> dict[str, dict[str, Any]]:
    """unit -> {"满意": n, "基本满意": n, "不满意": n, "权重": [...]} where votes were imported."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        return {
            unit: votes
            for unit, votes in session.execute(
                select(Unit.name, SatisfactionResult.votes)
                .join(Unit, Unit.id == SatisfactionResult.unit_id)
                .where(SatisfactionResult.round_id == round_.id)
            )
            if votes
        }
