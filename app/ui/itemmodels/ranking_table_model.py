"""The ranking table (结果排名): one row per unit, ordered by rank."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.scoring.types import UnitResult
from app.services.results import money

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = (
    "名次",
    "单位",
    "类别",
    "类别名次",
    "考核得分",
    "加分",
    "满意度",
    "最终得分",
    "等次",
    "备注",
)
(RANK, UNIT, CATEGORY, CATEGORY_RANK, ASSESSMENT, BONUS, SATISFACTION, FINAL, GRADE, NOTE) = range(
    len(COLUMNS)
)
GRADE_BRUSHES = {
    "优秀": QBrush(QColor("#e2f0d9")),
    "良好": QBrush(QColor("#eaf1fb")),
    "不合格": QBrush(QColor("#f8d7da")),
}
NUMERIC = {RANK, CATEGORY_RANK, ASSESSMENT, BONUS, SATISFACTION, FINAL}


def _note(result: UnitResult) -> str:
    notes = []
    if result.veto:
        notes.append("一票否决")
    if result.bottom:
        notes.append("排名靠后")
    if result.missing:
        notes.append(f"未评 {result.missing} 项")
    return "；".join(notes)


class RankingTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[UnitResult] = []

    def set_results(self, rows: list[UnitResult]) -> None:
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(result, column)
        if role == SORT_ROLE:
            return self._sort_key(result, column)
        if role == OBJECT_ROLE:
            return result
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in NUMERIC else (Qt.AlignmentFlag.AlignLeft)
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (result.veto or result.bottom):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and column == GRADE:
            return GRADE_BRUSHES.get(result.grade)
        return None

    @staticmethod
    def _display(result: UnitResult, column: int) -> str:
        values = {
            RANK: str(result.rank),
            UNIT: result.unit,
            CATEGORY: result.category or "未分类",
            CATEGORY_RANK: str(result.category_rank),
            ASSESSMENT: money(result.assessment),
            BONUS: money(result.bonus) if result.bonus else "",
            SATISFACTION: money(result.satisfaction) if result.satisfaction is not None else "—",
            FINAL: f"{result.final:.2f}",
            GRADE: result.grade,
            NOTE: _note(result),
        }
        return values[column]

    @staticmethod
    def _sort_key(result: UnitResult, column: int) -> Any:
        keys: dict[int, Any] = {
            RANK: result.rank,
            CATEGORY_RANK: result.category_rank,
            ASSESSMENT: float(result.assessment),  # sorting only, never shown or stored
            BONUS: float(result.bonus),
            SATISFACTION: float(result.satisfaction) if result.satisfaction is not None else -1.0,
            FINAL: float(result.final),
        }
        return keys.get(column, RankingTableModel._display(result, column))
