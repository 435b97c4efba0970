"""The score grid's data: leaves x units for one assessor, and edits of single cells or blocks.

Every edit is one transaction: all cells of a block are checked first; one bad cell refuses
the whole block. Each changed cell is logged with its old and new value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import Assessor, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.rounds import ROUND_STATUSES
from app.services.access.actor import Actor, current_actor
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.entry.assignments import score_scope
from app.services.entry.cells import CellValue
from app.services.entry.checks import check_value
from app.services.entry.entry_rows import merge_rows, score_entry
from app.services.entry.grid_data import load_grid
from app.services.entry.grid_types import GridAssessor, GridData, GridLeaf, GridUnit, SelfScore
from app.services.rounds.definition import writable_round

__all__ = [
    "CellChange",
    "CellRefused",
    "CellsWritten",
    "GridAssessor",
    "GridData",
    "GridLeaf",
    "GridUnit",
    "SelfScore",
    "apply_changes",
    "load_grid",
]


@dataclass(frozen=True)
class CellChange:
    unit: str
    leaf: str
    assessor: str
    value: CellValue | None  # None clears the cell


class CellRefused(UserError):
    """A typed or pasted value breaks the leaf's rule; nothing of the edit was written."""


@dataclass(frozen=True)
class CellsWritten:
    """What an edit did: the warnings about values accepted as they are (e.g. a deduction
    above the leaf's points) and what it changed, so the window refreshes what shows it."""

    warnings: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes)


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
        # By identity: a deduction of 0 is an entry (0 == False), and 否 is an answer.
        if attribute == "answer" and item is False:
            result[label] = "否"
        elif not (item is None or item is False or item == ""):
            result[label] = str(item) if not isinstance(item, bool) else "是"
    return result


def apply_changes(
    db: Database,
    round_name: str,
    changes: list[CellChange],
    *,
    source: str = "评分录入",
    system_assessors: frozenset[str] = frozenset(),
) -> CellsWritten:
    """Write a cell or a pasted block: all checked first, one transaction, each cell logged."""
    if not changes:
        return CellsWritten()
    actor = require(Permission.SCORE)
    user = current_user()
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        if actor.role == ROLE_ASSESSOR:
            _check_assessor_account(round_, actor, changes)
        warnings = write_changes(
            session, round_, changes, user=user, source=source, system_assessors=system_assessors
        )
        return CellsWritten(tuple(warnings), changes_of(session))


def write_changes(
    session: Session,
    round_: Round,
    changes: list[CellChange],
    *,
    user: str,
    source: str,
    system_assessors: frozenset[str] = frozenset(),
) -> list[str]:
    """Check and write changes inside the caller's transaction (a review writes its new
    score together with its decision); returns the warnings.

    ``system_assessors`` are the program's own assessors a service writes as (整改台账, 复核组):
    created when missing and never assigned. Any other name must be an assessor of the round
    (issue 14 §4): nobody is created from a typed or imported name."""
    # Only the rows this edit names: a typed cell must not read the round's scores.
    codes = sorted({c.leaf for c in changes})
    nodes = {
        n.code: n
        for n in session.scalars(
            select(RoundNode).where(RoundNode.round_id == round_.id, RoundNode.code.in_(codes))
        )
    }
    parents = set(
        session.scalars(
            select(RoundNode.parent_id).where(
                RoundNode.parent_id.in_([n.id for n in nodes.values()])
            )
        )
    )
    units = dict(
        session.execute(
            select(Unit.name, Unit.id)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_.id, Unit.name.in_({c.unit for c in changes}))
        ).all()
    )
    scope = score_scope(session, round_)
    for_someone = current_actor().role != ROLE_ASSESSOR  # the office enters on their behalf
    messages: list[str] = []
    warnings: list[str] = []
    outside: dict[str, list[str]] = {}  # assessor -> cells not assigned to them
    for change in changes:
        assessor_id = scope.assessor_ids.get(change.assessor)
        if (
            change.unit in units
            and assessor_id is not None
            and scope.own_units.get(assessor_id) == units[change.unit]
        ):
            messages.append(f"评分人“{change.assessor}”不能给本单位“{change.unit}”评分（回避）")
            continue
        node = nodes.get(change.leaf)
        if node is None or node.id in parents:
            messages.append(f"指标 {change.leaf} 不是本批次的末级指标")
            continue
        if change.unit not in units:
            messages.append(f"单位“{change.unit}”不在本批次中")
            continue
        if change.assessor not in system_assessors:
            problem = scope.name_problem(change.assessor)
            if problem is not None and (change.value is not None or assessor_id is None):
                messages.append(problem)
            elif scope.has_assignments and not scope.assigned(
                change.assessor, node.id, units[change.unit]
            ):
                outside.setdefault(change.assessor, []).append(f"{change.unit} {change.leaf}")
        if change.value is not None:
            check = check_value(change.value, node)
            messages += [f"{change.unit}：{p.message}" for p in check.problems]
            warnings += [f"{change.unit}：{w.message}" for w in check.warnings]
    if outside and not for_someone:
        cells = [cell for assessor_cells in outside.values() for cell in assessor_cells]
        more = "等" if len(cells) > 3 else ""
        messages.append(
            f"以下单元格未分配给“{'、'.join(outside)}”：{'、'.join(cells[:3])}{more}"
            "（评分人只能给分配给自己的单元格评分）"
        )
    if messages:
        messages = list(dict.fromkeys(messages))  # one unknown name in a block is told once
        raise CellRefused("；".join(messages[:5]) + ("等" if len(messages) > 5 else ""))
    for assessor_name, assessor_cells in outside.items():
        more = "等" if len(assessor_cells) > 3 else ""
        warnings.append(
            f"代录：{len(assessor_cells)} 格未分配给“{assessor_name}”，按代录记入"
            f"（{'、'.join(assessor_cells[:3])}{more}）"
        )
    proxied = {(cell, a) for a, assessor_cells in outside.items() for cell in assessor_cells}
    assessors = {
        name: _assessor(session, name, system_assessors) for name in {c.assessor for c in changes}
    }
    # One read of the rows the changes replace, instead of one per cell.
    existing: dict[tuple[int, int, int], list[ScoreEntry]] = {}
    for entry in session.scalars(
        select(ScoreEntry).where(
            ScoreEntry.round_id == round_.id,
            ScoreEntry.unit_id.in_({units[c.unit] for c in changes}),
            ScoreEntry.node_id.in_({nodes[c.leaf].id for c in changes}),
            ScoreEntry.assessor_id.in_({a.id for a in assessors.values()}),
        )
    ):
        existing.setdefault((entry.unit_id, entry.node_id, entry.assessor_id), []).append(entry)
    for change in changes:
        unit_id, node, assessor = units[change.unit], nodes[change.leaf], assessors[change.assessor]
        rows = existing.get((unit_id, node.id, assessor.id), [])
        on_behalf = (f"{change.unit} {change.leaf}", change.assessor) in proxied
        reason = f"代录：该单元格未分配给“{change.assessor}”" if on_behalf else ""
        _write(session, round_.id, unit_id, node, assessor, rows, change, user, source, reason)
    return warnings


SCORING_STATUS = ROUND_STATUSES[1]  # 评分中


def _check_assessor_account(round_: Round, actor: Actor, changes: list[CellChange]) -> None:
    """An 评分人 account scores only as its own assessor and only while the round is open for
    scoring; which cells are its own is checked with everyone's (write_changes)."""
    if round_.status != SCORING_STATUS:
        raise CellRefused(
            f"考核批次当前为“{round_.status}”，评分人只能在“{SCORING_STATUS}”阶段评分"
        )
    others = sorted({c.assessor for c in changes if c.assessor != actor.assessor_name})
    if others:
        raise CellRefused(f"评分人“{actor.assessor_name}”不能以“{'、'.join(others)}”的名义评分")


def _assessor(session: Session, name: str, system_assessors: frozenset[str]) -> Assessor:
    assessor = session.scalar(select(Assessor).where(Assessor.name == name))
    if assessor is None:
        # Checked before: only the program's own assessors get here without existing.
        assert name in system_assessors, name
        assessor = Assessor(name=name)
        session.add(assessor)
        session.flush()
    return assessor


def _write(
    session: Session,
    round_id: int,
    unit_id: int,
    node: RoundNode,
    assessor: Assessor,
    existing: list[ScoreEntry],
    change: CellChange,
    user: str,
    source: str,
    reason: str,
) -> None:
    old = merge_rows(existing) if existing else None
    if old == change.value:
        return
    for entry in existing:
        session.delete(entry)
    value = change.value
    if value is not None:
        session.add(score_entry(round_id, unit_id, node.id, assessor.id, value, user=user))
    log_change(
        session,
        entity="评分",
        key=f"{change.unit}/{node.code}/{change.assessor}",
        action="删除" if value is None else ("修改" if old else "新增"),
        old=_as_json(old),
        new=_as_json(value),
        round_id=round_id,
        reason=reason,
        source=source,
        user=user,
    )
