"""The round's status flow 草稿 → 评分中 → 审核中 → 公示中 → 已发布, with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.errors import UserError
from app.models import ROUND_STATUSES, ChangeLog
from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Done, changes_of
from app.services.review.publication import PUBLICITY, publish, send_to_publicity
from app.services.review.publication_gate import GateReport
from app.services.rounds.definition import PUBLISHED, find_round, reopen_round


@dataclass(frozen=True)
class StatusStep:
    at: datetime
    user: str
    old: str | None
    new: str
    reason: str


def next_status(current: str) -> str | None:
    position = ROUND_STATUSES.index(current)
    return ROUND_STATUSES[position + 1] if position + 1 < len(ROUND_STATUSES) else None


def change_status(
    db: Database,
    round_name: str,
    target: str,
    reason: str = "",
    *,
    expected: str | None = None,
    override: bool = False,
    today: date | None = None,
    publicity_until: date | None = None,
) -> Done[GateReport | None]:
    """Forward one step at a time; back to any earlier status only with a reason.
    `expected` is the status the person saw: if the round has moved on since (a second click
    of a double-click), nothing happens, so one gesture moves one step at most.
    Into 公示中 and 已发布 the publication gate runs (app.services.review.publication); the report
    it ran is returned. Reopening goes through reopen_round. `publicity_until` sets the
    公示 end date as the round goes into 公示 (publication waits for it)."""
    require(Permission.MANAGE_ROUNDS)
    if target not in ROUND_STATUSES:
        raise UserError(f"未知状态“{target}”；可用：{'、'.join(ROUND_STATUSES)}")
    with db.reading() as session:
        current = find_round(session, round_name).status
    if expected is not None and current != expected:
        raise UserError(
            f"考核批次“{round_name}”已是“{current}”状态（不再是“{expected}”），本次未改动"
        )
    if target == current:
        raise UserError(f"考核批次“{round_name}”已经是“{current}”状态")
    forward = ROUND_STATUSES.index(target) > ROUND_STATUSES.index(current)
    if forward and target != next_status(current):
        raise UserError(
            f"状态只能逐级推进：“{current}”之后是“{next_status(current)}”，不能直接到“{target}”"
        )
    if not forward and not reason.strip():
        raise UserError(f"从“{current}”退回到“{target}”必须说明理由")
    if target == PUBLISHED:
        return publish(db, round_name, override_reason=reason if override else None, today=today)
    if publicity_until is not None:
        if target != PUBLICITY:
            raise UserError("公示截止日期只在推进到“公示中”时设定")
        if publicity_until < (today or date.today()):
            raise UserError(f"公示截止日期 {publicity_until} 已经过去")
    report = send_to_publicity(db, round_name, reason, today) if target == PUBLICITY else None
    changes = NOTHING
    if current == PUBLISHED:
        changes = reopen_round(db, round_name, reason)
        if target == RoundStatus.REVIEW:
            return Done(None, changes)
        current = RoundStatus.REVIEW
    with db.transaction() as session:
        round_ = find_round(session, round_name)
        round_.status = target
        if publicity_until is not None and publicity_until != round_.publication_due:
            log_change(
                session,
                entity="考核批次",
                key=round_name,
                action="公示期",
                old=round_.publication_due.isoformat() if round_.publication_due else None,
                new=publicity_until.isoformat(),
                round_id=round_.id,
            )
            round_.publication_due = publicity_until
        if report is not None and report.blocking:
            log_change(
                session,
                entity="考核批次",
                key=round_name,
                action="带问题进入公示",
                old=None,
                new=[item.as_json() for item in report.blocking],
                round_id=round_.id,
                reason=reason.strip(),
            )
        log_change(
            session,
            entity="考核批次",
            key=round_name,
            action="状态",
            old=current,
            new=target,
            round_id=round_.id,
            reason=reason.strip(),
        )
        changes |= changes_of(session)
    return Done(report, changes)


def status_history(db: Database, round_name: str) -> list[StatusStep]:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        records = session.scalars(
            select(ChangeLog)
            .where(ChangeLog.round_id == round_.id, ChangeLog.entity == "考核批次")
            .order_by(ChangeLog.id)
        )
        return [
            StatusStep(
                r.at,
                r.user,
                r.old if isinstance(r.old, str) else None,
                r.new if isinstance(r.new, str) else RoundStatus.SCORING,
                r.reason,
            )
            for r in records
            if r.action in ("状态", "重新打开", "新建")
        ]
