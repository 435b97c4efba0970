"""What an analysis reads of a round: its data for the engine, its rules and year, and the
area and leaf names — once, for a person allowed to see the round's results."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.database import Database
from app.scoring.types import Rules
from app.services.review.results import require_results_visible
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import RoundData, load_round_data
from app.services.rounds.rules_storage import rules_of


@dataclass
class RoundInputs:
    name: str
    year: int
    status: str
    data: RoundData
    rules: Rules
    leaf_names: dict[str, str]  # leaf code -> name

    def area_label(self, code: str) -> str:
        """ "依法决策（一级指标3）" — how a sentence names an area."""
        name = self.data.area_names.get(code)
        return f"“{name}”（一级指标{code}）" if name else f"一级指标{code}"


def read_round(db: Database, round_name: str) -> RoundInputs:
    require_results_visible(db, round_name)
    with db.reading() as session:
        round_ = find_round(session, round_name)
        data = load_round_data(session, round_)
        leaf_names = {code: node.name for code, node in data.leaf_nodes.items()}
        return RoundInputs(
            round_.name, round_.year, round_.status, data, rules_of(round_), leaf_names
        )


def figure(value: float) -> str:
    """A float figure as the results command prints figures: 四舍五入 to 2 places."""
    from decimal import Decimal

    from app.scoring.calculation import two

    return two(Decimal(repr(float(value))))


def percent(share: float) -> str:
    """A share as a percentage to 2 places, without the sign: 0.975 -> "97.50"."""
    return figure(share * 100)
