"""A write on one page reaches every page that shows what it changed (issue 16: writes say what
changed, the window broadcasts it). Before, the 评分录入 page kept the round list it was built
with until the program restarted, and the 变更记录 page kept its old records."""

from __future__ import annotations

from pathlib import Path

from app.models.opening import open_database
from app.services.changes import Changes, Topic
from app.ui.main_window import MainWindow
from app.ui.pages.new_round_dialog import NewRoundDialog

NEW_ROUND = "2026年度示范创建考核"


def window_on(qtbot, path: Path) -> MainWindow:
    window = MainWindow(open_database(path), path.name)
    qtbot.addWidget(window)
    return window


def create_round_as_the_clerk(window: MainWindow, monkeypatch) -> None:
    """新建考核批次… on the rounds page, the dialog filled and accepted."""

    def exec_(dialog: NewRoundDialog) -> int:
        dialog.name_edit.setText(NEW_ROUND)
        dialog.framework_box.setCurrentText("法治云州示范创建指标体系")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewRoundDialog, "exec", exec_)
    window.show_page("rounds")
    window.rounds_page.new_round()


def test_a_new_round_reaches_the_grid_and_the_change_log(
    qtbot, demo_copy: Path, monkeypatch
) -> None:
    window = window_on(qtbot, demo_copy)
    window.show_page("scoring")
    window.show_page("audit")
    records_before = window.audit_page.model.rowCount()
    assert NEW_ROUND not in [
        window.scoring_page.round_box.itemText(i)
        for i in range(window.scoring_page.round_box.count())
    ]
    create_round_as_the_clerk(window, monkeypatch)
    assert window.rounds_page.current().name == NEW_ROUND
    window.show_page("scoring")
    box = window.scoring_page.round_box
    assert NEW_ROUND in [box.itemText(i) for i in range(box.count())]
    window.show_page("audit")
    assert window.audit_page.model.rowCount() > records_before


def test_a_page_out_of_sight_reads_again_only_when_shown_and_only_if_touched(
    qtbot, demo_copy: Path, monkeypatch
) -> None:
    window = window_on(qtbot, demo_copy)
    window.show_page("units")
    window.show_page("results")
    reloads: list[str] = []
    monkeypatch.setattr(window.units_page, "reload", lambda: reloads.append("units"))
    monkeypatch.setattr(window.results_page, "reload", lambda: reloads.append("results"))
    window.broadcast(Changes.of(Topic.PROBLEMS, Topic.CHANGE_LOG))
    window.show_page("units")
    assert reloads == []  # neither shows problems
    window.broadcast(Changes.of(Topic.UNITS))
    assert reloads == ["units"]  # on screen: at once
    window.broadcast(Changes.of(Topic.SCORES))
    assert reloads == ["units"]  # results out of sight: not yet
    window.show_page("results")
    assert reloads == ["units", "results"]
    window.show_page("units")
    window.show_page("results")
    assert reloads == ["units", "results"]  # nothing new: not read again


def test_an_offline_workbook_imported_on_the_rounds_page_reaches_the_grid(
    qtbot, db_path: Path, tmp_path: Path, monkeypatch
) -> None:
    """Seen (issue 17): after importing an assessor's workbook the grid kept showing the old
    value until the program was restarted, even across page switches. (A small round with two
    assessors' sheets: the demo's took seconds to write and read.)"""
    from openpyxl import load_workbook

    from tests.small_round import build_sheets_round

    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    build_sheets_round(db, tmp_path / "round", ["市司法局", "市公安局", "市财政局"])
    db.dispose()
    window = window_on(qtbot, db_path)
    window.show_page("scoring")
    window.show_page("rounds")
    page = window.rounds_page
    folder = tmp_path / "评分表"
    page.export_sheets(str(folder))
    qtbot.waitUntil(lambda: "已导出" in page.message.text(), timeout=60000)
    path = sorted(folder.glob("*.xlsx"))[0]
    book = load_workbook(path)
    sheet = book["评分表"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet[f"H{r}"].value in (None, ""))
    unit, code = sheet[f"B{row}"].value, sheet[f"C{row}"].value
    sheet[f"H{row}"] = "不适用"
    book.save(path)
    monkeypatch.setattr(page, "confirm_sheet_diffs", lambda checks: True)
    page.import_sheets([str(path)])
    qtbot.waitUntil(lambda: "已导入" in page.message.text(), timeout=30000)
    window.show_page("scoring")
    shown = window.scoring_page.grid.values
    assert any(
        (u, leaf) == (unit, code) and value.not_applicable for (u, leaf, _a), value in shown.items()
    )
