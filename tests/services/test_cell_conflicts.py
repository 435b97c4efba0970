"""Two clerks on one cell (issue 18): a change made against a value someone else has replaced
meanwhile is refused with who changed it, when and to what; nothing of it is written. On both
engines: two windows on one SQLite file meet the same check."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.models.database import Database
from app.services.access.actor import Actor, acting_as
from app.services.access.audit import list_changes, verify_chain
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellConflict, NamedChange, apply_changes, load_grid
from tests.cells import by_ids
from tests.small_round import ASSESSOR, ROUND, build_small_round

UNITS = ("市公安局", "市财政局")


@pytest.fixture
def round_db(db: Database, tmp_path: Path) -> Database:
    build_small_round(db, tmp_path, UNITS)  # each unit: 1 deducted on 1.1.1 and 2.1.1
    return db


def _cell(db: Database, unit: str, leaf: str, value: CellValue | None, seen: CellValue | None):
    (change,) = by_ids(db, ROUND, NamedChange(unit, leaf, ASSESSOR, value))
    return replace(change, seen=seen)


def _stored(db: Database, unit: str, leaf: str) -> CellValue | None:
    grid = load_grid(db, ROUND)
    (change,) = by_ids(db, ROUND, NamedChange(unit, leaf, ASSESSOR, None))
    return grid.cells.get((change.unit_id, change.leaf_id, change.assessor_id))


def d(n: str, reason: str = "制度未及时更新") -> CellValue:
    return CellValue(deduction=Decimal(n), reason=reason)


def test_the_second_writer_on_a_cell_is_told_who_changed_it(round_db: Database) -> None:
    loaded = _stored(round_db, "市公安局", "1.1.1")  # both clerks see 1
    assert loaded == d("1")
    with acting_as(Actor("张三", "考核办")):
        apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("2"), loaded)])
    before = len(list_changes(round_db))
    with acting_as(Actor("李四", "考核办")), pytest.raises(CellConflict) as refused:
        apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("3"), loaded)])
    message = str(refused.value)
    assert "市公安局 1.1.1" in message and "张三" in message and "扣分: 2" in message
    assert "未写入" in message
    assert list(refused.value.stored.values()) == [d("2")]  # for the grid to show
    assert _stored(round_db, "市公安局", "1.1.1") == d("2")  # the first write stands
    assert len(list_changes(round_db)) == before
    assert verify_chain(round_db).first_broken is None


def test_a_cell_emptied_or_filled_meanwhile_is_a_conflict_too(round_db: Database) -> None:
    loaded = _stored(round_db, "市公安局", "1.1.1")
    with acting_as(Actor("张三", "考核办")):
        apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", None, loaded)])
    with pytest.raises(CellConflict, match=r"张三.*（清空）"):
        apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("3"), loaded)])
    # the cell seen empty, filled by another meanwhile
    apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("4"), None)])
    with pytest.raises(CellConflict, match="扣分: 4"):
        apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("5"), None)])


def test_a_write_against_what_is_there_goes_in_and_the_next_follows_it(
    round_db: Database,
) -> None:
    loaded = _stored(round_db, "市财政局", "2.1.1")
    apply_changes(round_db, ROUND, [_cell(round_db, "市财政局", "2.1.1", d("2"), loaded)])
    apply_changes(round_db, ROUND, [_cell(round_db, "市财政局", "2.1.1", d("3"), d("2"))])
    assert _stored(round_db, "市财政局", "2.1.1") == d("3")


def test_a_pasted_block_keeps_its_other_cells_and_lists_the_conflict(round_db: Database) -> None:
    loaded = {u: _stored(round_db, u, "1.1.1") for u in UNITS}
    with acting_as(Actor("张三", "考核办")):
        apply_changes(
            round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("2"), loaded[UNITS[0]])]
        )
    block = [_cell(round_db, u, "1.1.1", d("3"), loaded[u]) for u in UNITS]
    written = apply_changes(round_db, ROUND, block, partial=True)
    (refused,) = written.refused
    assert refused.change == block[0] and "张三" in refused.message
    assert refused.stored == d("2")
    assert _stored(round_db, "市公安局", "1.1.1") == d("2")
    assert _stored(round_db, "市财政局", "1.1.1") == d("3")


def test_an_import_writes_whatever_is_there(round_db: Database) -> None:
    """A change that saw nothing (UNSEEN: an import after its preview) is not checked."""
    apply_changes(round_db, ROUND, [_cell(round_db, "市公安局", "1.1.1", d("2"), d("1"))])
    (change,) = by_ids(round_db, ROUND, NamedChange("市公安局", "1.1.1", ASSESSOR, d("7")))
    apply_changes(round_db, ROUND, [change])
    assert _stored(round_db, "市公安局", "1.1.1") == d("7")
