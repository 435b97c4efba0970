"""The accounts of this database, for the administrator."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.services.access.accounts import AccountInfo
from app.ui.itemmodels.rows_model import RowsTableModel


def state_text(account: AccountInfo) -> str:
    if not account.active:
        return QCoreApplication.translate("AccountsTableModel", "停用")
    if account.locked:
        return QCoreApplication.translate("AccountsTableModel", "锁定")
    return QCoreApplication.translate("AccountsTableModel", "启用")


class AccountsTableModel(RowsTableModel[AccountInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "用户名"),
        QT_TRANSLATE_NOOP("RowsTableModel", "姓名"),
        QT_TRANSLATE_NOOP("RowsTableModel", "角色"),
        QT_TRANSLATE_NOOP("RowsTableModel", "关联评分人"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
    )

    def display(self, row: AccountInfo, column: int) -> str:
        return (row.username, row.display_name, row.role, row.assessor or "", state_text(row))[
            column
        ]
