"""The evidence at a glance: per unit how far its package has got (the 佐证材料 page), which
cells of the grid have evidence and in what state (the mark in the cell), and what the units
still owe (the home page). Each is a few grouped queries over the round: quick enough to run
whenever the page or the grid is read again."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    EvidenceAttachment,
    EvidenceFile,
    EvidencePackage,
    EvidenceReview,
    RoundUnit,
)
from app.models.database import Database
from app.models.evidence import REVIEW_ACCEPTED, REVIEW_RETURNED
from app.services.access.permissions import Permission, require
from app.services.evidence.listing import PENDING
from app.services.evidence.reviews import ReturnedItem, returned_items
from app.services.evidence.unit_leaves import applicable_leaves
from app.services.rounds.definition import PUBLISHED, list_rounds, round_of
from app.services.rounds.participants import units_taking_part


@dataclass(frozen=True)
class UnitOverview:
    """One unit's evidence in a round, counted per leaf."""

    unit: str
    leaves: int  # applicable leaves
    with_files: int  # leaves with at least one file
    files: int
    size: int
    accepted: int  # leaves 认可
    pending: int  # leaves with files not reviewed yet
    returned: int  # leaves sent back (退回补充)
    overdue: int  # of those, past their deadline
    packages: int  # packages imported
    last_package: datetime | None


@dataclass(frozen=True)
class CellMark:
    """A grid cell's evidence: how many files, and the review (认可 / 退回补充 / 待审核)."""

    files: int
    review: str


def unit_overview(db: Database, round_: int | str, today: date | None = None) -> list[UnitOverview]:
    """Every participant of the round, by name."""
    require(Permission.VIEW)
    today = today or date.today()
    with db.reading() as session:
        found = round_of(session, round_)
        units = units_taking_part(session, found.id)
        files: Counter[tuple[int, int]] = Counter()
        size: Counter[int] = Counter()
        for unit_id, node_id, count, total in session.execute(
            select(
                EvidenceAttachment.unit_id,
                EvidenceAttachment.node_id,
                func.count(),
                func.sum(EvidenceFile.size),
            )
            .join(EvidenceFile, EvidenceFile.id == EvidenceAttachment.file_id)
            .where(EvidenceAttachment.round_id == found.id)
            .group_by(EvidenceAttachment.unit_id, EvidenceAttachment.node_id)
        ):
            files[(unit_id, node_id)] = int(count)
            size[unit_id] += int(total or 0)
        reviews = {
            (r.unit_id, r.node_id): r
            for r in session.scalars(
                select(EvidenceReview).where(EvidenceReview.round_id == found.id)
            )
        }
        packages = {
            unit_id: (int(count), last)
            for unit_id, count, last in session.execute(
                select(
                    EvidencePackage.unit_id,
                    func.count(),
                    func.max(EvidencePackage.imported_at),
                )
                .where(EvidencePackage.round_id == found.id)
                .group_by(EvidencePackage.unit_id)
            )
        }
        leaves_of = _leaves_by_unit(session, found.id)
    rows = []
    for name, unit_id in sorted(units.items()):
        leaves = leaves_of[unit_id]
        states = [reviews.get((unit_id, node)) for node in leaves]
        returned = [r for r in states if r is not None and r.status == REVIEW_RETURNED]
        count, last = packages.get(unit_id, (0, None))
        rows.append(
            UnitOverview(
                name,
                len(leaves),
                sum(1 for node in leaves if files[(unit_id, node)]),
                sum(files[(unit_id, node)] for node in leaves),
                size[unit_id],
                sum(1 for r in states if r is not None and r.status == REVIEW_ACCEPTED),
                sum(
                    1
                    for node, r in zip(leaves, states, strict=True)
                    if r is None and files[(unit_id, node)]
                ),
                len(returned),
                sum(1 for r in returned if r.due is not None and r.due < today),
                count,
                last,
            )
        )
    return rows


def _leaves_by_unit(session: Session, round_id: int) -> dict[int, list[int]]:
    """Each participant's applicable leaves, read once per category (they depend on it only)."""
    categories = dict(
        session.execute(
            select(RoundUnit.unit_id, RoundUnit.category_name).where(RoundUnit.round_id == round_id)
        ).all()
    )
    by_category: dict[object, list[int]] = {}
    found = {}
    for unit_id, category in categories.items():
        if category not in by_category:
            by_category[category] = [
                leaf.node_id for leaf in applicable_leaves(session, round_id, unit_id)
            ]
        found[unit_id] = by_category[category]
    return found


def cell_marks(db: Database, round_id: int) -> dict[tuple[int, int], CellMark]:
    """By (unit id, leaf's node id): every cell with evidence or a review."""
    require(Permission.VIEW)
    with db.reading() as session:
        counts = session.execute(
            select(EvidenceAttachment.unit_id, EvidenceAttachment.node_id, func.count())
            .where(EvidenceAttachment.round_id == round_id)
            .group_by(EvidenceAttachment.unit_id, EvidenceAttachment.node_id)
        ).all()
        reviews = session.execute(
            select(EvidenceReview.unit_id, EvidenceReview.node_id, EvidenceReview.status).where(
                EvidenceReview.round_id == round_id
            )
        ).all()
    found = {(u, n): int(c) for u, n, c in counts}
    said = {(u, n): status for u, n, status in reviews}
    return {
        key: CellMark(found.get(key, 0), said.get(key, PENDING))
        for key in found.keys() | said.keys()
    }


@dataclass(frozen=True)
class OwedItem:
    """A leaf sent back in a round still open: what a unit owes, and by when."""

    round_name: str
    item: ReturnedItem


def owed_in_open_rounds(db: Database, today: date | None = None) -> list[OwedItem]:
    """Every leaf sent back (退回补充) in the rounds not yet published, soonest deadline
    first (overdue ones first of all)."""
    require(Permission.VIEW)
    today = today or date.today()
    owed = [
        OwedItem(info.name, item)
        for info in list_rounds(db)
        if info.status != PUBLISHED
        for item in returned_items(db, info.id, today)
    ]
    return sorted(owed, key=lambda o: (o.item.due or date.max, o.round_name, o.item.unit))
