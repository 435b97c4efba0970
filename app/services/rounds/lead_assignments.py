"""分工 by 牵头单位 after the round was made: the leaves still without an assessor, and the
automatic 分工 run again for them once their assessors exist (on an empty database the round is
made before any assessor, so its automatic 分工 found nobody)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, Round, RoundNode
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.rounds.default_assignments import assessor_for
from app.services.rounds.definition import find_round, writable_round


@dataclass(frozen=True)
class OpenLeaf:
    """A leaf nobody is assigned to, with the 牵头单位 that would score it."""

    code: str
    name: str
    lead: str


def unassigned_leaves(db: Database, round_name: str) -> list[OpenLeaf]:
    """The leaves of a round with no assessor yet (e.g. no assessor of their 牵头单位 existed
    when the round was made), in the tree's order."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        return [OpenLeaf(n.code, n.name, n.lead_department) for n in _open_leaves(session, round_)]


def _open_leaves(session: Session, round_: Round) -> list[RoundNode]:
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
    parents = {n.parent_id for n in nodes}
    taken = set(session.scalars(select(Assignment.node_id).where(Assignment.round_id == round_.id)))
    return [n for n in nodes if n.id not in parents and n.id not in taken]


def assign_by_lead(db: Database, round_name: str) -> Done[int]:
    """The automatic 分工 again, for the leaves still open: each to the assessor of its 牵头单位
    (assessors added after the round was made); the leaves already assigned keep theirs."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        assessors = list(session.scalars(select(Assessor).order_by(Assessor.id)))
        assigned: dict[str, list[str]] = {}
        for node in _open_leaves(session, round_):
            assessor = assessor_for(node.lead_department, assessors)
            if assessor is not None:
                session.add(
                    Assignment(round_id=round_.id, assessor_id=assessor.id, node_id=node.id)
                )
                assigned.setdefault(assessor.name, []).append(node.code)
        if assigned:
            log_change(
                session,
                entity="分工",
                key=round_name,
                action="按牵头单位分工",
                old=None,
                new=assigned,
                round_id=round_.id,
            )
        return Done(sum(len(codes) for codes in assigned.values()), changes_of(session))
