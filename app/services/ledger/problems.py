"""The rectification ledger: problems from a round's deductions or entered by hand, their
progress, the office's verification, and the status flow 待整改 → 整改中 → 待核验 → 已销号.

A problem is closed (销号) only by a passed verification; 退回 sends it back to 整改中; a 回头看
re-opens a closed one for a check. Every step is a ProblemEvent and a change-log record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Problem, ProblemEvent, Unit
from app.models.database import Database
from app.models.ledger import CLOSED, IN_PROGRESS, SOURCES, STATUSES, TO_DO, TO_VERIFY
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.review.findings import round_findings
from app.services.rounds.deadlines import add_months
from app.services.rounds.definition import find_round

# Which status changes a plain "set status" may make (closing needs a verification).
ALLOWED = {
    TO_DO: {IN_PROGRESS, TO_VERIFY},
    IN_PROGRESS: {TO_DO, TO_VERIFY},
    TO_VERIFY: {IN_PROGRESS},
    CLOSED: set(),
}


@dataclass(frozen=True)
class ProblemInfo:
    id: int
    number: str
    source: str
    source_ref: str
    unit: str
    description: str
    found_on: date
    notice_number: str
    plan_due: date | None
    result_due: date | None
    status: str
    overdue: bool
    measures: str
    person: str


@dataclass(frozen=True)
class EventInfo:
    at: str
    kind: str
    text: str
    evidence: str
    user: str
    from_status: str
    to_status: str


def is_overdue(status: str, plan_due: date | None, result_due: date | None, today: date) -> bool:
    """逾期: the plan is late while nothing has started, or the result is late and not closed."""
    if status == CLOSED:
        return False
    if result_due is not None and today > result_due:
        return True
    return status == TO_DO and plan_due is not None and today > plan_due


def _next_number(session: Session, year: int) -> tuple[int, str]:
    serial = 1 + (session.scalar(select(func.max(Problem.serial)).where(Problem.year == year)) or 0)
    return serial, f"{year}-{serial:04d}"  # 4 digits: sorts as text


def _event(
    session: Session,
    problem: Problem,
    kind: str,
    text: str,
    to_status: str = "",
    evidence: str = "",
) -> None:
    before = problem.status
    session.add(
        ProblemEvent(
            problem_id=problem.id,
            kind=kind,
            text=text,
            evidence=evidence,
            user=current_user(),
            from_status=before,
            to_status=to_status or before,
        )
    )
    if to_status:
        problem.status = to_status
    log_change(
        session,
        entity="整改问题",
        key=problem.number,
        action=kind,
        old=before,
        new=problem.status,
        reason=text,
        round_id=problem.round_id,
    )


def create_from_round(db: Database, round_name: str, found_on: date | None = None) -> int:
    """One problem per unit and leaf with a deduction (reasons of several assessors merged);
    running it again adds only what is new."""
    require(Permission.LEDGER)
    day = found_on or date.today()
    _results, findings = round_findings(db, round_name)
    created = 0
    with db.transaction() as session:
        round_ = find_round(session, round_name)
        unit_ids = dict(session.execute(select(Unit.name, Unit.id)).all())
        existing = set(
            session.scalars(select(Problem.source_key).where(Problem.round_id == round_.id))
        )
        for found in findings:
            by_leaf: dict[str, list] = defaultdict(list)
            for finding in found.findings:
                if finding.lost > 0:
                    by_leaf[finding.leaf_code].append(finding)
            for code, items in by_leaf.items():
                key = f"round:{round_.id}:{unit_ids[found.unit]}:{code}"
                if key in existing:
                    continue
                reasons = "；".join(dict.fromkeys(f.reason for f in items))
                serial, number = _next_number(session, day.year)
                problem = Problem(
                    year=day.year,
                    serial=serial,
                    number=number,
                    source="考核扣分",
                    source_ref=f"{round_name} {code} {items[0].leaf_name}",
                    source_key=key,
                    round_id=round_.id,
                    unit_id=unit_ids[found.unit],
                    co_units="",
                    description=f"{items[0].leaf_name}：{reasons}",
                    found_on=day,
                    notice_number="",
                    measures="",
                    person="",
                    status=TO_DO,
                )
                session.add(problem)
                session.flush()
                _event(session, problem, "登记", f"由{round_name}扣分生成")
                created += 1
    return created


def add_problem(
    db: Database,
    unit: str,
    source: str,
    description: str,
    *,
    source_ref: str = "",
    found_on: date | None = None,
    plan_due: date | None = None,
    result_due: date | None = None,
) -> str:
    require(Permission.LEDGER)
    if source not in SOURCES:
        raise UserError(f"问题来源“{source}”无效；可选：{'、'.join(SOURCES)}")
    if not description.strip():
        raise UserError("问题描述不能为空")
    day = found_on or date.today()
    with db.transaction() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit.strip()))
        if unit_id is None:
            raise NotFound(f"没有考核对象“{unit}”")
        serial, number = _next_number(session, day.year)
        problem = Problem(
            year=day.year,
            serial=serial,
            number=number,
            source=source,
            source_ref=source_ref,
            unit_id=unit_id,
            co_units="",
            description=description.strip(),
            found_on=day,
            notice_number="",
            plan_due=plan_due,
            result_due=result_due,
            measures="",
            person="",
            status=TO_DO,
        )
        session.add(problem)
        session.flush()
        _event(session, problem, "登记", "手工登记")
        return number


def link_problems_to_notice(
    session: Session,
    round_id: int,
    unit_id: int,
    notice_number: str,
    issued_on: date,
    plan_months: int,
    result_months: int,
) -> int:
    """Issuing a notice to a unit links its open, unlinked problems from that round and sets
    their deadlines from the notice's date."""
    problems = list(
        session.scalars(
            select(Problem).where(
                Problem.round_id == round_id,
                Problem.unit_id == unit_id,
                Problem.notice_number == "",
                Problem.status != CLOSED,
            )
        )
    )
    user = current_user()
    for problem in problems:
        problem.notice_number = notice_number
        problem.plan_due = add_months(issued_on, plan_months)
        problem.result_due = add_months(issued_on, result_months)
        session.add(
            ProblemEvent(
                problem_id=problem.id,
                kind="通知",
                text=f"随{notice_number}下发，期限已设定",
                evidence="",
                user=user,
                from_status=problem.status,
                to_status=problem.status,
            )
        )
    if problems:  # one change-log record for the notice's whole list (no status changes)
        log_change(
            session,
            entity="整改问题",
            key=notice_number,
            action="通知",
            old=None,
            new={
                "问题": [p.number for p in problems],
                "方案期限": str(add_months(issued_on, plan_months)),
                "完成期限": str(add_months(issued_on, result_months)),
            },
            round_id=round_id,
        )
    return len(problems)


def _get(session: Session, number: str) -> Problem:
    problem = session.scalar(select(Problem).where(Problem.number == str(number).strip()))
    if problem is None:
        raise NotFound(f"没有编号为“{number}”的问题")
    return problem


def set_status(db: Database, number: str, status: str, reason: str) -> None:
    require(Permission.LEDGER)
    if status not in STATUSES:
        raise UserError(f"状态“{status}”无效；可选：{'、'.join(STATUSES)}")
    if not reason.strip():
        raise UserError("改变状态必须说明理由")
    with db.transaction() as session:
        problem = _get(session, number)
        if status == CLOSED:
            raise UserError(f"问题 {problem.number} 须经核验通过才能销号")
        if status not in ALLOWED[problem.status]:
            raise UserError(f"问题 {problem.number} 不能从“{problem.status}”改为“{status}”")
        _event(session, problem, "状态", reason.strip(), to_status=status)


def report_progress(
    db: Database, number: str, text: str, evidence: str = "", done: bool = False
) -> None:
    """The unit's progress; ``done`` hands the problem to the office for verification."""
    require(Permission.LEDGER)
    if not text.strip():
        raise UserError("整改进展不能为空")
    with db.transaction() as session:
        _report(session, _get(session, number), text, evidence, done)


def _report(session: Session, problem: Problem, text: str, evidence: str, done: bool) -> None:
    if problem.status == CLOSED:
        raise UserError(f"问题 {problem.number} 已销号；如需复查请用“回头看”")
    target = TO_VERIFY if done else (IN_PROGRESS if problem.status == TO_DO else problem.status)
    _event(session, problem, "进展", text.strip(), to_status=target, evidence=evidence.strip())


def verify(db: Database, number: str, passed: bool, reason: str) -> None:
    require(Permission.LEDGER)
    if not reason.strip():
        raise UserError("核验意见不能为空")
    with db.transaction() as session:
        problem = _get(session, number)
        if problem.status != TO_VERIFY:
            raise UserError(
                f"问题 {problem.number} 当前为“{problem.status}”，只有待核验的问题可以核验"
            )
        if passed:
            _event(session, problem, "核验通过", reason.strip(), to_status=CLOSED)
        else:
            _event(session, problem, "核验退回", reason.strip(), to_status=IN_PROGRESS)


def look_back(db: Database, number: str, reason: str) -> None:
    """回头看: a closed problem is re-opened for a check."""
    require(Permission.LEDGER)
    if not reason.strip():
        raise UserError("回头看须说明理由")
    with db.transaction() as session:
        problem = _get(session, number)
        if problem.status != CLOSED:
            raise UserError(f"问题 {problem.number} 尚未销号，无需回头看")
        _event(session, problem, "回头看", reason.strip(), to_status=TO_VERIFY)


def list_problems(
    db: Database,
    *,
    unit: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    today: date | None = None,
) -> list[ProblemInfo]:
    day = today or date.today()
    # Columns, not ORM objects: a ledger of 20,000 problems reads in a tenth of the time.
    query = (
        select(
            Problem.id,
            Problem.number,
            Problem.source,
            Problem.source_ref,
            Unit.name,
            Problem.description,
            Problem.found_on,
            Problem.notice_number,
            Problem.plan_due,
            Problem.result_due,
            Problem.status,
            Problem.measures,
            Problem.person,
        )
        .join(Unit, Unit.id == Problem.unit_id)
        .order_by(Problem.year, Problem.serial)
    )
    if unit:
        query = query.where(Unit.name == unit)
    if status:
        query = query.where(Problem.status == status)
    with db.reading() as session:
        rows = [
            ProblemInfo(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                is_overdue(r[10], r[8], r[9], day),
                r[11],
                r[12],
            )
            for r in session.execute(query)
        ]
    if overdue:
        rows = [r for r in rows if r.overdue]
    if due_within is not None:
        rows = [r for r in rows if r.status != CLOSED and _due_soon(r, day, due_within)]
    return rows


def units_with_problems(db: Database) -> list[str]:
    """The units the ledger names, for its filter."""
    with db.reading() as session:
        return sorted(
            session.scalars(select(Unit.name).join(Problem, Problem.unit_id == Unit.id).distinct())
        )


def _due_soon(row: ProblemInfo, day: date, days: int) -> bool:
    dues = [d for d in (row.plan_due if row.status == TO_DO else None, row.result_due) if d]
    return any(0 <= (d - day).days <= days for d in dues)


def history(db: Database, number: str) -> list[EventInfo]:
    with db.reading() as session:
        problem = _get(session, number)
        events = session.scalars(
            select(ProblemEvent)
            .where(ProblemEvent.problem_id == problem.id)
            .order_by(ProblemEvent.id)
        )
        return [
            EventInfo(
                f"{e.at:%Y-%m-%d %H:%M}",
                e.kind,
                e.text,
                e.evidence,
                e.user,
                e.from_status,
                e.to_status,
            )
            for e in events
        ]


@dataclass(frozen=True)
class LedgerStats:
    found: int
    closed: int
    overdue: int
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_unit: dict[str, tuple[int, int]]  # unit -> (found, closed)

    @property
    def rate(self) -> float:
        return self.closed / self.found if self.found else 0.0


def statistics(db: Database, today: date | None = None) -> LedgerStats:
    rows = list_problems(db, today=today)
    by_status = {s: 0 for s in STATUSES}
    by_source: dict[str, int] = defaultdict(int)
    by_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_status[r.status] += 1
        by_source[r.source] += 1
        by_unit[r.unit][0] += 1
        by_unit[r.unit][1] += r.status == CLOSED
    return LedgerStats(
        len(rows),
        by_status[CLOSED],
        sum(r.overdue for r in rows),
        by_status,
        dict(by_source),
        {u: (f, c) for u, (f, c) in by_unit.items()},
    )


def export_problems(
    db: Database, path: str | Path, *, unit: str | None = None, today: date | None = None
) -> Path:
    """The ledger (or one unit's part of it) for the unit to fill in its progress."""
    from app.io.ledger_workbook import write_ledger

    day = today or date.today()
    rows = [r for r in list_problems(db, unit=unit, today=day) if r.status != CLOSED or not unit]
    if unit and not rows:
        raise UserError(f"“{unit}”没有需要整改的问题")
    title = f"{unit or '全部单位'}整改台账（{day.year}年{day.month}月{day.day}日导出）"
    return write_ledger(
        Path(path),
        title,
        [
            (
                r.number,
                r.source,
                r.source_ref,
                r.unit,
                r.description,
                r.plan_due.isoformat() if r.plan_due else "",
                r.result_due.isoformat() if r.result_due else "",
                r.status,
                "逾期" if r.overdue else "",
                "",
                "",
                "",
            )
            for r in rows
        ],
    )


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
    from app.io.ledger_workbook import read_progress

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
        if record.unit and record.unit != unit:
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


def import_progress(db: Database, path: str | Path) -> int:
    """Progress written into an exported ledger: every row is checked (known number, the right
    unit, not closed) before anything is recorded, then all of it is one transaction; rows
    already recorded are not recorded twice."""
    require(Permission.LEDGER)
    with db.transaction() as session:
        checked = _progress_checked(session, Path(path))
        for record, problem, _unit, _change in checked:
            _report(session, problem, record.text, record.evidence, record.done)
    return len(checked)
