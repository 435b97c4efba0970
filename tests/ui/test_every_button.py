"""The program never shows a traceback: every enabled button on every page, clicked with the
first row of each list chosen (or nothing to choose), on an empty database and on the demo,
either does its job or says why not. Every question is answered "no" and every file dialog is
cancelled, so nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from app.models.database import Database
from app.models.opening import open_database
from app.ui.main_window import MainWindow


@pytest.fixture
def answers_no(monkeypatch: pytest.MonkeyPatch) -> None:
    """Modal dialogs return at once: questions answered no, file choices cancelled."""
    no = QMessageBox.StandardButton.No
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: no)
    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: no))
    for name, cancelled in (
        ("getOpenFileName", ("", "")),
        ("getOpenFileNames", ([], "")),
        ("getSaveFileName", ("", "")),
        ("getExistingDirectory", ""),
    ):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, _c=cancelled, **k: _c))
    for name in ("getText", "getItem", "getMultiLineText", "getInt", "getDouble"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(lambda *a, **k: (None, False)))


@pytest.fixture(params=["empty", "demo"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "buttons.db"
    if request.param == "demo":
        path.write_bytes(request.getfixturevalue("demo_db_file").read_bytes())
    db = open_database(path)
    yield db
    db.dispose()


def _choose_first_rows(page: object) -> None:
    for view in page.findChildren(QAbstractItemView):  # type: ignore[attr-defined]
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))


def _close_dialogs_left_open() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def test_every_button_on_every_page(qtbot: QtBot, database: Database, answers_no: None) -> None:
    window = MainWindow(database, "buttons")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    clicked: list[str] = []
    for key in window.page_keys:
        window.show_page(key)
        page = window.stack.currentWidget()
        _choose_first_rows(page)
        QApplication.processEvents()
        buttons: list[QAbstractButton] = [
            *page.findChildren(QPushButton),
            *page.findChildren(QToolButton),
        ]
        for button in buttons:
            if button.isVisible() and button.isEnabled():
                button.click()  # an exception in its slot fails the test (pytest-qt)
                QApplication.processEvents()
                _close_dialogs_left_open()
                clicked.append(f"{key}/{button.text()}")
    assert len(clicked) > 30, clicked  # the pages' buttons were really found and pressed
