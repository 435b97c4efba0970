"""A round's review settings: the spread between assessors that flags a cell for review."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.errors import UserError
from app.models.database import Database
from app.models.review import DEFAULT_DISAGREEMENT, ReviewSettings
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.rounds.definition import find_round, writable_round


def disagreement_fraction(db: Database, round_name: str) -> Decimal:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        found = session.scalar(
            select(ReviewSettings.disagreement_fraction).where(ReviewSettings.round_id == round_.id)
        )
        return found if found is not None else DEFAULT_DISAGREEMENT


def set_disagreement_fraction(db: Database, round_name: str, fraction: Decimal) -> Changes:
    """E.g. 0.3: assessors more than 30 % of the leaf's points apart are flagged."""
    require(Permission.MANAGE_ROUNDS)
    if not Decimal(0) < fraction <= Decimal(1):
        raise UserError(f"分歧阈值应在 0 到 1 之间（如 0.3），而不是 {fraction}")
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        row = session.scalar(select(ReviewSettings).where(ReviewSettings.round_id == round_.id))
        old = row.disagreement_fraction if row is not None else DEFAULT_DISAGREEMENT
        if row is None:
            session.add(ReviewSettings(round_id=round_.id, disagreement_fraction=fraction))
        else:
            row.disagreement_fraction = fraction
        log_change(
            session,
            entity="复核设置",
            key=round_name,
            action="修改",
            old={"分歧阈值": str(old)},
            new={"分歧阈值": str(fraction)},
            round_id=round_.id,
        )
        return changes_of(session)
