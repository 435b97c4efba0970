"""Rounds (考核批次): create one from a framework (freezing its tree), find and list them, mark
one published or reopen it. Their rules as stored are in rules_storage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, ReadOnlyRound, UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models import Framework, Round, RoundNode, RoundUnit, Unit, UnitCategory
from app.models.base import utcnow
from app.models.database import Database
from app.models.enums import RoundStatus
from app.scoring.types import Rules
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, Done, changes_of
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames, stored_names
from app.services.rounds.default_assignments import assign_defaults
from app.services.rounds.rules_storage import check_rules, rules_columns, rules_of
from app.services.setup.frameworks import framework_named
from app.timefmt import FIRST_YEAR, LAST_YEAR

PUBLISHED = RoundStatus.PUBLISHED
REOPENED_STATUS = RoundStatus.REVIEW


@dataclass(frozen=True)
class Deadlines:
    """A round's dates; None where the office has not set one."""

    scoring: date | None = None  # 评分截止
    objections: date | None = None  # 申辩截止
    publication: date | None = None  # 公示截止

    def check(self) -> None:
        order = [(d, label) for d, label in self.labelled() if d is not None]
        for (earlier, first), (later, second) in pairwise(order):
            if later < earlier:
                raise UserError(f"{second}（{later}）不能早于{first}（{earlier}）")

    def labelled(self) -> list[tuple[date | None, str]]:
        return [
            (self.scoring, "评分截止"),
            (self.objections, "申辩截止"),
            (self.publication, "公示截止"),
        ]


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    year: int
    framework: str
    status: str
    units: int
    rules: Rules
    deadlines: Deadlines = field(default_factory=Deadlines)


def deadlines_of(round_: Round) -> Deadlines:
    return Deadlines(round_.scoring_due, round_.objection_due, round_.publication_due)


# The deadline that matters in each status: scoring ends, then objections, then publication.
STAGE_DEADLINE = {
    RoundStatus.DRAFT: 0,
    RoundStatus.SCORING: 0,
    RoundStatus.REVIEW: 1,
    RoundStatus.PUBLICITY: 2,
}


def stage_deadline(info: RoundInfo, today: date) -> tuple[str, bool]:
    """("评分截止 2026-12-20（还有 5 天）", passed?) for the round's present stage; ("", False)
    when the office set no date for it."""
    index = STAGE_DEADLINE.get(info.status)
    if index is None:
        return "", False
    day, label = info.deadlines.labelled()[index]
    if day is None:
        return "", False
    left = (day - today).days
    when = f"还有 {left} 天" if left > 0 else "今天" if left == 0 else f"已过 {-left} 天"
    return f"{label} {day}（{when}）", left < 0


def freeze_tree(session: Session, framework: Framework, round_: Round) -> None:
    """Copy the framework's nodes into the round, so later edits never move its results; the
    适用类别 as the categories are stored, which the engine compares with the units'."""
    new_ids: dict[int, int] = {}
    known = stored_names(session, UnitCategory)
    nodes = sorted(framework.nodes, key=lambda n: (n.level, n.id))
    for node in nodes:
        copy = RoundNode(
            round_id=round_.id,
            parent_id=new_ids[node.parent_id] if node.parent_id is not None else None,
            **{column: getattr(node, column) for column in NODE_COLUMNS},
        )
        copy.categories = list(dict.fromkeys(known.stored(c) for c in node.categories))
        session.add(copy)
        session.flush()
        new_ids[node.id] = copy.id


NODE_COLUMNS = (
    "code",
    "name",
    "level",
    "sort_order",
    "points",
    "method",
    "parameters",
    "tiers",
    "standard",
    "content",
    "assessment_method",
    "lead_department",
    "categories",
)


def create_round(
    db: Database,
    *,
    name: str,
    framework: str,
    year: int,
    rules: Rules,
    units: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    deadlines: Deadlines | None = None,
) -> Done[RoundInfo]:
    """The units taking part: all active ones, those of the given categories, or exactly the
    named ones; each is ranked in the category it has today."""
    require(Permission.MANAGE_ROUNDS)
    check_rules(rules)
    deadlines = deadlines or Deadlines()
    deadlines.check()
    name = checked(name, text_rules.ROUND)
    if not name:
        raise UserError("考核批次名称不能为空")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"年度 {year} 超出范围：应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    with db.transaction() as session:
        if session.scalar(select(Round).where(Round.name == name)) is not None:
            raise UserError(f"考核批次“{name}”已存在")
        source = framework_named(session, framework)
        if not source.nodes:
            raise UserError(f"指标体系“{framework}”没有指标")
        taking_part = participants_of(session, units, categories)
        present = {category or "" for _, category in taking_part}
        stray = [c for c in rules.category_grades if c not in present]
        if stray:
            raise UserError(f"分类等次中的类别“{'、'.join(stray)}”没有参加本批次的单位")
        round_ = Round(
            name=name,
            year=year,
            framework_id=source.id,
            framework_name=source.name,
            status=RoundStatus.SCORING,
            **rules_columns(rules),
            scoring_due=deadlines.scoring,
            objection_due=deadlines.objections,
            publication_due=deadlines.publication,
        )
        session.add(round_)
        session.flush()
        freeze_tree(session, source, round_)
        assign_defaults(session, round_)
        for order, (unit, category) in enumerate(taking_part, start=1):
            session.add(
                RoundUnit(
                    round_id=round_.id,
                    unit_id=unit.id,
                    category_name=category or "",
                    sort_order=order,
                )
            )
        log_change(
            session,
            entity="考核批次",
            key=name,
            action="新建",
            old=None,
            new={"指标体系": framework, "年度": year, "单位数": len(taking_part)},
            round_id=round_.id,
        )
        return Done(
            RoundInfo(
                round_.id, name, year, framework, round_.status, len(taking_part), rules, deadlines
            ),
            changes_of(session),
        )


def participants_of(
    session: Session, names: Sequence[str] | None, categories: Sequence[str] | None
) -> list[tuple[Unit, str | None]]:
    """The units a new round assesses, in the office's order; unknown names are refused."""
    query = (
        select(Unit, UnitCategory.name)
        .outerjoin(UnitCategory, Unit.category_id == UnitCategory.id)
        .order_by(Unit.sort_order, Unit.id)
    )
    rows = session.execute(query).all()
    if names is not None:
        wanted = [n.strip() for n in names if n.strip()]
        known = StoredNames(unit.name for unit, _ in rows)
        unknown = [n for n in wanted if known.find(n) is None]
        if unknown:
            raise NotFound(f"没有这些单位：{'、'.join(unknown)}（请先在考核对象中添加）")
        stored = {known.stored(n) for n in wanted}
        chosen = [(u, c) for u, c in rows if u.name in stored]
    else:
        chosen = [(u, c) for u, c in rows if u.active]
        if categories is not None:
            known_categories = stored_names(session, UnitCategory)
            unknown = [c for c in categories if known_categories.find(c) is None]
            if unknown:
                raise NotFound(f"没有这些单位类别：{'、'.join(unknown)}")
            wanted_categories = {known_categories.stored(c) for c in categories}
            chosen = [(u, c) for u, c in chosen if c in wanted_categories]
    if not chosen:
        raise UserError("没有可参加考核的单位，请先导入考核对象或选择参加的单位")
    return chosen


def find_round(session: Session, name: str) -> Round:
    round_ = session.scalar(select(Round).where(Round.name == name))
    if round_ is None:
        raise NotFound(f"没有名为“{name}”的考核批次")
    return round_


def round_of(session: Session, round_: int | str) -> Round:
    """A round by id (the window keeps it: a name may change while it is open) or by name (a
    command or a report names it)."""
    if isinstance(round_, str):
        return find_round(session, round_)
    found = session.get(Round, round_)
    if found is None:
        raise NotFound(f"没有编号为 {round_} 的考核批次（可能已被删除）")
    return found


def writable_round(session: Session, round_: int | str) -> Round:
    """A published round is read-only: imports and edits are refused."""
    found = round_of(session, round_)
    if found.status == PUBLISHED:
        raise ReadOnlyRound(f"考核批次“{found.name}”已发布，为只读，不能再修改分数")
    return found


def list_rounds(db: Database) -> list[RoundInfo]:
    with db.reading() as session:
        counts = dict(
            session.execute(
                select(RoundUnit.round_id, func.count()).group_by(RoundUnit.round_id)
            ).all()
        )
        return [
            RoundInfo(
                r.id,
                r.name,
                r.year,
                r.framework_name,
                r.status,
                counts.get(r.id, 0),
                rules_of(r),
                deadlines_of(r),
            )
            for r in session.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc()))
        ]


def mark_published(
    db: Database, name: str, after: Callable[[Session, int], None] | None = None
) -> Changes:
    """From now on the round is read-only, in the services and in the database's triggers.
    Only from 公示中; the gate's checks live in app.services.review.publication.publish, which is
    what every caller uses. `after` writes in the same transaction (an override's record)."""
    require(Permission.MANAGE_ROUNDS)
    with db.reading() as session:
        round_ = find_round(session, name)
        if round_.status == PUBLISHED:
            raise UserError(f"考核批次“{name}”已经发布")
        if round_.status != RoundStatus.PUBLICITY:
            raise UserError(f"考核批次“{name}”当前为“{round_.status}”：只能在“公示中”之后发布")
    with backup_before(db, "发布前"), db.transaction() as session:
        round_ = find_round(session, name)
        old = round_.status
        if after is not None:
            after(session, round_.id)
        round_.status = PUBLISHED
        round_.published_at = utcnow()
        log_change(
            session,
            entity="考核批次",
            key=name,
            action="状态",
            old=old,
            new=PUBLISHED,
            round_id=round_.id,
        )
        return changes_of(session)


def reopen_round(db: Database, name: str, reason: str) -> Changes:
    """Reopening a published round needs a reason and leaves a record."""
    require(Permission.REOPEN)
    if not reason.strip():
        raise UserError("重新打开已发布的考核批次必须说明理由")
    with db.transaction() as session:
        round_ = find_round(session, name)
        if round_.status != PUBLISHED:
            raise UserError(f"考核批次“{name}”尚未发布（当前状态：{round_.status}）")
        round_.status = REOPENED_STATUS
        log_change(
            session,
            entity="考核批次",
            key=name,
            action="重新打开",
            old=PUBLISHED,
            new=REOPENED_STATUS,
            round_id=round_.id,
            reason=reason.strip(),
        )
        return changes_of(session)
