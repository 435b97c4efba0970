"""A problem and the notice that covers it: the notice's 文号 and deadlines on the problem,
whichever came first — issuing links the unit's problems already registered, registering
links the notice already issued for the unit and round. Either way one "通知" step per problem
and one change-log record per notice, so both orders leave the same ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Notice, Problem
from app.models.ledger import CLOSED
from app.models.notices import NOTICE_ISSUED
from app.services.access.audit import current_user, log_change
from app.services.ledger.problem_status import new_event


def link_problems_to_notice(
    session: Session,
    round_id: int,
    unit_id: int,
    notice_number: str,
    plan_due: date,
    result_due: date,
) -> int:
    """Issuing a notice to a unit links its open, unlinked problems from that round and sets
    their deadlines to the notice's."""
    problems = _unlinked(session, round_id, unit_id)
    _link(session, problems, round_id, notice_number, plan_due, result_due)
    return len(problems)


def link_to_issued_notices(session: Session, round_id: int) -> int:
    """The round's open problems without a notice take the number and deadlines of the notice
    already issued to their unit for the round (the first still in force, as issuing would
    have done): those registered just now, and those an earlier program left unlinked."""
    waiting: dict[int, list[Problem]] = defaultdict(list)
    for problem in _unlinked(session, round_id):
        waiting[problem.unit_id].append(problem)
    if not waiting:
        return 0
    notices = session.scalars(
        select(Notice)
        .where(
            Notice.round_id == round_id,
            Notice.unit_id.in_(waiting),
            Notice.status == NOTICE_ISSUED,
        )
        .order_by(Notice.issued_on, Notice.id)
    )
    first: dict[int, Notice] = {}
    for notice in notices:
        first.setdefault(notice.unit_id, notice)
    linked = 0
    for unit_id, notice in first.items():
        if notice.plan_due is None or notice.result_due is None:
            continue  # every notice to a round has both; a record without them sets none
        _link(
            session, waiting[unit_id], round_id, notice.number, notice.plan_due, notice.result_due
        )
        linked += len(waiting[unit_id])
    return linked


def _unlinked(session: Session, round_id: int, unit_id: int | None = None) -> list[Problem]:
    """The round's problems still open and not covered by a notice (of one unit, if given)."""
    query = select(Problem).where(
        Problem.round_id == round_id, Problem.notice_number == "", Problem.status != CLOSED
    )
    if unit_id is not None:
        query = query.where(Problem.unit_id == unit_id)
    return list(session.scalars(query.order_by(Problem.year, Problem.serial)))


def _link(
    session: Session,
    problems: Sequence[Problem],
    round_id: int,
    notice_number: str,
    plan_due: date,
    result_due: date,
) -> None:
    if not problems:
        return
    user = current_user()
    for problem in problems:
        problem.notice_number = notice_number
        problem.plan_due = plan_due
        problem.result_due = result_due
        session.add(new_event(problem, "通知", f"随{notice_number}下发，期限已设定", user=user))
    # One change-log record for the notice's whole list (no status changes).
    log_change(
        session,
        entity="整改问题",
        key=notice_number,
        action="通知",
        old=None,
        new={
            "问题": [p.number for p in problems],
            "方案期限": str(plan_due),
            "完成期限": str(result_due),
        },
        round_id=round_id,
    )
