"""Imports from the 文件 menu run off the GUI thread and report back; bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.models.opening import open_database
from app.services.units import list_units
from app.ui.main_window import MainWindow
from tests.workbooks import small_units, write_sheet


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, t, text: shown.append((t, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, t, text: shown.append((t, text)))
    db = open_database(tmp_path / "empty.db")
    main = MainWindow(db, "empty.db")
    qtbot.addWidget(main)
    main.shown = shown  # type: ignore[attr-defined]
    yield main
    db.dispose()


def test_unit_import_in_the_background(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    path = small_units(tmp_path / "units.xlsx")
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), "")
    )
    previews = []

    def accept(preview):
        previews.append(preview)
        return {"deactivate_missing": False}

    monkeypatch.setattr(window.units_page, "confirm_import", accept)
    window.actions.import_units()
    page = window.units_page
    assert window.stack.currentWidget() is page  # the menu opens the page with the preview
    qtbot.waitUntil(lambda: "新增 4 个" in page.message.text(), timeout=10000)
    assert [r.status for r in previews[0].rows] == ["新增"] * 4
    assert len(list_units(window.actions.db)) == 4


def test_bad_file_is_refused_with_its_cells(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    path = write_sheet(tmp_path / "dup.xlsx", ("单位名称",), [("市司法局",), ("市司法局",)])
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(path), "")
    )
    window.actions.import_units()
    page = window.units_page
    qtbot.waitUntil(lambda: "未导入" in page.message.text(), timeout=10000)
    assert "第 3 行，A 列" in page.message.text()
    assert list_units(window.actions.db) == []


def test_demo_from_the_menu_fills_every_page(qtbot, window) -> None:
    window.actions.demo()
    qtbot.waitUntil(lambda: bool(window.shown), timeout=60000)
    assert window.results_page.proxy.rowCount() == 80
    assert window.rounds_page.model.rowCount() == 1
