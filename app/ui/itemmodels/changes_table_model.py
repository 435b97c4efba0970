"""The change log, one row per change, newest first; old and new values as a person reads them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.access.audit import LogLine, describe_value
from app.timefmt import local_time
from app.ui.itemmodels.rows_model import RowsTableModel

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # the whole row's text, for the search box


class ChangesTableModel(RowsTableModel[LogLine]):
    COLUMNS = ("时间", "操作人", "对象", "名称", "操作", "原值", "新值", "理由", "来源")

    def display(self, row: LogLine, column: int) -> str:
        return (
            f"{local_time(row.at):%Y-%m-%d %H:%M}",
            row.user,
            row.entity,
            row.key,
            row.action,
            describe_value(row.old),
            describe_value(row.new),
            row.reason,
            row.source,
        )[column]

    def other_role(self, row: LogLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (5, 6):
            return self.display(row, column)
        if role == SEARCH_ROLE:
            return " ".join(self.display(row, c) for c in range(len(self.COLUMNS)))
        return None
