"""A score value and the rows that carry it: how a workbook row reads as the value it enters."""

from __future__ import annotations

from app.io.records import ScoreRecord
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
