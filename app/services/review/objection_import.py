"""Objections (申辩) read back from the units' 初步结果 workbooks, so what a unit wrote in the
yellow columns is not retyped: previewed per file, then each good file recorded all or
nothing, through the same record (and change log) as an objection typed in.

A file is refused whole, with the cell of each problem, when it belongs to another round or to
a unit not in the round, when its rows were edited, or when a row asks for a score outside
0..分值, a score without a reason, or names a leaf the round no longer has. An objection
already recorded (same unit, leaf and reason) is skipped: importing a file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Location, SheetIssue, UserError, WorkbookError
from app.io.exchange.prelim_workbook import (
    CODE_COLUMN,
    DATA_SHEET,
    REASON_COLUMN,
    REQUESTED_COLUMN,
    read_prelim_objections,
)
from app.models import Round, RoundNode
from app.models.database import Database
from app.models.review import Objection
from app.scoring.engine import round_half_up
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, Done, changes_of
from app.services.names import StoredNames
from app.services.review.objections import record_objection
from app.services.rounds.definition import writable_round
from app.services.rounds.participants import units_taking_part
from app.services.rounds.stages import leaf_scores

Key = tuple[str, str, str]  # unit, leaf code, reason


@dataclass(frozen=True)
class FiledObjection:
    """One objection a file holds, with the score it objects to as the totals count it now."""

    row: int
    leaf: str
    leaf_name: str
    points: Decimal
    reason: str
    requested: Decimal | None
    score: Decimal | None  # None: 不适用 or not scored
    recorded: bool = False  # already in the round (an earlier import): skipped


@dataclass(frozen=True)
class ObjectionFile:
    """A file as checked: its unit ("" when unreadable), its objections and its problems."""

    path: Path
    unit: str = ""
    objections: tuple[FiledObjection, ...] = ()
    problems: tuple[SheetIssue, ...] = field(default=())

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def new(self) -> list[FiledObjection]:
        """What importing the file adds."""
        return [] if self.refused else [o for o in self.objections if not o.recorded]


def _refused(path: Path, message: str, unit: str = "") -> ObjectionFile:
    return ObjectionFile(
        path, unit, problems=(SheetIssue(Location(str(path), DATA_SHEET), message),)
    )


def _check(
    session: Session, round_: Round, path: Path, taken: set[Key]
) -> tuple[ObjectionFile, dict[str, Fraction | None]]:
    """The file against the round; ``taken``, the objections recorded or earlier in the batch
    (this file's are added). Also the unit's leaf scores, read once for the record."""
    try:
        signature, rows = read_prelim_objections(path)
    except WorkbookError as error:
        return ObjectionFile(path, problems=tuple(error.problems)), {}
    if signature.round_name != round_.name:
        message = f"这是考核批次“{signature.round_name}”的初步结果表，不是“{round_.name}”的"
        return _refused(path, message, signature.unit), {}
    units = units_taking_part(session, round_.id)
    unit = StoredNames(units).stored(signature.unit)
    if unit not in units:
        message = f"单位“{signature.unit}”不在考核批次“{round_.name}”中"
        return _refused(path, message, signature.unit), {}
    nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
    parents = {n.parent_id for n in nodes}
    leaves = {n.code: n for n in nodes if n.id not in parents}
    recorded = set(
        session.execute(
            select(RoundNode.code, Objection.reason)
            .join(RoundNode, RoundNode.id == Objection.node_id)
            .where(Objection.round_id == round_.id, Objection.unit_id == units[unit])
        ).all()
    )
    taken |= {(unit, code, reason) for code, reason in recorded}
    scores = leaf_scores(session, round_, unit) if rows else {}
    found: list[FiledObjection] = []
    problems: list[SheetIssue] = []
    for row in rows:

        def problem(column: str, message: str, number: int = row.row) -> None:
            problems.append(SheetIssue(Location(str(path), DATA_SHEET, number, column), message))

        node = leaves.get(row.code)
        if node is None:
            problem(CODE_COLUMN, f"指标 {row.code} 不是本批次的末级指标")
            continue
        if not row.reason:
            problem(REASON_COLUMN, "填写了申请分值，但没有写申辩理由")
        if row.requested is not None and not 0 <= row.requested <= node.points:
            problem(
                REQUESTED_COLUMN,
                f"申请分值 {row.requested.normalize():f} 应在 0 到 "
                f"{node.points.normalize():f} 之间",
            )
        before = scores.get(row.code)
        key = (unit, row.code, row.reason)
        found.append(
            FiledObjection(
                row.row,
                row.code,
                node.name,
                node.points,
                row.reason,
                row.requested,
                None if before is None else round_half_up(before, 2),
                recorded=key in taken,
            )
        )
        taken.add(key)
    return ObjectionFile(path, unit, tuple(found), tuple(problems)), scores


def preview_objection_files(
    db: Database, round_name: str, paths: Sequence[str | Path]
) -> list[ObjectionFile]:
    """Each file as importing it would take it; nothing is written. A round that no longer
    takes objections (published) is refused for the whole batch."""
    taken: set[Key] = set()
    with db.reading() as session:
        round_ = writable_round(session, round_name)
        return [_check(session, round_, Path(path), taken)[0] for path in paths]


def import_objection_files(
    db: Database, round_name: str, paths: Sequence[str | Path]
) -> Done[list[ObjectionFile]]:
    """The good files recorded, each in its own transaction (all of it or none of it); every
    file is returned as checked, the refused ones with their problems."""
    require(Permission.IMPORT)
    with db.reading() as session:
        writable_round(session, round_name)
    files: list[ObjectionFile] = []
    changes: Changes = NOTHING
    for path in map(Path, paths):
        checked = ObjectionFile(path)
        try:
            with db.transaction() as session:
                round_ = writable_round(session, round_name)
                checked, scores = _check(session, round_, path, set())
                for objection in checked.new:
                    record_objection(
                        session,
                        round_,
                        checked.unit,
                        objection.leaf,
                        objection.reason,
                        objection.requested,
                        scores,
                    )
                changes |= changes_of(session)
        except UserError as error:  # refused while recording: the transaction wrote nothing
            checked = _refused(path, str(error), checked.unit)
        files.append(checked)
    return Done(files, changes)
