"""The score grid (评分录入): leaves as rows, units as columns, one assessor's entries.

setData() never writes itself: it asks the page's edit handler (which goes through the
service and the undo stack) so a refused value leaves the model unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.score_cells import CellValue, format_cell
from app.services.score_grid import GridData, GridLeaf, GridUnit

Index = QModelIndex | QPersistentModelIndex
FIXED = ("编码", "指标", "分值", "方式")
CODE, NAME, POINTS, METHOD = range(len(FIXED))
ALL_ASSESSORS = ""
NOT_APPLICABLE_BRUSH = QBrush(QColor("#e6e6e6"))
DEDUCTED_BRUSH = QBrush(QColor("#fff1e6"))
EditHandler = Callable[[str, str, str], bool]  # (unit, leaf code, text) -> accepted


class ScoreGridModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: GridData | None = None
        self.leaves: list[GridLeaf] = []
        self.units: list[GridUnit] = []
        self.assessor = ALL_ASSESSORS
        self.read_only = True
        self.edit_handler: EditHandler | None = None

    # --- data set -------------------------------------------------------------------------
    def set_grid(self, grid: GridData, units: list[GridUnit] | None = None) -> None:
        self.beginResetModel()
        self.grid = grid
        self.leaves = list(grid.leaves)
        self.units = list(units if units is not None else grid.units)
        self.read_only = grid.status == "已发布"
        self.endResetModel()

    def set_assessor(self, assessor: str) -> None:
        self.assessor = assessor
        if self.rowCount() and self.columnCount() > len(FIXED):
            self.dataChanged.emit(
                self.index(0, len(FIXED)), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def cell_changed(self, unit: str, leaf: str) -> None:
        """Targeted refresh after an edit, instead of a reset that loses the selection."""
        try:
            row = next(i for i, item in enumerate(self.leaves) if item.code == leaf)
            column = len(FIXED) + next(i for i, u in enumerate(self.units) if u.name == unit)
        except StopIteration:
            return
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    # --- lookups ----------------------------------------------------------------------------
    def leaf_at(self, index: Index) -> GridLeaf | None:
        return self.leaves[index.row()] if index.isValid() else None

    def unit_at(self, index: Index) -> GridUnit | None:
        column = index.column() - len(FIXED)
        return self.units[column] if index.isValid() and 0 <= column < len(self.units) else None

    def value_at(self, index: Index, assessor: str | None = None) -> CellValue | None:
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            return None
        return self.grid.values.get((unit.name, leaf.code, assessor or self.assessor))

    def entries_at(self, index: Index) -> list[tuple[str, CellValue]]:
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            return []
        return [
            (name, value)
            for name in self.grid.assessors
            if (value := self.grid.values.get((unit.name, leaf.code, name))) is not None
        ]

    # --- Qt model interface -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.leaves)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or not self.leaves else len(FIXED) + len(self.units)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
                unit = self.units[section - len(FIXED)] if section >= len(FIXED) else None
                return f"{unit.name}（{unit.category}）" if unit else None
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        if section < len(FIXED):
            return self.tr(FIXED[section])
        return self.units[section - len(FIXED)].short_name

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if (
            leaf is None
            or unit is None
            or self.grid is None
            or self.read_only
            or self.assessor == ALL_ASSESSORS
            or not self.grid.applies(leaf, unit)
        ):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        leaf = self.leaf_at(index)
        if leaf is None or self.grid is None:
            return None
        column = index.column()
        if column < len(FIXED):
            return self._fixed(leaf, column, role)
        unit = self.unit_at(index)
        assert unit is not None
        applies = self.grid.applies(leaf, unit)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if not applies:
                return "—" if role == Qt.ItemDataRole.DisplayRole else ""
            if self.assessor == ALL_ASSESSORS:
                entries = self.entries_at(index)
                return " / ".join(format_cell(leaf.method, v) for _, v in entries)
            return format_cell(leaf.method, self.value_at(index))
        if role == Qt.ItemDataRole.BackgroundRole:
            if not applies:
                return NOT_APPLICABLE_BRUSH
            value = self.value_at(index)
            if value is not None and value.deduction:
                return DEDUCTED_BRUSH
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"{name}：{format_cell(leaf.method, v)}" + (f"（{v.reason}）" if v.reason else "")
                for name, v in self.entries_at(index)
            ]
            return "\n".join(lines) or None
        return None

    def _fixed(self, leaf: GridLeaf, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (leaf.code, leaf.name, f"{leaf.points:g}", leaf.method)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            return f"{leaf.area_name} › {leaf.name}\n{leaf.standard}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POINTS, METHOD):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if leaf is None or unit is None or self.edit_handler is None:
            return False
        return self.edit_handler(unit.name, leaf.code, str(value))
