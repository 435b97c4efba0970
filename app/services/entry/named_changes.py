"""Score cells given by names (the ledger's carry-over, which knows its units by name) turned
into ids once per write. A name that is not the round's unit, leaf or an existing assessor is
refused by name; only the program's own assessors (system_assessors) are made when missing."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round, RoundNode, RoundUnit, Unit
from app.services.entry.assignments import no_such_assessor
from app.services.entry.cell_changes import CellChange, CellRefused, NamedChange
from app.services.entry.grid_writes import system_assessor


def changes_by_ids(
    session: Session,
    round_: Round,
    changes: Sequence[NamedChange],
    system_assessors: frozenset[str] = frozenset(),
) -> tuple[list[CellChange], frozenset[int]]:
    """The changes by ids, and the ids of the program's own assessors among them (to pass
    to write_changes); raises CellRefused naming every name that is not there."""
    units = dict(
        session.execute(
            select(Unit.name, Unit.id)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_.id, Unit.name.in_({c.unit for c in changes}))
        ).all()
    )
    leaves = dict(
        session.execute(
            select(RoundNode.code, RoundNode.id).where(
                RoundNode.round_id == round_.id, RoundNode.code.in_({c.leaf for c in changes})
            )
        ).all()
    )
    assessors = dict(
        session.execute(
            select(Assessor.name, Assessor.id).where(
                Assessor.name.in_({c.assessor for c in changes})
            )
        ).all()
    )
    problems = []
    for change in changes:
        if change.leaf not in leaves:
            problems.append(f"指标 {change.leaf} 不是本批次的末级指标")
        elif change.unit not in units:
            problems.append(f"单位“{change.unit}”不在本批次中")
        elif change.assessor not in assessors and change.assessor not in system_assessors:
            problems.append(no_such_assessor(change.assessor))
    if problems:
        raise CellRefused.of(problems)
    own = {
        name: system_assessor(session, name)
        for name in sorted(system_assessors & {c.assessor for c in changes})
    }
    ids = assessors | own
    by_ids = [CellChange(units[c.unit], leaves[c.leaf], ids[c.assessor], c.value) for c in changes]
    return by_ids, frozenset(own.values())
