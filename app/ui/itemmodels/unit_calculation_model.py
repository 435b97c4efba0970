"""A unit's calculation as a tree: each area with its subtotal, under it each leaf with every
assessor's value (the trimmed ones struck through), the leaf's score and the reasons given."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from app.scoring.explain import NOT_APPLICABLE, UNSCORED, VETOED, AssessorValue, LeafExplanation
from app.scoring.types import Entry, Method
from app.services.review.explain import UnitCalculation, exact
from app.services.review.explain_words import COUNTED, figure, percent
from app.services.review.results import money

Index = QModelIndex | QPersistentModelIndex
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
LEADING = (
    QT_TRANSLATE_NOOP("UnitCalculationModel", "编码"),
    QT_TRANSLATE_NOOP("UnitCalculationModel", "指标"),
    QT_TRANSLATE_NOOP("UnitCalculationModel", "方式"),
    QT_TRANSLATE_NOOP("UnitCalculationModel", "分值"),
    QT_TRANSLATE_NOOP("UnitCalculationModel", "状态"),
)
TRAILING = (
    QT_TRANSLATE_NOOP("UnitCalculationModel", "得分"),
    QT_TRANSLATE_NOOP("UnitCalculationModel", "扣分理由"),
)
CODE, NAME, METHOD, POINTS, STATUS = range(len(LEADING))
GREY = QColor("#888888")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _Area:
    """A first-level indicator (一级指标) and its leaves as rows of the tree."""

    __slots__ = ("code", "leaves", "name", "row")

    def __init__(self, code: str, name: str, row: int) -> None:
        self.code, self.name, self.row = code, name, row
        self.leaves: list[LeafExplanation] = []


class UnitCalculationModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.calculation: UnitCalculation | None = None
        self.assessors: list[str] = []
        self._areas: list[_Area] = []
        self._area_of: dict[int, _Area] = {}  # id of a leaf -> its area (the leaf's parent)
        self._drops: dict[tuple[str, str], str] = {}  # (leaf, assessor) -> 最高分 / 最低分

    def set_calculation(self, calculation: UnitCalculation) -> None:
        self.beginResetModel()
        self.calculation = calculation
        leaves = calculation.explanation.leaves
        self.assessors = list(dict.fromkeys(a.assessor for x in leaves for a in x.assessors))
        areas = {
            code: _Area(code, name, row)
            for row, (code, name) in enumerate(calculation.area_names.items())
        }
        for leaf in leaves:
            code = calculation.leaf_areas.get(leaf.code, "")
            if code not in areas:
                areas[code] = _Area(code, "", len(areas))
            areas[code].leaves.append(leaf)
        self._areas = [area for area in areas.values() if area.leaves]
        for row, area in enumerate(self._areas):
            area.row = row
        self._area_of = {id(leaf): area for area in self._areas for leaf in area.leaves}
        self._drops = {}
        for leaf in leaves:  # the engine drops the lower one first among equal values
            dropped = sorted(
                (a.value or Fraction(0), a.assessor) for a in leaf.assessors if a.trimmed
            )
            for (_, name), which in zip(
                dropped, (self.tr("最低分"), self.tr("最高分")), strict=False
            ):
                self._drops[(leaf.code, name)] = which
        self.endResetModel()

    # --- shape ------------------------------------------------------------------------------
    @property
    def score_column(self) -> int:
        return len(LEADING) + len(self.assessors)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's signature
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._areas[row])
        area = parent.internalPointer()
        return self.createIndex(row, column, area.leaves[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008 - Qt's two overloads
        if not index.isValid():
            return QModelIndex()
        item = index.internalPointer()
        if isinstance(item, _Area):
            return QModelIndex()
        area = self._area_of[id(item)]
        return self.createIndex(area.row, 0, area)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if not parent.isValid():
            return len(self._areas)
        if parent.column() != 0:
            return 0
        item = parent.internalPointer()
        return len(item.leaves) if isinstance(item, _Area) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return len(LEADING) + len(self.assessors) + len(TRAILING)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        assessor = self._assessor(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if assessor is not None:
                return assessor
            if section < len(LEADING):
                return QCoreApplication.translate("UnitCalculationModel", LEADING[section])
            return QCoreApplication.translate(
                "UnitCalculationModel", TRAILING[section - self.score_column]
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if assessor is not None:
                return self.tr("{a} 的评分；划线的分值已去掉，不计入平均").format(a=assessor)
            if section == self.score_column:
                return self.tr("指标得分：评分人的平均分（够人数时先去掉一个最高分、一个最低分）")
        return None

    def _assessor(self, column: int) -> str | None:
        at = column - len(LEADING)
        return self.assessors[at] if 0 <= at < len(self.assessors) else None

    def leaf_at(self, index: Index) -> LeafExplanation | None:
        item = index.internalPointer() if index.isValid() else None
        return item if isinstance(item, LeafExplanation) else None

    # --- data -------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.calculation is None:
            return None
        item = index.internalPointer()
        if isinstance(item, _Area):
            return self._area_data(item, index.column(), role)
        return self._leaf_data(item, index.column(), role)

    def _area_data(self, area: _Area, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POINTS, self.score_column):
            return RIGHT
        counted = [leaf for leaf in area.leaves if leaf.method in COUNTED]
        applicable = [leaf for leaf in counted if leaf.status != NOT_APPLICABLE]
        subtotal = self._subtotal(area)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CODE:
                return area.code
            if column == NAME:
                return area.name
            if column == POINTS:
                return figure(sum((leaf.points for leaf in applicable), Decimal(0)))
            if column == STATUS and len(applicable) < len(counted):
                return self.tr("不适用 {n} 项").format(n=len(counted) - len(applicable))
            if column == self.score_column:
                return money(subtotal)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == POINTS:
                return self.tr("本单位适用的分值 {a} 分（本项共 {t} 分）").format(
                    a=figure(sum((leaf.points for leaf in applicable), Decimal(0))),
                    t=figure(sum((leaf.points for leaf in counted), Decimal(0))),
                )
            if column == self.score_column:
                return self.tr("小计精确值 {v}：各指标得分之和，折算前，不含加分项").format(
                    v=exact(subtotal)
                )
        return None

    def _subtotal(self, area: _Area) -> Fraction:
        explanation = self.calculation.explanation if self.calculation else None
        if explanation is not None and area.code in explanation.result.areas:
            return explanation.result.areas[area.code]
        return Fraction(0)

    def _leaf_data(self, leaf: LeafExplanation, column: int, role: int) -> Any:
        assessor = self._assessor(column)
        if assessor is not None:
            value = next((a for a in leaf.assessors if a.assessor == assessor), None)
            return None if value is None else self._value_data(leaf, value, role)
        if role == Qt.ItemDataRole.ForegroundRole and leaf.status == NOT_APPLICABLE:
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POINTS, self.score_column):
            return RIGHT
        if role == OBJECT_ROLE:
            return leaf
        if role == Qt.ItemDataRole.DisplayRole:
            return self._leaf_text(leaf, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._leaf_tip(leaf, column)
        return None

    def _leaf_text(self, leaf: LeafExplanation, column: int) -> str | None:
        assert self.calculation is not None
        if column == self.score_column:
            if leaf.status == NOT_APPLICABLE or leaf.score is None:
                return self.tr("否决") if leaf.status == VETOED else "—"
            return money(leaf.score)
        if column == self.score_column + 1:
            found = [
                f"{a.assessor}：{reason}"
                for a in leaf.assessors
                if (reason := self.calculation.reasons.get((leaf.code, a.assessor)))
            ]
            return "；".join(found)
        return {
            CODE: leaf.code,
            NAME: self.calculation.leaf_names.get(leaf.code, ""),
            METHOD: str(leaf.method),
            POINTS: figure(leaf.points),
            STATUS: leaf.status,
        }.get(column)

    def _leaf_tip(self, leaf: LeafExplanation, column: int) -> str | None:
        if column == NAME:
            return self._leaf_text(leaf, NAME)
        if column == self.score_column + 1:
            return self._leaf_text(leaf, column) or None
        if column not in (STATUS, self.score_column):
            return None
        if leaf.status == NOT_APPLICABLE:
            return self.tr("不适用：分值不计入适用分值，由折算补足")
        if leaf.status == UNSCORED:
            return self.tr("未评：没有评分人打分，计 0 分，结果不完整")
        if leaf.method is Method.DEDUCT and not leaf.assessors:
            return self.tr("无人扣分，按满分 {p} 计").format(p=figure(leaf.points))
        if leaf.score is None:  # a 否决 leaf counts no points; marked, it vetoes the unit
            if leaf.status == VETOED:
                return self.tr("被评为否决：单位一票否决")
            return self.tr("否决项：不计分，未被评为否决")
        kept = [a for a in leaf.assessors if not a.trimmed and a.value is not None]
        mean = " + ".join(figure(a.value) for a in kept if a.value is not None)
        how = self.tr("（{m}）÷ {n}").format(m=mean, n=len(kept)) if len(kept) > 1 else ""
        bonus = self.tr("；加分项，计入加分（封顶前）") if leaf.method is Method.BONUS else ""
        return self.tr("得分 {how} = 精确值 {v}{bonus}").format(
            how=how, v=exact(leaf.score), bonus=bonus
        )

    def _value_data(self, leaf: LeafExplanation, value: AssessorValue, role: int) -> Any:
        drop = self._drops.get((leaf.code, value.assessor))
        if role == Qt.ItemDataRole.DisplayRole:
            if value.value is not None:
                return figure(value.value)
            if any(e.not_applicable for e in value.entries):
                return self.tr("不适用")
            return self.tr("否决") if any(e.veto for e in value.entries) else ""
        if role == Qt.ItemDataRole.FontRole and value.trimmed:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and (value.trimmed or value.value is None):
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{value.assessor}：" + "；".join(_entry_text(e) for e in value.entries)]
            if value.value is not None:
                parts.append(self.tr("计 {v} 分").format(v=figure(value.value)))
            if drop is not None:
                parts.append(self.tr("去掉一个{which}，不计入平均").format(which=drop))
            return "\n".join(parts)
        return None


def _entry_text(entry: Entry) -> str:
    """What one entry says, as the assessor wrote it."""

    if entry.deduction is not None:
        return QCoreApplication.translate("UnitCalculationModel", "扣 {v} 分").format(
            v=figure(entry.deduction)
        )
    if entry.score is not None:
        return QCoreApplication.translate("UnitCalculationModel", "评 {v} 分").format(
            v=figure(entry.score)
        )
    if entry.answer is not None:
        return (
            QCoreApplication.translate("UnitCalculationModel", "是")
            if entry.answer
            else QCoreApplication.translate("UnitCalculationModel", "否")
        )
    if entry.measured is not None:
        return QCoreApplication.translate("UnitCalculationModel", "实际值 {v}").format(
            v=percent(entry.measured)
        )
    if entry.not_applicable:
        return QCoreApplication.translate("UnitCalculationModel", "标为不适用")
    if entry.veto:
        return QCoreApplication.translate("UnitCalculationModel", "标为否决")
    return QCoreApplication.translate("UnitCalculationModel", "未填")
