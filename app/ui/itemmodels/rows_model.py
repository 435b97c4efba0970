"""A read-only table of plain rows (one service object per row): the common part of the list
models, so each model says only its columns and how a row reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
Row = TypeVar("Row")


class RowsTableModel(QAbstractTableModel, Generic[Row]):
    # Each header marked QT_TRANSLATE_NOOP("RowsTableModel", …) where it is written, so lupdate
    # collects it; headerData() translates it in that context.
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._order: tuple[int, Qt.SortOrder] | None = None  # the view's sort, kept on reload

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._order is not None:
            self._sort_rows(*self._order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, in one pass over the rows' keys: a sort proxy would call data() some
        n·log n times, seconds for a ledger of 20,000 problems."""
        if not 0 <= column < len(self.COLUMNS):
            return
        self._order = (column, order)
        self.beginResetModel()
        self._sort_rows(column, order)
        self.endResetModel()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._rows.sort(
            key=lambda row: self.sort_key(row, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort_key(self, row: Row, column: int) -> Any:
        """What a column sorts by; its text unless a model says otherwise."""
        return self.display(row, column)

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("RowsTableModel", self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        return self.other_role(row, index.column(), role)

    def display(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def other_role(self, row: Row, column: int, role: int) -> Any:
        """Alignment, colours and the like; none by default."""
        return None
