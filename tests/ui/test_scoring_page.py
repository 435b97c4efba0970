"""The score grid driven as a clerk would: typing, pasting, undo, N/A, the live ranking."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.ui.itemmodels.score_grid_model import FIXED, ScoreGridModel
from app.ui.pages.scoring.page import ScoringPage


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    widget = ScoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    yield widget
    db.dispose()


def cell(page: ScoringPage, method: str, *, offset: int = 0):
    """An editable cell of the current assessor's grid on a leaf of the given method."""
    model = page.model
    rows = [r for r, leaf in enumerate(model.leaves) if leaf.method == method]
    for row in rows[offset:]:
        for column in range(len(FIXED), model.columnCount()):
            index = model.index(row, column)
            if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                return index
    raise AssertionError(f"no editable {method} cell")


def final_of(page: ScoringPage, unit: str) -> str:
    return next(f"{u.final:.2f}" for u in page.ranking._rows if u.unit == unit)


def test_grid_model_passes_qt_checks(qtmodeltester, page: ScoringPage) -> None:
    qtmodeltester.check(page.model)
    assert isinstance(page.model, ScoreGridModel)
    assert page.model.rowCount() == 102


def test_typing_a_deduction_updates_the_ranking_and_undo_restores(qtbot, page: ScoringPage) -> None:
    index = cell(page, "扣分")
    unit = page.model.unit_at(index).name
    before_text = index.data()
    before_final = final_of(page, unit)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.setText("1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index.data() == "1")  # the delegate commits on a queued call
    assert final_of(page, unit) != before_final
    assert page.view.currentIndex().row() == index.row() + 1  # Enter moved down
    page.undo_stack.undo()
    assert index.data() == before_text
    assert final_of(page, unit) == before_final
    page.undo_stack.redo()
    assert index.data() == "1"


def test_wrong_value_is_refused_with_the_rule(page: ScoringPage) -> None:
    index = cell(page, "是否")
    before = index.data()
    assert page.model.setData(index, "2.5") is False
    assert "是”或“否" in page.message.text()
    assert index.data() == before
    index = cell(page, "得分")
    leaf = page.model.leaf_at(index)
    assert page.model.setData(index, str(leaf.points + 1)) is False
    assert str(leaf.points) in page.message.text()


def test_entry_checks_show_on_the_message_line(page: ScoringPage) -> None:
    """Issue 14 §4 in the grid: off the leaf's step or negative is refused with the rule; a
    deduction above the points goes in, with a warning on the same line."""
    index = cell(page, "扣分")  # 1.1.1: "每项0.5", 1 point
    before = index.data()
    assert page.model.setData(index, "0.3") is False
    assert "0.5 的整数倍" in page.message.text()
    assert page.model.setData(index, "-1") is False
    assert "不能为负数" in page.message.text()
    assert index.data() == before
    assert page.model.setData(index, "2") is True
    assert index.data() == "2"
    assert "超过分值" in page.message.text() and "扣完为止" in page.message.text()
    assert page.model.setData(index, "0.5") is True
    assert "超过分值" not in page.message.text()


def test_not_applicable_by_typing(page: ScoringPage) -> None:
    index = cell(page, "扣分")
    assert page.model.setData(index, "/") is True
    assert index.data() == "不适用"


def test_pasting_a_block_and_an_invalid_block(page: ScoringPage) -> None:
    start = cell(page, "扣分")
    right = page.model.index(start.row(), start.column() + 1)
    log_size = len(list_changes(page._db))
    page.paste_block(start, "0.5\t1\r\n")
    assert (start.data(), right.data()) == ("0.5", "1")
    assert len(list_changes(page._db)) == log_size + 2
    page.paste_block(start, "2\t半分\n")  # the valid cell goes in, the other is listed
    assert "半分" in page.message.text() and "未录入 1 格" in page.message.text()
    assert (start.data(), right.data()) == ("2", "1")
    page.undo_stack.undo()
    assert (start.data(), right.data()) == ("0.5", "1")
    page.undo_stack.undo()
    assert start.data() != "0.5" or right.data() != "1"


def test_copy_gives_tab_separated_text(page: ScoringPage) -> None:
    start = cell(page, "扣分")
    page.paste_block(start, "0.5\t1")
    selection = page.view.selectionModel()
    selection.select(start, selection.SelectionFlag.Select)
    selection.select(
        page.model.index(start.row(), start.column() + 1), selection.SelectionFlag.Select
    )
    QGuiApplication.clipboard().setText(page.view.selection_text())
    assert QGuiApplication.clipboard().text() == "0.5\t1"


def test_reason_is_saved_for_the_current_cell(page: ScoringPage) -> None:
    index = cell(page, "扣分")
    page.model.setData(index, "0.5")
    page.view.setCurrentIndex(index)
    page.reason_edit.setText("未按期备案")
    page._save_reason()
    assert page.model.value_at(index).reason == "未按期备案"
    assert list_changes(page._db)[-1].new["理由"] == "未按期备案"


def test_an_assessor_sees_no_ranking_before_publication(
    qtbot, demo_db_file: Path, tmp_path: Path
) -> None:
    """Issue 15 §3: the live ranking beside the grid is every unit's result; a 评分人 sees
    their own cells only until the round is published. The results page says why."""
    from app.models.accounts import ROLE_ASSESSOR
    from app.services.access.accounts import assessor_names
    from app.services.access.actor import Actor, acting_as
    from app.ui.pages.results_page import ResultsPage

    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    try:
        group = assessor_names(db)[0]
        with acting_as(Actor("li", ROLE_ASSESSOR, assessor_name=group, signed_in=True)):
            page = ScoringPage(db)
            qtbot.addWidget(page)
            page.show()
            page.finish_loading()
            assert not page.ranking_view.isVisible() and page.ranking.rowCount() == 0
            results = ResultsPage(db)
            qtbot.addWidget(results)
            assert results.model.rowCount() == 0 and "发布前不能查看" in results.caption.text()
    finally:
        db.dispose()


def test_the_grid_keeps_ids_and_an_edit_writes_by_them(page: ScoringPage, monkeypatch) -> None:
    """Names are only shown: the model holds the assessor by id, each cell by (unit id, leaf
    id, assessor id), and an edit hands the service the round's id and those ids."""
    from app.ui.pages.scoring import editing

    index = cell(page, "扣分")
    leaf, unit = page.model.leaf_at(index), page.model.unit_at(index)
    assessor = page.model.assessor
    assert page.grid.assessor_names[assessor] == page.assessor_box.currentText()
    assert page.assessor_box.currentData() == assessor
    written = []
    write = editing.apply_changes

    def spy(db, round_, changes, **options):
        written.append((round_, changes))
        return write(db, round_, changes, **options)

    monkeypatch.setattr(editing, "apply_changes", spy)
    assert page.model.setData(index, "0.5")
    [(round_, [change])] = written
    assert round_ == page.grid.round_id
    assert (change.unit_id, change.leaf_id, change.assessor_id) == (unit.id, leaf.id, assessor)
    assert (
        page.grid.cells[(unit.id, leaf.id, assessor)] == change.value == page.model.value_at(index)
    )


def test_the_detail_line_follows_another_assessor_on_the_same_cell(page: ScoringPage) -> None:
    """Seen (issue 17 walk): after choosing another 评分人 the current cell stayed selected
    but the detail line and the reason box still showed the previous assessor's value."""
    model = page.model
    box = page.assessor_box
    names = [box.itemText(i) for i in range(box.count()) if box.itemData(i) is not None]
    index = next(
        model.index(r, c)
        for r, leaf in enumerate(model.leaves)
        if leaf.method == "扣分"
        for c in range(len(FIXED), model.columnCount())
        if model.value_at(model.index(r, c)) is not None
        and model.value_at(model.index(r, c)).reason
    )
    page.view.setCurrentIndex(index)
    first = page.detail.text()
    assert page.reason_edit.text() == model.value_at(index).reason
    for name in names:
        box.setCurrentIndex(box.findText(name))
        shown = model.value_at(page.view.currentIndex())
        assert page.reason_edit.text() == (shown.reason if shown else "")
        assert page.detail.text() == (
            f"{model.unit_at(index).short_name} {model.leaf_at(index).code}"
            + (
                f"　{model.leaf_at(index).discretion.rule()}"
                if model.leaf_at(index).discretion
                else ""
            )
            + "　"
            + model.cell_text(page.view.currentIndex()).replace("\n", "；")
        )
    assert first  # the first assessor's line was shown to begin with


def test_a_reading_from_elsewhere_waits_for_the_cell_being_typed(qtbot, page: ScoringPage) -> None:
    """Another client's write (a server's notification) reads the round again; a clerk typing
    in a cell at that moment keeps what she types, and the reading follows once it is in."""
    index = cell(page, "扣分")
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.indexWidget(index) or page.view.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("0.5")
    page.reload()  # as MainWindow.broadcast does when the server says the scores changed
    assert page.view.state() == page.view.State.EditingState
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page._reload_waiting)
    assert page.model.value_at(page.model.index(index.row(), index.column())).deduction == Decimal(
        "0.5"
    )


def test_undo_survives_another_clients_write_and_never_overwrites_it(
    page: ScoringPage, demo_db_file: Path
) -> None:
    """Another client's write reads the round again (issue 18): this clerk's undo history is
    kept, and an undo puts back only what her own edit wrote — over a cell someone else has
    changed since, it is refused with who and when."""
    from app.services.entry.cell_changes import CellChange
    from app.services.entry.cells import CellValue
    from app.services.entry.grid import apply_changes

    first, second = cell(page, "扣分"), cell(page, "扣分", offset=1)
    page.model.setData(first, "0.5")
    page.model.setData(second, "0.5")
    assert page.undo_stack.count() == 2
    other = open_database(page._db.path)  # a second client on the same data
    unit, leaf = page.model.unit_at(second), page.model.leaf_at(second)
    apply_changes(
        other,
        page.grid.round_id,
        [CellChange(unit.id, leaf.id, page.model.assessor, CellValue(deduction=Decimal("1")))],
    )
    other.dispose()
    page.reload()  # as the server's notification does
    assert page.undo_stack.count() == 2
    page.undo_stack.undo()  # the second edit: its cell was changed by the other client
    assert "已被" in page.message.text()
    assert page.model.value_at(second).deduction == Decimal("1")
    page.undo_stack.undo()  # the first edit: nobody touched it, it goes back
    assert page.model.value_at(first) is None or page.model.value_at(first).deduction != Decimal(
        "0.5"
    )
