"""An office's own problem list (台账) into the ledger: a preview first (new problems, those
already in the ledger, every cell that cannot be read), then all of it in one transaction.
The same list imported again adds nothing. ``import_ledger_file`` also tells the list from
an exported ledger with the units' progress, so one command takes either."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.errors import SheetIssue, UserError, WorkbookError
from app.io.readers.problem_list_reader import ListedProblem, read_problem_list
from app.models import Unit
from app.models.database import Database
from app.models.ledger import Problem
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, Done, changes_of
from app.services.ledger.problem_registration import next_number
from app.services.ledger.problem_status import record_event
from app.services.ledger.progress_import import import_progress
from app.services.maintenance.backups import backup_before
from app.services.names import stored_names


def _key(listed: ListedProblem) -> str:
    digest = hashlib.sha256(f"{listed.unit}\n{listed.description}".encode()).hexdigest()
    return f"list:{digest[:32]}"


@dataclass
class ListPreview:
    path: str
    new: list[ListedProblem] = field(default_factory=list)
    already: list[ListedProblem] = field(default_factory=list)  # imported before: left alone


def preview_problem_list(db: Database, path: str | Path) -> ListPreview:
    """What importing the list would add; raises WorkbookError naming every bad cell, unknown
    units included."""
    listed = read_problem_list(Path(path))
    if not listed:
        raise UserError(f"{Path(path).name} 中没有任何问题")
    with db.reading() as session:
        units = stored_names(session, Unit)
        known = set(
            session.scalars(select(Problem.source_key).where(Problem.source_key.like("list:%")))
        )
    unknown = [
        SheetIssue(
            p.origin.at("unit"), f"没有考核对象“{p.unit}”（请先在考核对象中添加，或改正名称）"
        )
        for p in listed
        if units.find(p.unit) is None
    ]
    if unknown:
        raise WorkbookError(unknown)
    listed = [replace(p, unit=units.stored(p.unit)) for p in listed]  # "(" finds "（"
    preview = ListPreview(str(path))
    seen: set[str] = set()
    for item in listed:
        key = _key(item)
        if key in known or key in seen:
            preview.already.append(item)
        else:
            seen.add(key)
            preview.new.append(item)
    return preview


def commit_problem_list(
    db: Database, preview: ListPreview, found_on: date | None = None
) -> Done[list[str]]:
    """Register the previewed new problems, all in one transaction; their numbers."""
    require(Permission.LEDGER)
    if not preview.new:
        return Done([], NOTHING)
    default_day = found_on or date.today()
    numbers = []
    with backup_before(db, "导入整改台账前"), db.transaction() as session:
        unit_ids = dict(session.execute(select(Unit.name, Unit.id)).all())
        for item in preview.new:
            day = item.found_on or default_day
            serial, number = next_number(session, day.year)
            problem = Problem(
                year=day.year,
                serial=serial,
                number=number,
                source=item.source,
                source_ref=item.source_text if item.source == "其他" else "",
                source_key=_key(item),
                unit_id=unit_ids[item.unit],
                co_units=item.co_units,
                description=item.description,
                found_on=day,
                notice_number="",
                plan_due=None,
                result_due=item.due,
                measures=item.measures,
                person=item.person,
                status=item.status,
            )
            session.add(problem)
            session.flush()
            where = f"{Path(preview.path).name} 第 {item.origin.row} 行"
            record_event(session, problem, "登记", f"从台账导入（{where}，原状态：{item.status}）")
            if item.progress:
                record_event(session, problem, "进展", item.progress)
            numbers.append(number)
        changes = changes_of(session)
    return Done(numbers, changes)


def is_progress_workbook(path: str | Path) -> bool:
    """An exported ledger the units filled in (it has 编号 and 整改进展), not a problem list."""
    from app.io.exchange.ledger_workbook import PROGRESS_COLUMNS
    from app.io.readers.sheet_table import open_table

    try:
        open_table(Path(path), PROGRESS_COLUMNS, "整改台账")
    except WorkbookError:
        return False
    return True


@dataclass(frozen=True)
class LedgerImport:
    kind: str  # "进展" or "问题"
    count: int
    numbers: tuple[str, ...] = ()
    already: int = 0
    changes: Changes = NOTHING  # what the write changed, for the window to refresh


def import_ledger_file(db: Database, path: str | Path) -> LedgerImport:
    """Either workbook: the units' progress in an exported ledger, or a list of new problems."""
    if is_progress_workbook(path):
        progress = import_progress(db, path)
        return LedgerImport("进展", progress.value, changes=progress.changes)
    preview = preview_problem_list(db, path)
    numbers = commit_problem_list(db, preview)
    count, already = len(numbers.value), len(preview.already)
    return LedgerImport("问题", count, tuple(numbers.value), already, numbers.changes)
