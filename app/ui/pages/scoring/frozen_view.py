"""Frozen panes for the score grid, like Excel's 冻结窗格: the leaf's code and name stay at the
left while the units scroll by (issue 17), and the header row stays as a table view's does.

Qt's own way (the "Frozen Column Example"): a second table view laid over the first, sharing
its model and selection model, showing only the frozen columns; the two keep their column
widths, row heights and vertical scrolling in step. The overlay takes no focus, so typing,
keyboard moves and editing all stay with the main view.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableView,
    QWidget,
)

from app.ui.pages.scoring.grid_view import SpreadsheetView

Index = QModelIndex | QPersistentModelIndex
PIXELS = QAbstractItemView.ScrollMode.ScrollPerPixel  # the two views scroll by the same pixels


class FrozenColumnsView(SpreadsheetView):
    """A spreadsheet view whose first ``frozen`` columns never scroll away horizontally."""

    def __init__(self, frozen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen_count = frozen
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozenColumns")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the main view
        self.frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.frozen.verticalHeader().hide()
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setStyleSheet("QTableView#frozenColumns { border-right: 1px solid #9a9a9a; }")
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for view in (self, self.frozen):
            view.setHorizontalScrollMode(PIXELS)
            view.setVerticalScrollMode(PIXELS)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._main_column_resized)
        self.frozen.horizontalHeader().sectionResized.connect(self._frozen_column_resized)
        self.verticalHeader().sectionResized.connect(self._row_resized)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)

    # --- the model and the columns shown ---------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:
        """Both views on one model and one selection, so a click on a frozen cell selects
        the same row the main view shows."""
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            for signal in (
                model.modelReset,
                model.layoutChanged,
                model.columnsInserted,
                model.columnsRemoved,
            ):
                signal.connect(self.sync_frozen)
        self.sync_frozen()

    def sync_frozen(self) -> None:
        """The overlay shows the frozen columns only, as wide as the main view's, with its
        rows as tall; called again whenever the model's columns may have changed."""
        model = self.model()
        if model is None:
            return
        for column in range(model.columnCount()):
            frozen = column < self.frozen_count
            self.frozen.setColumnHidden(column, not frozen or self.isColumnHidden(column))
            if frozen and self.frozen.columnWidth(column) != self.columnWidth(column):
                self.frozen.setColumnWidth(column, self.columnWidth(column))
        rows = self.verticalHeader()
        self.frozen.verticalHeader().setDefaultSectionSize(rows.defaultSectionSize())
        self.frozen.verticalHeader().setMinimumSectionSize(rows.minimumSectionSize())
        for row in range(model.rowCount()):
            if rows.sectionSize(row) != rows.defaultSectionSize():
                self.frozen.setRowHeight(row, rows.sectionSize(row))
        self._place_frozen()

    def frozen_width(self) -> int:
        model = self.model()
        count = min(self.frozen_count, model.columnCount()) if model is not None else 0
        return sum(self.columnWidth(c) for c in range(count) if not self.isColumnHidden(c))

    # --- keeping the two in step -----------------------------------------------------------
    def _main_column_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.frozen_count:
            if self.frozen.columnWidth(column) != new:
                self.frozen.setColumnWidth(column, new)
            self._place_frozen()

    def _frozen_column_resized(self, column: int, _old: int, new: int) -> None:
        """A frozen column widened on the overlay's own header widens the main view's."""
        if column < self.frozen_count and self.columnWidth(column) != new:
            self.setColumnWidth(column, new)

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(row, new)

    def _place_frozen(self) -> None:
        """Over the main view's left edge, header included, as tall as its viewport."""
        left = self.frameWidth()
        if self.verticalHeader().isVisible():
            left += self.verticalHeader().width()
        header = self.horizontalHeader().height()
        self.frozen.horizontalHeader().setFixedHeight(header)
        self.frozen.setGeometry(
            left, self.frameWidth(), self.frozen_width(), self.viewport().height() + header
        )
        self.frozen.verticalScrollBar().setValue(self.verticalScrollBar().value())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:
        """The header grows a line once progress shows under the units' names."""
        super().updateGeometries()
        self._place_frozen()

    # --- never leave the current cell under the overlay --------------------------------------
    def scrollTo(
        self,
        index: Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """A frozen cell scrolls only up or down; any other cell is moved out from under the
        frozen columns when it would be hidden by them (moving left, a click on its edge)."""
        bar = self.horizontalScrollBar()
        if index.column() < self.frozen_count:
            kept = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(kept)
            return
        super().scrollTo(index, hint)
        covered = self.frozen_width() - self.visualRect(index).left()
        if covered > 0:
            bar.setValue(bar.value() - covered)
