"""Imports from the 文件 menu run off the GUI thread and report back; bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.models.opening import open_database
from app.services.setup.units import list_units
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


def test_a_satisfaction_import_names_the_units_it_did_not_find(
    qtbot, demo_db_file: Path, tmp_path: Path, monkeypatch
) -> None:
    """Seen: 84 rows for 86 units said "84 个单位有变化" and named nobody."""
    import shutil

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, t, text: shown.append((t, text)))
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    main = MainWindow(db, str(path))
    qtbot.addWidget(main)
    survey = write_sheet(
        tmp_path / "满意度.xlsx", ("单位名称", "满意度得分"), [("云州市教育局", 90)]
    )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(survey), "")
    )
    monkeypatch.setattr(main.actions, "_round", lambda: "2025年度法治政府建设考核")
    main.actions.import_satisfaction()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "仍没有满意度得分" not in shown[0][1]  # the demo has a survey for every unit
    from sqlalchemy import delete, select

    from app.models import SatisfactionResult, Unit

    with db.transaction() as session:  # a unit whose survey has not come in
        gone = session.scalar(select(Unit.id).where(Unit.name == "云州市民政局"))
        session.execute(delete(SatisfactionResult).where(SatisfactionResult.unit_id == gone))
    shown.clear()
    main.actions.import_satisfaction()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "1 个参加考核的单位仍没有满意度得分" in shown[0][1] and "云州市民政局" in shown[0][1]
    db.dispose()
