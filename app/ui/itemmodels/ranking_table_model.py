"""The ranking table (结果排名): one row per unit, ordered by rank."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.scoring.rounding import round_half_up
from app.scoring.types import UnitResult
from app.services.review.results import money, unit_notes

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = (
    QT_TRANSLATE_NOOP("RankingTableModel", "名次"),
    QT_TRANSLATE_NOOP("RankingTableModel", "单位"),
    QT_TRANSLATE_NOOP("RankingTableModel", "类别"),
    QT_TRANSLATE_NOOP("RankingTableModel", "类别名次"),
    QT_TRANSLATE_NOOP("RankingTableModel", "考核得分"),
    QT_TRANSLATE_NOOP("RankingTableModel", "加分"),
    QT_TRANSLATE_NOOP("RankingTableModel", "满意度"),
    QT_TRANSLATE_NOOP("RankingTableModel", "最终得分"),
    QT_TRANSLATE_NOOP("RankingTableModel", "等次"),
    QT_TRANSLATE_NOOP("RankingTableModel", "备注"),
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


class RankingTableModel(QAbstractTableModel):
    """The fixed columns first (their numbers never move), then, when given, each area's
    subtotal and 得分率, then the scores kept at each review stage."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[UnitResult] = []
        # Rounded figures by result: rounding Fractions on every paint costs too much, and
        # after an edit only the edited unit's result is a new object.
        self._money: dict[int, tuple[UnitResult, dict[int, str]]] = {}
        self._areas: list[tuple[str, str]] = []  # (code, name)
        self._area_points: dict[str, dict[str, Decimal]] = {}
        self._stages: dict[str, dict[str, Decimal]] = {}  # stage -> unit -> final
        self._votes: dict[str, dict[str, Any]] = {}

    def set_results(
        self,
        rows: list[UnitResult],
        *,
        areas: dict[str, str] | None = None,
        area_points: dict[str, dict[str, Decimal]] | None = None,
        stages: dict[str, dict[str, Decimal]] | None = None,
        votes: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        alive = {id(r) for r in self._rows}
        self._money = {k: v for k, v in self._money.items() if k in alive}
        if areas is not None:
            self._areas = list(areas.items())
            self._area_points = area_points or {}
            self._stages = stages or {}
            self._votes = votes or {}
        self.endResetModel()

    # --- columns --------------------------------------------------------------------------------
    def area_column(self, column: int) -> tuple[str, bool] | None:
        """(area code, is the rate) of an area column."""
        offset = column - len(COLUMNS)
        if 0 <= offset < 2 * len(self._areas):
            return self._areas[offset // 2][0], offset % 2 == 1
        return None

    def stage_column(self, column: int) -> str | None:
        offset = column - len(COLUMNS) - 2 * len(self._areas)
        stages = list(self._stages)
        return stages[offset] if 0 <= offset < len(stages) else None

    def figures(self, result: UnitResult) -> dict[int, str]:
        cached = self._money.get(id(result))
        if cached is None or cached[0] is not result:
            texts = {
                ASSESSMENT: money(result.assessment),
                BONUS: money(result.bonus) if result.bonus else "",
                SATISFACTION: money(result.satisfaction)
                if result.satisfaction is not None
                else "—",
            }
            points = self._area_points.get(result.unit, {})
            for number, (code, _) in enumerate(self._areas):
                value = result.areas.get(code, Fraction(0))
                column = len(COLUMNS) + 2 * number
                texts[column] = money(value)
                out_of = points.get(code)
                texts[column + 1] = (
                    f"{round_half_up(value / Fraction(out_of) * 100, 1):.1f}%" if out_of else "—"
                )
            cached = self._money[id(result)] = (result, texts)
        return cached[1]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return len(COLUMNS) + 2 * len(self._areas) + len(self._stages)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        area = self.area_column(section)
        names = dict(self._areas)
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(COLUMNS):
                return QCoreApplication.translate("RankingTableModel", COLUMNS[section])
            if area is not None:
                code, rate = area
                return (
                    self.tr("{code} 得分率").format(code=code) if rate else f"{code} {names[code]}"
                )
            stage = self.stage_column(section)
            return self.tr("{stage}得分").format(stage=stage) if stage else None
        if role == Qt.ItemDataRole.ToolTipRole and area is not None:
            code, rate = area
            return f"{code} {names[code]}" + (self.tr("：得分占适用分值的比例") if rate else "")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(result, column)
        if role == SORT_ROLE:
            return self._sort_key(result, column)
        if role == OBJECT_ROLE:
            return result
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = column in NUMERIC or column >= len(COLUMNS)
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (result.veto or result.bottom):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and column == GRADE:
            return GRADE_BRUSHES.get(result.grade)
        if role == Qt.ItemDataRole.ToolTipRole and column == SATISFACTION:
            votes = self._votes.get(result.unit)
            if votes:
                return self.tr("满意 {a} 票，基本满意 {b} 票，不满意 {c} 票（权重 {w}）").format(
                    a=votes.get("满意"),
                    b=votes.get("基本满意"),
                    c=votes.get("不满意"),
                    w="/".join(votes.get("权重", [])),
                )
        return None

    def _text(self, result: UnitResult, column: int) -> str:
        if column in (ASSESSMENT, BONUS, SATISFACTION) or self.area_column(column) is not None:
            return self.figures(result).get(column, "")
        stage = self.stage_column(column)
        if stage is not None:
            kept = self._stages[stage].get(result.unit)
            return "" if kept is None else f"{kept:.2f}"
        return self._display(result, column)

    @staticmethod
    def _display(result: UnitResult, column: int) -> str:
        if column == RANK:
            return str(result.rank)
        if column == UNIT:
            return result.unit
        if column == CATEGORY:
            return result.category or "未分类"
        if column == CATEGORY_RANK:
            return str(result.category_rank)
        if column == ASSESSMENT:
            return money(result.assessment)
        if column == BONUS:
            return money(result.bonus) if result.bonus else ""
        if column == SATISFACTION:
            return money(result.satisfaction) if result.satisfaction is not None else "—"
        if column == FINAL:
            return f"{result.final:.2f}"
        if column == GRADE:
            return result.grade
        if column == NOTE:
            return "；".join(unit_notes(result))
        return ""

    def _sort_key(self, result: UnitResult, column: int) -> Any:
        # floats for sorting only, never shown or stored
        keys: dict[int, Any] = {
            RANK: result.rank,
            CATEGORY_RANK: result.category_rank,
            ASSESSMENT: float(result.assessment),
            BONUS: float(result.bonus),
            SATISFACTION: float(result.satisfaction) if result.satisfaction is not None else -1.0,
            FINAL: float(result.final),
        }
        if column in keys:
            return keys[column]
        area = self.area_column(column)
        if area is not None:
            code, rate = area
            value = result.areas.get(code, Fraction(0))
            out_of = self._area_points.get(result.unit, {}).get(code)
            if rate:
                return float(value / Fraction(out_of)) if out_of else -1.0
            return float(value)
        stage = self.stage_column(column)
        if stage is not None:
            kept = self._stages[stage].get(result.unit)
            return -1.0 if kept is None else float(kept)
        return self._display(result, column)
