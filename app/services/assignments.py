"""Who scores what (分工): default by each leaf's lead department, never one's own unit (回避)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, Round, RoundNode, RoundUnit, Unit
from app.models.database import Database
from app.services.audit import log_change
from app.services.errors import UserError
from app.services.permissions import Permission, require
from app.services.round_data import effective_categories
from app.services.rounds import find_round, writable_round


@dataclass(frozen=True)
class Task:
    """One cell an assessor is to score: a leaf of the round for a unit."""

    unit: str
    unit_id: int
    leaf: RoundNode


def assign(
    db: Database,
    round_name: str,
    assessor_name: str,
    leaf_codes: list[str],
    unit_names: list[str] | None = None,
) -> int:
    """Add an assessor to leaves (a code names its whole subtree) for some or all units."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        assessor = session.scalar(select(Assessor).where(Assessor.name == assessor_name))
        if assessor is None:
            raise UserError(f"没有名为“{assessor_name}”的评分人")
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
        parents = {n.parent_id for n in nodes}
        leaves = [
            n
            for n in nodes
            if n.id not in parents
            and any(n.code == c or n.code.startswith(c + ".") for c in leaf_codes)
        ]
        if not leaves:
            raise UserError(f"指标编码 {'、'.join(leaf_codes)} 在本批次中不存在")
        unit_ids: list[int | None] = [None]
        if unit_names is not None:
            found = dict(
                session.execute(
                    select(Unit.name, Unit.id)
                    .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                    .where(RoundUnit.round_id == round_.id, Unit.name.in_(unit_names))
                ).all()
            )
            missing = [n for n in unit_names if n not in found]
            if missing:
                raise UserError(f"单位 {'、'.join(missing)} 不在本批次中")
            if assessor.unit_id in found.values():
                raise UserError(f"评分人“{assessor_name}”不能给本单位评分（回避）")
            unit_ids = list(found.values())
        added = 0
        for leaf in leaves:
            for unit_id in unit_ids:
                exists = session.scalar(
                    select(Assignment.id).where(
                        Assignment.round_id == round_.id,
                        Assignment.assessor_id == assessor.id,
                        Assignment.node_id == leaf.id,
                        Assignment.unit_id.is_(unit_id)
                        if unit_id is None
                        else Assignment.unit_id == unit_id,
                    )
                )
                if exists is None:
                    session.add(
                        Assignment(
                            round_id=round_.id,
                            assessor_id=assessor.id,
                            node_id=leaf.id,
                            unit_id=unit_id,
                        )
                    )
                    added += 1
        log_change(
            session,
            entity="分工",
            key=f"{round_name}/{assessor_name}",
            action="新增",
            old=None,
            new={"指标": leaf_codes, "单位": unit_names or "全部"},
            round_id=round_.id,
        )
        return added


def clear_assignments(session: Session, round_id: int) -> None:
    session.execute(delete(Assignment).where(Assignment.round_id == round_id))


def tasks_of(session: Session, round_: Round, assessor: Assessor) -> list[Task]:
    """The assessor's cells in tree order, unit order; never their own unit, never N/A ones."""
    nodes = {
        n.id: n for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
    }
    participants = session.execute(
        select(Unit.id, Unit.name, RoundUnit.category_name)
        .join(RoundUnit, RoundUnit.unit_id == Unit.id)
        .where(RoundUnit.round_id == round_.id)
        .order_by(RoundUnit.sort_order)
    ).all()
    chosen: dict[int, set[int] | None] = {}
    for assignment in session.scalars(
        select(Assignment).where(
            Assignment.round_id == round_.id, Assignment.assessor_id == assessor.id
        )
    ):
        if assignment.unit_id is None:
            chosen[assignment.node_id] = None
        elif chosen.get(assignment.node_id, set()) is not None:
            chosen.setdefault(assignment.node_id, set()).add(assignment.unit_id)  # type: ignore[union-attr]  # None handled above
    tasks = []
    ordered = sorted(chosen, key=lambda node_id: _path(nodes[node_id], nodes))
    for node_id in ordered:
        node = nodes[node_id]
        categories = effective_categories(node, nodes)
        for unit_id, unit_name, category in participants:
            if unit_id == assessor.unit_id:
                continue  # 回避
            if categories is not None and category not in categories:
                continue
            units = chosen[node_id]
            if units is None or unit_id in units:
                tasks.append(Task(unit_name, unit_id, node))
    return tasks


def _path(node: RoundNode, nodes: dict[int, RoundNode]) -> tuple[int, ...]:
    path = [node.sort_order]
    while node.parent_id is not None:
        node = nodes[node.parent_id]
        path.append(node.sort_order)
    return tuple(reversed(path))


def tasks_digest(round_: Round, assessor: Assessor, tasks: list[Task]) -> str:
    """Fingerprint of exactly what an exported workbook asks for; any change shows."""
    text = "\n".join(
        [
            str(round_.id),
            round_.name,
            assessor.name,
            *(f"{t.unit}\t{t.leaf.code}\t{t.leaf.points}\t{t.leaf.method}" for t in tasks),
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assessors_with_tasks(db: Database, round_name: str) -> list[str]:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        ids = set(
            session.scalars(select(Assignment.assessor_id).where(Assignment.round_id == round_.id))
        )
        return [
            a.name for a in session.scalars(select(Assessor).order_by(Assessor.id)) if a.id in ids
        ]
