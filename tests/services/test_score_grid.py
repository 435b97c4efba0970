"""Editing scores cell by cell or by block: checked first, all or nothing, every change logged."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.services.entry.cells import CellInputError, CellValue, format_cell, parse_cell
from app.services.entry.grid import CellRefused, NamedChange, apply_changes, load_grid
from app.services.review.results import compute_round_results
from tests.cells import by_ids


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    yield db
    db.dispose()


def final_of(db, unit: str) -> Decimal:
    results = compute_round_results(db, DEMO_ROUND).result.units
    return next(u.final for u in results if u.unit == unit)


@pytest.mark.parametrize(
    ("method", "text", "expected"),
    [
        ("扣分", "0.5", CellValue(deduction=Decimal("0.5"))),
        ("扣分", "１", CellValue(deduction=Decimal(1))),  # "-1" is refused: see test_entry_checks
        ("得分", "3.25", CellValue(score=Decimal("3.25"))),
        ("是否", "否", CellValue(answer=False)),
        ("分档", "97%", CellValue(measured=Decimal("0.97"))),
        ("分档", "0.9", CellValue(measured=Decimal("0.9"))),
        ("扣分", "不适用", CellValue(not_applicable=True)),
        ("否决", "是", CellValue(veto=True)),
        ("扣分", "  ", None),
    ],
)
def test_typed_text_becomes_a_value_and_back(method, text, expected) -> None:
    assert parse_cell(method, text) == expected
    if expected is not None:
        assert parse_cell(method, format_cell(method, expected)) == expected


def test_typed_text_that_does_not_fit_is_refused() -> None:
    with pytest.raises(CellInputError, match="是”或“否"):
        parse_cell("是否", "1.5")
    with pytest.raises(CellInputError, match="不是数字"):
        parse_cell("扣分", "半分")


def test_a_deduction_moves_the_total_and_is_logged(demo) -> None:
    grid = load_grid(demo, DEMO_ROUND)
    deduct = {
        leaf.code: leaf for leaf in grid.leaves if leaf.method == "扣分" and leaf.area_code != "3"
    }
    unit, code, assessor = next(key for key in grid.values if key[1] in deduct)
    leaf = deduct[code]
    apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(unit, code, assessor, None))
    )
    full = final_of(demo, unit)  # the only assessor's entry gone: full points for the leaf
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(
            demo,
            DEMO_ROUND,
            NamedChange(unit, code, assessor, CellValue(deduction=leaf.points, reason="未开展")),
        ),
    )
    assert final_of(demo, unit) < full
    last = list_changes(demo)[-1]
    assert last.entity == "评分" and last.new == {"扣分": str(leaf.points), "理由": "未开展"}
    assert load_grid(demo, DEMO_ROUND).values[(unit, code, assessor)].reason == "未开展"


def test_a_block_with_one_bad_cell_changes_nothing(demo) -> None:
    grid = load_grid(demo, DEMO_ROUND)
    score_leaf = next(leaf for leaf in grid.leaves if leaf.method == "得分")
    deduct_leaf = next(leaf for leaf in grid.leaves if leaf.method == "扣分")
    units = [u.name for u in grid.units]
    # an assessor of the round (the name must exist: nobody is created) outside both units
    ids = [u.id for u in grid.units]
    assessor = next(a.name for a in grid.panel if grid.own_units.get(a.id) not in ids[:2])
    changes = by_ids(
        demo,
        DEMO_ROUND,
        NamedChange(units[0], deduct_leaf.code, assessor, CellValue(deduction=Decimal(1))),
        NamedChange(units[1], score_leaf.code, assessor, CellValue(score=score_leaf.points + 1)),
    )
    log_size = len(list_changes(demo))
    with pytest.raises(CellRefused, match=str(score_leaf.points)):
        apply_changes(demo, DEMO_ROUND, changes)
    assert len(list_changes(demo)) == log_size
    assert grid.values.get((units[0], deduct_leaf.code, assessor)) == load_grid(
        demo, DEMO_ROUND
    ).values.get((units[0], deduct_leaf.code, assessor))


def test_an_assessor_never_scores_their_own_unit(demo) -> None:
    grid = load_grid(demo, DEMO_ROUND)
    leaf = next(leaf for leaf in grid.leaves if leaf.method == "扣分")
    with pytest.raises(CellRefused, match="回避"):
        apply_changes(
            demo,
            DEMO_ROUND,
            by_ids(
                demo,
                DEMO_ROUND,
                NamedChange(
                    "云州市司法局", leaf.code, "司法局考核组", CellValue(deduction=Decimal(1))
                ),
            ),
        )


def test_assigning_an_assessor_to_their_own_unit_is_refused(demo) -> None:
    from app.errors import UserError
    from app.services.entry.assignments import assign

    with pytest.raises(UserError, match="回避"):
        assign(demo, DEMO_ROUND, "司法局考核组", ["1.1"], ["云州市司法局", "云州市公安局"])
    assert assign(demo, DEMO_ROUND, "司法局考核组", ["1.1"], ["云州市公安局"]).value > 0


def test_an_edit_says_what_it_changed(demo) -> None:
    from app.services.changes import Topic
    from app.services.rounds.definition import find_round

    with demo.reading() as session:
        round_id = find_round(session, DEMO_ROUND).id
    grid = load_grid(demo, DEMO_ROUND)
    unit, code, assessor = next(iter(grid.values))
    done = apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(unit, code, assessor, None))
    )
    assert done.warnings == ()
    assert done.changes.touches(Topic.SCORES) and done.changes.rounds == {round_id}
    assert not apply_changes(demo, DEMO_ROUND, []).changes
