"""The leaves a unit gives evidence for in a round: those that apply to its category, in the
tree's order, each with the folder its files go in (code and a short name, safe on Windows)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.filenames import file_part
from app.models import Round, RoundNode, RoundUnit, Unit
from app.services.names import StoredNames
from app.services.rounds.participants import units_taking_part
from app.services.rounds.round_data import round_leaves

SHORT_NAME = 12  # characters of the leaf's name in its folder's name


@dataclass(frozen=True)
class UnitLeaf:
    node_id: int
    code: str
    area: str
    name: str
    points: Decimal
    standard: str
    folder: str


def folder_name(code: str, name: str) -> str:
    """ "1.2.3 制定权责清单并公开": the code first (what the import goes by), then enough of the
    name for a person to find the folder."""
    short = file_part(name.strip()[:SHORT_NAME], max_bytes=40)
    return f"{file_part(code, max_bytes=40)} {short}"


def unit_in_round(session: Session, round_: Round, written: str) -> tuple[int, str]:
    """(unit id, stored name) of a participant named ``written``; NotFound otherwise."""
    taking_part = units_taking_part(session, round_.id)
    found = StoredNames(taking_part).find(written)
    if found is None:
        raise NotFound(f"单位“{written}”不是考核批次“{round_.name}”的考核对象")
    return taking_part[found], found


def applicable_leaves(session: Session, round_id: int, unit_id: int) -> list[UnitLeaf]:
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_id)))
    leaves, leaf_nodes, areas = round_leaves(nodes)
    category = session.scalar(
        select(RoundUnit.category_name).where(
            RoundUnit.round_id == round_id, RoundUnit.unit_id == unit_id
        )
    )
    found = []
    for leaf in leaves:
        if leaf.categories is not None and category not in leaf.categories:
            continue
        node = leaf_nodes[leaf.code]
        found.append(
            UnitLeaf(
                node.id,
                node.code,
                areas.get(leaf.area_code, ""),
                node.name,
                node.points,
                node.standard,
                folder_name(node.code, node.name),
            )
        )
    return found


def unit_names(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
