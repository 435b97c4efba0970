"""Turn a round's rows into the engine's plain data (the only bridge from models to scoring)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Round, RoundNode, RoundUnit, SatisfactionResult, ScoreEntry, Unit
from app.scoring.engine import UnitEntries
from app.scoring.entry_rows import RowScores, add_entries, score_rows
from app.scoring.types import Entry, Leaf, Method, ScoringInputError, Tier
from app.scoring.types import Unit as ScoringUnit


@dataclass
class RoundData:
    leaves: list[Leaf]
    leaf_nodes: dict[str, RoundNode]  # by code
    area_names: dict[str, str]  # first-level code -> name
    units: list[ScoringUnit]
    unit_ids: dict[str, int]  # name -> id
    entries: list[Entry]
    satisfaction: dict[str, Decimal]


def effective_categories(node: RoundNode, parents: dict[int, RoundNode]) -> frozenset[str] | None:
    """A leaf's own categories, else the nearest ancestor's; None means every category."""
    current: RoundNode | None = node
    while current is not None:
        if current.categories:
            return frozenset(current.categories)
        current = parents.get(current.parent_id) if current.parent_id is not None else None
    return None


def round_leaves(nodes: list[RoundNode]) -> tuple[list[Leaf], dict[str, RoundNode], dict[str, str]]:
    by_id = {n.id: n for n in nodes}
    has_children = {n.parent_id for n in nodes if n.parent_id is not None}

    def area_of(node: RoundNode) -> RoundNode:
        while node.parent_id is not None:
            node = by_id[node.parent_id]
        return node

    ordered = sorted(nodes, key=lambda n: _path_key(n, by_id))
    leaves: list[Leaf] = []
    leaf_nodes: dict[str, RoundNode] = {}
    areas = {n.code: n.name for n in ordered if n.parent_id is None}
    for node in ordered:
        if node.id in has_children:
            continue
        leaves.append(
            Leaf(
                code=node.code,
                area_code=area_of(node).code,
                points=node.points,
                method=Method(node.method),
                tiers=tuple(Tier(Decimal(t), Decimal(f)) for t, f in node.tiers),
                categories=effective_categories(node, by_id),
            )
        )
        leaf_nodes[node.code] = node
    return leaves, leaf_nodes, areas


def _path_key(node: RoundNode, by_id: dict[int, RoundNode]) -> tuple[int, ...]:
    path = [node.sort_order]
    while node.parent_id is not None:
        node = by_id[node.parent_id]
        path.append(node.sort_order)
    return tuple(reversed(path))


def load_round_data(session: Session, round_: Round) -> RoundData:
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
    leaves, leaf_nodes, areas = round_leaves(nodes)
    code_of = {n.id: n.code for n in nodes}
    participants = session.execute(
        select(RoundUnit, Unit.name)
        .join(Unit, RoundUnit.unit_id == Unit.id)
        .where(RoundUnit.round_id == round_.id)
        .order_by(RoundUnit.sort_order)
    ).all()
    units = [ScoringUnit(name, ru.category_name, ru.sort_order) for ru, name in participants]
    unit_ids = {name: ru.unit_id for ru, name in participants}
    unit_names = {ru.unit_id: name for ru, name in participants}
    assessors = dict(session.execute(select(Assessor.id, Assessor.name)).all())
    # Plain column rows, not ORM objects: a round has tens of thousands of entries.
    rows = session.execute(
        select(
            ScoreEntry.unit_id,
            ScoreEntry.node_id,
            ScoreEntry.assessor_id,
            ScoreEntry.deduction,
            ScoreEntry.score,
            ScoreEntry.answer,
            ScoreEntry.measured,
            ScoreEntry.not_applicable,
            ScoreEntry.veto,
        ).where(ScoreEntry.round_id == round_.id)
    )
    entries = [
        Entry(
            unit_names[unit_id],
            code_of[node_id],
            assessors[assessor_id],
            deduction,
            score,
            answer,
            measured,
            bool(not_applicable),
            bool(veto),
        )
        for (
            unit_id,
            node_id,
            assessor_id,
            deduction,
            score,
            answer,
            measured,
            not_applicable,
            veto,
        ) in rows
    ]
    satisfaction = {
        unit_names[s.unit_id]: s.score
        for s in session.scalars(
            select(SatisfactionResult).where(SatisfactionResult.round_id == round_.id)
        )
        if s.unit_id in unit_names
    }
    return RoundData(leaves, leaf_nodes, areas, units, unit_ids, entries, satisfaction)


@dataclass
class RoundScoring:
    """What the engine needs for a round's results, read without an object per score entry."""

    leaves: list[Leaf]
    area_names: dict[str, str]
    units: list[ScoringUnit]
    grouped: dict[str, UnitEntries]
    scored: dict[str, dict[str, tuple[Decimal, int]]]
    satisfaction: dict[str, Decimal]

    def not_applicable(self) -> set[tuple[str, str]]:
        """(unit, leaf) marked 不适用."""
        return {(u, code) for u, mine in self.grouped.items() for code in mine.not_applicable}


# A group's key in SQL: unit and leaf in one integer (ids stay far below 2**32).
KEY_WIDTH = 1 << 32
GROUP_KEY = f"unit_id * {KEY_WIDTH} + node_id"
USUAL = (  # nothing but a deduction that is not negative, or nothing; no mark (entry_rows)
    "score IS NULL AND answer IS NULL AND measured IS NULL AND NOT not_applicable AND NOT veto "
    "AND (deduction IS NULL OR deduction NOT LIKE '-%')"
)
UNITS_AT_A_TIME = 250
OTHER_COLUMNS = "assessor_id, deduction, score, answer, measured, not_applicable, veto"


def load_round_scoring(session: Session, round_: Round, trim_from: int) -> RoundScoring:
    """The round's tree, units and survey values, and its score entries read as plain rows
    through the driver's own cursor (no ORM object, no type conversion per row: 62,000 entries
    of a city's round, 3 million of a stress round), scored by the engine's entry_rows."""
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
    leaves, leaf_nodes, areas = round_leaves(nodes)
    leaf_by_id = {leaf_nodes[leaf.code].id: leaf for leaf in leaves}
    participants = session.execute(
        select(RoundUnit.unit_id, Unit.name, RoundUnit.category_name, RoundUnit.sort_order)
        .join(Unit, RoundUnit.unit_id == Unit.id)
        .where(RoundUnit.round_id == round_.id)
        .order_by(RoundUnit.sort_order)
    ).all()
    units = [ScoringUnit(name, category, order) for _, name, category, order in participants]
    unit_names = {unit_id: name for unit_id, name, _, _ in participants}
    assessors = dict(session.execute(select(Assessor.id, Assessor.name)).all())

    def place(key: Any) -> tuple[str, Leaf]:
        unit_id, node_id = divmod(key, KEY_WIDTH)
        if unit_id not in unit_names:
            raise ScoringInputError(f"评分中的单位（编号 {unit_id}）不在本批次中")
        if node_id not in leaf_by_id:
            raise ScoringInputError(f"评分中的指标（编号 {node_id}）不在本批次中")
        return unit_names[unit_id], leaf_by_id[node_id]

    round_id = int(round_.id)  # an integer from the database, written into the statements
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    other = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT unit_id FROM score_entries WHERE round_id = {round_id} AND unit_id NOT IN "
            f"(SELECT unit_id FROM round_units WHERE round_id = {round_id}) LIMIT 1"
        )
        for (unit_id,) in cursor.fetchall():
            raise ScoringInputError(f"评分中的单位（编号 {unit_id}）不在本批次中")
        found = RowScores()
        ids = sorted(unit_names)
        for start in range(0, len(ids), UNITS_AT_A_TIME):  # memory: a few units' rows at a time
            listed = ", ".join(str(int(u)) for u in ids[start : start + UNITS_AT_A_TIME])
            where = f"WHERE round_id = {round_id} AND unit_id IN ({listed})"
            cursor.execute(
                f"SELECT {GROUP_KEY}, assessor_id, deduction FROM score_entries {where} AND {USUAL}"
            )
            other.execute(
                f"SELECT {GROUP_KEY}, {OTHER_COLUMNS} FROM score_entries {where} AND NOT ({USUAL})"
            )
            score_rows(cursor, other, place, trim_from, found)
        again = sorted({key // KEY_WIDTH for key in found.unusual})
        for start in range(0, len(again), UNITS_AT_A_TIME):  # the unusual groups, rows in order
            listed = ", ".join(str(int(u)) for u in again[start : start + UNITS_AT_A_TIME])
            cursor.execute(
                f"SELECT {GROUP_KEY}, {OTHER_COLUMNS} FROM score_entries "
                f"WHERE round_id = {round_id} AND unit_id IN ({listed}) ORDER BY unit_id, id"
            )
            rows = (row for row in cursor if row[0] in found.unusual)
            add_entries(found, rows, place, assessors.__getitem__)
    finally:
        cursor.close()
        other.close()
    satisfaction = {
        unit_names[unit_id]: score
        for unit_id, score in session.execute(
            select(SatisfactionResult.unit_id, SatisfactionResult.score).where(
                SatisfactionResult.round_id == round_.id
            )
        )
        if unit_id in unit_names
    }
    return RoundScoring(leaves, areas, units, found.grouped, found.scored, satisfaction)
