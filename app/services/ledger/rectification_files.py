"""整改佐证: the files a unit's progress report on a ledger problem carries, kept in the evidence
store; and the office's rule that a problem is closed (销号) only when its rectification came
with evidence (a setting, off unless the office turns it on)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import EvidenceFile, OfficeSetting, Problem, ProblemEvent, ProblemEventFile
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.evidence.loose_files import AttachedFile, attached, store_files
from app.services.ledger.problems import find_problem

SETTINGS_KEY = "ledger"
REOPENING = ("核验退回", "回头看")  # after these, the rectification is shown anew


def evidence_required_in(session: Session) -> bool:
    stored = session.get(OfficeSetting, SETTINGS_KEY)
    return bool(stored and stored.value.get("evidence_required"))


def evidence_required(db: Database) -> bool:
    with db.reading() as session:
        return evidence_required_in(session)


def set_evidence_required(db: Database, required: bool) -> Changes:
    """Whether 销号 needs 整改佐证 (a file with a progress report since the problem was last
    sent back or re-opened)."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        before = evidence_required_in(session)
        if before == required:
            return changes_of(session)
        stored = session.get(OfficeSetting, SETTINGS_KEY)
        if stored is None:
            session.add(OfficeSetting(key=SETTINGS_KEY, value={"evidence_required": required}))
        else:
            stored.value = {**stored.value, "evidence_required": required}
        log_change(
            session, entity="设置", key="销号须有整改佐证", action="修改", old=before, new=required
        )
        return changes_of(session)


def attach_to_event(
    session: Session,
    db: Database,
    problem: Problem,
    event: ProblemEvent,
    paths: Sequence[str | Path],
) -> None:
    for name, file in store_files(session, content_store(db), paths):
        session.add(
            ProblemEventFile(event_id=event.id, file_id=file.id, name=name, added_by=current_user())
        )
        log_change(
            session,
            entity="整改佐证",
            key=f"{problem.number}/{name}",
            action="新增",
            old=None,
            new={"SHA-256": file.sha256, "大小": file.size},
            round_id=problem.round_id,
        )


def check_evidence_before_closing(session: Session, problem: Problem) -> None:
    """Refused (UserError) when the office requires 整改佐证 and no progress report since the
    problem was last sent back or re-opened carried a file."""
    if not evidence_required_in(session):
        return
    events = list(
        session.scalars(
            select(ProblemEvent)
            .where(ProblemEvent.problem_id == problem.id)
            .order_by(ProblemEvent.id)
        )
    )
    since = max((i for i, e in enumerate(events) if e.kind in REOPENING), default=-1)
    reports = [e.id for e in events[since + 1 :] if e.kind == "进展"]
    if reports and session.scalar(
        select(ProblemEventFile.id).where(ProblemEventFile.event_id.in_(reports)).limit(1)
    ):
        return
    raise UserError(
        f"问题 {problem.number} 尚无整改佐证：考核办要求销号前须有附文件的整改进展，"
        "请先登记附有整改佐证的进展"
    )


def problem_files(db: Database, number: str) -> dict[int, list[AttachedFile]]:
    """The files of each progress report of a problem, by the event's id."""
    require(Permission.VIEW)
    with db.reading() as session:
        problem = find_problem(session, number)
        rows = session.execute(
            select(ProblemEventFile, EvidenceFile)
            .join(EvidenceFile, EvidenceFile.id == ProblemEventFile.file_id)
            .join(ProblemEvent, ProblemEvent.id == ProblemEventFile.event_id)
            .where(ProblemEvent.problem_id == problem.id)
            .order_by(ProblemEventFile.id)
        ).all()
        found: dict[int, list[AttachedFile]] = {}
        for f, e in rows:
            found.setdefault(f.event_id, []).append(attached(f.name, e, f.added_by, f.added_at))
        return found
