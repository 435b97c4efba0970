"""分工 as the office manages it: the assessors (评分人 / 评分责任单位, with the unit each is
part of, for 回避), what each is assigned in a round, and taking an assignment away."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, select

from app.errors import NotFound, UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models import Assessor, Assignment, RoundNode, Unit
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.entry.assignments import tasks_of
from app.services.names import find_named
from app.services.rounds.definition import find_round, writable_round


@dataclass(frozen=True)
class AssessorInfo:
    name: str
    department: str
    own_unit: str | None  # the unit they never score (回避)


@dataclass(frozen=True)
class AssessorWork:
    """One assessor's share of a round: leaves, units (None: all), and the cells that makes."""

    assessor: str
    own_unit: str | None
    leaves: list[str]  # codes, tree order
    units: list[str] | None
    cells: int


def list_assessors(db: Database) -> list[AssessorInfo]:
    with db.reading() as session:
        rows = session.execute(
            select(Assessor, Unit.name)
            .outerjoin(Unit, Unit.id == Assessor.unit_id)
            .order_by(Assessor.id)
        ).all()
        return [AssessorInfo(a.name, a.department, unit) for a, unit in rows]


def add_assessor(
    db: Database, name: str, *, department: str = "", own_unit: str | None = None
) -> Done[AssessorInfo]:
    """A new 评分人; ``own_unit`` is the unit they belong to and so never score."""
    require(Permission.MANAGE_ROUNDS)
    name = checked(name, text_rules.ASSESSOR)
    department = checked(department, text_rules.DEPARTMENT)
    if not name:
        raise UserError("评分人名称不能为空")
    with db.transaction() as session:
        known = find_named(session, Assessor, name)  # "甲组(一)" is "甲组（一）"
        if known is not None:
            raise UserError(f"评分人“{known.name}”已存在")
        unit_id = None
        if own_unit:
            unit = find_named(session, Unit, own_unit.strip())
            if unit is None:
                raise NotFound(f"没有单位“{own_unit}”（评分人所在单位须是考核对象之一）")
            unit_id = unit.id
        session.add(Assessor(name=name, department=department.strip(), unit_id=unit_id))
        log_change(
            session,
            entity="评分人",
            key=name,
            action="新增",
            old=None,
            new={"部门": department.strip(), "所在单位": own_unit or ""},
        )
        return Done(AssessorInfo(name, department.strip(), own_unit or None), changes_of(session))


def round_work(db: Database, round_name: str) -> list[AssessorWork]:
    """Every assessor with an assignment in the round, with what it comes to."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        nodes = {
            n.id: n
            for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
        }
        unit_names = dict(session.execute(select(Unit.id, Unit.name)).all())
        leaves: dict[int, set[int]] = defaultdict(set)
        units: dict[int, set[int | None]] = defaultdict(set)
        for assignment in session.scalars(
            select(Assignment).where(Assignment.round_id == round_.id)
        ):
            leaves[assignment.assessor_id].add(assignment.node_id)
            units[assignment.assessor_id].add(assignment.unit_id)
        work = []
        for assessor in session.scalars(select(Assessor).order_by(Assessor.id)):
            if assessor.id not in leaves:
                continue
            chosen = units[assessor.id]
            work.append(
                AssessorWork(
                    assessor.name,
                    unit_names.get(assessor.unit_id) if assessor.unit_id else None,
                    [nodes[n].code for n in sorted(leaves[assessor.id])],
                    None if None in chosen else sorted(unit_names[u] for u in chosen if u),
                    len(tasks_of(session, round_, assessor)),
                )
            )
        return work


def unassign(
    db: Database, round_name: str, assessor_name: str, leaf_codes: list[str] | None = None
) -> Done[int]:
    """Take leaves (a code names its subtree; None: all) away from an assessor. Scores they
    already gave stay stored and logged; only what they are asked to score changes."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        assessor = find_named(session, Assessor, assessor_name)
        if assessor is None:
            raise NotFound(f"没有名为“{assessor_name}”的评分人")
        query = select(Assignment.id, RoundNode.code).join(
            RoundNode, RoundNode.id == Assignment.node_id
        )
        query = query.where(Assignment.round_id == round_.id, Assignment.assessor_id == assessor.id)
        rows = session.execute(query).all()
        if leaf_codes is not None:
            rows = [
                (i, code)
                for i, code in rows
                if any(code == c or code.startswith(c + ".") for c in leaf_codes)
            ]
        if not rows:
            what = "、".join(leaf_codes) if leaf_codes else "任何指标"
            raise UserError(f"评分人“{assessor_name}”在本批次没有 {what} 的分工")
        session.execute(delete(Assignment).where(Assignment.id.in_([i for i, _ in rows])))
        log_change(
            session,
            entity="分工",
            key=f"{round_name}/{assessor_name}",
            action="删除",
            old={"指标": sorted({code for _, code in rows})},
            new=None,
            round_id=round_.id,
        )
        return Done(len(rows), changes_of(session))


@dataclass(frozen=True)
class NodeChoice:
    """A node of the round's frozen tree, as a subtree the office can assign."""

    code: str
    name: str
    depth: int
    leaf: bool


def round_tree(db: Database, round_name: str) -> list[NodeChoice]:
    """The round's nodes in reading order (parents before their children)."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        nodes = list(
            session.scalars(
                select(RoundNode).where(RoundNode.round_id == round_.id).order_by(RoundNode.id)
            )
        )
        by_id = {n.id: n for n in nodes}
        parents = {n.parent_id for n in nodes}

        def path(node: RoundNode) -> tuple[int, ...]:
            steps = [node.sort_order]
            while node.parent_id is not None:
                node = by_id[node.parent_id]
                steps.append(node.sort_order)
            return tuple(reversed(steps))

        return [
            NodeChoice(n.code, n.name, len(path(n)) - 1, n.id not in parents)
            for n in sorted(nodes, key=path)
        ]
