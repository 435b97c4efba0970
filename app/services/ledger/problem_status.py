"""The status flow of a problem in the ledger: 待整改 → 整改中 → 待核验 → 已销号.

A problem is closed (销号) only by a passed verification; 退回 sends it back to 整改中; a 回头看
re-opens a closed one for a check. Every step is a ProblemEvent and a change-log record; the
other services that note something on a problem (registration, notices and their links,
reminders) build their events here too, so an event has one shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import Problem, ProblemEvent
from app.models.database import Database
from app.models.ledger import CLOSED, IN_PROGRESS, STATUSES, TO_DO, TO_VERIFY
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.ledger.problems import find_problem
from app.services.ledger.rectification_files import attach_to_event, check_evidence_before_closing

# Which status changes a plain "set status" may make (closing needs a verification).
ALLOWED = {
    TO_DO: {IN_PROGRESS, TO_VERIFY},
    IN_PROGRESS: {TO_DO, TO_VERIFY},
    TO_VERIFY: {IN_PROGRESS},
    CLOSED: set(),
}


def new_event(
    problem: Problem,
    kind: str,
    text: str,
    *,
    user: str,
    to_status: str = "",
    evidence: str = "",
) -> ProblemEvent:
    """One step in a problem's history; the status stays as it is unless ``to_status``."""
    return ProblemEvent(
        problem_id=problem.id,
        kind=kind,
        text=text,
        evidence=evidence,
        user=user,
        from_status=problem.status,
        to_status=to_status or problem.status,
    )


def record_event(
    session: Session,
    problem: Problem,
    kind: str,
    text: str,
    to_status: str = "",
    evidence: str = "",
) -> ProblemEvent:
    """A step with its status change and change-log record."""
    before = problem.status
    event = new_event(
        problem, kind, text, user=current_user(), to_status=to_status, evidence=evidence
    )
    session.add(event)
    if to_status:
        problem.status = to_status
    log_change(
        session,
        entity="整改问题",
        key=problem.number,
        action=kind,
        old=before,
        new=problem.status,
        reason=text,
        round_id=problem.round_id,
    )
    return event


def set_status(db: Database, number: str, status: str, reason: str) -> Changes:
    require(Permission.LEDGER)
    if status not in STATUSES:
        raise UserError(f"状态“{status}”无效；可选：{'、'.join(STATUSES)}")
    if not reason.strip():
        raise UserError("改变状态必须说明理由")
    with db.transaction() as session:
        problem = find_problem(session, number)
        if status == CLOSED:
            raise UserError(f"问题 {problem.number} 须经核验通过才能销号")
        if status not in ALLOWED[problem.status]:
            raise UserError(f"问题 {problem.number} 不能从“{problem.status}”改为“{status}”")
        record_event(session, problem, "状态", reason.strip(), to_status=status)
        return changes_of(session)


def report_progress(
    db: Database,
    number: str,
    text: str,
    evidence: str = "",
    done: bool = False,
    files: Sequence[str | Path] = (),
) -> Changes:
    """The unit's progress; ``done`` hands the problem to the office for verification;
    ``files``: its 整改佐证, checked and kept in the evidence store with the report."""
    require(Permission.LEDGER)
    if not text.strip():
        raise UserError("整改进展不能为空")
    with db.transaction() as session:
        problem = find_problem(session, number)
        if files and not evidence.strip():
            evidence = "、".join(Path(f).name for f in files)
        event = record_progress(session, problem, text, evidence, done)
        if files:
            session.flush()
            attach_to_event(session, db, problem, event, files)
        return changes_of(session)


def record_progress(
    session: Session, problem: Problem, text: str, evidence: str, done: bool
) -> ProblemEvent:
    if problem.status == CLOSED:
        raise UserError(f"问题 {problem.number} 已销号；如需复查请用“回头看”")
    target = TO_VERIFY if done else (IN_PROGRESS if problem.status == TO_DO else problem.status)
    return record_event(
        session, problem, "进展", text.strip(), to_status=target, evidence=evidence.strip()
    )


def verify(db: Database, number: str, passed: bool, reason: str) -> Changes:
    require(Permission.LEDGER)
    if not reason.strip():
        raise UserError("核验意见不能为空")
    with db.transaction() as session:
        problem = find_problem(session, number)
        if problem.status != TO_VERIFY:
            raise UserError(
                f"问题 {problem.number} 当前为“{problem.status}”，只有待核验的问题可以核验"
            )
        if passed:
            check_evidence_before_closing(session, problem)
            record_event(session, problem, "核验通过", reason.strip(), to_status=CLOSED)
        else:
            record_event(session, problem, "核验退回", reason.strip(), to_status=IN_PROGRESS)
        return changes_of(session)


def look_back(db: Database, number: str, reason: str) -> Changes:
    """回头看: a closed problem is re-opened for a check."""
    require(Permission.LEDGER)
    if not reason.strip():
        raise UserError("回头看须说明理由")
    with db.transaction() as session:
        problem = find_problem(session, number)
        if problem.status != CLOSED:
            raise UserError(f"问题 {problem.number} 尚未销号，无需回头看")
        record_event(session, problem, "回头看", reason.strip(), to_status=TO_VERIFY)
        return changes_of(session)
