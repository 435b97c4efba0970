"""New problems in the ledger: from a round's deductions (one per unit and leaf) or entered by
hand, each numbered by year (``next_number``, which the list import uses too)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Problem, Round, Unit
from app.models.database import Database
from app.models.ledger import SOURCES, TO_DO
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.ledger.notice_links import link_to_issued_notices
from app.services.ledger.problem_status import record_event
from app.services.review.findings import Finding, UnitFindings, round_findings
from app.services.rounds.definition import find_round


def next_number(session: Session, year: int) -> tuple[int, str]:
    serial = 1 + (session.scalar(select(func.max(Problem.serial)).where(Problem.year == year)) or 0)
    return serial, problem_number(year, serial)


def problem_number(year: int, serial: int) -> str:
    return f"{year}-{serial:04d}"  # 4 digits: sorts as text


def create_from_round(db: Database, round_name: str, found_on: date | None = None) -> Done[int]:
    """One problem per unit and leaf with a deduction (reasons of several assessors merged);
    running it again adds only what is new. A notice already issued to a unit for the round
    covers its problems still without one: they take its 文号 and deadlines, as if they had
    been registered before it."""
    require(Permission.LEDGER)
    day = found_on or date.today()
    _results, findings = round_findings(db, round_name)
    with db.transaction() as session:
        round_ = find_round(session, round_name)
        created = register_findings(session, round_, findings, day)
        link_to_issued_notices(session, round_.id)
        changes = changes_of(session)
    return Done(len(created), changes)


def register_findings(
    session: Session, round_: Round, findings: Sequence[UnitFindings], day: date
) -> list[Problem]:
    """The problems of these units' findings not registered yet (issuing a notice registers
    its unit's this way when the ledger was not made from the round first)."""
    unit_ids = dict(session.execute(select(Unit.name, Unit.id)).all())
    existing = set(session.scalars(select(Problem.source_key).where(Problem.round_id == round_.id)))
    created: list[Problem] = []
    serial = next_number(session, day.year)[0] - 1  # asked once: a query per problem was slow
    for found in findings:
        by_leaf: dict[str, list[Finding]] = defaultdict(list)
        for finding in found.findings:
            if finding.lost > 0:
                by_leaf[finding.leaf_code].append(finding)
        for code, items in by_leaf.items():
            key = f"round:{round_.id}:{unit_ids[found.unit]}:{code}"
            if key in existing:
                continue
            reasons = "；".join(dict.fromkeys(f.reason for f in items))
            serial += 1
            problem = Problem(
                year=day.year,
                serial=serial,
                number=problem_number(day.year, serial),
                source="考核扣分",
                source_ref=f"{round_.name} {code} {items[0].leaf_name}",
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
            created.append(problem)
    session.flush()  # the ids, once for all: a flush per problem was most of the time taken
    for problem in created:
        record_event(session, problem, "登记", f"由{round_.name}扣分生成")
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
