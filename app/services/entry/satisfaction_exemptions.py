"""Units excused from a round's satisfaction survey (满意度免测), e.g. those reviewed by 履职评议
instead: their final is their assessment score and they are complete without a survey value.
Every exemption and its withdrawal is logged with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import RoundUnit, SatisfactionExemption, Unit
from app.models.database import Database
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.names import StoredNames
from app.services.rounds.definition import find_round, writable_round
from app.services.rounds.participants import units_taking_part

ENTITY = "满意度免测"


@dataclass(frozen=True)
class Exemption:
    unit: str
    reason: str
    by: str

    def as_json(self) -> dict[str, str]:
        return {"unit": self.unit, "reason": self.reason, "by": self.by}


def exempt_unit(db: Database, round_name: str, unit: str, reason: str) -> Done[bool]:
    """Excuse ``unit`` from the survey; False when it already was (nothing written)."""
    require(Permission.MANAGE_ROUNDS)
    if not reason.strip():
        raise UserError("免于满意度测评须说明理由（例如：改由履职评议考核）")
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        if round_.satisfaction_weight is None:
            raise UserError(f"考核批次“{round_name}”不计满意度，无需设置免测")
        unit_id = _participant(session, round_.id, unit)
        found = session.scalar(
            select(SatisfactionExemption).where(
                SatisfactionExemption.round_id == round_.id,
                SatisfactionExemption.unit_id == unit_id,
            )
        )
        if found is not None:
            return Done(False, changes_of(session))
        session.add(
            SatisfactionExemption(
                round_id=round_.id,
                unit_id=unit_id,
                reason=reason.strip(),
                created_by=current_user(),
            )
        )
        log_change(
            session,
            entity=ENTITY,
            key=unit,
            action="免测",
            old=None,
            new="免于满意度测评",
            round_id=round_.id,
            reason=reason.strip(),
        )
        return Done(True, changes_of(session))


def withdraw_exemption(db: Database, round_name: str, unit: str, reason: str) -> Done[bool]:
    """Count the unit's survey again; False when it was not excused."""
    require(Permission.MANAGE_ROUNDS)
    if not reason.strip():
        raise UserError("取消满意度免测须说明理由")
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        unit_id = _participant(session, round_.id, unit)
        found = session.scalar(
            select(SatisfactionExemption).where(
                SatisfactionExemption.round_id == round_.id,
                SatisfactionExemption.unit_id == unit_id,
            )
        )
        if found is None:
            return Done(False, changes_of(session))
        old_reason = found.reason
        session.delete(found)
        log_change(
            session,
            entity=ENTITY,
            key=unit,
            action="取消免测",
            old=f"免于满意度测评（{old_reason}）",
            new=None,
            round_id=round_.id,
            reason=reason.strip(),
        )
        return Done(True, changes_of(session))


def list_exemptions(db: Database, round_name: str) -> list[Exemption]:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        return [Exemption(e.unit.name, e.reason, e.created_by) for e in round_.exemptions]


def _participant(session: Session, round_id: int, unit: str) -> int:
    in_round = units_taking_part(session, round_id)
    stored = StoredNames(in_round).find(unit.strip())
    unit_id = None if stored is None else in_round[stored]
    if unit_id is None:
        raise NotFound(f"单位“{unit}”不是本考核批次的考核对象")
    return unit_id


def exemption_choices(db: Database, round_name: str) -> list[str]:
    """The round's units that take part in the survey (may be excused), in the round's order."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        excused = {e.unit_id for e in round_.exemptions}
        return list(
            session.scalars(
                select(Unit.name)
                .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                .where(RoundUnit.round_id == round_.id, RoundUnit.unit_id.not_in(excused))
                .order_by(RoundUnit.sort_order)
            )
        )
