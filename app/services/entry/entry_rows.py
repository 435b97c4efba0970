"""A score value and the rows that store it: the one place a checked value becomes a
ScoreEntry row (the grid, the workbooks, reviews and the demo all write through it), and how
a workbook row or several stored rows read as one value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.io.records import ScoreRecord
from app.models import ScoreEntry
from app.services.entry.cells import CellValue


def value_of(record: ScoreRecord) -> CellValue:
    """A scores workbook's row as the value it enters, without where it came from."""
    return CellValue(
        record.deduction,
        record.score,
        record.answer,
        record.measured,
        record.not_applicable,
        record.veto,
        record.reason,
    )


def score_entry(
    round_id: int, unit_id: int, leaf_id: int, assessor_id: int, value: CellValue, *, user: str
) -> ScoreEntry:
    """The row that stores a value already checked against its leaf's rule."""
    return ScoreEntry(
        round_id=round_id,
        unit_id=unit_id,
        node_id=leaf_id,
        assessor_id=assessor_id,
        deduction=value.deduction,
        score=value.score,
        answer=value.answer,
        measured=value.measured,
        not_applicable=value.not_applicable,
        veto=value.veto,
        reason=value.reason,
        entered_by=user,
    )


def merge_rows(rows: list[Any]) -> CellValue:
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
