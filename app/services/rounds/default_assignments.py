"""The default 分工 of a new round: each leaf to the assessor of its 牵头单位."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, Round, RoundNode


def _same_department(a: str, b: str) -> bool:
    """ "云州市司法局" and "市司法局" name the same department."""
    a, b = a.strip(), b.strip()
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))


def assessor_for(lead: str, assessors: list[Assessor]) -> Assessor | None:
    return next((a for a in assessors if _same_department(a.department, lead)), None)


def assign_defaults(session: Session, round_: Round) -> int:
    """Each leaf to the assessor of its 牵头单位, for all units; returns leaves assigned."""
    assessors = list(session.scalars(select(Assessor).order_by(Assessor.id)))
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
    parents = {n.parent_id for n in nodes}
    count = 0
    for node in nodes:
        if node.id in parents:
            continue
        assessor = assessor_for(node.lead_department, assessors)
        if assessor is not None:
            session.add(Assignment(round_id=round_.id, assessor_id=assessor.id, node_id=node.id))
            count += 1
    return count
