"""New problems in the ledger: from a round's deductions (one per unit and leaf) or entered by
hand, each numbered by year (``next_number``, which the list import uses too)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Problem, Unit
from app.models.database import Database
from app.models.ledger import SOURCES, TO_DO
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.ledger.problem_status import record_event
from app.services.review.findings import round_findings
from app.services.rounds.definition import find_round


def next_number(session: Session, year: int) -> tuple[int, str]:
    serial = 1 + (session.scalar(select(func.max(Problem.serial)).where(Problem.year == year)) or 0)
    return serial, f"{year}-{serial:04d}"  # 4 digits: sorts as text


def create_from_round(db: Database, round_name: str, found_on: date | None = None) -> Done[int]:
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
                serial, number = next_number(session, day.year)
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
                record_event(session, problem, "登记", f"由{round_name}扣分生成")
                created += 1
        changes = changes_of(session)
    return Done(created, changes)


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
) -> Done[str]:
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
        serial, number = next_number(session, day.year)
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
        record_event(session, problem, "登记", "手工登记")
        return Done(number, changes_of(session))
