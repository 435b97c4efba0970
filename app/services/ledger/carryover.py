"""Carry-over (结转): a next round deducts, on a 扣分 leaf the office sets aside for it, for the
problems a unit has left open past their deadline — the reasons list those problems. Written
as the assessor 整改台账 through the score service, so every cell is checked and logged, and
running it again (after more problems were closed) puts each unit's deduction right."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.errors import UserError
from app.models.database import Database
from app.models.enums import RoundStatus
from app.models.ledger import CLOSED
from app.services.access.permissions import Permission, require
from app.services.changes import Done
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_named_changes
from app.services.entry.grid_data import load_grid
from app.services.ledger.problems import ProblemInfo, list_problems

CARRY_ASSESSOR = "整改台账"
OPEN_STATUSES = (RoundStatus.DRAFT, RoundStatus.SCORING)
REASON_LIMIT = 400  # characters of problem text in one reason; the numbers always fit


@dataclass(frozen=True)
class CarriedUnit:
    unit: str
    problems: tuple[str, ...]  # numbers of the overdue problems
    deduction: Decimal
    reason: str


def _reason(problems: list[ProblemInfo], today: date) -> str:
    head = f"截至{today:%Y年%m月%d日}，整改台账中逾期未整改问题 {len(problems)} 个："
    text = "；".join(f"{p.number} {p.description}" for p in problems)
    if len(text) > REASON_LIMIT:
        text = text[:REASON_LIMIT] + "……（详见整改台账）"
    return head + text


def plan_carry_over(
    db: Database,
    round_name: str,
    leaf_code: str,
    *,
    per_problem: Decimal = Decimal(1),
    today: date | None = None,
) -> list[CarriedUnit]:
    """What carrying over would write: one line per unit the leaf applies to (0 where the unit
    has nothing overdue). Refused unless the round is still open and the leaf deducts."""
    day = today or date.today()
    if per_problem <= 0:
        raise UserError("每个问题的扣分应大于 0")
    grid = load_grid(db, round_name)
    if grid.status not in OPEN_STATUSES:
        raise UserError(f"考核批次“{round_name}”当前为“{grid.status}”，只能在草稿或评分中阶段结转")
    leaf = next((x for x in grid.leaves if x.code == leaf_code), None)
    if leaf is None:
        raise UserError(f"指标 {leaf_code} 不是考核批次“{round_name}”的末级指标")
    if leaf.method != "扣分":
        raise UserError(f"指标 {leaf_code} 的评分方式是“{leaf.method}”，结转须用扣分制指标")
    overdue: dict[str, list[ProblemInfo]] = defaultdict(list)
    for problem in list_problems(db, overdue=True, today=day):
        if problem.status != CLOSED:
            overdue[problem.unit].append(problem)
    plan = []
    for unit in grid.units:
        if not grid.applies(leaf, unit):
            continue
        found = overdue.get(unit.name, [])
        deduction = min(per_problem * len(found), leaf.points)
        plan.append(
            CarriedUnit(
                unit.name,
                tuple(p.number for p in found),
                deduction,
                _reason(found, day) if found else "",
            )
        )
    return plan


def carry_over(
    db: Database,
    round_name: str,
    leaf_code: str,
    *,
    per_problem: Decimal = Decimal(1),
    today: date | None = None,
) -> Done[list[CarriedUnit]]:
    """Write the plan as the 整改台账 assessor's deductions, checked and logged like any score."""
    require(Permission.LEDGER)
    plan = plan_carry_over(db, round_name, leaf_code, per_problem=per_problem, today=today)
    changes = [
        NamedChange(
            item.unit,
            leaf_code,
            CARRY_ASSESSOR,
            CellValue(deduction=item.deduction, reason=item.reason),
        )
        for item in plan
    ]
    written = apply_named_changes(
        db,
        round_name,
        changes,
        source="整改台账结转",
        system_assessors=frozenset({CARRY_ASSESSOR}),
    )
    return Done(plan, written.changes)
