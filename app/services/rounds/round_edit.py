"""A round changed or deleted after it was created, while nobody has scored in it yet: a round set
up with the wrong units, framework or year is corrected (or removed) in the window instead of
living on beside its fixed copy. Once a score, a satisfaction result, a self-assessment or an
objection exists, only the rules (with a reason) and the deadlines change."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models import (
    Assignment,
    Round,
    RoundNode,
    RoundUnit,
    SatisfactionResult,
    ScoreEntry,
    Unit,
)
from app.models.database import Database
from app.models.evidence import EvidenceAttachment, EvidencePackage, EvidenceReview
from app.models.notices import Notice
from app.models.review import Objection, SelfAssessment
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.maintenance.backups import backup_before
from app.services.rounds.default_assignments import assign_defaults
from app.services.rounds.definition import find_round, freeze_tree, participants_of
from app.services.setup.frameworks import framework_named
from app.timefmt import FIRST_YEAR, LAST_YEAR

# What makes a round more than its set-up: once any of these exists, it is being assessed.
WORK = ((ScoreEntry, "评分"), (SatisfactionResult, "满意度"), (SelfAssessment, "自评"),
        (Objection, "申辩"), (Notice, "文书"), (EvidencePackage, "交回的自评包"),
        (EvidenceAttachment, "佐证材料"), (EvidenceReview, "材料审核"))  # fmt: skip


def work_in(session: Session, round_: Round) -> list[str]:
    """What has been done in the round so far, e.g. ["评分 1,234 条"]."""
    done = []
    for model, label in WORK:
        count = session.scalar(select(func.count()).where(model.round_id == round_.id)) or 0
        if count:
            done.append(f"{label} {count:,} 条")
    return done


def _unworked(session: Session, name: str, doing: str) -> Round:
    round_ = find_round(session, name)
    done = work_in(session, round_)
    if done:
        raise UserError(
            f"考核批次“{name}”已有{'、'.join(done)}，不能{doing}；"
            "规则可在“规则…”中说明理由后修改，截止日期可随时调整"
        )
    return round_


def delete_round(db: Database, name: str, reason: str) -> Changes:
    """Remove a round nobody has worked in (backed up first, logged with the reason)."""
    require(Permission.MANAGE_ROUNDS)
    if not reason.strip():
        raise UserError("删除考核批次须说明理由（记入变更记录）")
    with db.reading() as session:
        _unworked(session, name, "删除")
    with backup_before(db, "删除考核批次前"), db.transaction() as session:
        round_ = _unworked(session, name, "删除")
        old = {"指标体系": round_.framework_name, "年度": round_.year}
        round_id = round_.id
        # The database removes what hangs on the round (its tree, units, assignments) by its
        # ON DELETE CASCADE keys, in one statement, rather than the ORM row by row.
        session.execute(delete(Round).where(Round.id == round_id))
        log_change(
            session,
            entity="考核批次",
            key=name,
            action="删除",
            old=old,
            new=None,
            round_id=round_id,
            reason=reason.strip(),
        )
        return changes_of(session)


def edit_round(
    db: Database,
    name: str,
    *,
    new_name: str | None = None,
    year: int | None = None,
    framework: str | None = None,
    units: Sequence[str] | None = None,
) -> Changes:
    """Name, year, indicator system and taking part of a round nobody has worked in. A new
    framework is frozen again and the default assignments made again, as at creation."""
    require(Permission.MANAGE_ROUNDS)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"年度 {year} 超出范围：应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    with db.transaction() as session:
        round_ = _unworked(session, name, "修改名称、年度、指标体系或参加单位")
        old = {"名称": round_.name, "年度": round_.year, "指标体系": round_.framework_name,
               "单位数": len(round_.participants)}  # fmt: skip
        if new_name is not None and new_name.strip() != round_.name:
            renamed = checked(new_name, text_rules.ROUND)
            if not renamed:
                raise UserError("考核批次名称不能为空")
            if session.scalar(select(Round.id).where(Round.name == renamed)) is not None:
                raise UserError(f"考核批次“{renamed}”已存在")
            round_.name = renamed
        if year is not None:
            round_.year = year
        if framework is not None and framework != round_.framework_name:
            _refreeze(session, round_, framework)
        if units is not None:
            _retake_part(session, round_, units)
        new = {"名称": round_.name, "年度": round_.year, "指标体系": round_.framework_name,
               "单位数": len(round_.participants)}  # fmt: skip
        if new != old:
            log_change(
                session,
                entity="考核批次",
                key=round_.name,
                action="修改",
                old={k: v for k, v in old.items() if new[k] != v},
                new={k: v for k, v in new.items() if old[k] != v},
                round_id=round_.id,
            )
        return changes_of(session)


def _refreeze(session: Session, round_: Round, framework: str) -> None:
    source = framework_named(session, framework)
    if not source.nodes:
        raise UserError(f"指标体系“{framework}”没有指标")
    session.execute(delete(Assignment).where(Assignment.round_id == round_.id))
    session.execute(delete(RoundNode).where(RoundNode.round_id == round_.id))
    session.expire(round_, ["nodes"])
    round_.framework_id, round_.framework_name = source.id, source.name
    session.flush()
    freeze_tree(session, source, round_)
    assign_defaults(session, round_)


def _retake_part(session: Session, round_: Round, units: Sequence[str]) -> None:
    taking_part = participants_of(session, units, None)
    session.execute(delete(RoundUnit).where(RoundUnit.round_id == round_.id))
    session.expire(round_, ["participants"])
    for order, (unit, category) in enumerate(taking_part, start=1):
        session.add(
            RoundUnit(
                round_id=round_.id, unit_id=unit.id, category_name=category or "", sort_order=order
            )
        )
    session.flush()
    session.expire(round_, ["participants"])


def taking_part(db: Database, name: str) -> list[str]:
    """The names of the units a round assesses, in its order."""
    with db.reading() as session:
        round_ = find_round(session, name)
        query = (
            select(Unit.name)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_.id)
            .order_by(RoundUnit.sort_order)
        )
        return list(session.scalars(query))
