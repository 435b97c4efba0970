"""考核对象: the units with category, short name, order and active; edits go to the service."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.errors import UserError
from app.models.database import Database
from app.services.setup.units import UnitInfo, update_unit
from app.ui.itemmodels.rows_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
ORDER, NAME, SHORT, CATEGORY, ACTIVE = range(5)
FIELDS = {ORDER: "order", SHORT: "short_name", CATEGORY: "category", ACTIVE: "active"}
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # 序号 sorts as a number (9 before 10), 启用 as a flag


class UnitsTableModel(RowsTableModel[UnitInfo]):
    written = Signal(object)  # Changes of an edit, for the page to pass on

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "序号"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位名称"),
        QT_TRANSLATE_NOOP("RowsTableModel", "简称"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "启用"),
    )

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self.last_error = ""

    def display(self, row: UnitInfo, column: int) -> str:
        return (str(row.order), row.name, row.short_name or "", row.category or "", "")[column]

    def other_role(self, row: UnitInfo, column: int, role: int) -> Any:
        if role == SORT_ROLE:
            if column == ORDER:
                return row.order
            if column == ACTIVE:
                return int(row.active)
            return self.display(row, column)
        if column == ACTIVE and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.active else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column in FIELDS:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            from PySide6.QtGui import QColor

            return QColor("#9e9e9e")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == ACTIVE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in FIELDS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() not in FIELDS:
            return False
        row = self._rows[index.row()]
        if index.column() == ACTIVE:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        try:
            updated = update_unit(self._db, row.name, FIELDS[index.column()], value)
        except UserError as error:
            self.last_error = str(error)
            return False
        self.last_error = ""
        self._rows[index.row()] = updated.value
        left, right = self.index(index.row(), 0), self.index(index.row(), len(self.COLUMNS) - 1)
        self.dataChanged.emit(left, right)
        self.written.emit(updated.changes)
        return True
