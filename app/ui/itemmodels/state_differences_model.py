"""What `audit verify` found different between the data and the change log, one row per
difference (issue 15 §1): the kind, round, unit, leaf, assessor or row, the field, and the
value logged (or sealed) beside the value stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.services.access.state_differences import Difference
from app.ui.itemmodels.rows_model import RowsTableModel

DIFFERS = "#fde7e9"


class StateDifferencesModel(RowsTableModel[Difference]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "考核批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "评分人"),
        QT_TRANSLATE_NOOP("RowsTableModel", "项目"),
        QT_TRANSLATE_NOOP("RowsTableModel", "字段"),
        QT_TRANSLATE_NOOP("RowsTableModel", "记录值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "库中值"),
    )

    def display(self, row: Difference, column: int) -> str:
        return (
            row.kind,
            row.round,
            row.unit,
            row.leaf,
            row.assessor,
            row.item,
            row.field,
            row.logged,
            row.stored,
        )[column] or ""

    def other_role(self, row: Difference, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.message
        if role == Qt.ItemDataRole.BackgroundRole and column == len(self.COLUMNS) - 1:
            return QColor(DIFFERS)
        return None
