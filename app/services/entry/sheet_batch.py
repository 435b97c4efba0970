"""A batch of returned assessor workbooks: each workbook is its own all-or-nothing unit, so
one assessor's mistake never holds back the others' scores. The preview says each file's
state; the import applies the good ones and names the bad ones with their cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import Location, SheetIssue, UserError, WorkbookError
from app.models.database import Database
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, Done
from app.services.entry.assessor_sheets import CellDiff, import_sheet, preview_sheet
from app.services.maintenance.backups import backup_before


@dataclass(frozen=True)
class SheetCheck:
    """One workbook of the batch: the cells it changes, or why it is refused."""

    path: Path
    diffs: list[CellDiff] = field(default_factory=list)
    problems: list[SheetIssue] = field(default_factory=list)
    written: bool = False  # set by the import: its changes are in the database

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def _problems(path: Path, error: UserError) -> list[SheetIssue]:
    if isinstance(error, WorkbookError):
        return error.problems
    return [SheetIssue(Location(str(path)), str(error))]


def check_sheets(db: Database, round_name: str, paths: Sequence[Path]) -> list[SheetCheck]:
    """Every workbook read and checked, nothing written; a refused one keeps its problems."""
    checks = []
    for path in paths:
        try:
            checks.append(SheetCheck(path, diffs=preview_sheet(db, round_name, path)))
        except UserError as error:
            checks.append(SheetCheck(path, problems=_problems(path, error)))
    return checks


def import_sheets(db: Database, round_name: str, paths: Sequence[Path]) -> Done[list[SheetCheck]]:
    """Each workbook in its own transaction (checked again as it is written: the data may have
    moved since the preview); one backup before the batch. Returns every file's outcome."""
    require(Permission.IMPORT)
    outcomes: list[SheetCheck] = []
    changes: Changes = NOTHING
    with backup_before(db, "导入评分表前"):
        for path in paths:
            try:
                done = import_sheet(db, round_name, path)
            except UserError as error:
                outcomes.append(SheetCheck(path, problems=_problems(path, error)))
                continue
            outcomes.append(SheetCheck(path, diffs=done.value, written=True))
            changes = changes | done.changes
    return Done(outcomes, changes)
