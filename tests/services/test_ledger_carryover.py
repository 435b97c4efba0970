"""Carry-over: problems still open past their deadline become deductions, with their numbers
in the reason, on a 扣分 leaf of the next round — logged like any score, right again after a
re-run, and refused where it would not make sense."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.demo.build import DEMO_RULES, LAW_GOVERNMENT
from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.services.entry.grid import load_grid
from app.services.ledger import problem_registration, problem_status
from app.services.ledger.carryover import CARRY_ASSESSOR, carry_over, plan_carry_over
from app.services.rounds.definition import create_round
from tests.publishing import publish_now
from tests.services.test_ledger import without_ledger

NEXT = "2026年度法治政府建设考核"
TODAY = date(2026, 7, 1)


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Database:
    database = open_database(without_ledger(demo_db_file, tmp_path / "demo.db"))
    create_round(database, name=NEXT, framework=LAW_GOVERNMENT, year=2026, rules=DEMO_RULES)
    yield database
    database.dispose()


def deduct_leaf(db: Database) -> tuple[str, Decimal]:
    grid = load_grid(db, NEXT)
    return next(
        (leaf.code, leaf.points)
        for leaf in grid.leaves
        if leaf.method == "扣分" and leaf.categories is None
    )


def overdue(db: Database, unit: str, text: str) -> str:
    return problem_registration.add_problem(
        db, unit, "法治督察", text, found_on=date(2026, 1, 5), result_due=date(2026, 6, 30)
    ).value


def test_overdue_problems_become_deductions_with_their_numbers(demo: Database) -> None:
    leaf, points = deduct_leaf(demo)
    each = points / 2  # the leaf deducts "每项0.5": a carried deduction keeps to its step too
    first = overdue(demo, "云州市民政局", "复议纠错率偏高")
    second = overdue(demo, "云州市民政局", "规范性文件未备案")
    problem_registration.add_problem(
        demo, "云州市教育局", "法治督察", "未到期", result_due=date(2026, 12, 31)
    )
    plan = carry_over(demo, NEXT, leaf, per_problem=each, today=TODAY).value
    by_unit = {p.unit: p for p in plan}
    assert by_unit["云州市民政局"].deduction == 2 * each
    assert by_unit["云州市教育局"].deduction == 0  # its problem is not due yet
    value = load_grid(demo, NEXT).values[("云州市民政局", leaf, CARRY_ASSESSOR)]
    assert value.deduction == 2 * each and first in value.reason and second in value.reason
    assert any(c.source == "整改台账结转" for c in list_changes(demo))
    problem_status.report_progress(demo, first, "已整改", "", done=True)
    problem_status.verify(demo, first, True, "到位")
    carry_over(demo, NEXT, leaf, per_problem=each, today=TODAY)
    value = load_grid(demo, NEXT).values[("云州市民政局", leaf, CARRY_ASSESSOR)]
    assert value.deduction == each and first not in value.reason


def test_the_deduction_stops_at_the_leafs_points(demo: Database) -> None:
    leaf, points = deduct_leaf(demo)
    for i in range(int(points) + 3):
        overdue(demo, "云州市民政局", f"问题{i}")
    plan = plan_carry_over(demo, NEXT, leaf, per_problem=Decimal(1), today=TODAY)
    assert next(p for p in plan if p.unit == "云州市民政局").deduction == points


def test_refusals(demo: Database) -> None:
    grid = load_grid(demo, NEXT)
    not_deduct = next(leaf.code for leaf in grid.leaves if leaf.method != "扣分")
    with pytest.raises(UserError, match="结转须用扣分制指标"):
        plan_carry_over(demo, NEXT, not_deduct, today=TODAY)
    with pytest.raises(UserError, match="不是"):
        plan_carry_over(demo, NEXT, "9.9.9", today=TODAY)
    with pytest.raises(UserError, match="大于 0"):
        plan_carry_over(demo, NEXT, deduct_leaf(demo)[0], per_problem=Decimal(0), today=TODAY)
    publish_now(demo, NEXT)
    with pytest.raises(UserError, match="只能在草稿或评分中阶段结转"):
        carry_over(demo, NEXT, deduct_leaf(demo)[0], today=TODAY)
