"""A round's results as the engine gave them, with the names and points the documents show:
what every writer of results (workbooks, PDFs, the window) is handed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.scoring.types import RoundResult, Rules


@dataclass
class RoundResults:
    round_name: str
    status: str
    result: RoundResult
    area_names: dict[str, str]  # first-level code -> name, in tree order
    # unit -> area -> points of the leaves that apply to it (for 得分率)
    area_points: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)  # the rules the results were computed by
