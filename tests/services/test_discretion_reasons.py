"""Issue 17, seen: a 酌情 deduction typed before its reason was refused, and a pasted block with
one such cell was refused whole. Now the number goes in, marked until its reason comes; a
block keeps its valid cells and lists the others; the round's gate lists what still lacks a
reason."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models import RoundNode
from app.models.opening import open_database
from app.services.entry.cells import CellValue
from app.services.entry.checks import REASON_PENDING, check_value
from app.services.entry.grid import NamedChange, apply_changes, load_grid
from app.services.entry.missing_reasons import waiting_for_reason
from app.services.review.publication_gate import NO_REASON, check_round
from tests.cells import by_ids

RANGE_LEAF = "1.1.1"  # made a 酌情 leaf: 0.5 to 1 of its 1 point


def ranged_leaf() -> RoundNode:
    return RoundNode(
        code="2.1", name="依法决策", method="扣分", points=Decimal(1), parameters="酌情0.5-1"
    )


def test_a_discretionary_deduction_without_reason_is_accepted_and_pending() -> None:
    leaf = ranged_leaf()
    check = check_value(CellValue(deduction=Decimal("0.8")), leaf)
    assert check.accepted and not check.problems
    assert [p.part for p in check.pending] == ["reason"]
    assert REASON_PENDING in check.pending[0].message
    assert not check_value(CellValue(deduction=Decimal("0.8"), reason="未集体讨论"), leaf).pending
    assert not check_value(CellValue(deduction=Decimal(0)), leaf).pending
    out_of_range = check_value(CellValue(deduction=Decimal("0.3")), leaf)
    assert not out_of_range.accepted and not out_of_range.pending
    assert "不在此范围" in out_of_range.problems[0].message


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE round_nodes SET parameters = '酌情0.5-1', method = '扣分' WHERE code = ?",
            (RANGE_LEAF,),
        )
    yield db
    db.dispose()


def scorer(db) -> tuple[list[str], str]:
    """Four units and an assessor of the round who may score all four (not their own)."""
    grid = load_grid(db, DEMO_ROUND)
    assessor = next(
        a for a in grid.panel if grid.own_units.get(a.id) not in [u.id for u in grid.units[:4]]
    )
    return [u.name for u in grid.units[:4]], assessor.name


def test_the_number_is_written_and_the_gate_lists_it_until_its_reason(demo) -> None:
    units, assessor = scorer(demo)
    change = NamedChange(units[0], RANGE_LEAF, assessor, CellValue(deduction=Decimal("0.8")))
    written = apply_changes(demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, change))
    assert len(written.pending) == 1 and REASON_PENDING in written.pending[0]
    grid = load_grid(demo, DEMO_ROUND)
    assert grid.values[(units[0], RANGE_LEAF, assessor)].deduction == Decimal("0.8")
    assert len(waiting_for_reason(grid)) == 1
    [item] = [i for i in check_round(demo, DEMO_ROUND).blocking if i.kind == NO_REASON]
    assert (item.unit, item.leaf, item.assessor) == (units[0], RANGE_LEAF, assessor)
    assert "未填写扣分理由" in item.message
    reasoned = CellValue(deduction=Decimal("0.8"), reason="重大决策未经集体讨论")
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(demo, DEMO_ROUND, NamedChange(units[0], RANGE_LEAF, assessor, reasoned)),
    )
    assert not [i for i in check_round(demo, DEMO_ROUND).blocking if i.kind == NO_REASON]
    assert not waiting_for_reason(load_grid(demo, DEMO_ROUND))


def test_a_pasted_block_keeps_its_valid_cells_and_lists_the_others(demo) -> None:
    units, assessor = scorer(demo)
    before = load_grid(demo, DEMO_ROUND).values
    values = [Decimal("0.8"), Decimal("0.3"), Decimal(-1), Decimal(0)]
    changes = by_ids(
        demo,
        DEMO_ROUND,
        *(
            NamedChange(unit, RANGE_LEAF, assessor, CellValue(deduction=value))
            for unit, value in zip(units, values, strict=True)
        ),
    )
    written = apply_changes(demo, DEMO_ROUND, changes, partial=True)
    assert [r.change for r in written.refused] == changes[1:3]
    assert "不在此范围" in written.refused[0].message and units[1] in written.refused[0].message
    assert "不能为负数" in written.refused[1].message
    assert len(written.pending) == 1
    after = load_grid(demo, DEMO_ROUND).values
    assert after[(units[0], RANGE_LEAF, assessor)].deduction == Decimal("0.8")
    assert after[(units[3], RANGE_LEAF, assessor)].deduction == 0
    for unit in units[1:3]:  # nothing invalid written
        key = (unit, RANGE_LEAF, assessor)
        assert after.get(key) == before.get(key)
