"""The change log, one row per change, newest first; old and new values as a person reads them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from app.services.access.audit import LogLine, describe_value
from app.timefmt import local_time
from app.ui.itemmodels.rows_model import RowsTableModel

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # the whole row's text, for the search box


class ChangesTableModel(RowsTableModel[LogLine]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "时间"),
        QT_TRANSLATE_NOOP("RowsTableModel", "操作人"),
        QT_TRANSLATE_NOOP("RowsTableModel", "对象"),
        QT_TRANSLATE_NOOP("RowsTableModel", "名称"),
        QT_TRANSLATE_NOOP("RowsTableModel", "操作"),
        QT_TRANSLATE_NOOP("RowsTableModel", "原值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "新值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "理由"),
        QT_TRANSLATE_NOOP("RowsTableModel", "来源"),
    )

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
