"""Import score and satisfaction workbooks into a round: all rows checked first (a score
workbook's in score_rows), then one write."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import SheetIssue, UserError, WorkbookError
from app.io.readers.satisfaction_reader import DEFAULT_WEIGHTS, read_satisfaction
from app.io.readers.scores_reader import read_scores
from app.io.records import ScoreRecord
from app.models import (
    Assessor,
    RoundNode,
    SatisfactionResult,
    ScoreEntry,
    Unit,
)
from app.models.database import Database
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, changes_of
from app.services.entry.entry_rows import score_entry, value_of
from app.services.entry.score_rows import DEFAULT_ASSESSOR, Key, validate
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames
from app.services.rounds.definition import writable_round
from app.services.rounds.participants import units_taking_part


@dataclass(frozen=True)
class ScoreImportSummary:
    rows: int
    changed_keys: int  # unit x leaf x assessor combinations whose entries changed
    unchanged_keys: int
    skipped_blank: list[int]  # sheet rows with a unit and code but nothing to record
    # accepted but to be looked at: deductions above the points, 代录, a new default assessor
    warnings: tuple[str, ...] = ()
    changes: Changes = NOTHING  # what the import changed, for the window to refresh

    def lines(self) -> list[str]:
        """What the import did, in the words the CLI and the window both show."""
        found = [
            f"读取 {self.rows} 行：{self.changed_keys} 项评分有变化，{self.unchanged_keys} 项未变"
        ]
        if self.skipped_blank:
            rows = "、".join(str(r) for r in self.skipped_blank[:20])
            more = "等" if len(self.skipped_blank) > 20 else ""
            found.append(
                f"注意：第 {rows}{more} 行未填分值，未计入（共 {len(self.skipped_blank)} 行）"
            )
        found.extend(f"提醒：{warning}" for warning in self.warnings)
        return found


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


def import_scores(db: Database, path: str | Path, round_name: str) -> ScoreImportSummary:
    """Rows for one unit x leaf x assessor replace that combination's entries; importing the
    same file again changes nothing. Every change is logged with old and new values; what is
    accepted with a note (代录, a deduction above the points) comes back as warnings."""
    require(Permission.IMPORT)
    records = read_scores(Path(path))
    user = current_user()
    with backup_before(db, "导入评分前"), db.transaction() as session:
        round_ = writable_round(session, round_name)
        checked = validate(session, round_, records)
        if checked.new_default:
            session.add(Assessor(name=DEFAULT_ASSESSOR))
            session.flush()
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
        for key, rows in checked.grouped.items():
            unit_id, node_id, assessor_name = key
            old = sorted((_entry_values(e) for e in existing.get(key, [])), key=repr)
            new = sorted((_entry_values(r) for r in rows), key=repr)
            if old == new:
                unchanged += 1
                continue
            assessor = assessors[assessor_name]  # checked: every name exists (or was just made)
            for entry in existing.get(key, []):
                session.delete(entry)
            for record in rows:
                value = value_of(record)
                session.add(score_entry(round_.id, unit_id, node_id, assessor.id, value, user=user))
            log_change(
                session,
                entity="评分",
                action="修改" if old else "新增",
                key=f"{unit_names[unit_id]}/{node_codes[node_id]}/{assessor_name}",
                old=_as_json(old) or None,
                new=_as_json(new),
                round_id=round_.id,
                reason=f"代录：该单元格未分配给“{assessor_name}”" if key in checked.proxied else "",
                source=str(path),
                user=user,
            )
            changed += 1
        changes = changes_of(session)
    return ScoreImportSummary(
        len(records), changed, unchanged, checked.skipped, tuple(checked.warnings), changes
    )


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
    changes: Changes = NOTHING  # what the import changed, for the window to refresh

    def lines(self) -> list[str]:
        """What the import did, in the words the CLI and the window both show."""
        found = [
            f"读取 {self.rows} 行：{self.changed} 个单位的满意度有变化，{self.unchanged} 个未变"
        ]
        if self.without_survey:
            found.append(
                f"注意：{len(self.without_survey)} 个参加考核的单位仍没有满意度得分"
                "（计算时不混合满意度，结果标为“满意度缺失”；不参加测评的单位请在“规则…”中设为免测）："
                + "、".join(self.without_survey)
            )
        return found


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
    user = current_user()
    with backup_before(db, "导入满意度前"), db.transaction() as session:
        round_ = writable_round(session, round_name)
        units = units_taking_part(session, round_.id)
        stored = StoredNames(units)  # a sheet's "(" finds the unit stored with "（"
        records = [replace(r, unit=stored.stored(r.unit)) for r in records]
        problems = [
            SheetIssue(r.source.at("unit"), f"单位“{r.unit}”不在本考核批次的考核对象中")
            for r in records
            if r.unit not in units
        ]
        seen: dict[str, int] = {}
        for r in records:
            if r.unit in seen:
                problems.append(
                    SheetIssue(
                        r.source.at("unit"), f"单位“{r.unit}”重复（第 {seen[r.unit]} 行已有）"
                    )
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
        changes = changes_of(session)
    return SatisfactionImportSummary(len(records), changed, unchanged, without, changes)
