"""The units taking part in a round, by their stored names: what every import and review
matches a name against (through StoredNames, so a sheet's "(" finds the stored "（")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import RoundUnit, Unit


def units_taking_part(session: Session, round_id: int) -> dict[str, int]:
    """Unit name → unit id, for the round's participants only."""
    return dict(
        session.execute(
            select(Unit.name, Unit.id)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_id)
        ).all()
    )
