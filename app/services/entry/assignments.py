"""Who scores what (分工): default by each leaf's lead department, never one's own unit (回避)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Text, delete, select, type_coerce
from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import Assessor, Assignment, Round, RoundNode, RoundUnit, Unit
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.names import StoredNames, find_named
from app.services.rounds.definition import find_round, writable_round
from app.services.rounds.participants import units_taking_part


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
) -> Done[int]:
    """Add an assessor to leaves (a code names its whole subtree) for some or all units."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        assessor = find_named(session, Assessor, assessor_name)
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
            in_round = units_taking_part(session, round_.id)
            stored = StoredNames(in_round)
            found = {n: in_round[s] for n in unit_names if (s := stored.find(n)) is not None}
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
        return Done(added, changes_of(session))


def clear_assignments(session: Session, round_id: int) -> None:
    session.execute(delete(Assignment).where(Assignment.round_id == round_id))


def no_such_assessor(name: str) -> str:
    """Why a typed or imported name cannot score: nobody is created from a name (§4)."""
    return f"没有名为“{name}”的评分人：录入和导入不会新建评分人，请核对名称，或先添加评分人并分工"


@dataclass(frozen=True)
class ScoreScope:
    """Who may score which cell of a round, read once: the one place the entry paths (grid,
    offline workbooks, scores workbooks, objection reviews) and the offline workbooks' task
    lists take it from (issue 14 §4). By id; a name that comes in (a workbook's) is looked up
    in assessor_ids first."""

    assessor_ids: dict[str, int]  # every existing assessor by name
    own_units: dict[int, int | None]  # assessor id -> the unit they never score (回避)
    chosen: dict[int, dict[int, frozenset[int] | None]]  # assessor -> leaf -> units (None: all)
    nodes: dict[int, tuple[int | None, list[str]]]  # node id -> (parent id, its own categories)
    unit_categories: dict[int, str]  # participating unit id -> its category in the round

    @property
    def has_assignments(self) -> bool:
        return bool(self.chosen)

    @cached_property
    def names(self) -> dict[int, str]:
        """Every existing assessor's name by id, for messages and the change log."""
        return {i: name for name, i in self.assessor_ids.items()}

    def of_round(self, assessor_id: int) -> bool:
        """An existing assessor with an assignment in the round; any existing one when the
        round has no assignments at all."""
        return assessor_id in self.names and (not self.chosen or assessor_id in self.chosen)

    def problem(self, assessor_id: int) -> str | None:
        """Why an assessor cannot score in this round (None when they can)."""
        name = self.names.get(assessor_id)
        if name is None:
            return f"没有编号为 {assessor_id} 的评分人：录入和导入不会新建评分人"
        if not self.of_round(assessor_id):
            return f"“{name}”不是本批次的评分人：评分人须在本批次有分工"
        return None

    def name_problem(self, name: str) -> str | None:
        """Why a name cannot score in this round (None when it can); never creates anyone."""
        assessor_id = self.assessor_ids.get(name)
        return no_such_assessor(name) if assessor_id is None else self.problem(assessor_id)

    def assigned(self, assessor_id: int, leaf_id: int, unit_id: int) -> bool:
        """Is the cell one of the assessor's tasks: the leaf assigned for all units or this one,
        not their own unit (回避), and the leaf applies to the unit's category."""
        if assessor_id not in self.names or unit_id == self.own_units.get(assessor_id):
            return False
        mine = self.chosen.get(assessor_id, {})
        if leaf_id not in mine:
            return False
        units = mine[leaf_id]
        if units is not None and unit_id not in units:
            return False
        return self.applies(leaf_id, unit_id)

    def applies(self, leaf_id: int, unit_id: int) -> bool:
        """The leaf's own categories, else its nearest ancestor's (as effective_categories)."""
        current: int | None = leaf_id
        while current is not None and current in self.nodes:
            parent, categories = self.nodes[current]
            if categories:
                return self.unit_categories.get(unit_id) in categories
            current = parent
        return True


def score_scope(session: Session, round_: Round) -> ScoreScope:
    """Read with plain rows, not ORM objects: every typed cell reads it."""
    # The category lists as stored text: most are "[]", and decoding every one costs more than
    # the rest of the read.
    nodes = {
        node_id: (parent_id, [] if text in (None, "", "[]") else list(json.loads(text)))
        for node_id, parent_id, text in session.execute(
            select(
                RoundNode.id, RoundNode.parent_id, type_coerce(RoundNode.categories, Text)
            ).where(RoundNode.round_id == round_.id)
        )
    }
    assessors = session.execute(select(Assessor.id, Assessor.name, Assessor.unit_id)).all()
    chosen: dict[int, dict[int, set[int] | None]] = {}
    for assessor_id, node_id, unit_id in session.execute(
        select(Assignment.assessor_id, Assignment.node_id, Assignment.unit_id).where(
            Assignment.round_id == round_.id
        )
    ):
        mine = chosen.setdefault(assessor_id, {})
        if unit_id is None:
            mine[node_id] = None
        else:
            units = mine.setdefault(node_id, set())
            if units is not None:
                units.add(unit_id)
    return ScoreScope(
        assessor_ids={name: i for i, name, _ in assessors},
        own_units={i: unit_id for i, _, unit_id in assessors},
        chosen={
            a: {n: None if u is None else frozenset(u) for n, u in leaves.items()}
            for a, leaves in chosen.items()
        },
        nodes=nodes,
        unit_categories=dict(
            session.execute(
                select(RoundUnit.unit_id, RoundUnit.category_name).where(
                    RoundUnit.round_id == round_.id
                )
            ).all()
        ),
    )


def tasks_of(session: Session, round_: Round, assessor: Assessor) -> list[Task]:
    """The assessor's cells in tree order, unit order; never their own unit, never N/A ones."""
    nodes = {
        n.id: n for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
    }
    participants = session.execute(
        select(Unit.id, Unit.name)
        .join(RoundUnit, RoundUnit.unit_id == Unit.id)
        .where(RoundUnit.round_id == round_.id)
        .order_by(RoundUnit.sort_order)
    ).all()
    scope = score_scope(session, round_)
    mine = scope.chosen.get(assessor.id, {})
    tasks = []
    for node_id in sorted(mine, key=lambda node_id: _path(nodes[node_id], nodes)):
        for unit_id, unit_name in participants:
            if scope.assigned(assessor.id, node_id, unit_id):
                tasks.append(Task(unit_name, unit_id, nodes[node_id]))
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
