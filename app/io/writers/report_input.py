"""What the report writers are given: one unit's score sheet as rows, with its calculation.
Built by the services from the engine's explanation; the writers only lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.scoring.calculation import Calculation


@dataclass(frozen=True)
class SheetRow:
    code: str
    area: str
    name: str
    points: Decimal
    score: Fraction
    state: str
    reasons: str
    counted: bool  # in the area subtotal (not a 加分 or 否决 leaf, and applicable)


@dataclass(frozen=True)
class UnitSheet:
    unit: str
    category: str
    final: Decimal
    grade: str
    category_rank: int
    rows: list[SheetRow]
    area_points: dict[str, Fraction]  # area code -> points of its applicable counted leaves
    calculation: Calculation  # from the leaves to the final, and the rounding note
