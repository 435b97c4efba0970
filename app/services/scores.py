"""Import score and satisfaction workbooks into a round: all rows checked first, then one write."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.errors import Problem, WorkbookError
from app.io.records import ScoreRecord
from app.io.satisfaction_reader import DEFAULT_WEIGHTS, read_satisfaction
from app.io.scores_reader import read_scores
from app.models import Assessor, RoundNode, RoundUnit, SatisfactionResult, ScoreEntry, Unit
from app.models.database import Database
from app.services.audit import current_user, log_change
from app.services.backups import backup_before
from app.services.errors import UserError
from app.services.permissions import Permission, require
from app.services.rounds import writable_round
from app.services.score_checks import check_score_record, has_value

DEFAULT_ASSESSOR = "默认评分人"
Key = tuple[int, int, str]  # unit id, node id, assessor name


@dataclass(frozen=True)
class ScoreImportSummary:
    rows: int
    changed_keys: int  # unit x leaf x assessor combinations whose entries changed
    unchanged_keys: int
    skipped_blank: list[int]  # sheet rows with a unit and code but nothing to record


def _norm(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def _entry_values(entry: ScoreEntry | ScoreRecord) -> tuple[Any, ...]:
    """The comparable content of an entry (0.50 and 0.5 are the same deduction)."""
    return (
        _norm(entry.deduction),
        _norm(entry.score),
        entry.answer,
        _norm(entry.measured),
        bool(entry.not_applicable),
        bool(entry.veto),
        entry.reason or "",
    )


def _as_json(values: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    names = ("扣分", "得分", "是否", "实际值", "不适用", "否决", "理由")
    return [
        {
            n: (str(v) if isinstance(v, Decimal) else v)
            for n, v in zip(names, row, strict=True)
            # By identity: a deduction of 0 is an entry (0 == False), and 否 is an answer.
            if not (v is None or (v is False and n != "是否") or v == "")
        }
        for row in values
    ]


def _validate(
    session: Session, round_id: int, records: list[ScoreRecord]
) -> tuple[dict[Key, list[ScoreRecord]], list[int]]:
    units = dict(
        session.execute(
            select(Unit.name, Unit.id)
            .join(RoundUnit, RoundUnit.unit_id == Unit.id)
            .where(RoundUnit.round_id == round_id)
        ).all()
    )
    nodes = {
        n.code: n for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_id))
    }
    parents = {n.parent_id for n in nodes.values()}
    problems: list[Problem] = []
    grouped: dict[Key, list[ScoreRecord]] = defaultdict(list)
    skipped: list[int] = []
    own_units = dict(session.execute(select(Assessor.name, Assessor.unit_id)).all())
    for record in records:
        unit_id = units.get(record.unit)
        node = nodes.get(record.leaf_code)
        assessor = record.assessor or DEFAULT_ASSESSOR
        if unit_id is not None and own_units.get(assessor) == unit_id:
            problems.append(
                Problem(record.source.at("assessor"), f"评分人“{assessor}”不能给本单位评分（回避）")
            )
            continue
        if unit_id is None:
            problems.append(
                Problem(record.source.at("unit"), f"单位“{record.unit}”不在本考核批次的考核对象中")
            )
        if node is None:
            problems.append(
                Problem(
                    record.source.at("leaf_code"),
                    f"指标编码“{record.leaf_code}”在本批次的指标体系中不存在",
                )
            )
        elif node.id in parents:
            problems.append(
                Problem(
                    record.source.at("leaf_code"), f"指标 {node.code} 不是末级指标，不能直接评分"
                )
            )
        if unit_id is None or node is None or node.id in parents:
            continue
        problems.extend(check_score_record(record, node))
        if not has_value(record) and node.method != "扣分":
            skipped.append(record.source.row)
            continue
        grouped[(unit_id, node.id, record.assessor or DEFAULT_ASSESSOR)].append(record)
    nodes_by_id = {n.id: n for n in nodes.values()}
    for (_, node_id, assessor), rows in grouped.items():
        node = nodes_by_id[node_id]
        valued = [
            r for r in rows if r.score is not None or r.answer is not None or r.measured is not None
        ]
        if node.method != "扣分" and len(valued) > 1:
            where = "、".join(str(r.source.row) for r in valued)
            problems.append(
                Problem(
                    valued[1].source.at("unit"),
                    f"单位“{rows[0].unit}”指标 {node.code} 评分人“{assessor}”"
                    f"有多行分值（第 {where} 行），只能有一行",
                )
            )
    if problems:
        raise WorkbookError(problems)
    return grouped, skipped


def import_scores(db: Database, path: str | Path, round_name: str) -> ScoreImportSummary:
    """Rows for one unit x leaf x assessor replace that combination's entries; importing the
    same file again changes nothing. Every change is logged with old and new values."""
    require(Permission.IMPORT)
    records = read_scores(Path(path))
    backup_before(db, "导入评分前")
    user = current_user()
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        grouped, skipped = _validate(session, round_.id, records)
        assessors = {a.name: a for a in session.scalars(select(Assessor))}
        unit_names = dict(session.execute(select(Unit.id, Unit.name)).all())
        node_codes = dict(
            session.execute(
                select(RoundNode.id, RoundNode.code).where(RoundNode.round_id == round_.id)
            ).all()
        )
        existing: dict[Key, list[ScoreEntry]] = defaultdict(list)
        for entry, assessor_name in session.execute(
            select(ScoreEntry, Assessor.name)
            .join(Assessor, ScoreEntry.assessor_id == Assessor.id)
            .where(ScoreEntry.round_id == round_.id)
        ):
            existing[(entry.unit_id, entry.node_id, assessor_name)].append(entry)
        changed = unchanged = 0
        for key, rows in grouped.items():
            unit_id, node_id, assessor_name = key
            old = sorted((_entry_values(e) for e in existing.get(key, [])), key=repr)
            new = sorted((_entry_values(r) for r in rows), key=repr)
            if old == new:
                unchanged += 1
                continue
            assessor = assessors.get(assessor_name)
            if assessor is None:
                assessor = Assessor(name=assessor_name)
                session.add(assessor)
                session.flush()
                assessors[assessor_name] = assessor
            for entry in existing.get(key, []):
                session.delete(entry)
            for record in rows:
                session.add(
                    ScoreEntry(
                        round_id=round_.id,
                        unit_id=unit_id,
                        node_id=node_id,
                        assessor_id=assessor.id,
                        deduction=record.deduction,
                        score=record.score,
                        answer=record.answer,
                        measured=record.measured,
                        not_applicable=record.not_applicable,
                        veto=record.veto,
                        reason=record.reason,
                        entered_by=user,
                    )
                )
            log_change(
                session,
                entity="评分",
                action="修改" if old else "新增",
                key=f"{unit_names[unit_id]}/{node_codes[node_id]}/{assessor_name}",
                old=_as_json(old) or None,
                new=_as_json(new),
                round_id=round_.id,
                source=str(path),
                user=user,
            )
            changed += 1
    return ScoreImportSummary(len(records), changed, unchanged, skipped)


def write_satisfaction(
    session: Session,
    round_id: int,
    unit: str,
    unit_id: int,
    score: Decimal,
    votes: dict[str, Any] | None,
    current: SatisfactionResult | None,
    *,
    user: str,
    source: str,
) -> bool:
    """One unit's survey value, logged; False when it was already so (nothing written)."""
    if current is not None and current.score == score and current.votes == votes:
        return False
    old = str(current.score) if current is not None else None
    if current is None:
        session.add(
            SatisfactionResult(round_id=round_id, unit_id=unit_id, score=score, votes=votes)
        )
    else:
        current.score = score
        current.votes = votes
    log_change(
        session,
        entity="满意度",
        key=unit,
        action="修改" if old else "新增",
        old=old,
        new=str(score) if votes is None else {"得分": str(score), **votes},
        round_id=round_id,
        source=source,
        user=user,
    )
    return True


@dataclass(frozen=True)
class SatisfactionImportSummary:
    rows: int
    changed: int
    unchanged: int
    # Participating units with no survey value after the import and not excused: named, since
    # their final would otherwise be incomplete without anyone noticing (issue 14 §2).
    without_survey: tuple[str, ...] = ()


def import_satisfaction(
    db: Database,
    path: str | Path,
    round_name: str,
    weights: tuple[Decimal, Decimal, Decimal] = DEFAULT_WEIGHTS,
) -> SatisfactionImportSummary:
    """Scores, or vote counts (满意/基本满意/不满意) turned into scores with ``weights``; the
    votes are kept beside the score they gave."""
    require(Permission.IMPORT)
    if not all(Decimal(0) <= w <= Decimal(100) for w in weights):
        raise UserError("满意度权重应在 0 到 100 之间，如 100,60,0")
    records = read_satisfaction(Path(path), weights=weights)
    backup_before(db, "导入满意度前")
    user = current_user()
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        units = dict(
            session.execute(
                select(Unit.name, Unit.id)
                .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                .where(RoundUnit.round_id == round_.id)
            ).all()
        )
        problems = [
            Problem(r.source.at("unit"), f"单位“{r.unit}”不在本考核批次的考核对象中")
            for r in records
            if r.unit not in units
        ]
        seen: dict[str, int] = {}
        for r in records:
            if r.unit in seen:
                problems.append(
                    Problem(r.source.at("unit"), f"单位“{r.unit}”重复（第 {seen[r.unit]} 行已有）")
                )
            seen.setdefault(r.unit, r.source.row)
        if problems:
            raise WorkbookError(problems)
        existing = {
            s.unit_id: s
            for s in session.scalars(
                select(SatisfactionResult).where(SatisfactionResult.round_id == round_.id)
            )
        }
        changed = unchanged = 0
        for record in records:
            unit_id = units[record.unit]
            votes = (
                None
                if record.votes is None
                else {
                    "满意": record.votes[0],
                    "基本满意": record.votes[1],
                    "不满意": record.votes[2],
                    "权重": [str(w) for w in weights],
                }
            )
            written = write_satisfaction(
                session,
                round_.id,
                record.unit,
                unit_id,
                record.score,
                votes,
                existing.get(unit_id),
                user=user,
                source=str(path),
            )
            changed += written
            unchanged += not written
        surveyed = set(existing) | {units[r.unit] for r in records}
        excused = {e.unit_id for e in round_.exemptions}
        without = tuple(
            name for name, unit_id in units.items() if unit_id not in surveyed | excused
        )
    return SatisfactionImportSummary(len(records), changed, unchanged, without)
