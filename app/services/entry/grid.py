"""The score grid's edits: a typed cell or a pasted block, by ids, as one transaction. All cells
of a block are checked first; one bad cell refuses the whole edit, unless the caller asks for
the valid cells of a pasted block to go in and the others to come back listed (issue 17).
Each changed cell is logged with its old and new value (grid_writes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.rounds import ROUND_STATUSES
from app.services.access.actor import Actor
from app.services.access.audit import current_user
from app.services.access.permissions import Permission, require
from app.services.changes import changes_of
from app.services.entry.cell_changes import (
    UNSEEN,
    CellChange,
    CellConflict,
    CellRefused,
    CellsWritten,
    NamedChange,
    RefusedCell,
)
from app.services.entry.grid_data import load_grid, read_cells
from app.services.entry.grid_types import GridAssessor, GridData, GridLeaf, GridUnit, SelfScore
from app.services.entry.grid_writes import system_assessor, write_changes, write_checked
from app.services.entry.named_changes import changes_by_ids
from app.services.rounds.definition import writable_round

__all__ = [
    "UNSEEN",
    "CellChange",
    "CellConflict",
    "CellRefused",
    "CellsWritten",
    "GridAssessor",
    "GridData",
    "GridLeaf",
    "GridUnit",
    "NamedChange",
    "RefusedCell",
    "SelfScore",
    "apply_changes",
    "apply_named_changes",
    "load_grid",
    "read_cells",
    "system_assessor",
    "write_changes",
]

SCORING_STATUS = ROUND_STATUSES[1]  # 评分中


def apply_changes(
    db: Database,
    round_: int | str,
    changes: Sequence[CellChange],
    *,
    source: str = "评分录入",
    partial: bool = False,
) -> CellsWritten:
    """Write a cell or a pasted block by ids: all checked first, one transaction, each cell
    logged. The round by id (the window) or by name (an import names it). ``partial``: the
    valid cells of a pasted block go in and the refused ones come back in ``refused``."""
    if not changes:
        return CellsWritten()
    return _apply(
        db, round_, source, lambda _session, _round: (changes, frozenset()), partial, later=True
    )


def apply_named_changes(
    db: Database,
    round_name: str,
    changes: Sequence[NamedChange],
    *,
    source: str,
    system_assessors: frozenset[str] = frozenset(),
) -> CellsWritten:
    """The same write for a caller that knows cells only by names: the names are turned into
    ids once, and one that is not there is refused; nobody is created but the program's own
    assessors named in ``system_assessors``."""
    if not changes:
        return CellsWritten()
    return _apply(
        db,
        round_name,
        source,
        lambda session, round_: changes_by_ids(session, round_, changes, system_assessors),
    )


ByIds = Callable[[Session, Round], tuple[Sequence[CellChange], frozenset[int]]]


def _apply(
    db: Database,
    round_: int | str,
    source: str,
    by_ids: ByIds,
    partial: bool = False,
    *,
    later: bool = False,
) -> CellsWritten:
    """One user action, one transaction: permission, the round still writable, an 评分人
    account's own limits, the write, and what it changed. ``later``: on a server the write
    takes its turn once the round's tree is read (write_checked); changes by names may
    make an assessor first, so they take it at once."""
    actor = require(Permission.SCORE)
    user = current_user()

    def write(session: Session) -> CellsWritten:
        round_row = writable_round(session, round_)
        changes, own = by_ids(session, round_row)
        if actor.role == ROLE_ASSESSOR:
            _check_assessor_account(session, round_row, actor, changes)
        written = write_checked(
            session,
            round_row,
            changes,
            user=user,
            source=source,
            system_assessors=own,
            partial=partial,
        )
        return CellsWritten(written.warnings, changes_of(session), written.pending, written.refused)

    # Several clerks at once on a server: safe to run again.
    return db.retrying(write, turn_taken_later=later)


def _check_assessor_account(
    session: Session, round_: Round, actor: Actor, changes: Sequence[CellChange]
) -> None:
    """An 评分人 account scores only as its own assessor and only while the round is open for
    scoring; which cells are its own is checked with everyone's (write_changes)."""
    if round_.status != SCORING_STATUS:
        raise CellRefused(
            f"考核批次当前为“{round_.status}”，评分人只能在“{SCORING_STATUS}”阶段评分"
        )
    names = dict(
        session.execute(
            select(Assessor.id, Assessor.name).where(
                Assessor.id.in_({c.assessor_id for c in changes})
            )
        ).all()
    )
    others = sorted(
        {names.get(c.assessor_id, f"编号 {c.assessor_id}") for c in changes} - {actor.assessor_name}
    )
    if others:
        raise CellRefused(f"评分人“{actor.assessor_name}”不能以“{'、'.join(others)}”的名义评分")
