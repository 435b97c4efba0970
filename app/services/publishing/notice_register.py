"""The register of notices issued: listing them, and withdrawing one with a reason (the only
change a notice ever takes; its number is never given again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.errors import NotFound, UserError
from app.models import Notice, Unit
from app.models.database import Database
from app.models.notices import NOTICE_ISSUED, NOTICE_WITHDRAWN
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of


@dataclass(frozen=True)
class NoticeInfo:
    number: str
    kind: str
    unit: str
    round_name: str | None
    issued_on: date
    plan_due: date | None
    result_due: date | None
    status: str
    withdraw_reason: str
    pdf_name: str
    pdf_sha256: str


def list_notices(db: Database) -> list[NoticeInfo]:
    from app.models import Round

    with db.reading() as session:
        rows = session.execute(
            select(Notice, Unit.name, Round.name)
            .join(Unit, Unit.id == Notice.unit_id)
            .outerjoin(Round, Round.id == Notice.round_id)
            .order_by(Notice.issued_on, Notice.kind, Notice.serial)
        ).all()
        return [
            NoticeInfo(
                n.number,
                n.kind,
                unit,
                round_name,
                n.issued_on,
                n.plan_due,
                n.result_due,
                n.status,
                n.withdraw_reason,
                n.pdf_name,
                n.pdf_sha256,
            )
            for n, unit, round_name in rows
        ]


def withdraw_notice(db: Database, number: str, reason: str) -> Changes:
    require(Permission.DOCUMENTS)
    if not reason.strip():
        raise UserError("撤回文书必须说明理由")
    with db.transaction() as session:
        notice = session.scalar(select(Notice).where(Notice.number == number.strip()))
        if notice is None:
            raise NotFound(f"没有文号为“{number}”的文书")
        if notice.status == NOTICE_WITHDRAWN:
            raise UserError(f"文书“{number}”已于此前撤回")
        notice.status = NOTICE_WITHDRAWN
        notice.withdraw_reason = reason.strip()
        log_change(
            session,
            entity="文书",
            key=notice.number,
            action="撤回",
            old=NOTICE_ISSUED,
            new=NOTICE_WITHDRAWN,
            reason=reason.strip(),
            round_id=notice.round_id,
        )
        return changes_of(session)
