"""The 酌情 deductions kept without their reason (issue 17): a number typed before its reason
is written and marked, and stays listed here until the reason is added. The grid counts them
in memory; the round's gate lists them from the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round, RoundNode, RoundUnit, ScoreEntry, Unit
from app.services.entry.checks import Discretion, discretion_of, reason_missing
from app.services.entry.entry_rows import merge_rows
from app.services.entry.grid_types import CellKey, GridData


@dataclass(frozen=True)
class MissingReason:
    unit: str
    leaf: str  # the leaf's code
    assessor: str
    message: str


def waiting_for_reason(grid: GridData) -> list[CellKey]:
    """The grid's cells (the panel's) that wait for a reason: only the 酌情 leaves are looked
    at, so a count after each edit stays cheap."""
    ranged = [leaf for leaf in grid.leaves if leaf.discretion is not None]
    return [
        key
        for leaf in ranged
        for unit in grid.units
        for assessor in grid.panel
        if reason_missing(grid.cells.get(key := (unit.id, leaf.id, assessor.id)), leaf.discretion)
    ]


def missing_reasons(session: Session, round_: Round) -> list[MissingReason]:
    """Every assessor's 酌情 deduction in the round without a reason, by unit and leaf; the
    rows of one assessor's cell read as one value, as the grid shows them."""
    ranged: dict[int, tuple[RoundNode, Discretion]] = {
        node.id: (node, found)
        for node in round_.nodes
        if (found := discretion_of(node)) is not None
    }
    if not ranged:
        return []
    rows: dict[tuple[str, int, str], list[ScoreEntry]] = defaultdict(list)
    for entry, unit, assessor in session.execute(
        select(ScoreEntry, Unit.name, Assessor.name)
        .join(Unit, Unit.id == ScoreEntry.unit_id)
        .join(Assessor, Assessor.id == ScoreEntry.assessor_id)
        .join(
            RoundUnit,
            (RoundUnit.unit_id == ScoreEntry.unit_id) & (RoundUnit.round_id == round_.id),
        )
        .where(ScoreEntry.round_id == round_.id, ScoreEntry.node_id.in_(list(ranged)))
        .order_by(ScoreEntry.id)
    ).all():
        rows[(unit, entry.node_id, assessor)].append(entry)
    found = []
    for (unit, node_id, assessor), entries in rows.items():
        node, discretion = ranged[node_id]
        value = merge_rows(entries)
        if reason_missing(value, discretion):
            assert value.deduction is not None
            found.append(
                MissingReason(
                    unit,
                    node.code,
                    assessor,
                    f"评分人“{assessor}”对“{unit}”指标 {node.code} 酌情扣 "
                    f"{value.deduction.normalize():f} 分，未填写扣分理由（{discretion.rule()}）",
                )
            )
    return sorted(found, key=lambda m: (m.unit, m.leaf, m.assessor))
