"""Publishing a round through the gate: only from 公示中, refused while anything blocks, and an
administrator's override kept in the change log with every item it overrode."""

from __future__ import annotations

from datetime import date

from app.errors import UserError
from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done
from app.services.review.publication_gate import PUBLICATION_RUNNING, GateReport, check_round
from app.services.rounds.definition import PUBLISHED, find_round, mark_published

PUBLICITY = RoundStatus.PUBLICITY


class PublicationBlocked(UserError):
    """The gate found blocking items; the report says which."""

    def __init__(self, report: GateReport, doing: str) -> None:
        self.report = report
        lines = report.summary()
        super().__init__(
            f"考核批次“{report.round_name}”还有 {len(report.blocking)} 项问题，不能{doing}：\n"
            + "\n".join(lines)
        )


def publish(
    db: Database,
    round_name: str,
    *,
    override_reason: str | None = None,
    today: date | None = None,
) -> Done[GateReport]:
    """Publish from 公示中 when the check is clear; with override_reason (管理员 only) publish
    anyway and record what was overridden. Returns the check it published on."""
    require(Permission.MANAGE_ROUNDS)
    with db.reading() as session:
        status = find_round(session, round_name).status
    if status == PUBLISHED:
        raise UserError(f"考核批次“{round_name}”已经发布")
    if status != PUBLICITY:
        raise UserError(
            f"考核批次“{round_name}”当前为“{status}”：只能在“{PUBLICITY}”之后发布，请逐级推进"
        )
    report = check_round(db, round_name, today)
    if report.blocking:
        if override_reason is None:
            raise PublicationBlocked(report, "发布")
        require(Permission.PUBLISH_OVERRIDE)
        if not override_reason.strip():
            raise UserError("越过发布检查必须说明理由")
    changes = mark_published(db, round_name, after=_override_record(report, override_reason))
    return Done(report, changes)


def _override_record(report: GateReport, reason: str | None):
    """What mark_published logs beside the status change when blocking items were overridden."""
    if not report.blocking or reason is None:
        return None

    def record(session, round_id: int) -> None:
        log_change(
            session,
            entity="考核批次",
            key=report.round_name,
            action="越过发布检查",
            old=None,
            new=[item.as_json() for item in report.blocking],
            round_id=round_id,
            reason=reason.strip(),
        )

    return record


def publicity_check(db: Database, round_name: str, today: date | None = None) -> GateReport:
    """The check as it stands for the step into 公示: the 公示 period is what this step
    starts, so it never blocks going into it."""
    report = check_round(db, round_name, today)
    report.blocking[:] = [item for item in report.blocking if item.kind != PUBLICATION_RUNNING]
    return report


def send_to_publicity(
    db: Database, round_name: str, reason: str = "", today: date | None = None
) -> GateReport:
    """审核中 → 公示中 runs the same check: blocking items are shown and the step needs a
    reason to go ahead (公示 is where units may still object), recorded with the items."""
    report = publicity_check(db, round_name, today)
    if report.blocking and not reason.strip():
        raise PublicationBlocked(report, f"进入“{PUBLICITY}”（如确需公示，请说明理由）")
    return report
