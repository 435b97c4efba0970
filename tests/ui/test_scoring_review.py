"""The grid's filters, the 酌情 range, several assessors on one cell, progress, and live totals
that always equal a full recompute; driven as a clerk would."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.demo.build import DEMO_ROUND, PANEL_AREA
from app.models.opening import open_database
from app.services.review.results import compute_round_results
from app.ui.itemmodels.score_grid_model import ALL_ASSESSORS, DISAGREEMENT_ROLE, FIXED
from app.ui.pages.scoring.page import ScoringPage

RANGE_LEAF = "1.1.1"


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    with db.engine.begin() as connection:  # one leaf with a 酌情 range rule
        connection.exec_driver_sql(
            "UPDATE round_nodes SET parameters = '酌情0.5-1', method = '扣分' WHERE code = ?",
            (RANGE_LEAF,),
        )
    widget = ScoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.progress is not None)
    yield widget
    db.dispose()


def choose(box, data) -> None:
    box.setCurrentIndex(box.findData(data))


def editable_index(page: ScoringPage, code: str, start_column: int = len(FIXED)):
    row = next(r for r, leaf in enumerate(page.model.leaves) if leaf.code == code)
    for column in range(start_column, page.model.columnCount()):
        index = page.model.index(row, column)
        if page.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return index
    raise AssertionError(f"no editable cell on {code}")


def assert_live_equals_full(page: ScoringPage) -> None:
    full = compute_round_results(page._db, DEMO_ROUND).result.units
    shown = page.ranking._rows
    assert [(u.unit, u.final, u.rank, u.grade) for u in shown] == [
        (u.unit, u.final, u.rank, u.grade) for u in full
    ]


def test_area_category_and_assignment_filters(qtbot, page: ScoringPage) -> None:
    choose(page.area_box, PANEL_AREA)
    assert page.model.rowCount() > 0
    assert {leaf.area_code for leaf in page.model.leaves} == {PANEL_AREA}
    category = page.category_box.itemData(1)
    choose(page.category_box, category)
    assert {u.category for u in page.model.units} == {category}
    unit = page.grid.units[3].name
    choose(page.category_box, "单位::" + unit)  # one unit at a time
    assert [u.name for u in page.model.units] == [unit] and page.model.rowCount() > 0
    choose(page.area_box, "")
    choose(page.category_box, "")
    all_rows = page.model.rowCount()
    page.assigned_only.setChecked(True)
    assessor = page.grid.assessor_names[page.model.assessor]
    assert 0 < page.model.rowCount() < all_rows
    assert all(
        any(page.grid.assigned(page.model.assessor, u.id, leaf.id) for u in page.model.units)
        for leaf in page.model.leaves
    )
    assert "已评" in page.progress.text() and assessor in page.progress.text()


def test_unscored_only_shows_what_is_left_and_scoring_it_updates_progress(
    qtbot, page: ScoringPage
) -> None:
    assessor = page.model.assessor
    grid = page.grid
    index = next(
        page.model.index(r, c)
        for r, x in enumerate(page.model.leaves)
        if x.method == "得分"
        for c, u in enumerate(page.model.units, start=len(FIXED))
        if grid.applies(x, u) and grid.assigned(assessor, u.id, x.id)
    )
    leaf, unit = page.model.leaf_at(index), page.model.unit_at(index)
    assert page.model.setData(index, "")  # Delete: the cell is not scored any more
    done, total = page.model.progress.of_unit(assessor, unit.id)
    page.unscored_only.setChecked(True)
    assert leaf.code in [x.code for x in page.model.leaves]
    assert unit.name in [u.name for u in page.model.units]
    for shown in page.model.leaves:
        assert any(
            (u.id, shown.id, assessor) not in grid.cells
            and grid.applies(shown, u)
            and grid.assigned(assessor, u.id, shown.id)
            for u in page.model.units
        )
    row = [x.code for x in page.model.leaves].index(leaf.code)
    column = len(FIXED) + [u.name for u in page.model.units].index(unit.name)
    assert page.model.setData(page.model.index(row, column), "0"), page.message.text()
    assert page.model.progress.of_unit(assessor, unit.id) == (done + 1, total)
    assert f"{done + 1}/{total}" in page.model.headerData(
        column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
    )
    page.unscored_only.setChecked(False)
    page.unscored_only.setChecked(True)
    assert (leaf.code, unit.name) not in {
        (x.code, u.name)
        for x in page.model.leaves
        for u in page.model.units
        if (u.id, x.id, assessor) not in grid.cells
    }
    assert_live_equals_full(page)


def test_a_discretionary_range_needs_a_value_in_range_and_a_reason(page: ScoringPage) -> None:
    page.assigned_only.setChecked(False)
    index = editable_index(page, RANGE_LEAF)
    before = index.data()
    page.reason_edit.clear()
    assert page.model.setData(index, "0.3") is False
    assert "酌情扣 0.5 至 1 分" in page.message.text() and "不在此范围" in page.message.text()
    assert index.data() == before
    assert page.model.setData(index, "0.8") is True  # kept, marked until its reason comes
    assert index.data() == "0.8" and page.model.reason_pending(index)
    page.reason_edit.setText("重大决策未经集体讨论")
    assert page.model.setData(index, "0.8") is True, page.message.text()
    assert index.data() == "0.8"
    assert page.model.value_at(index).reason == "重大决策未经集体讨论"
    assert not page.model.reason_pending(index)
    assert page.model.setData(index, "0") is True  # no deduction needs no range
    assert_live_equals_full(page)


def test_several_assessors_their_aggregate_and_the_disagreement_flag(
    qtbot, page: ScoringPage
) -> None:
    choose(page.area_box, PANEL_AREA)
    grid = page.grid
    row = next(r for r, leaf in enumerate(page.model.leaves) if leaf.method == "扣分")
    leaf = page.model.leaves[row]
    column = next(
        c
        for c in range(len(FIXED), page.model.columnCount())
        if sum(
            (page.model.units[c - len(FIXED)].name, leaf.code, a) in grid.values
            for a in grid.assessors
        )
        >= 3
    )
    shown_unit = page.model.units[column - len(FIXED)]
    unit = shown_unit.name
    panel = [a.name for a in grid.panel if grid.own_units.get(a.id) != shown_unit.id][:2]
    index = page.model.index(row, column)
    for assessor, text in zip(panel, ("0", f"{leaf.points.normalize():f}"), strict=True):
        page.assessor_box.setCurrentText(assessor)
        assert page.model.setData(index, text), page.message.text()
    assert index.data(DISAGREEMENT_ROLE) is True
    details = page.model.cell_text(index)
    assert all(a in details for a in panel) and "计入得分" in details and "评分分歧" in details
    choose(page.assessor_box, ALL_ASSESSORS)  # all assessors: the aggregate, read-only
    assert "人）" in index.data()
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    page.disagreement_only.setChecked(True)
    shown = {
        (page.model.leaves[r].code, u.name)
        for r in range(page.model.rowCount())
        for u in page.model.units
    }
    assert (leaf.code, unit) in shown
    assert all(
        any(
            page.model.index(r, c).data(DISAGREEMENT_ROLE)
            for c in range(len(FIXED), page.model.columnCount())
        )
        for r in range(page.model.rowCount())
    )
    page.disagreement_only.setChecked(False)
    index = page.model.index(
        next(r for r, x in enumerate(page.model.leaves) if x.code == leaf.code),
        len(FIXED) + next(i for i, u in enumerate(page.model.units) if u.name == unit),
    )
    for assessor in [a for a in grid.assessors if (unit, leaf.code, a) in grid.values]:
        page.assessor_box.setCurrentText(assessor)
        assert page.model.setData(index, "0")
    assert index.data(DISAGREEMENT_ROLE) is False  # all agree again
    assert_live_equals_full(page)


def test_live_totals_after_a_run_of_edits_equal_a_full_recompute(page: ScoringPage) -> None:
    leaves = [leaf for leaf in page.model.leaves if leaf.method in ("扣分", "得分", "是否")][:6]
    for n, leaf in enumerate(leaves):
        index = editable_index(page, leaf.code)
        text = {"扣分": "0.5", "得分": "0", "是否": "否"}[leaf.method]
        assert page.model.setData(index, text if n % 3 else "/"), page.message.text()
        assert_live_equals_full(page)
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert_live_equals_full(page)
    assert page.grid.disagreement_fraction == Decimal("0.3")


def test_grid_and_ranking_models_pass_qt_checks(qtmodeltester, page: ScoringPage) -> None:
    choose(page.assessor_box, ALL_ASSESSORS)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.ranking)
