"""Score cells as a test names them (unit, leaf code, assessor), turned into the CellChange by
ids the grid writes, by the service's own reading of names."""

from __future__ import annotations

from app.models.database import Database
from app.services.entry.grid import CellChange, NamedChange
from app.services.entry.named_changes import changes_by_ids
from app.services.rounds.definition import find_round


def by_ids(db: Database, round_name: str, *changes: NamedChange) -> list[CellChange]:
    with db.reading() as session:
        found, _ = changes_by_ids(session, find_round(session, round_name), changes)
    return found
