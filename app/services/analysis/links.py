"""The office's links for comparing a round with earlier ones (机构改革: units renamed, merged
or split; areas and leaves renumbered), kept with the round so every comparison uses them.

Adding and removing a link is logged. Links move no score, rank or grade (only how the
comparison pairs rows), so they are not part of the sealed state, and they may be edited on
a published round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import AnalysisLink, RoundNode, Unit
from app.models.database import Database
from app.models.rounds import Round
from app.scoring.analysis.matching import AREA, LEAF, UNIT, Link
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.names import StoredNames
from app.services.rounds.definition import find_round
from app.services.rounds.participants import units_taking_part
from app.services.rounds.round_data import round_leaves

ENTITY = "分析对应"
KIND_WORDS = {UNIT: "单位", AREA: "一级指标", LEAF: "末级指标"}


@dataclass(frozen=True)
class StoredLink:
    link: Link
    by: str
    at: datetime

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.link.kind,
            "with": self.link.earlier_round,
            "from": self.link.earlier,
            "to": self.link.later,
            "by": self.by,
        }


def describe(link: Link) -> str:
    """单位 2024年度考核:云州市国土资源局=云州市自然资源和规划局"""
    return f"{KIND_WORDS[link.kind]} {link.earlier_round}:{link.earlier}={link.later}"


def list_links(db: Database, round_name: str, earlier: Sequence[str] = ()) -> list[StoredLink]:
    """The round's links (to every earlier round, or to those named), oldest first."""
    require(Permission.VIEW)
    with db.reading() as session:
        return _stored(session, find_round(session, round_name), earlier)


def links_for(db: Database, round_name: str, earlier: Sequence[str]) -> list[Link]:
    return [s.link for s in list_links(db, round_name, earlier)]


def _stored(session: Session, round_: Round, earlier: Sequence[str]) -> list[StoredLink]:
    rounds = dict(session.execute(select(Round.id, Round.name)).all())
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    found = []
    rows = session.scalars(
        select(AnalysisLink).where(AnalysisLink.round_id == round_.id).order_by(AnalysisLink.id)
    )
    for row in rows:
        other = rounds[row.earlier_round_id]
        if earlier and other not in earlier:
            continue
        if row.kind == UNIT:
            assert row.earlier_unit_id is not None and row.later_unit_id is not None
            pair = units[row.earlier_unit_id], units[row.later_unit_id]
        else:
            pair = row.earlier_code or "", row.later_code or ""
        found.append(StoredLink(Link(row.kind, other, *pair), row.created_by, row.created_at))
    return found


def add_link(db: Database, round_name: str, link: Link, reason: str = "") -> Done[bool]:
    """Keep ``link`` with the round; False when it was there already (nothing written)."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_, earlier = _rounds(session, round_name, link)
        row = _row(session, round_, earlier, link)
        if _find(session, row) is not None:
            return Done(False, changes_of(session))
        if link.kind != UNIT:
            taken = session.scalar(
                select(AnalysisLink.earlier_code).where(
                    AnalysisLink.round_id == round_.id,
                    AnalysisLink.earlier_round_id == earlier.id,
                    AnalysisLink.kind == link.kind,
                    AnalysisLink.later_code == row.later_code,
                )
            )
            if taken is not None:
                raise UserError(
                    f"{KIND_WORDS[link.kind]}“{link.later}”已对应{earlier.name}中的“{taken}”，"
                    "请先删除原对应关系"
                )
        row.created_by = current_user()
        session.add(row)
        log_change(
            session,
            entity=ENTITY,
            key=describe(link),
            action="添加",
            old=None,
            new=f"{link.earlier}={link.later}",
            round_id=round_.id,
            reason=reason.strip(),
        )
        return Done(True, changes_of(session))


def remove_link(db: Database, round_name: str, link: Link, reason: str = "") -> Done[bool]:
    """Drop ``link``; False when the round had no such link."""
    require(Permission.MANAGE_ROUNDS)
    with db.transaction() as session:
        round_, earlier = _rounds(session, round_name, link, checked=False)
        found = _find(session, _row(session, round_, earlier, link, checked=False))
        if found is None:
            return Done(False, changes_of(session))
        session.delete(found)
        log_change(
            session,
            entity=ENTITY,
            key=describe(link),
            action="删除",
            old=f"{link.earlier}={link.later}",
            new=None,
            round_id=round_.id,
            reason=reason.strip(),
        )
        return Done(True, changes_of(session))


def _rounds(
    session: Session, round_name: str, link: Link, checked: bool = True
) -> tuple[Round, Round]:
    if link.kind not in KIND_WORDS:
        raise UserError(f"对应关系的种类应为 {'、'.join(KIND_WORDS)} 之一")
    round_ = find_round(session, round_name)
    earlier = find_round(session, link.earlier_round)
    if checked and earlier.id == round_.id:
        raise UserError("对应关系须在两个不同的考核批次之间")
    return round_, earlier


def _row(
    session: Session, round_: Round, earlier: Round, link: Link, checked: bool = True
) -> AnalysisLink:
    """The row ``link`` is stored as; ``checked``: each side must exist in its round."""
    row = AnalysisLink(round_id=round_.id, earlier_round_id=earlier.id, kind=link.kind)
    if link.kind == UNIT:
        row.earlier_unit_id = _unit(session, earlier, link.earlier, checked)
        row.later_unit_id = _unit(session, round_, link.later, checked)
    else:
        row.earlier_code = _code(session, earlier, link.kind, link.earlier, checked)
        row.later_code = _code(session, round_, link.kind, link.later, checked)
    return row


def _unit(session: Session, round_: Round, name: str, checked: bool) -> int | None:
    taking_part = units_taking_part(session, round_.id)
    stored = StoredNames(taking_part).find(name.strip())
    if stored is not None:
        return taking_part[stored]
    if checked:
        raise NotFound(f"单位“{name}”不是考核批次“{round_.name}”的考核对象")
    # A link whose unit has since left the round can still be removed.
    return session.scalar(select(Unit.id).where(Unit.name == name.strip()))


def _code(session: Session, round_: Round, kind: str, code: str, checked: bool) -> str:
    code = code.strip()
    if checked and code not in round_codes(session, round_.id, kind):
        raise NotFound(f"考核批次“{round_.name}”的指标体系中没有{KIND_WORDS[kind]}“{code}”")
    return code


def round_codes(session: Session, round_id: int, kind: str) -> dict[str, str]:
    """First-level (AREA) or leaf (LEAF) codes of a round's frozen tree -> names, in order."""
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_id)))
    _, leaf_nodes, areas = round_leaves(nodes)
    return areas if kind == AREA else {code: n.name for code, n in leaf_nodes.items()}


def _find(session: Session, row: AnalysisLink) -> AnalysisLink | None:
    return session.scalar(
        select(AnalysisLink).where(
            AnalysisLink.round_id == row.round_id,
            AnalysisLink.earlier_round_id == row.earlier_round_id,
            AnalysisLink.kind == row.kind,
            _same(AnalysisLink.earlier_unit_id, row.earlier_unit_id),
            _same(AnalysisLink.later_unit_id, row.later_unit_id),
            _same(AnalysisLink.earlier_code, row.earlier_code),
            _same(AnalysisLink.later_code, row.later_code),
        )
    )


def _same(column: object, value: object) -> object:
    return column.is_(None) if value is None else column == value  # type: ignore[attr-defined]


def link_choices(
    db: Database, round_name: str, earlier: str, kind: str
) -> tuple[dict[str, str], dict[str, str]]:
    """What a link of ``kind`` may pair: the earlier round's keys and this round's (unit
    names, or codes) -> how each is shown ("3.1.2 行政执法公示")."""
    require(Permission.VIEW)
    with db.reading() as session:
        sides = []
        for name in (earlier, round_name):
            round_ = find_round(session, name)
            if kind == UNIT:
                sides.append({n: n for n in units_taking_part(session, round_.id)})
            else:
                codes = round_codes(session, round_.id, kind)
                sides.append({code: f"{code} {label}" for code, label in codes.items()})
        return sides[0], sides[1]
