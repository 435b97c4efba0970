"""A returned ledger's progress into the ledger: every row checked (a known number, the right
unit, not closed) and shown before anything is recorded, then all of it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.io.text_rules import name_key
from app.models import Problem, ProblemEvent, Unit
from app.models.database import Database
from app.models.ledger import CLOSED, IN_PROGRESS, TO_DO, TO_VERIFY
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.ledger.problem_status import record_progress


@dataclass(frozen=True)
class ProgressChange:
    """What one row of a returned ledger would record: shown before it is."""

    number: str
    unit: str
    text: str
    evidence: str
    status_before: str
    status_after: str


def _progress_checked(
    session: Session, path: Path
) -> list[tuple[Any, Problem, str, ProgressChange]]:
    """Each row with progress, checked (a known number, the right unit, not closed); a row the
    ledger already holds (the same workbook imported again) is left out."""
    from app.errors import SheetIssue, WorkbookError
    from app.io.exchange.ledger_workbook import read_progress

    records = read_progress(path)
    if not records:
        raise UserError(f"{path.name} 中没有填写任何整改进展")
    found = {
        p.number: (p, name)
        for p, name in session.execute(
            select(Problem, Unit.name)
            .join(Unit, Unit.id == Problem.unit_id)
            .where(Problem.number.in_([r.number for r in records]))
        ).all()
    }
    latest = {
        problem_id: (text, evidence)
        for problem_id, text, evidence in session.execute(
            select(ProblemEvent.problem_id, ProblemEvent.text, ProblemEvent.evidence)
            .where(
                ProblemEvent.kind == "进展",
                ProblemEvent.problem_id.in_([p.id for p, _ in found.values()]),
            )
            .order_by(ProblemEvent.id)
        ).all()
    }
    problems: list[SheetIssue] = []
    checked = []
    for record in records:
        location = record.source.at("number")
        if record.number not in found:
            problems.append(SheetIssue(location, f"没有编号为“{record.number}”的问题"))
            continue
        problem, unit = found[record.number]
        if record.unit and name_key(record.unit) != name_key(unit):
            problems.append(
                SheetIssue(
                    location, f"问题 {record.number} 的责任单位是“{unit}”，不是“{record.unit}”"
                )
            )
            continue
        if problem.status == CLOSED:
            problems.append(SheetIssue(location, f"问题 {record.number} 已销号，不能再报进展"))
            continue
        target = (
            TO_VERIFY
            if record.done
            else (IN_PROGRESS if problem.status == TO_DO else problem.status)
        )
        if latest.get(problem.id) == (record.text.strip(), record.evidence.strip()) and (
            target == problem.status
        ):
            continue  # already recorded
        change = ProgressChange(
            record.number, unit, record.text, record.evidence, problem.status, target
        )
        checked.append((record, problem, unit, change))
    if problems:
        raise WorkbookError(problems)
    return checked


def preview_progress(db: Database, path: str | Path) -> list[ProgressChange]:
    """What importing a returned ledger would record; nothing is written."""
    with db.reading() as session:
        return [change for *_, change in _progress_checked(session, Path(path))]


def import_progress(db: Database, path: str | Path) -> Done[int]:
    """Progress written into an exported ledger: every row is checked (known number, the right
    unit, not closed) before anything is recorded, then all of it is one transaction; rows
    already recorded are not recorded twice."""
    require(Permission.LEDGER)
    with db.transaction() as session:
        checked = _progress_checked(session, Path(path))
        for record, problem, _unit, _change in checked:
            record_progress(session, problem, record.text, record.evidence, record.done)
        changes = changes_of(session)
    return Done(len(checked), changes)
