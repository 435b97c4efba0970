"""The score grid's data, read in one pass: the leaves, units and every assessor's cell, plus
the live results (the round's scoring inputs kept in memory, so an edit re-ranks in
milliseconds instead of reloading the round)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, RoundNode, RoundUnit, SatisfactionResult, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.review import DEFAULT_DISAGREEMENT, ReviewSettings, SelfAssessment
from app.scoring.incremental import LiveResults
from app.scoring.types import Entry, Leaf, Rules
from app.scoring.types import Unit as ScoringUnit
from app.services.access.actor import current_actor
from app.services.entry.cells import CellValue
from app.services.entry.checks import Discretion, discretion_of
from app.services.entry.entry_rows import merge_rows
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import effective_categories, round_leaves
from app.services.rounds.rules_storage import rules_of


@dataclass(frozen=True)
class GridLeaf:
    code: str
    name: str
    area_code: str
    area_name: str
    points: Decimal
    method: str
    standard: str
    categories: frozenset[str] | None
    discretion: Discretion | None = None  # a 酌情 range ("扣5-10分"): value in it and a note


@dataclass(frozen=True)
class GridUnit:
    name: str
    short_name: str
    category: str


@dataclass(frozen=True)
class SelfScore:
    """A unit's self-assessment (自评) of one leaf."""

    score: Decimal | None
    not_applicable: bool
    note: str


@dataclass
class GridData:
    round_name: str
    status: str
    leaves: list[GridLeaf]
    units: list[GridUnit]
    assessors: list[str]
    # (unit, leaf code, assessor) -> that assessor's entry, several deduction rows summed
    values: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    scoring_leaves: dict[str, Leaf] = field(default_factory=dict)
    scoring_units: list[ScoringUnit] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    satisfaction: dict[str, Decimal] = field(default_factory=dict)
    # every assessor's cells, also those an 评分人 account does not see: the results count them
    all_values: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    _live: LiveResults | None = None
    trim_from: int = 5
    disagreement_fraction: Decimal = DEFAULT_DISAGREEMENT
    # assessor -> leaf code -> the units assigned (None: every unit); no entry: no assignment
    assignments: dict[str, dict[str, frozenset[str] | None]] = field(default_factory=dict)
    own_units: dict[str, str] = field(default_factory=dict)  # assessor -> their unit (回避)
    self_scores: dict[tuple[str, str], SelfScore] = field(default_factory=dict)

    def live_results(self) -> LiveResults:
        """The results over every assessor's entries, built on first use (after the grid is
        painted) and then kept up to date cell by cell."""
        if self._live is None:
            self._live = LiveResults(
                self.scoring_leaves.values(),
                self.scoring_units,
                [entry_of(*key, value) for key, value in self.all_values.items()],
                self.rules,
                self.satisfaction,
            )
        return self._live

    def store(self, unit: str, leaf: str, assessor: str, value: CellValue | None) -> None:
        """Keep a written cell: the values shown, and the live results when built."""
        key = (unit, leaf, assessor)
        for values in (self.values, self.all_values):
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        if self._live is not None:
            entries = [] if value is None else [entry_of(unit, leaf, assessor, value)]
            self._live.set_cell(unit, leaf, assessor, entries)

    def applies(self, leaf: GridLeaf, unit: GridUnit) -> bool:
        return leaf.categories is None or unit.category in leaf.categories

    def assigned(self, assessor: str, unit: str, leaf: str) -> bool:
        """Is this cell the assessor's to score? Without any assignment, every cell is."""
        if self.own_units.get(assessor) == unit:
            return False
        mine = self.assignments.get(assessor)
        if mine is None:
            return True
        if leaf not in mine:
            return False
        units = mine[leaf]
        return units is None or unit in units


def entry_of(unit: str, leaf: str, assessor: str, value: CellValue) -> Entry:
    return Entry(
        unit,
        leaf,
        assessor,
        value.deduction,
        value.score,
        value.answer,
        value.measured,
        value.not_applicable,
        value.veto,
    )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _cells(
    session: Session,
    round_id: int,
    unit_names: dict[int, str],
    codes: dict[int, str],
    assessors: dict[int, str],
) -> dict[tuple[str, str, str], CellValue]:
    """Every entry of the round as cells. Plain driver rows: the ORM's per-value processing
    costs more than the rest of opening the grid."""
    cursor = session.connection().connection.cursor()
    rows = cursor.execute(
        "SELECT unit_id, node_id, assessor_id, deduction, score, answer, measured,"
        " not_applicable, veto, reason FROM score_entries WHERE round_id = ?",
        (round_id,),
    ).fetchall()
    cursor.close()
    values: dict[tuple[str, str, str], CellValue] = {}
    several: dict[tuple[str, str, str], list[CellValue]] = defaultdict(list)
    for unit_id, node_id, assessor_id, deduction, score, answer, measured, na, veto, reason in rows:
        unit = unit_names.get(unit_id)
        if unit is None:
            continue  # a unit no longer taking part
        key = (unit, codes[node_id], assessors[assessor_id])
        value = CellValue(
            None if deduction is None else Decimal(deduction),
            None if score is None else Decimal(score),
            None if answer is None else bool(answer),
            None if measured is None else Decimal(measured),
            bool(na),
            bool(veto),
            reason or "",
        )
        if key in values:
            several[key].append(value)
        else:
            values[key] = value
    for key, more in several.items():
        values[key] = merge_rows([values[key], *more])
    return values


def load_grid(db: Database, round_name: str) -> GridData:
    """The round's grid, with what its live results are computed from."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
        leaves, leaf_nodes, areas = round_leaves(nodes)
        by_id = {n.id: n for n in nodes}
        grid_leaves = [
            GridLeaf(
                leaf.code,
                leaf_nodes[leaf.code].name,
                leaf.area_code,
                areas[leaf.area_code],
                leaf.points,
                leaf.method.value,
                leaf_nodes[leaf.code].standard,
                effective_categories(leaf_nodes[leaf.code], by_id),
                discretion_of(leaf_nodes[leaf.code]),
            )
            for leaf in leaves
        ]
        participants = session.execute(
            select(
                Unit.id, Unit.name, Unit.short_name, RoundUnit.category_name, RoundUnit.sort_order
            )
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_.id)
            .order_by(RoundUnit.sort_order)
        ).all()
        units = [GridUnit(n, s or n, c) for _, n, s, c, _ in participants]
        unit_names = {i: n for i, n, *_ in participants}
        assessor_rows = session.execute(
            select(Assessor.id, Assessor.name, Assessor.unit_id).order_by(Assessor.id)
        ).all()
        assessor_names = {i: n for i, n, _ in assessor_rows}
        values = _cells(
            session, round_.id, unit_names, {n.id: n.code for n in nodes}, assessor_names
        )
        assessors = [n for _, n, _ in assessor_rows]
        data = GridData(round_name, round_.status, grid_leaves, units, assessors)
        data.scoring_leaves = {leaf.code: leaf for leaf in leaves}
        data.trim_from = round_.trim_from
        data.own_units = {
            n: unit_names[u] for _, n, u in assessor_rows if u is not None and u in unit_names
        }
        data.assignments = _assignments(session, round_.id, by_id, unit_names, assessor_names)
        settings = session.scalar(
            select(ReviewSettings).where(ReviewSettings.round_id == round_.id)
        )
        if settings is not None:
            data.disagreement_fraction = settings.disagreement_fraction
        data.self_scores = {
            (unit_names[s.unit_id], by_id[s.node_id].code): SelfScore(
                s.score, s.not_applicable, s.note
            )
            for s in session.scalars(
                select(SelfAssessment).where(SelfAssessment.round_id == round_.id)
            )
            if s.unit_id in unit_names
        }
        data.satisfaction = {
            unit_names[unit_id]: score
            for unit_id, score in session.execute(
                select(SatisfactionResult.unit_id, SatisfactionResult.score).where(
                    SatisfactionResult.round_id == round_.id
                )
            )
            if unit_id in unit_names
        }
        data.scoring_units = [ScoringUnit(n, c, o) for _, n, _, c, o in participants]
        data.rules = rules_of(round_)
        data.all_values = values
        actor = current_actor()
        if actor.role == ROLE_ASSESSOR:  # an assessor sees only their own scores
            data.assessors = [a for a in assessors if a == actor.assessor_name]
            values = {key: v for key, v in values.items() if key[2] == actor.assessor_name}
        data.values = values
        return data


def _assignments(
    session: Session,
    round_id: int,
    nodes: dict[int, RoundNode],
    unit_names: dict[int, str],
    assessor_names: dict[int, str],
) -> dict[str, dict[str, frozenset[str] | None]]:
    found: dict[str, dict[str, set[str] | None]] = defaultdict(dict)
    for assessor_id, node_id, unit_id in session.execute(
        select(Assignment.assessor_id, Assignment.node_id, Assignment.unit_id).where(
            Assignment.round_id == round_id
        )
    ):
        mine = found[assessor_names[assessor_id]]
        code = nodes[node_id].code
        if unit_id is None:
            mine[code] = None
        elif unit_id in unit_names:
            units = mine.setdefault(code, set())
            if units is not None:
                units.add(unit_names[unit_id])
    return {
        assessor: {code: None if u is None else frozenset(u) for code, u in leaves.items()}
        for assessor, leaves in found.items()
    }
