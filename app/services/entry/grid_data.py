"""The score grid's data, read in one pass when a round is opened: the leaves, units and
assessors with their ids, every assessor's cell, and what the live results are computed from.
The shapes live in grid_types."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Container
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, Round, RoundNode, RoundUnit, SatisfactionResult, Unit
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.review import ReviewSettings, SelfAssessment
from app.scoring.types import Leaf
from app.scoring.types import Unit as ScoringUnit
from app.services.access.actor import current_actor
from app.services.entry.cells import CellValue
from app.services.entry.checks import discretion_of
from app.services.entry.entry_rows import merge_rows
from app.services.entry.grid_types import (
    CellKey,
    GridAssessor,
    GridData,
    GridLeaf,
    GridUnit,
    SelfScore,
)
from app.services.rounds.definition import round_of
from app.services.rounds.round_data import effective_categories, round_leaves
from app.services.rounds.rules_storage import rules_of

Participant = tuple[int, str, str | None, str, int]  # id, name, short name, category, order


def load_grid(db: Database, round_: int | str) -> GridData:
    """The round's grid (by id from the window, by name from a report or command), with what
    its live results are computed from; an 评分人 account gets only its own cells."""
    with db.reading() as session:
        found = round_of(session, round_)
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == found.id)))
        leaves, scoring_leaves = _leaves(nodes)
        participants = _participants(session, found.id)
        unit_names = {i: n for i, n, *_ in participants}
        assessors = session.execute(
            select(Assessor.id, Assessor.name, Assessor.unit_id).order_by(Assessor.id)
        ).all()
        assessor_names = {i: n for i, n, _ in assessors}
        codes = {n.id: n.code for n in nodes}
        data = GridData(
            found.id,
            found.name,
            found.status,
            leaves,
            [GridUnit(i, n, s or n, c) for i, n, s, c, _ in participants],
            [GridAssessor(i, n) for i, n, _ in assessors],
            assessor_names,
            codes,
        )
        data.scoring_leaves = scoring_leaves
        data.scoring_units = [ScoringUnit(n, c, o) for _, n, _, c, o in participants]
        data.rules = rules_of(found)
        data.trim_from = found.trim_from
        data.all_cells = _cells(session, found.id, unit_names)
        data.cells = data.all_cells
        data.own_units = {i: u for i, _, u in assessors if u is not None and u in unit_names}
        data.assignments = _assignments(session, found.id, unit_names)
        _read_review(session, found, data, unit_names, codes)
        _show_only_the_actors_own(data)
        return data


def _leaves(nodes: list[RoundNode]) -> tuple[list[GridLeaf], dict[str, Leaf]]:
    """The round's leaves in tree order as the grid shows them, and as the engine takes them."""
    leaves, leaf_nodes, areas = round_leaves(nodes)
    by_id = {n.id: n for n in nodes}
    shown = []
    for leaf in leaves:
        node = leaf_nodes[leaf.code]
        shown.append(
            GridLeaf(
                node.id,
                leaf.code,
                node.name,
                leaf.area_code,
                areas[leaf.area_code],
                leaf.points,
                leaf.method.value,
                node.standard,
                effective_categories(node, by_id),
                discretion_of(node),
            )
        )
    return shown, {leaf.code: leaf for leaf in leaves}


def _participants(session: Session, round_id: int) -> list[Participant]:
    """The round's units in the round's order."""
    return [
        (i, n, s, c, o)
        for i, n, s, c, o in session.execute(
            select(
                Unit.id, Unit.name, Unit.short_name, RoundUnit.category_name, RoundUnit.sort_order
            )
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_id)
            .order_by(RoundUnit.sort_order)
        )
    ]


def read_cells(
    db: Database, round_id: int, keys: Collection[CellKey]
) -> dict[CellKey, CellValue | None]:
    """The cells ``keys`` of a round as stored now (None: empty), reading only their units'
    rows: another client's edit on a server is shown without reading the round again."""
    if not keys:
        return {}
    units = {unit for unit, _, _ in keys}
    with db.reading() as session:
        found = _cells(session, round_id, units, only_units=units)
    return {key: found.get(key) for key in keys}


def _cells(
    session: Session,
    round_id: int,
    taking_part: Container[int],
    only_units: Collection[int] = (),
) -> dict[CellKey, CellValue]:
    """Every entry of the round (or of ``only_units``) as cells. Plain driver rows: the
    ORM's per-value processing costs more than the rest of opening the grid."""
    cursor = session.connection().connection.cursor()
    units = ", ".join(str(int(u)) for u in sorted(only_units))
    cursor.execute(  # the ids inlined as ints: each driver has its own placeholder
        "SELECT unit_id, node_id, assessor_id, deduction, score, answer, measured,"
        f" not_applicable, veto, reason FROM score_entries WHERE round_id = {int(round_id)}"
        + (f" AND unit_id IN ({units})" if units else "")
    )
    rows = cursor.fetchall()
    cursor.close()
    values: dict[CellKey, CellValue] = {}
    several: dict[CellKey, list[CellValue]] = defaultdict(list)
    for unit_id, node_id, assessor_id, deduction, score, answer, measured, na, veto, reason in rows:
        if unit_id not in taking_part:
            continue  # a unit no longer taking part
        key = (unit_id, node_id, assessor_id)
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


def _assignments(
    session: Session, round_id: int, taking_part: Container[int]
) -> dict[int, dict[int, frozenset[int] | None]]:
    """Assessor -> leaf -> the units taking part assigned to them (None: every unit)."""
    found: dict[int, dict[int, set[int] | None]] = defaultdict(dict)
    for assessor_id, node_id, unit_id in session.execute(
        select(Assignment.assessor_id, Assignment.node_id, Assignment.unit_id).where(
            Assignment.round_id == round_id
        )
    ):
        mine = found[assessor_id]
        if unit_id is None:
            mine[node_id] = None
        elif unit_id in taking_part:
            units = mine.setdefault(node_id, set())
            if units is not None:
                units.add(unit_id)
    return {
        assessor: {leaf: None if u is None else frozenset(u) for leaf, u in leaves.items()}
        for assessor, leaves in found.items()
    }


def _read_review(
    session: Session,
    round_: Round,
    data: GridData,
    unit_names: dict[int, str],
    codes: dict[int, str],
) -> None:
    """What the grid shows beside the entries: the disagreement share, the units' own
    assessment (自评) and their survey score."""
    settings = session.scalar(select(ReviewSettings).where(ReviewSettings.round_id == round_.id))
    if settings is not None:
        data.disagreement_fraction = settings.disagreement_fraction
    data.self_scores = {
        (unit_names[s.unit_id], codes[s.node_id]): SelfScore(s.score, s.not_applicable, s.note)
        for s in session.scalars(select(SelfAssessment).where(SelfAssessment.round_id == round_.id))
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


def _show_only_the_actors_own(data: GridData) -> None:
    """An 评分人 account sees only its own column of assessors and its own scores; the
    results still count everyone's (all_cells)."""
    actor = current_actor()
    if actor.role != ROLE_ASSESSOR:
        return
    data.panel = [a for a in data.panel if a.name == actor.assessor_name]
    shown = {a.id for a in data.panel}
    data.cells = {key: v for key, v in data.all_cells.items() if key[2] in shown}
