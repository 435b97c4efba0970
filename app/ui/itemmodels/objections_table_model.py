"""The objections (申辩) of a round, one row each, with their review (复核)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.models.review import OBJECTION_ACCEPTED, OBJECTION_PENDING, OBJECTION_REJECTED
from app.services.review.objections import ObjectionInfo
from app.ui.itemmodels.rows_model import RowsTableModel

STATUS_COLOURS = {
    OBJECTION_PENDING: "#fff4ce",
    OBJECTION_ACCEPTED: "#e6f4ea",
    OBJECTION_REJECTED: "#f1f1f1",
}
NUMBER_COLUMNS = {3, 4, 5, 8}
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # numbers sort as numbers (2 before 10)


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class ObjectionsTableModel(RowsTableModel[ObjectionInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "编号"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "分值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "原得分"),
        QT_TRANSLATE_NOOP("RowsTableModel", "申请分值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "申辩理由"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "复核分值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "复核意见"),
        QT_TRANSLATE_NOOP("RowsTableModel", "提出"),
        QT_TRANSLATE_NOOP("RowsTableModel", "复核"),
    )

    def display(self, row: ObjectionInfo, column: int) -> str:
        return (
            str(row.id),
            row.unit,
            f"{row.leaf} {row.leaf_name}",
            _number(row.points),
            _number(row.score_before),
            _number(row.requested),
            row.reason,
            row.status,
            _number(row.new_score),
            row.decision,
            f"{row.filed_by} {row.filed_at:%m-%d %H:%M}",
            f"{row.reviewed_by} {row.reviewed_at:%m-%d %H:%M}" if row.reviewed_at else "",
        )[column]

    def other_role(self, row: ObjectionInfo, column: int, role: int) -> Any:
        if role == SORT_ROLE:
            numbers = {0: row.id, 3: row.points, 4: row.score_before, 5: row.requested}
            if column in numbers or column == 8:
                value = row.new_score if column == 8 else numbers[column]
                return float(value) if value is not None else -1.0
            return self.display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and row.status in STATUS_COLOURS:
            return QColor(STATUS_COLOURS[row.status])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (6, 9):
            return row.reason if column == 6 else row.decision
        return None
