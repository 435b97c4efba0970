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


def test_the_file_dialog_has_no_english_left(qtbot) -> None:
    """Seen (issue 17): file dialogs were half in English ("Look in:", "Files of type:"), words
    Qt's own Chinese translation lacks."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    assert install_qt_chinese(QApplication.instance())
    dialog = QFileDialog(None, "打开")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    widgets = [*dialog.findChildren(QAbstractButton), *dialog.findChildren(QLabel)]
    texts = [w.text() for w in widgets if w.text()]
    assert texts and not [t for t in texts if re.search("[A-Za-z]{2,}", t)]
