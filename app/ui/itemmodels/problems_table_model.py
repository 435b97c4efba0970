"""The ledger's problems; overdue rows in red."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.services.ledger.problems import ProblemInfo
from app.ui.itemmodels.rows_model import RowsTableModel

OVERDUE_COLOUR = QColor("#c62828")


class ProblemsTableModel(RowsTableModel[ProblemInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "编号"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "责任单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "问题描述"),
        QT_TRANSLATE_NOOP("RowsTableModel", "来源"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文号"),
        QT_TRANSLATE_NOOP("RowsTableModel", "方案期限"),
        QT_TRANSLATE_NOOP("RowsTableModel", "完成期限"),
        QT_TRANSLATE_NOOP("RowsTableModel", "逾期"),
    )

    def display(self, row: ProblemInfo, column: int) -> str:
        return (
            row.number,
            row.status,
            row.unit,
            row.description,
            row.source,
            row.notice_number,
            row.plan_due.isoformat() if row.plan_due else "",
            row.result_due.isoformat() if row.result_due else "",
            self.tr("逾期") if row.overdue else "",
        )[column]

    def other_role(self, row: ProblemInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return row.description
        return None
