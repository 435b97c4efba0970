"""The list of rounds (考核批次) with their status and rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.rounds import RoundInfo

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("考核批次", "年度", "指标体系", "状态", "参评单位", "满意度权重", "优秀比例", "靠后数")
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2


def percent(value: Any) -> str:
    return "—" if value is None else f"{(value * 100).normalize():f}%"


class RoundsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RoundInfo] = []

    def set_rounds(self, rows: list[RoundInfo]) -> None:
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

    def round_at(self, row: int) -> RoundInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return info
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        rules = info.rules
        return (
            info.name,
            str(info.year),
            info.framework,
            info.status,
            str(info.units),
            percent(rules.satisfaction_weight),
            percent(rules.top_quota),
            str(rules.bottom_n),
        )[index.column()]
