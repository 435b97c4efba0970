"""A unit's detail: every leaf with each assessor's entry and reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.score_cells import format_cell
from app.services.score_grid import GridData, GridUnit

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("编码", "指标", "分值", "方式", "评分", "扣分理由")


class UnitDetailModel(QAbstractTableModel):
    def __init__(self, grid: GridData, unit: GridUnit, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._deducted: set[int] = set()
        for leaf in grid.leaves:
            if not grid.applies(leaf, unit):
                self._rows.append(
                    (leaf.code, leaf.name, f"{leaf.points:g}", leaf.method, "不适用（类别）", "")
                )
                continue
            entries = [
                (name, grid.values[(unit.name, leaf.code, name)])
                for name in grid.assessors
                if (unit.name, leaf.code, name) in grid.values
            ]
            scores = (
                "；".join(f"{name}：{format_cell(leaf.method, value)}" for name, value in entries)
                or "未评"
            )
            reasons = "；".join(v.reason for _, v in entries if v.reason)
            if any(v.deduction for _, v in entries):
                self._deducted.add(len(self._rows))
            self._rows.append(
                (leaf.code, leaf.name, f"{leaf.points:g}", leaf.method, scores, reasons)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self._deducted:
            return QBrush(QColor("#fff1e6"))
        return None
