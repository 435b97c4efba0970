"""The assessor's word on a unit's evidence for a leaf: 认可, or 退回补充 with what is missing and
by when. The unit's next package lists what was sent back; the home page lists the units whose
deadline is near or past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Assignment, EvidenceReview, Round, RoundNode, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.enums import RoundStatus
from app.models.evidence import REVIEW_ACCEPTED, REVIEW_RETURNED, REVIEW_STATUSES
from app.services.access.actor import Actor
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.evidence.unit_leaves import applicable_leaves, unit_in_round
from app.services.rounds.definition import round_of, writable_round


def review_evidence(
    db: Database,
    round_: int | str,
    unit: str,
    leaf: str,
    status: str,
    missing: str = "",
    due: date | None = None,
    *,
    seen: str | None = None,
) -> Changes:
    """Mark a unit's evidence for a leaf 认可 or 退回补充 (which needs what is missing and a
    deadline); the same mark again changes nothing. ``seen``: the mark the reviewer had on
    screen ("" for none yet); when another reviewer of the leaf has marked it otherwise since,
    the mark is refused with who, when and what, rather than written over theirs."""
    actor = require(Permission.SCORE)
    if status not in REVIEW_STATUSES:
        raise UserError(f"审核结论只能是 {' 或 '.join(REVIEW_STATUSES)}")
    missing = missing.strip()
    if status == REVIEW_RETURNED and (not missing or due is None):
        raise UserError(
            "退回补充须写明缺少的材料和补充期限", command="--missing 缺少的材料 --due 2026-03-31"
        )
    if status == REVIEW_ACCEPTED:
        missing, due = "", None
    with db.transaction() as session:
        found = writable_round(session, round_)
        unit_id, unit_name = unit_in_round(session, found, unit)
        node = next(
            (n for n in applicable_leaves(session, found.id, unit_id) if n.code == leaf), None
        )
        if node is None:
            raise NotFound(f"指标 {leaf} 不是“{unit_name}”在本批次适用的末级指标")
        if actor.role == ROLE_ASSESSOR:
            _check_assessor(session, found, actor, unit_id, node.node_id, unit_name, leaf)
        review = session.scalar(
            select(EvidenceReview).where(
                EvidenceReview.round_id == found.id,
                EvidenceReview.unit_id == unit_id,
                EvidenceReview.node_id == node.node_id,
            )
        )
        if seen is not None and (review.status if review is not None else "") != seen:
            raise ReviewChanged(_changed_by(review))
        old = None if review is None else _as_json(review.status, review.missing, review.due)
        new = _as_json(status, missing, due)
        if old == new:
            return changes_of(session)
        if review is None:
            review = EvidenceReview(round_id=found.id, unit_id=unit_id, node_id=node.node_id)
            session.add(review)
        review.status, review.missing, review.due = status, missing, due
        review.reviewed_by = current_user()
        log_change(
            session,
            entity="佐证审核",
            key=f"{unit_name}/{leaf}",
            action="新增" if old is None else "修改",
            old=old,
            new=new,
            round_id=found.id,
        )
        return changes_of(session)


class ReviewChanged(UserError):
    """Another reviewer marked the leaf since this one looked: nothing was written."""


def _changed_by(review: EvidenceReview | None) -> str:
    if review is None:
        return "该指标的审核已被他人撤销，未写入；已显示最新状态"
    what = review.status + (f"（缺少：{review.missing}）" if review.missing else "")
    return f"该指标的材料已被 {review.reviewed_by} 审核为“{what}”，未写入；已显示最新状态"


def _check_assessor(
    session: Session,
    round_: Round,
    actor: Actor,
    unit_id: int,
    node_id: int,
    unit: str,
    leaf: str,
) -> None:
    """An 评分人 account reviews only the cells it scores, and only while the round is open
    for scoring (as its score edits; the server holds it to the same by row-level security)."""
    if round_.status != RoundStatus.SCORING:
        raise UserError(
            f"考核批次当前为“{round_.status}”，评分人只能在“{RoundStatus.SCORING}”阶段审核佐证材料"
        )
    assigned = session.scalar(
        select(Assignment.id)
        .where(
            Assignment.round_id == round_.id,
            Assignment.assessor_id == actor.assessor_id,
            Assignment.node_id == node_id,
            or_(Assignment.unit_id.is_(None), Assignment.unit_id == unit_id),
        )
        .limit(1)
    )
    if assigned is None:
        raise UserError(
            f"评分人“{actor.assessor_name}”没有分到“{unit}”的指标 {leaf}，不能审核其佐证材料"
        )


def _as_json(status: str, missing: str, due: date | None) -> dict[str, str]:
    return {"审核": status, "缺少的材料": missing, "补充期限": due.isoformat() if due else ""}


@dataclass(frozen=True)
class ReturnedItem:
    unit: str
    leaf: str
    leaf_name: str
    missing: str
    due: date | None
    overdue: bool


def returned_items(
    db: Database, round_: int | str, today: date | None = None
) -> list[ReturnedItem]:
    """Every leaf sent back (退回补充) in the round, soonest deadline first: what the units owe."""
    require(Permission.VIEW)
    today = today or date.today()
    with db.reading() as session:
        found = round_of(session, round_)
        rows = session.execute(
            select(Unit.name, RoundNode.code, RoundNode.name, EvidenceReview)
            .join(Unit, Unit.id == EvidenceReview.unit_id)
            .join(RoundNode, RoundNode.id == EvidenceReview.node_id)
            .where(EvidenceReview.round_id == found.id, EvidenceReview.status == REVIEW_RETURNED)
        ).all()
    items = [
        ReturnedItem(u, code, name, r.missing, r.due, r.due is not None and r.due < today)
        for u, code, name, r in rows
    ]
    return sorted(items, key=lambda i: (i.due or date.max, i.unit, i.leaf))
