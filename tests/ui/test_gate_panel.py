"""Issue 14 §3 in the window: the publication check is a panel on the results page, and each
item it names opens the grid at its cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.entry.grid_data import load_grid
from app.services.review.objections import add_objection
from app.services.review.round_status import change_status
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.main_window import MainWindow

UNIT = "云州市民政局"


@pytest.fixture
def window(qtbot, demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    leaf = next(leaf for leaf in load_grid(db, DEMO_ROUND).leaves if leaf.method == "扣分")
    add_objection(db, DEMO_ROUND, UNIT, leaf.code, "已整改，请复核")
    change_status(db, DEMO_ROUND, "审核中")
    made = MainWindow(db, str(path))
    qtbot.addWidget(made)
    made.resize(1400, 900)
    made.leaf = leaf.code  # type: ignore[attr-defined]
    yield made
    qtbot.waitUntil(lambda: made.results_page.gate.check_button.isEnabled())
    db.dispose()


def test_the_check_lists_blocking_items_and_opens_their_cell(qtbot, window, tmp_path) -> None:
    window.show_page("results")
    gate = window.results_page.gate
    qtbot.waitUntil(lambda: gate.report is not None, timeout=10000)  # 审核中: checks by itself
    rows = range(gate.model.rowCount())
    items = [gate.model.item_at(r) for r in rows]
    pending = [r for r, i in zip(rows, items, strict=True) if i.kind == "申辩待复核"]
    assert len(pending) == 1 and "须先解决 2 项" in gate.summary.text()  # and the 公示 to come
    window.grab().save(str(tmp_path / "gate.png"))
    gate._open_cell(gate.model.index(pending[0], 0))  # what a double-click does
    grid = window.scoring_page
    assert window.stack.currentWidget() is grid
    current = grid.view.currentIndex()
    assert grid.model.leaves[current.row()].code == window.leaf
    assert grid.model.units[current.column() - len(FIXED)].name == UNIT


def test_the_check_runs_on_request(qtbot, window) -> None:
    change_status(window._db, DEMO_ROUND, "评分中", "补评")
    window.show_page("results")
    gate = window.results_page.gate
    gate.show_round(DEMO_ROUND, "评分中")
    assert gate.report is None and "自动检查" in gate.summary.text()
    gate.check_button.click()
    qtbot.waitUntil(lambda: gate.report is not None, timeout=10000)
    assert [i.kind for i in gate.report.blocking] == ["申辩待复核", "公示未结束"]
