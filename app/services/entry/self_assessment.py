"""Self-assessments (自评): a unit's own score per leaf, imported from its workbook and shown
beside the assessors' scores. They never count in the results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select

from app.errors import Location, SheetIssue, WorkbookError
from app.filenames import file_part
from app.io.readers.self_assessment_reader import SelfAssessmentRow, read_self_assessment
from app.io.text_rules import name_key
from app.models import RoundNode, RoundUnit, Unit
from app.models.database import Database
from app.models.review import SelfAssessment
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, changes_of
from app.services.entry.cells import CellInputError, parse_cell
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames
from app.services.rounds.definition import writable_round


@dataclass(frozen=True)
class SelfAssessmentSummary:
    unit: str
    leaves: int
    changed: bool
    changes: Changes = NOTHING  # what the write changed, for the window to refresh


def _score(node: RoundNode, row: SelfAssessmentRow) -> tuple[Decimal | None, bool]:
    """(score, not applicable) of one row, by the leaf's method; raises CellInputError."""
    if row.is_deduction and (node.method == "扣分" or _is_number(row.text)):
        method = "扣分"  # a number in a 扣分 column is taken off the points, whatever the leaf
    else:
        method = "得分" if node.method == "扣分" else node.method
    value = parse_cell(method, row.text)
    if value is None:
        return None, False
    if value.not_applicable:
        return None, True
    points = node.points
    if value.deduction is not None:
        if value.deduction < 0:
            raise CellInputError("自评扣分不能为负数")
        return max(points - value.deduction, Decimal(0)), False
    if value.answer is not None:
        return (points if value.answer else Decimal(0)), False
    if value.veto:
        return Decimal(0), False
    number = value.score if value.score is not None else value.measured
    if number is None or not Decimal(0) <= number <= points:
        raise CellInputError(f"自评得分应在 0 到 {points.normalize():f} 之间")
    return number, False


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.strip()).is_finite()
    except ArithmeticError:
        return False


def _unit_of(rows: list[SelfAssessmentRow], path: Path, names: list[str]) -> str:
    """The unit the workbook is for: its 单位名称 column, else the name in the file name (as
    written, by its key, or as app.filenames writes it: "市住建局_市人防办" for "/")."""
    where = Location(str(path), "自评")
    written = {r.unit for r in rows if r.unit}
    if len(written) > 1:
        raise WorkbookError(
            [SheetIssue(where, f"一份自评表只能属于一个单位，表中有：{'、'.join(sorted(written))}")]
        )
    stored = StoredNames(names)
    if written:
        unit = written.pop()
        if stored.find(unit) is None:
            raise WorkbookError(
                [SheetIssue(rows[0].source.at("unit"), f"单位“{unit}”不在本考核批次中")]
            )
        return stored.stored(unit)
    stem = name_key(path.stem)
    found = sorted(
        (n for n in names if name_key(n) in stem or file_part(n) in path.stem),
        key=len,
        reverse=True,
    )
    if not found:
        raise WorkbookError(
            [SheetIssue(where, "表中没有“单位名称”列，文件名中也找不到参加本批次的单位名称")]
        )
    return found[0]


def import_self_assessment(
    db: Database, path: str | Path, round_name: str
) -> SelfAssessmentSummary:
    """Replace the unit's self-assessment with the workbook's; every bad row is named and
    nothing is written. The same workbook twice changes nothing."""
    require(Permission.IMPORT)
    path = Path(path)
    rows = read_self_assessment(path)
    if not rows:
        raise WorkbookError([SheetIssue(Location(str(path), "自评"), "自评表中没有任何自评分值")])
    with db.reading() as session:
        round_ = writable_round(session, round_name)
        names = list(
            session.scalars(
                select(Unit.name)
                .join(RoundUnit, RoundUnit.unit_id == Unit.id)
                .where(RoundUnit.round_id == round_.id)
            )
        )
    unit = _unit_of(rows, path, names)
    with backup_before(db, "导入自评表前"), db.transaction() as session:
        round_ = writable_round(session, round_name)
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit))
        nodes = {
            n.code: n
            for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
        }
        parents = {n.parent_id for n in nodes.values()}
        problems: list[SheetIssue] = []
        new: dict[str, tuple[Decimal | None, bool, str]] = {}
        for row in rows:
            node = nodes.get(row.code)
            if node is None or node.id in parents:
                problems.append(
                    SheetIssue(row.source.at("code"), f"指标编码“{row.code}”不是本批次的末级指标")
                )
                continue
            if row.code in new:
                problems.append(SheetIssue(row.source.at("code"), f"指标 {row.code} 重复出现"))
                continue
            try:
                score, not_applicable = _score(node, row)
            except CellInputError as error:
                column = "deduction" if row.is_deduction else "score"
                problems.append(SheetIssue(row.source.at(column), f"指标 {row.code}：{error}"))
                continue
            if score is not None or not_applicable:
                new[row.code] = (score, not_applicable, row.note)
        if problems:
            raise WorkbookError(problems)
        existing = {
            s.node_id: s
            for s in session.scalars(
                select(SelfAssessment).where(
                    SelfAssessment.round_id == round_.id, SelfAssessment.unit_id == unit_id
                )
            )
        }
        by_id = {n.id: n.code for n in nodes.values()}
        old = {by_id[i]: (s.score, s.not_applicable, s.note) for i, s in existing.items()}
        if old == new:
            return SelfAssessmentSummary(unit, len(new), False)
        session.execute(
            delete(SelfAssessment).where(
                SelfAssessment.round_id == round_.id, SelfAssessment.unit_id == unit_id
            )
        )
        for code, (score, not_applicable, note) in new.items():
            session.add(
                SelfAssessment(
                    round_id=round_.id,
                    unit_id=unit_id,
                    node_id=nodes[code].id,
                    score=score,
                    not_applicable=not_applicable,
                    note=note,
                    source=str(path),
                )
            )
        log_change(
            session,
            entity="自评",
            key=unit,
            action="修改" if old else "新增",
            old=_as_json(old) or None,
            new=_as_json(new),
            round_id=round_.id,
            source=str(path),
        )
        return SelfAssessmentSummary(unit, len(new), True, changes_of(session))


def _as_json(values: dict[str, tuple[Decimal | None, bool, str]]) -> dict[str, str]:
    return {
        code: "不适用" if not_applicable else f"{(score or Decimal(0)).normalize():f}"
        for code, (score, not_applicable, _) in values.items()
    }
