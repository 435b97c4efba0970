"""Issue 17, seen: the code and name columns scrolled away. They stay like Excel's 冻结窗格:
an overlay with the frozen columns, aligned row for row with the grid, selecting with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.models.opening import open_database
from app.ui.itemmodels.score_grid_model import CODE, FIXED, NAME, POINTS
from app.ui.pages.scoring.page import ScoringPage


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    widget = ScoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.progress is not None)
    yield widget
    db.dispose()


def test_code_and_name_stay_when_the_grid_scrolls_right(qtbot, page: ScoringPage) -> None:
    view, frozen = page.view, page.view.frozen
    assert frozen.isVisible()
    assert [frozen.isColumnHidden(c) for c in (CODE, NAME, POINTS)] == [False, False, True]
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum())
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    assert bar.value() > 0 and view.columnViewportPosition(CODE) < 0  # scrolled away below
    assert frozen.geometry().x() == view.viewport().x()
    assert frozen.columnViewportPosition(CODE) == 0
    assert frozen.width() == view.columnWidth(CODE) + view.columnWidth(NAME)
    assert frozen.horizontalHeader().height() == view.horizontalHeader().height()
    last = view.model().columnCount() - 1
    x = view.columnViewportPosition(last) + 2
    for y in (3, 100, view.viewport().height() - 5):
        row = view.indexAt(QPoint(x, y)).row()
        assert row >= 0
        assert frozen.indexAt(QPoint(2, y)).row() == row
        assert frozen.rowViewportPosition(row) == view.rowViewportPosition(row)
        assert frozen.indexAt(QPoint(2, y)).data() == page.model.leaves[row].code
    first = page.model.index(view.rowAt(100), len(FIXED))  # moving back left uncovers a cell
    view.setCurrentIndex(first)
    assert view.visualRect(first).left() >= frozen.width()
    frozen_cell = frozen.indexAt(QPoint(2, 100))  # a click on the overlay selects the row
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 100))
    assert view.currentIndex() == frozen_cell
    assert view.selectionModel() is frozen.selectionModel()


def test_keys_move_out_from_under_the_frozen_columns(qtbot, page: ScoringPage) -> None:
    view, frozen = page.view, page.view.frozen
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    view.setFocus()
    view.setCurrentIndex(page.model.index(3, len(FIXED) + 1))
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Left)
    current = view.currentIndex()
    assert (current.row(), current.column()) == (3, len(FIXED) - 1)  # 方式 scrolls, it is shown
    assert view.visualRect(current).left() >= frozen.width()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 4 and view.hasFocus()  # the overlay never takes keys
