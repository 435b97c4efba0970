"""The publication check's items, blocking ones first (red), then warnings: one row each, so the
clerk sees every unit, leaf and assessor the check names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor

from app.services.review.publication_gate import GateItem, GateReport
from app.ui.itemmodels.rows_model import RowsTableModel

BLOCKING = QT_TRANSLATE_NOOP("GateItemsModel", "须先解决")  # a row's level, shown translated
WARNING = QT_TRANSLATE_NOOP("GateItemsModel", "请注意")
COLOURS = {BLOCKING: "#fde7e9", WARNING: "#fff4ce"}


class GateItemsModel(RowsTableModel[tuple[str, GateItem]]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "级别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "评分人"),
        QT_TRANSLATE_NOOP("RowsTableModel", "说明"),
    )

    def set_report(self, report: GateReport | None) -> None:
        if report is None:
            self.set_rows([])
            return
        self.set_rows(
            [(BLOCKING, item) for item in report.blocking]
            + [(WARNING, item) for item in report.warnings]
        )

    def item_at(self, row: int) -> GateItem | None:
        found = self.row_at(row)
        return None if found is None else found[1]

    def display(self, row: tuple[str, GateItem], column: int) -> str:
        level, item = row
        shown = QCoreApplication.translate("GateItemsModel", level)
        return (shown, item.kind, item.unit, item.leaf, item.assessor, item.message)[column] or ""

    def other_role(self, row: tuple[str, GateItem], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(COLOURS[row[0]])
        if role == Qt.ItemDataRole.ToolTipRole:
            return row[1].message
        return None
