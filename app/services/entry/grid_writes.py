"""Score cells written by ids inside the caller's transaction: every change checked first (its
place, its assessor, its value), one bad cell refusing all (or, for a pasted block, only
itself), then each changed cell written and logged with its old and new value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import take_turn
from app.models.enums import RoundStatus
from app.services.access.actor import current_actor
from app.services.access.audit import log_change
from app.services.entry.assignments import ScoreScope, score_scope
from app.services.entry.cell_changes import (
    CellChange,
    CellConflict,
    CellRefused,
    RefusedCell,
    Written,
)
from app.services.entry.cell_conflicts import conflicts
from app.services.entry.cells import CellValue
from app.services.entry.checks import check_value
from app.services.entry.entry_rows import merge_rows, score_entry
from app.services.rounds.definition import writable_round

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

    def log_key(self, change: CellChange) -> str:
        """The cell as the change log keys it: unit, leaf code, assessor."""
        unit, node = self.units[change.unit_id], self.nodes[change.leaf_id]
        return f"{unit}/{node.code}/{self.scope.names[change.assessor_id]}"


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
    score together with its decision); one bad cell refuses all; returns the warnings, a
    酌情 deduction still waiting for its reason among them.

    Nobody is created here: every assessor id must exist, and be one of the round's unless it
    is among ``system_assessors`` (the program's own, from system_assessor())."""
    written = write_checked(
        session, round_, changes, user=user, source=source, system_assessors=system_assessors
    )
    return [*written.warnings, *written.pending]


def write_checked(
    session: Session,
    round_: Round,
    changes: Sequence[CellChange],
    *,
    user: str,
    source: str,
    system_assessors: frozenset[int] = frozenset(),
    partial: bool = False,
) -> Written:
    """write_changes, and for a pasted block (``partial``) the valid cells written while the
    refused ones come back with their reasons instead of refusing the block (issue 17)."""
    targets = _targets(session, round_, changes)
    verdict = _checked(changes, targets, system_assessors)
    if verdict.refused and not partial:
        raise CellRefused.of([m for messages in verdict.refused.values() for m in messages])
    kept = [(i, c) for i, c in enumerate(changes) if i not in verdict.refused]
    # What the changes replace is read in this write's turn (the round's tree and assessors,
    # above, need not be), and the round may have been published meanwhile.
    if take_turn(session):
        session.refresh(round_, ["status"])
        writable_round(session, round_.id)
        if current_actor().role == ROLE_ASSESSOR and round_.status != RoundStatus.SCORING:
            raise CellRefused(  # closed for scoring while this edit waited
                f"考核批次当前为“{round_.status}”，评分人只能在“{RoundStatus.SCORING}”阶段评分"
            )
    existing = _existing(session, round_.id, [c for _, c in kept]) if kept else {}
    clashes = conflicts(
        session,
        round_.id,
        [(i, c, targets.log_key(c)) for i, c in kept],
        {key: merge_rows(rows) for key, rows in existing.items()},
    )
    if clashes and not partial:
        stored = {_key(changes[i]): clash.stored for i, clash in clashes.items()}
        raise CellConflict("；".join(c.message for c in clashes.values()), stored)
    names = targets.scope.names
    for i, change in kept:
        if i in clashes:
            continue
        key = _key(change)
        assessor = names[change.assessor_id]
        reason = f"代录：该单元格未分配给“{assessor}”" if key in verdict.proxied else ""
        _write(session, round_.id, change, existing.get(key, []), targets, user, source, reason)
    refused = [
        RefusedCell(changes[i], "；".join(dict.fromkeys(m))) for i, m in verdict.refused.items()
    ]
    refused += [RefusedCell(changes[i], c.message, c.stored) for i, c in clashes.items()]
    return Written(tuple(verdict.warnings), tuple(verdict.pending), tuple(refused))


def _key(change: CellChange) -> CellKey:
    return (change.unit_id, change.leaf_id, change.assessor_id)


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


@dataclass
class _Verdict:
    """Every change checked: the refused ones by their place in the edit, with why."""

    refused: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    proxied: set[CellKey] = field(default_factory=set)  # entered on an assessor's behalf

    def refuse(self, index: int, message: str) -> None:
        self.refused.setdefault(index, []).append(message)


def _checked(
    changes: Sequence[CellChange], targets: _Targets, system_assessors: frozenset[int]
) -> _Verdict:
    """Every change checked on its own, so a block can keep its valid cells."""
    scope = targets.scope
    verdict = _Verdict()
    outside: dict[int, list[int]] = {}  # assessor -> the changes not assigned to them
    for i, change in enumerate(changes):
        misplaced = _misplaced(change, targets)
        if misplaced is not None:
            verdict.refuse(i, misplaced)
            continue
        if change.assessor_id not in system_assessors:
            problem = scope.problem(change.assessor_id)
            unknown = change.assessor_id not in scope.names
            if problem is not None and (change.value is not None or unknown):
                verdict.refuse(i, problem)
            elif scope.has_assignments and not scope.assigned(
                change.assessor_id, change.leaf_id, change.unit_id
            ):
                outside.setdefault(change.assessor_id, []).append(i)
        if change.value is not None:
            check = check_value(change.value, targets.nodes[change.leaf_id])
            unit = targets.units[change.unit_id]
            for p in check.problems:
                verdict.refuse(i, f"{unit}：{p.message}")
            if i not in verdict.refused:
                verdict.warnings += [f"{unit}：{w.message}" for w in check.warnings]
                verdict.pending += [f"{unit}：{w.message}" for w in check.pending]
    for_someone = current_actor().role != ROLE_ASSESSOR  # the office enters on their behalf
    if outside and not for_someone:
        for assessor_id, mine in outside.items():
            for i in mine:
                verdict.refuse(
                    i,
                    f"单元格 {targets.cell(changes[i])} 未分配给“{scope.names[assessor_id]}”"
                    "（评分人只能给分配给自己的单元格评分）",
                )
        return verdict
    for assessor_id, mine in outside.items():
        cells = [targets.cell(changes[i]) for i in mine if i not in verdict.refused]
        if not cells:
            continue
        verdict.warnings.append(
            f"代录：{len(cells)} 格未分配给“{scope.names[assessor_id]}”，按代录记入"
            f"（{'、'.join(cells[:3])}{_more(cells)}）"
        )
        verdict.proxied |= {
            (c.unit_id, c.leaf_id, c.assessor_id)
            for c in (changes[i] for i in mine if i not in verdict.refused)
        }
    return verdict


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
    log_change(
        session,
        entity="评分",
        key=targets.log_key(change),
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
