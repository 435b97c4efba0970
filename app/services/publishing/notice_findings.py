"""What a notice lists (issue 17): a round's findings less those whose problem in the ledger is
already closed (已销号), so a later 督办函 never presses a unit on what it has rectified."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from app.models import Problem, Unit
from app.models.database import Database
from app.models.ledger import CLOSED
from app.services.review.findings import UnitFindings, round_findings
from app.services.rounds.definition import find_round


@dataclass(frozen=True)
class OpenFindings:
    """Per unit, the findings still open; ``settled``: the units that had findings and have
    had every one of them closed (a notice to them would have nothing to list)."""

    units: list[UnitFindings]
    settled: frozenset[str]


def open_findings(
    db: Database, round_name: str, findings: Sequence[UnitFindings] | None = None
) -> OpenFindings:
    """``findings``: the round's, when the caller has them already."""
    if findings is None:
        findings = round_findings(db, round_name)[1]
    with db.reading() as session:
        round_id = find_round(session, round_name).id
        closed = set(
            session.execute(
                select(Unit.name, Problem.source_key)
                .join(Unit, Unit.id == Problem.unit_id)
                .where(Problem.round_id == round_id, Problem.status == CLOSED)
            ).all()
        )
        unit_ids = dict(session.execute(select(Unit.name, Unit.id)).all())
    if not closed:
        return OpenFindings(list(findings), frozenset())
    units, settled = [], set()
    for found in findings:
        prefix = f"round:{round_id}:{unit_ids.get(found.unit)}:"
        still = [f for f in found.findings if (found.unit, prefix + f.leaf_code) not in closed]
        if found.findings and not still:
            settled.add(found.unit)
        units.append(replace(found, findings=still) if len(still) < len(found.findings) else found)
    return OpenFindings(units, frozenset(settled))
