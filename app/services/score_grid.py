"""The score grid's data: leaves x units for one assessor, and edits of single cells or blocks.

Every edit is one transaction: all cells of a block are checked first; one bad cell refuses
the whole block. Each changed cell is logged with its old and new value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.errors import Problem
from app.io.records import RowSource, ScoreRecord
from app.models import Assessor, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.rounds import ROUND_STATUSES
from app.services.actor import Actor, current_actor
from app.services.audit import current_user, log_change
from app.services.errors import UserError
from app.services.permissions import Permission, require
from app.services.round_data import effective_categories, round_leaves
from app.services.rounds import find_round, writable_round
from app.services.score_cells import CellValue
from app.services.score_checks import check_score_record


@dataclass(frozen=True)
class GridLeaf:
    code: str
    name: str
    area_code: str
    area_name: str
    points: Decimal
    method: str
    standard: str
    categories: frozenset[str] | None


@dataclass(frozen=True)
class GridUnit:
    name: str
    short_name: str
    category: str


@dataclass
class GridData:
    round_name: str
    status: str
    leaves: list[GridLeaf]
    units: list[GridUnit]
    assessors: list[str]
    # (unit, leaf code, assessor) -> that assessor's entry, several deduction rows summed
    values: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)

    def applies(self, leaf: GridLeaf, unit: GridUnit) -> bool:
        return leaf.categories is None or unit.category in leaf.categories


@dataclass(frozen=True)
class CellChange:
    unit: str
    leaf: str
    assessor: str
    value: CellValue | None  # None clears the cell


class CellRefused(UserError):
    """A typed or pasted value breaks the leaf's rule; nothing of the edit was written."""


def _merge(rows: list[Any]) -> CellValue:
    """Several rows of one assessor (deductions with their own reasons) as one cell."""
    deductions = [r.deduction for r in rows if r.deduction is not None]
    first = rows[0]
    return CellValue(
        deduction=sum(deductions, Decimal(0)) if deductions else None,
        score=first.score,
        answer=first.answer,
        measured=first.measured,
        not_applicable=any(r.not_applicable for r in rows),
        veto=any(r.veto for r in rows),
        reason="；".join(r.reason for r in rows if r.reason),
    )


def load_grid(db: Database, round_name: str) -> GridData:
    with db.reading() as session:
        round_ = find_round(session, round_name)
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
        leaves, leaf_nodes, areas = round_leaves(nodes)
        by_id = {n.id: n for n in nodes}
        grid_leaves = [
            GridLeaf(
                leaf.code,
                leaf_nodes[leaf.code].name,
                leaf.area_code,
                areas[leaf.area_code],
                leaf.points,
                leaf.method.value,
                leaf_nodes[leaf.code].standard,
                effective_categories(leaf_nodes[leaf.code], by_id),
            )
            for leaf in leaves
        ]
        participants = session.execute(
            select(Unit.name, Unit.short_name, RoundUnit.category_name)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_.id)
            .order_by(RoundUnit.sort_order)
        ).all()
        units = [GridUnit(n, s or n, c) for n, s, c in participants]
        rows: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
        for row in session.execute(  # column rows, not ORM objects: tens of thousands of them
            select(
                Unit.name.label("unit"),
                RoundNode.code,
                Assessor.name.label("assessor"),
                ScoreEntry.deduction,
                ScoreEntry.score,
                ScoreEntry.answer,
                ScoreEntry.measured,
                ScoreEntry.not_applicable,
                ScoreEntry.veto,
                ScoreEntry.reason,
            )
            .join(Unit, Unit.id == ScoreEntry.unit_id)
            .join(RoundNode, RoundNode.id == ScoreEntry.node_id)
            .join(Assessor, Assessor.id == ScoreEntry.assessor_id)
            .where(ScoreEntry.round_id == round_.id)
        ):
            rows[(row.unit, row.code, row.assessor)].append(row)
        assessors = list(session.scalars(select(Assessor.name).order_by(Assessor.id)))
        actor = current_actor()
        if actor.role == ROLE_ASSESSOR:  # an assessor sees only their own scores
            assessors = [a for a in assessors if a == actor.assessor_name]
            rows = {key: group for key, group in rows.items() if key[2] == actor.assessor_name}
        data = GridData(round_name, round_.status, grid_leaves, units, assessors)
        data.values = {key: _merge(group) for key, group in rows.items()}
        return data


def _as_json(value: CellValue | None) -> dict[str, str] | None:
    if value is None:
        return None
    names = {
        "deduction": "扣分",
        "score": "得分",
        "answer": "是否",
        "measured": "实际值",
        "not_applicable": "不适用",
        "veto": "否决",
        "reason": "理由",
    }
    result = {}
    for attribute, label in names.items():
        item = getattr(value, attribute)
        if item not in (None, False, ""):
            result[label] = str(item) if not isinstance(item, bool) else "是"
    return result


def check_change(node: RoundNode, change: CellChange) -> list[str]:
    """The leaf's rule broken by a change, as messages (empty when it fits)."""
    return [problem.message for problem in _check(node, change)]


def _check(node: RoundNode, change: CellChange) -> list[Problem]:
    value = change.value
    if value is None:
        return []
    record = ScoreRecord(
        change.unit,
        change.leaf,
        change.assessor,
        value.deduction,
        value.score,
        value.answer,
        value.measured,
        value.not_applicable,
        value.veto,
        value.reason,
        RowSource("评分录入", "", 0),
    )
    return check_score_record(record, node)


def apply_changes(
    db: Database, round_name: str, changes: list[CellChange], *, source: str = "评分录入"
) -> None:
    """Write a cell or a pasted block: all checked first, one transaction, each cell logged."""
    if not changes:
        return
    actor = require(Permission.SCORE)
    user = current_user()
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        if actor.role == ROLE_ASSESSOR:
            _check_assessor_scope(session, round_, actor, changes)
        nodes = {
            n.code: n
            for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
        }
        parents = {n.parent_id for n in nodes.values()}
        units = dict(
            session.execute(
                select(Unit.name, Unit.id)
                .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                .where(RoundUnit.round_id == round_.id)
            ).all()
        )
        own_units = dict(session.execute(select(Assessor.name, Assessor.unit_id)).all())
        messages = []
        for change in changes:
            if change.unit in units and own_units.get(change.assessor) == units[change.unit]:
                messages.append(f"评分人“{change.assessor}”不能给本单位“{change.unit}”评分（回避）")
                continue
            node = nodes.get(change.leaf)
            if node is None or node.id in parents:
                messages.append(f"指标 {change.leaf} 不是本批次的末级指标")
                continue
            if change.unit not in units:
                messages.append(f"单位“{change.unit}”不在本批次中")
                continue
            messages += [f"{change.unit}：{p.message}" for p in _check(node, change)]
        if messages:
            raise CellRefused("；".join(messages[:5]) + ("等" if len(messages) > 5 else ""))
        for change in changes:
            _write(session, round_.id, units[change.unit], nodes[change.leaf], change, user, source)


SCORING_STATUS = ROUND_STATUSES[1]  # 评分中


def _check_assessor_scope(
    session: Session, round_: Round, actor: Actor, changes: list[CellChange]
) -> None:
    """An 评分人 account scores only as its own assessor, only the cells assigned to it, and
    only while the round is open for scoring."""
    from app.services.assignments import tasks_of

    if round_.status != SCORING_STATUS:
        raise CellRefused(
            f"考核批次当前为“{round_.status}”，评分人只能在“{SCORING_STATUS}”阶段评分"
        )
    others = sorted({c.assessor for c in changes if c.assessor != actor.assessor_name})
    if others:
        raise CellRefused(f"评分人“{actor.assessor_name}”不能以“{'、'.join(others)}”的名义评分")
    assessor = session.scalar(select(Assessor).where(Assessor.name == actor.assessor_name))
    allowed = (
        {(t.unit, t.leaf.code) for t in tasks_of(session, round_, assessor)} if assessor else set()
    )
    outside = [f"{c.unit} {c.leaf}" for c in changes if (c.unit, c.leaf) not in allowed]
    if outside:
        more = "等" if len(outside) > 3 else ""
        raise CellRefused(
            f"以下单元格未分配给“{actor.assessor_name}”：{'、'.join(outside[:3])}{more}"
        )


def _assessor(session: Session, name: str) -> Assessor:
    assessor = session.scalar(select(Assessor).where(Assessor.name == name))
    if assessor is None:
        assessor = Assessor(name=name)
        session.add(assessor)
        session.flush()
    return assessor


def _write(
    session: Session,
    round_id: int,
    unit_id: int,
    node: RoundNode,
    change: CellChange,
    user: str,
    source: str,
) -> None:
    assessor = _assessor(session, change.assessor)
    existing = list(
        session.scalars(
            select(ScoreEntry).where(
                ScoreEntry.round_id == round_id,
                ScoreEntry.unit_id == unit_id,
                ScoreEntry.node_id == node.id,
                ScoreEntry.assessor_id == assessor.id,
            )
        )
    )
    old = _merge(existing) if existing else None
    if old == change.value:
        return
    for entry in existing:
        session.delete(entry)
    value = change.value
    if value is not None:
        session.add(
            ScoreEntry(
                round_id=round_id,
                unit_id=unit_id,
                node_id=node.id,
                assessor_id=assessor.id,
                deduction=value.deduction,
                score=value.score,
                answer=value.answer,
                measured=value.measured,
                not_applicable=value.not_applicable,
                veto=value.veto,
                reason=value.reason,
                entered_by=user,
            )
        )
    session.flush()
    unit_name = session.get(Unit, unit_id)
    log_change(
        session,
        entity="评分",
        key=f"{unit_name.name if unit_name else unit_id}/{node.code}/{change.assessor}",
        action="删除" if value is None else ("修改" if old else "新增"),
        old=_as_json(old),
        new=_as_json(value),
        round_id=round_id,
        source=source,
        user=user,
    )
