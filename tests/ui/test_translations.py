"""Qt's own buttons speak Chinese once the translation is installed."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.ui.translations import install_qt_chinese


def test_standard_buttons_are_in_chinese(qtbot) -> None:
    assert install_qt_chinese(QApplication.instance())
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    assert "取消" in texts and "Cancel" not in texts
