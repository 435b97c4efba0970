"""Issue 17, seen in the grid: on a 酌情 leaf the number was lost when typed before its reason,
and a pasted block with one such cell was refused whole. Driven as a clerk would: type and
Tab, answer (or put off) the reason asked for in place, paste a mixed block."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.services.entry.grid import load_grid
from app.ui.itemmodels.score_grid_model import FIXED, REASON_PENDING_BRUSH
from app.ui.pages.scoring.page import ScoringPage

RANGE_LEAF = "1.1.1"  # made a 酌情 leaf: 0.5 to 1 of its 1 point


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE round_nodes SET parameters = '酌情0.5-1', method = '扣分' WHERE code = ?",
            (RANGE_LEAF,),
        )
    widget = ScoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.progress is not None)
    widget.assigned_only.setChecked(False)
    yield widget
    db.dispose()


def editable_run(page: ScoringPage, code: str, length: int = 1):
    """The first of ``length`` editable cells side by side on the leaf's row."""
    model = page.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.code == code)
    editable = [
        model.flags(model.index(row, c)) & Qt.ItemFlag.ItemIsEditable
        for c in range(model.columnCount())
    ]
    for column in range(len(FIXED), model.columnCount() - length + 1):
        if all(editable[column : column + length]):
            return model.index(row, column)
    raise AssertionError(f"no {length} editable cells on {code}")


def stored(page: ScoringPage, index):
    """The cell as the database holds it, read afresh."""
    unit, leaf = page.model.unit_at(index), page.model.leaf_at(index)
    return load_grid(page._db, page.grid.round_id).cells.get(
        (unit.id, leaf.id, page.model.assessor)
    )


def type_and_tab(qtbot, page: ScoringPage, index, text: str) -> None:
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: index.data() == text)


def test_a_number_typed_before_its_reason_is_kept_and_the_reason_asked_in_place(
    qtbot, page: ScoringPage
) -> None:
    index = editable_run(page, RANGE_LEAF)
    page.reason_edit.clear()
    type_and_tab(qtbot, page, index, "0.8")
    assert page.view.currentIndex().column() == index.column() + 1  # Tab moved on
    assert stored(page, index).deduction == Decimal("0.8") and stored(page, index).reason == ""
    assert index.data(Qt.ItemDataRole.BackgroundRole) == REASON_PENDING_BRUSH
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("须补扣分理由")
    assert "须补扣分理由 1 格" in page.progress.text()
    prompt = page.reason_prompt
    qtbot.waitUntil(prompt.isVisible)
    prompt.insert("重大决策未经集体讨论")  # QTest types ASCII only
    qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert not prompt.isVisible()
    assert stored(page, index).reason == "重大决策未经集体讨论"
    assert index.data() == "0.8"
    assert index.data(Qt.ItemDataRole.BackgroundRole) != REASON_PENDING_BRUSH
    assert "须补扣分理由" not in page.progress.text()
    assert list_changes(page._db)[-1].new["理由"] == "重大决策未经集体讨论"
    page.undo_stack.undo()  # the reason is its own step: the number stays, marked again
    assert index.data() == "0.8"
    assert index.data(Qt.ItemDataRole.BackgroundRole) == REASON_PENDING_BRUSH


def test_a_reason_put_off_leaves_the_number_in_and_the_cell_marked(
    qtbot, page: ScoringPage
) -> None:
    index = editable_run(page, RANGE_LEAF)
    page.reason_edit.clear()
    type_and_tab(qtbot, page, index, "1")
    qtbot.waitUntil(page.reason_prompt.isVisible)
    qtbot.keyClick(page.reason_prompt, Qt.Key.Key_Escape)
    assert not page.reason_prompt.isVisible()
    assert stored(page, index).deduction == 1
    assert index.data(Qt.ItemDataRole.BackgroundRole) == REASON_PENDING_BRUSH
    assert "须补扣分理由" in page.message.text()
    page.view.setCurrentIndex(index)  # completed later from the reason line below the grid
    page.reason_edit.setText("未按规定公开")
    page._save_reason()
    assert stored(page, index).reason == "未按规定公开"
    assert index.data(Qt.ItemDataRole.BackgroundRole) != REASON_PENDING_BRUSH


def test_a_pasted_block_applies_its_valid_cells_and_lists_the_others(page: ScoringPage) -> None:
    start = editable_run(page, RANGE_LEAF, 4)
    cells = [page.model.index(start.row(), start.column() + c) for c in range(4)]
    before = [stored(page, i) for i in cells]
    page.paste_block(start, "0.8\t0.3\t半分\t0\r\n")
    assert stored(page, cells[0]).deduction == Decimal("0.8")  # in, without reason: marked
    assert stored(page, cells[3]).deduction == 0
    assert [stored(page, i) for i in cells[1:3]] == before[1:3]  # nothing invalid written
    text = page.message.text()
    assert "未录入 2 格" in text and "不在此范围" in text and "半分" in text
    assert "第 1 行第 2 列" in text and "第 1 行第 3 列" in text
    assert "须补扣分理由 1 格" in text
    assert cells[0].data(Qt.ItemDataRole.BackgroundRole) == REASON_PENDING_BRUSH
    page.undo_stack.undo()  # the cells written, undone together
    assert [stored(page, i) for i in cells] == before
