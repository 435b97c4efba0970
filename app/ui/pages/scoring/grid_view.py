"""A table view that types like a spreadsheet: Enter moves down, Ctrl+C/Ctrl+V copy and paste."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTableView, QWidget


class SpreadsheetView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paste_handler: Callable[[QModelIndex, str], None] | None = None
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: move down
            self.move_to(self.currentIndex().row() + 1, self.currentIndex().column())

    def move_to(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        if index.isValid():
            self.setCurrentIndex(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            if self.paste_handler is not None:
                self.paste_handler(self.currentIndex(), QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.selection_text())
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            self.move_to(self.currentIndex().row() + 1, self.currentIndex().column())
            return
        if event.key() == Qt.Key.Key_Delete:
            for index in self.selectedIndexes():
                self.model().setData(index, "", Qt.ItemDataRole.EditRole)
            return
        super().keyPressEvent(event)

    def selection_text(self) -> str:
        """The selected block as tab-separated text, the way Excel and WPS copy."""
        indexes = self.selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        model = self.model()
        return "\n".join(
            "\t".join(str(model.index(r, c).data() or "") for c in columns) for r in rows
        )
