"""Offline scoring: one workbook per assessor out, checked and diffed back in.

A workbook is accepted only for the round and assessor it was made for, with the very cells
it was made with (the signature covers the assignment), and values within each leaf's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import Location, NotFound, SheetIssue, WorkbookError
from app.filenames import FileNames
from app.io.exchange.assessor_workbook import (
    LOCKED_COLUMNS,
    REASON_COLUMN,
    VALUE_COLUMN,
    SheetRow,
    Signature,
    read_assessor_workbook,
    write_assessor_workbook,
)
from app.models import Assessor
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.access.permissions import Permission, require
from app.services.changes import Done
from app.services.entry.assessor_evidence import (
    UnitsEvidence,
    cell_files,
    copy_evidence,
    evidence_folder_for,
    evidence_lines,
)
from app.services.entry.assignments import Task, assessors_with_tasks, tasks_digest, tasks_of
from app.services.entry.cells import CellInputError, format_cell, parse_cell
from app.services.entry.checks import check_value
from app.services.entry.grid import CellChange, apply_changes, load_grid
from app.services.names import find_named
from app.services.progress import Cancelled, Progress
from app.services.rounds.definition import find_round


@dataclass(frozen=True)
class CellDiff:
    unit: str
    leaf: str
    old: str
    new: str
    reason: str
    warning: str = ""  # accepted, but to be looked at (a deduction above the leaf's points)


def _tasks(db: Database, round_name: str, assessor_name: str) -> tuple[int, str, list[Task]]:
    """The assessor's id, the fingerprint of their tasks and the tasks."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        assessor = find_named(session, Assessor, assessor_name)
        if assessor is None:
            raise NotFound(f"没有名为“{assessor_name}”的评分人")
        tasks = tasks_of(session, round_, assessor)
        return assessor.id, tasks_digest(round_, assessor, tasks), tasks


def export_sheets(
    db: Database,
    round_name: str,
    folder: Path,
    *,
    with_evidence: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """One workbook per assessor with assignments, holding their current entries and the
    units' evidence files for their cells (names and SHA-256); ``with_evidence``: the files
    too, in a folder beside each workbook. Stops between assessors when ``cancelled``."""
    require(Permission.MANAGE_ROUNDS)
    folder.mkdir(parents=True, exist_ok=True)
    grid = load_grid(db, round_name)
    written = []
    names = FileNames(folder)
    store = content_store(db)
    plans = [(a, *_tasks(db, round_name, a)) for a in assessors_with_tasks(db, round_name)]
    with db.reading() as session:
        units = UnitsEvidence(session, find_round(session, round_name).id)
        for count, (assessor, assessor_id, digest, tasks) in enumerate(plans, start=1):
            if cancelled is not None and cancelled():
                break
            rows = []
            for task in tasks:
                value = grid.cells.get((task.unit_id, task.leaf.id, assessor_id))
                rows.append(
                    SheetRow(
                        task.unit,
                        task.leaf.code,
                        task.leaf.name,
                        f"{task.leaf.points.normalize():f}",
                        task.leaf.method,
                        task.leaf.standard,
                        format_cell(task.leaf.method, value),
                        value.reason if value else "",
                        cell_files(units.of(task)),
                    )
                )
            path = names.path(round_name, assessor, "评分表", suffix=".xlsx")
            files = evidence_folder_for(path) if with_evidence else None
            lines = evidence_lines(tasks, units, files)
            if files is not None and lines:
                copy_evidence(units, store, tasks, files, cancelled)
            write_assessor_workbook(
                path,
                f"{round_name} — {assessor} 评分表",
                Signature(round_name, assessor, digest),
                rows,
                lines,
            )
            written.append(path)
            if progress is not None:
                progress(count, len(plans))
    return written


def _read_changes(
    db: Database, round_name: str, path: Path
) -> tuple[str, list[CellChange], list[CellDiff]]:
    signature, rows = read_assessor_workbook(path)
    where = Location(str(path), "评分表")
    if signature.round_name != round_name:
        raise WorkbookError(
            [
                SheetIssue(
                    where, f"这是考核批次“{signature.round_name}”的评分表，不是“{round_name}”的"
                )
            ]
        )
    try:
        assessor_id, digest, tasks = _tasks(db, round_name, signature.assessor)
    except NotFound as error:
        raise WorkbookError([SheetIssue(where, str(error))]) from None
    if digest != signature.digest:
        raise WorkbookError(
            [
                SheetIssue(
                    where,
                    f"评分人“{signature.assessor}”的分工或指标在导出后已改变，请重新导出评分表",
                )
            ]
        )
    problems: list[SheetIssue] = []
    if len(rows) != len(tasks):
        problems.append(
            SheetIssue(where, f"评分表应有 {len(tasks)} 行，实际 {len(rows)} 行：行被增删")
        )
    grid = load_grid(db, round_name)
    changes: list[CellChange] = []
    diffs: list[CellDiff] = []
    for (number, row), task in zip(rows, tasks, strict=False):
        expected = (
            task.unit,
            task.leaf.code,
            task.leaf.name,
            f"{task.leaf.points.normalize():f}",
            task.leaf.method,
        )
        found = (row.unit, row.code, row.name, row.points, row.method)
        for column, want, got in zip(LOCKED_COLUMNS, expected, found, strict=True):
            if want != got:
                problems.append(
                    SheetIssue(
                        Location(str(path), "评分表", number, column),
                        f"受保护的单元格被改动：应为“{want}”，实际为“{got}”",
                    )
                )
        try:
            value = parse_cell(task.leaf.method, row.value, row.reason)
        except CellInputError as error:
            problems.append(
                SheetIssue(Location(str(path), "评分表", number, VALUE_COLUMN), str(error))
            )
            continue
        if value is None:
            continue  # left blank: not scored yet, nothing changes
        change = CellChange(task.unit_id, task.leaf.id, assessor_id, value)
        check = check_value(value, task.leaf)
        for problem in check.problems:
            column = REASON_COLUMN if problem.part == "reason" else VALUE_COLUMN
            problems.append(
                SheetIssue(Location(str(path), "评分表", number, column), problem.message)
            )
        old = grid.cells.get((task.unit_id, task.leaf.id, assessor_id))
        if old != value:
            changes.append(change)
            diffs.append(
                CellDiff(
                    task.unit,
                    task.leaf.code,
                    format_cell(task.leaf.method, old),
                    format_cell(task.leaf.method, value),
                    value.reason,
                    "；".join(w.message for w in (*check.warnings, *check.pending)),
                )
            )
    if problems:
        raise WorkbookError(problems)
    return signature.assessor, changes, diffs


def preview_sheet(db: Database, round_name: str, path: Path) -> list[CellDiff]:
    """What importing would change, without writing anything."""
    return _read_changes(db, round_name, path)[2]


def import_sheet(db: Database, round_name: str, path: Path) -> Done[list[CellDiff]]:
    """One returned workbook, all or nothing: the cells it changes, and what that changed.
    The backup is the caller's: sheet_batch makes one before a whole batch."""
    require(Permission.IMPORT)
    _, changes, diffs = _read_changes(db, round_name, path)
    if not changes:
        return Done(diffs)
    written = apply_changes(db, round_name, changes, source=str(path))
    return Done(diffs, written.changes)
