"""The accounts of this database, for the administrator."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.accounts import AccountInfo

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("用户名", "姓名", "角色", "关联评分人", "状态")
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2


def state_text(account: AccountInfo) -> str:
    if not account.active:
        return "停用"
    return "锁定" if account.locked else "启用"


class AccountsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AccountInfo] = []

    def set_accounts(self, rows: list[AccountInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def account_at(self, row: int) -> AccountInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        account = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return account
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            account.username,
            account.display_name,
            account.role,
            account.assessor or "",
            state_text(account),
        )[index.column()]
