"""The reason asked for in place (issue 17): a 酌情 deduction typed without its reason is
written at once, and this line opens under the cell for the reason. Enter saves it to that
cell (by ids, whichever cell is current by then); Esc leaves the number in and the cell
marked, to be completed later."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView

CellKey = tuple[int, int, int]  # unit id, leaf id, assessor id


class ReasonPrompt(QLineEdit):
    """A line over the grid (a child of the view, so above its frozen columns)."""

    submitted = Signal(object, str)  # the cell's key, the reason
    cancelled = Signal(object)  # the cell's key: it stays marked

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        self.key: CellKey | None = None
        self.setPlaceholderText(self.tr("须补扣分理由：填写后按回车保存，Esc 稍后再填"))
        self.setStyleSheet("QLineEdit { border: 2px solid #d49a00; background: #fff8d6; }")
        self.returnPressed.connect(self._submit)
        self.hide()

    def ask(self, key: CellKey, index: QModelIndex) -> None:
        """Open under the cell (above it near the bottom edge), focused and empty."""
        self.key = key
        self.clear()
        self._view.scrollTo(index)
        cell = self._view.visualRect(index).translated(self._view.viewport().pos())
        width = min(max(320, cell.width()), self._view.width())
        height = max(cell.height(), self.sizeHint().height())
        left = max(0, min(cell.left(), self._view.width() - width))
        top = cell.bottom() + 1
        if top + height > self._view.height():
            top = max(0, cell.top() - height)
        self.setGeometry(left, top, width, height)
        self.setToolTip(self.placeholderText())
        self.show()
        self.raise_()
        self.setFocus()

    def _submit(self) -> None:
        key, text = self.key, self.text().strip()
        self._close()
        if key is None:
            return
        if text:
            self.submitted.emit(key, text)
        else:
            self.cancelled.emit(key)

    def _close(self) -> None:
        self.key = None  # first: hiding moves the focus, which must not submit twice
        was_focused = self.hasFocus()
        self.hide()
        if was_focused:
            self._view.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            key = self.key
            self._close()
            if key is not None:
                self.cancelled.emit(key)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Clicking elsewhere keeps what was typed, as Enter would; nothing typed cancels."""
        super().focusOutEvent(event)
        if self.key is not None and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._submit()
