"""Objections (申辩) and their review (复核): recorded, accepted with a new score (written as
a logged score change) or rejected with a reason; the scores before and after are kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Assessor, Assignment, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.base import utcnow
from app.models.database import Database
from app.models.review import (
    OBJECTION_ACCEPTED,
    OBJECTION_PENDING,
    OBJECTION_REJECTED,
    STAGE_REVIEWED,
    Objection,
)
from app.scoring.engine import round_half_up
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellChange, system_assessor, write_changes
from app.services.names import StoredNames
from app.services.review.objection_attachments import add_objection_files
from app.services.rounds.definition import find_round, writable_round
from app.services.rounds.participants import units_taking_part
from app.services.rounds.stages import leaf_score, take_stage

REVIEWER = "复核组"  # scores a leaf nobody had scored when an objection about it is accepted


@dataclass(frozen=True)
class ObjectionInfo:
    id: int
    round: str
    unit: str
    leaf: str
    leaf_name: str
    points: Decimal
    reason: str
    requested: Decimal | None
    score_before: Decimal | None
    status: str
    new_score: Decimal | None
    decision: str
    filed_by: str
    filed_at: datetime
    reviewed_by: str
    reviewed_at: datetime | None

    def as_json(self) -> dict[str, object]:
        def number(value: Decimal | None) -> str | None:
            return None if value is None else f"{value.normalize():f}"

        return {
            "id": self.id,
            "round": self.round,
            "unit": self.unit,
            "leaf": self.leaf,
            "leaf_name": self.leaf_name,
            "points": number(self.points),
            "reason": self.reason,
            "requested": number(self.requested),
            "score_before": number(self.score_before),
            "status": self.status,
            "new_score": number(self.new_score),
            "decision": self.decision,
            "filed_by": self.filed_by,
            "filed_at": self.filed_at.isoformat(timespec="seconds"),
            "reviewed_by": self.reviewed_by,
            "reviewed_at": None
            if self.reviewed_at is None
            else self.reviewed_at.isoformat(timespec="seconds"),
        }


def _leaf_and_unit(session: Session, round_: Round, unit: str, leaf: str) -> tuple[int, RoundNode]:
    in_round = units_taking_part(session, round_.id)
    unit_id = in_round.get(StoredNames(in_round).stored(unit))
    if unit_id is None:
        raise NotFound(f"单位“{unit}”不在考核批次“{round_.name}”中")
    node = session.scalar(
        select(RoundNode).where(RoundNode.round_id == round_.id, RoundNode.code == leaf)
    )
    has_children = node is not None and session.scalar(
        select(RoundNode.id).where(RoundNode.parent_id == node.id).limit(1)
    )
    if node is None or has_children:
        raise NotFound(f"指标 {leaf} 不是本批次的末级指标")
    return unit_id, node


def _check_score(node: RoundNode, value: Decimal, what: str) -> None:
    if not Decimal(0) <= value <= node.points:
        raise UserError(f"{what} {value.normalize():f} 应在 0 到 {node.points.normalize():f} 之间")


def add_objection(
    db: Database,
    round_name: str,
    unit: str,
    leaf: str,
    reason: str,
    requested: Decimal | None = None,
    files: Sequence[str | Path] = (),
) -> Done[int]:
    """Record a unit's objection to a leaf's score; the score it objects to is kept with it,
    and ``files`` (its proof) in the evidence store."""
    require(Permission.IMPORT)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        objection = record_objection(session, round_, unit, leaf, reason, requested)
        add_objection_files(session, db, objection, files)
        return Done(objection.id, changes_of(session))


def record_objection(
    session: Session,
    round_: Round,
    unit: str,
    leaf: str,
    reason: str,
    requested: Decimal | None = None,
    scores: Mapping[str, Fraction | None] | None = None,
) -> Objection:
    """One objection written and logged in the caller's transaction (one typed, or many from a
    file in one go); ``scores``, the unit's leaf scores if the caller has read them already."""
    if not reason.strip():
        raise UserError("申辩须写明理由")
    unit_id, node = _leaf_and_unit(session, round_, unit, leaf)
    if requested is not None:
        _check_score(node, requested, "申请分值")
    before = leaf_score(session, round_, unit, leaf) if scores is None else scores.get(leaf)
    objection = Objection(
        round_id=round_.id,
        unit_id=unit_id,
        node_id=node.id,
        reason=reason.strip(),
        requested=requested,
        score_before=None if before is None else round_half_up(before, 2),
        status=OBJECTION_PENDING,
        filed_by=current_user(),
    )
    session.add(objection)
    session.flush()
    log_change(
        session,
        entity="申辩",
        key=f"{unit}/{leaf}#{objection.id}",
        action="新增",
        old=None,
        new={"理由": objection.reason, "申请分值": requested, "原得分": objection.score_before},
        round_id=round_.id,
    )
    return objection


@dataclass(frozen=True)
class ObjectionChoices:
    """What an objection can name in a round: its units and its leaves (code, name, points)."""

    units: list[str]
    leaves: list[tuple[str, str, Decimal]]


def objection_choices(db: Database, round_name: str) -> ObjectionChoices:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        units = list(
            session.scalars(
                select(Unit.name)
                .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                .where(RoundUnit.round_id == round_.id)
                .order_by(RoundUnit.sort_order, Unit.name)
            )
        )
        nodes = list(  # frozen in tree order, so their ids are in reading order
            session.scalars(
                select(RoundNode).where(RoundNode.round_id == round_.id).order_by(RoundNode.id)
            )
        )
        parents = {n.parent_id for n in nodes}
        leaves = [(n.code, n.name, n.points) for n in nodes if n.id not in parents]
        return ObjectionChoices(units, leaves)


def list_objections(db: Database, round_name: str) -> list[ObjectionInfo]:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        rows = session.execute(
            select(Objection, Unit.name, RoundNode)
            .join(Unit, Unit.id == Objection.unit_id)
            .join(RoundNode, RoundNode.id == Objection.node_id)
            .where(Objection.round_id == round_.id)
            .order_by(Objection.id)
        ).all()
        return [_info(round_.name, o, unit, node) for o, unit, node in rows]


def _info(round_name: str, o: Objection, unit: str, node: RoundNode) -> ObjectionInfo:
    return ObjectionInfo(
        o.id,
        round_name,
        unit,
        node.code,
        node.name,
        node.points,
        o.reason,
        o.requested,
        o.score_before,
        o.status,
        o.new_score,
        o.decision,
        o.filed_by,
        o.filed_at,
        o.reviewed_by,
        o.reviewed_at,
    )


def _reason_kept(
    session: Session, round_: Round, unit: Unit, node: RoundNode, assessor_id: int
) -> str:
    """The assessor's own reason for the points still lost after a partial acceptance: what
    the unit is told to rectify (the notice, the ledger) is the finding, not the review's
    opinion, which stays with the objection and in the change log."""
    return (
        session.scalar(
            select(ScoreEntry.reason).where(
                ScoreEntry.round_id == round_.id,
                ScoreEntry.unit_id == unit.id,
                ScoreEntry.node_id == node.id,
                ScoreEntry.assessor_id == assessor_id,
            )
        )
        or ""
    ).strip()


def _value_for(node: RoundNode, score: Decimal, reason: str) -> CellValue:
    """The entry that gives a leaf exactly this score, by its method."""
    points = node.points
    if node.method == "扣分":
        return CellValue(deduction=points - score, reason=reason if score < points else "")
    if node.method in ("得分", "加分"):
        return CellValue(score=score, reason=reason)
    if node.method == "是否":
        if score not in (Decimal(0), points):
            raise UserError(
                f"指标 {node.code} 为是否项，复核分值只能是 0 或 {points.normalize():f}"
            )
        return CellValue(answer=score == points, reason=reason)
    if node.method == "分档":
        if score == 0:
            return CellValue(measured=Decimal(0), reason=reason)
        for threshold, fraction in node.tiers:
            if Decimal(fraction) * points == score:
                return CellValue(measured=Decimal(threshold), reason=reason)
        allowed = "、".join(f"{(Decimal(f) * points).normalize():f}" for _, f in node.tiers)
        raise UserError(f"指标 {node.code} 为分档项，复核分值只能是 0 或 {allowed}")
    raise UserError(f"指标 {node.code} 为{node.method}项，不能以分值复核")


def _assessors_of(session: Session, round_: Round, unit_id: int, node: RoundNode) -> list[int]:
    """Who scored the cell (each gets the new score, so the mean is the new score); else who
    was assigned to it; else the reviewer (made on first use)."""
    scored = list(
        session.scalars(
            select(Assessor.id)
            .join(ScoreEntry, ScoreEntry.assessor_id == Assessor.id)
            .where(
                ScoreEntry.round_id == round_.id,
                ScoreEntry.unit_id == unit_id,
                ScoreEntry.node_id == node.id,
            )
            .distinct()
        )
    )
    if scored:
        return scored
    assigned = list(
        session.scalars(
            select(Assessor.id)
            .join(Assignment, Assignment.assessor_id == Assessor.id)
            .where(
                Assignment.round_id == round_.id,
                Assignment.node_id == node.id,
                (Assignment.unit_id.is_(None)) | (Assignment.unit_id == unit_id),
                (Assessor.unit_id.is_(None)) | (Assessor.unit_id != unit_id),
            )
            .distinct()
        )
    )
    return assigned or [system_assessor(session, REVIEWER)]


def review_objection(
    db: Database,
    round_name: str,
    objection_id: int,
    *,
    accept: bool,
    score: Decimal | None = None,
    reason: str = "",
) -> Done[ObjectionInfo]:
    """复核: accept with a new score (written to the leaf, logged) or reject with a reason."""
    require(Permission.MANAGE_ROUNDS)
    if accept and score is None:
        raise UserError("采纳申辩须给出复核后的分值", command="--score 分值")
    if not accept and not reason.strip():
        raise UserError("不予采纳须说明理由", command="--reason 理由")
    user = current_user()
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        objection = session.get(Objection, objection_id)
        if objection is None or objection.round_id != round_.id:
            raise NotFound(f"考核批次“{round_name}”中没有编号为 {objection_id} 的申辩")
        if objection.status != OBJECTION_PENDING:
            raise UserError(f"申辩 {objection_id} 已复核（{objection.status}），不能再次复核")
        node = session.get(RoundNode, objection.node_id)
        unit = session.get(Unit, objection.unit_id)
        assert node is not None and unit is not None
        old = {"状态": objection.status}
        if accept:
            assert score is not None
            _check_score(node, score, "复核分值")
            opinion = f"复核：{reason.strip()}" if reason.strip() else "复核"
            changes = [
                CellChange(
                    unit.id,
                    node.id,
                    assessor_id,
                    _value_for(
                        node,
                        score,
                        _reason_kept(session, round_, unit, node, assessor_id) or opinion
                        if score < node.points
                        else opinion,
                    ),
                )
                for assessor_id in _assessors_of(session, round_, unit.id, node)
            ]
            reviewer = session.scalar(select(Assessor.id).where(Assessor.name == REVIEWER))
            write_changes(
                session,
                round_,
                changes,
                user=user,
                source=f"复核（申辩 {objection_id}）",
                system_assessors=frozenset() if reviewer is None else frozenset({reviewer}),
            )
            session.flush()
            objection.status, objection.new_score = OBJECTION_ACCEPTED, score
        else:
            objection.status = OBJECTION_REJECTED
        objection.decision = reason.strip()
        objection.reviewed_by, objection.reviewed_at = user, utcnow()
        log_change(
            session,
            entity="申辩",
            key=f"{unit.name}/{node.code}#{objection.id}",
            action="复核",
            old=old,
            new={"状态": objection.status, "复核分值": score, "理由": objection.decision},
            round_id=round_.id,
            reason=objection.decision,
            user=user,
        )
        take_stage(session, round_, STAGE_REVIEWED, units=[unit.name])
        return Done(_info(round_.name, objection, unit.name, node), changes_of(session))
