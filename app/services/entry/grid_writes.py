"""Score cells written by ids inside the caller's transaction: every change checked first (its
place, its assessor, its value), one bad cell refusing all, then each changed cell written
and logged with its old and new value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.services.access.actor import current_actor
from app.services.access.audit import log_change
from app.services.entry.assignments import ScoreScope, score_scope
from app.services.entry.cell_changes import CellChange, CellRefused
from app.services.entry.cells import CellValue
from app.services.entry.checks import check_value
from app.services.entry.entry_rows import merge_rows, score_entry

CellKey = tuple[int, int, int]  # unit id, leaf id, assessor id


@dataclass(frozen=True)
class _Targets:
    """What the changes point at, read once by id: the units (and which take part), the
    round's nodes among them (and which have children), and every assessor by id."""

    units: dict[int, str]  # every unit named, by id: its name
    taking_part: frozenset[int]
    nodes: dict[int, RoundNode]  # the round's nodes named, by id
    parents: frozenset[int]
    scope: ScoreScope

    def cell(self, change: CellChange) -> str:
        """The cell as messages and the change log name it: unit and leaf code."""
        return f"{self.units[change.unit_id]} {self.nodes[change.leaf_id].code}"


def system_assessor(session: Session, name: str) -> int:
    """The id of one of the program's own assessors (整改台账, 复核组), made on first use and
    never assigned. Only services call it, with their own constant: a name someone typed or
    imported never creates an assessor (issue 14 §4)."""
    found = session.scalar(select(Assessor.id).where(Assessor.name == name))
    if found is not None:
        return found
    assessor = Assessor(name=name)
    session.add(assessor)
    session.flush()
    return assessor.id


def write_changes(
    session: Session,
    round_: Round,
    changes: Sequence[CellChange],
    *,
    user: str,
    source: str,
    system_assessors: frozenset[int] = frozenset(),
) -> list[str]:
    """Check and write changes inside the caller's transaction (a review writes its new
    score together with its decision); returns the warnings.

    Nobody is created here: every assessor id must exist, and be one of the round's unless it
    is among ``system_assessors`` (the program's own, from system_assessor())."""
    targets = _targets(session, round_, changes)
    warnings, proxied = _checked(changes, targets, system_assessors)
    existing = _existing(session, round_.id, changes)
    names = targets.scope.names
    for change in changes:
        key = (change.unit_id, change.leaf_id, change.assessor_id)
        assessor = names[change.assessor_id]
        reason = f"代录：该单元格未分配给“{assessor}”" if key in proxied else ""
        _write(session, round_.id, change, existing.get(key, []), targets, user, source, reason)
    return warnings


def _targets(session: Session, round_: Round, changes: Sequence[CellChange]) -> _Targets:
    # Only the rows this edit names: a typed cell must not read the round's scores.
    unit_ids = {c.unit_id for c in changes}
    node_ids = {c.leaf_id for c in changes}
    nodes = {
        n.id: n
        for n in session.scalars(
            select(RoundNode).where(RoundNode.round_id == round_.id, RoundNode.id.in_(node_ids))
        )
    }
    return _Targets(
        dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()),
        frozenset(
            session.scalars(
                select(RoundUnit.unit_id).where(
                    RoundUnit.round_id == round_.id, RoundUnit.unit_id.in_(unit_ids)
                )
            )
        ),
        nodes,
        frozenset(
            session.scalars(select(RoundNode.parent_id).where(RoundNode.parent_id.in_(list(nodes))))
        ),
        score_scope(session, round_),
    )


def _misplaced(change: CellChange, targets: _Targets) -> str | None:
    """Why a change cannot go where it points (its value is not checked then): the assessor's
    own unit (回避), no leaf of this round, a unit not taking part."""
    scope = targets.scope
    unit = targets.units.get(change.unit_id, f"编号 {change.unit_id}")
    assessor = scope.names.get(change.assessor_id)
    if (
        change.unit_id in targets.taking_part
        and assessor is not None
        and scope.own_units.get(change.assessor_id) == change.unit_id
    ):
        return f"评分人“{assessor}”不能给本单位“{unit}”评分（回避）"
    node = targets.nodes.get(change.leaf_id)
    if node is None or node.id in targets.parents:
        code = f"（编号 {change.leaf_id}）" if node is None else node.code
        return f"指标 {code} 不是本批次的末级指标"
    if change.unit_id not in targets.taking_part:
        return f"单位“{unit}”不在本批次中"
    return None


def _checked(
    changes: Sequence[CellChange], targets: _Targets, system_assessors: frozenset[int]
) -> tuple[list[str], set[CellKey]]:
    """Every change checked; raises CellRefused naming what is wrong, else returns the
    warnings and the cells entered on an assessor's behalf (代录)."""
    scope = targets.scope
    messages: list[str] = []
    warnings: list[str] = []
    outside: dict[int, list[CellChange]] = {}  # assessor -> cells not assigned to them
    for change in changes:
        misplaced = _misplaced(change, targets)
        if misplaced is not None:
            messages.append(misplaced)
            continue
        if change.assessor_id not in system_assessors:
            problem = scope.problem(change.assessor_id)
            unknown = change.assessor_id not in scope.names
            if problem is not None and (change.value is not None or unknown):
                messages.append(problem)
            elif scope.has_assignments and not scope.assigned(
                change.assessor_id, change.leaf_id, change.unit_id
            ):
                outside.setdefault(change.assessor_id, []).append(change)
        if change.value is not None:
            check = check_value(change.value, targets.nodes[change.leaf_id])
            unit = targets.units[change.unit_id]
            messages += [f"{unit}：{p.message}" for p in check.problems]
            warnings += [f"{unit}：{w.message}" for w in check.warnings]
    for_someone = current_actor().role != ROLE_ASSESSOR  # the office enters on their behalf
    if outside and not for_someone:
        cells = [targets.cell(c) for mine in outside.values() for c in mine]
        names = "、".join(scope.names[a] for a in outside)
        messages.append(
            f"以下单元格未分配给“{names}”：{'、'.join(cells[:3])}{_more(cells)}"
            "（评分人只能给分配给自己的单元格评分）"
        )
    if messages:
        raise CellRefused.of(messages)
    for assessor_id, mine in outside.items():
        cells = [targets.cell(c) for c in mine]
        warnings.append(
            f"代录：{len(cells)} 格未分配给“{scope.names[assessor_id]}”，按代录记入"
            f"（{'、'.join(cells[:3])}{_more(cells)}）"
        )
    proxied = {(c.unit_id, c.leaf_id, c.assessor_id) for mine in outside.values() for c in mine}
    return warnings, proxied


def _more(cells: list[str]) -> str:
    return "等" if len(cells) > 3 else ""


def _existing(
    session: Session, round_id: int, changes: Sequence[CellChange]
) -> dict[CellKey, list[ScoreEntry]]:
    """One read of the rows the changes replace, instead of one per cell."""
    existing: dict[CellKey, list[ScoreEntry]] = {}
    for entry in session.scalars(
        select(ScoreEntry).where(
            ScoreEntry.round_id == round_id,
            ScoreEntry.unit_id.in_({c.unit_id for c in changes}),
            ScoreEntry.node_id.in_({c.leaf_id for c in changes}),
            ScoreEntry.assessor_id.in_({c.assessor_id for c in changes}),
        )
    ):
        existing.setdefault((entry.unit_id, entry.node_id, entry.assessor_id), []).append(entry)
    return existing


def _write(
    session: Session,
    round_id: int,
    change: CellChange,
    existing: list[ScoreEntry],
    targets: _Targets,
    user: str,
    source: str,
    reason: str,
) -> None:
    """One cell: its rows replaced by the new value, logged; nothing when it is unchanged."""
    old = merge_rows(existing) if existing else None
    value = change.value
    if old == value:
        return
    for entry in existing:
        session.delete(entry)
    if value is not None:
        session.add(
            score_entry(
                round_id, change.unit_id, change.leaf_id, change.assessor_id, value, user=user
            )
        )
    node = targets.nodes[change.leaf_id]
    log_change(
        session,
        entity="评分",
        key=f"{targets.units[change.unit_id]}/{node.code}/{targets.scope.names[change.assessor_id]}",
        action="删除" if value is None else ("修改" if old else "新增"),
        old=_as_json(old),
        new=_as_json(value),
        round_id=round_id,
        reason=reason,
        source=source,
        user=user,
    )


LOG_LABELS = {
    "deduction": "扣分",
    "score": "得分",
    "answer": "是否",
    "measured": "实际值",
    "not_applicable": "不适用",
    "veto": "否决",
    "reason": "理由",
}


def _as_json(value: CellValue | None) -> dict[str, str] | None:
    """A cell as the change log keeps it: the parts it has, by their Chinese labels."""
    if value is None:
        return None
    result = {}
    for attribute, label in LOG_LABELS.items():
        item = getattr(value, attribute)
        # By identity: a deduction of 0 is an entry (0 == False), and 否 is an answer.
        if attribute == "answer" and item is False:
            result[label] = "否"
        elif not (item is None or item is False or item == ""):
            result[label] = str(item) if not isinstance(item, bool) else "是"
    return result
