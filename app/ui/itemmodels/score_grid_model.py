"""The score grid (评分录入): leaves as rows, units as columns, one assessor's entries (or, for
all assessors, the aggregate the totals count).

setData() never writes itself: it asks the page's edit handler (which goes through the
service and the undo stack) so a refused value leaves the model unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.models.enums import RoundStatus
from app.services.entry.cells import CellValue, format_cell
from app.services.entry.checks import reason_missing
from app.services.entry.grid import GridData, GridLeaf, GridUnit
from app.services.entry.grid_summary import ANY_ASSESSOR, CellSummary, Progress, summarize
from app.services.evidence.overview import CellMark
from app.services.review.results import money

Index = QModelIndex | QPersistentModelIndex
FIXED = ("编码", "指标", "分值", "方式")
CODE, NAME, POINTS, METHOD = range(len(FIXED))
ALL_ASSESSORS = ANY_ASSESSOR
NOT_APPLICABLE_BRUSH = QBrush(QColor("#e6e6e6"))
RECUSED_BRUSH = QBrush(QColor("#f0f0f0"))
DEDUCTED_BRUSH = QBrush(QColor("#fff1e6"))
DISAGREEMENT_BRUSH = QBrush(QColor("#f8d7da"))
REASON_PENDING_BRUSH = QBrush(QColor("#ffe58a"))  # a 酌情 deduction still without its reason
DISAGREEMENT_ROLE = Qt.ItemDataRole.UserRole + 1
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 3  # the cell's CellMark (files, review), or None
EditHandler = Callable[[GridUnit, GridLeaf, str], bool]  # (unit, leaf, text) -> accepted


EVIDENCE_COLOURS = {"认可": "#2e7d32", "退回补充": "#c62828"}  # else 待审核: blue
_icons: dict[str, QIcon] = {}


def evidence_icon(review: str) -> QIcon:
    """A small folded page in the review's colour: the cell has evidence (drawn once)."""
    if review not in _icons:
        pixmap = QPixmap(10, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(EVIDENCE_COLOURS.get(review, "#1565c0"))
        painter.setBrush(colour)
        painter.setPen(colour.darker(130))
        painter.drawPolygon(
            [QPoint(0, 0), QPoint(6, 0), QPoint(9, 3), QPoint(9, 11), QPoint(0, 11)]
        )
        painter.end()
        _icons[review] = QIcon(pixmap)
    return _icons[review]


class ScoreGridModel(QAbstractTableModel):
    """The grid by ids: which assessor is shown (ALL_ASSESSORS: every one's aggregate), and
    each cell looked up by (unit id, leaf id, assessor id); names only in what it shows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: GridData | None = None
        self.leaves: list[GridLeaf] = []
        self.units: list[GridUnit] = []
        self.assessor = ALL_ASSESSORS  # an assessor's id
        self.read_only = True
        self.edit_handler: EditHandler | None = None
        self.progress: Progress | None = None  # filled in after the first paint
        self._summaries: dict[tuple[int, int], CellSummary] = {}  # (unit id, leaf id)
        self._cell_roles: dict[int, Callable[[Index, GridLeaf, bool], Any]] = {
            Qt.ItemDataRole.DisplayRole: self._display,
            Qt.ItemDataRole.EditRole: self._edit_text,
            Qt.ItemDataRole.BackgroundRole: self._background,
            DISAGREEMENT_ROLE: self._disagreement,
            Qt.ItemDataRole.TextAlignmentRole: self._centred,
            Qt.ItemDataRole.ToolTipRole: self._tooltip,
            Qt.ItemDataRole.DecorationRole: self._evidence_icon,
            EVIDENCE_ROLE: self._evidence,
        }
        self.marks: dict[tuple[int, int], CellMark] = {}  # (unit id, leaf id): its evidence

    # --- data set -------------------------------------------------------------------------
    def set_grid(
        self,
        grid: GridData,
        units: list[GridUnit] | None = None,
        leaves: list[GridLeaf] | None = None,
    ) -> None:
        self.beginResetModel()
        if grid is not self.grid:
            self._summaries.clear()
            self.progress = None
        self.grid = grid
        self.leaves = list(leaves if leaves is not None else grid.leaves)
        self.units = list(units if units is not None else grid.units)
        self.read_only = grid.status == RoundStatus.PUBLISHED
        self.endResetModel()

    def set_assessor(self, assessor: int) -> None:
        self.assessor = assessor
        if self.rowCount() and self.columnCount() > len(FIXED):
            self.dataChanged.emit(
                self.index(0, len(FIXED)), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
            self.headerDataChanged.emit(
                Qt.Orientation.Horizontal, len(FIXED), self.columnCount() - 1
            )

    def set_progress(self, progress: Progress) -> None:
        self.progress = progress
        if self.columnCount() > len(FIXED):
            self.headerDataChanged.emit(
                Qt.Orientation.Horizontal, len(FIXED), self.columnCount() - 1
            )

    def cell_changed(self, unit_id: int, leaf_id: int) -> None:
        """Targeted refresh after an edit, instead of a reset that loses the selection."""
        if self.grid is None:
            return
        self._summaries.pop((unit_id, leaf_id), None)
        unit = next(u for u in self.grid.units if u.id == unit_id)
        counts_before = counts_after = None
        if self.progress is not None:
            counts_before = self.progress.of_unit(self.assessor, unit_id)
            self.progress.update_unit(unit)
            counts_after = self.progress.of_unit(self.assessor, unit_id)
        try:
            row = next(i for i, leaf in enumerate(self.leaves) if leaf.id == leaf_id)
            column = len(FIXED) + self.units.index(unit)
        except (StopIteration, ValueError):  # filtered out
            return
        index = self.index(row, column)
        self.dataChanged.emit(index, index)
        if counts_before != counts_after:  # a header repaint relayouts the whole grid
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    def set_marks(self, marks: dict[tuple[int, int], CellMark]) -> None:
        """Which cells have evidence (a unit's package imported, a review written)."""
        changed = marks != self.marks
        self.marks = marks
        if changed and self.rowCount() and self.columnCount() > len(FIXED):
            self.dataChanged.emit(
                self.index(0, len(FIXED)),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.DecorationRole, EVIDENCE_ROLE, Qt.ItemDataRole.ToolTipRole],
            )

    # --- lookups ----------------------------------------------------------------------------
    def leaf_at(self, index: Index) -> GridLeaf | None:
        return self.leaves[index.row()] if index.isValid() else None

    def unit_at(self, index: Index) -> GridUnit | None:
        column = index.column() - len(FIXED)
        return self.units[column] if index.isValid() and 0 <= column < len(self.units) else None

    def value_at(self, index: Index, assessor: int | None = None) -> CellValue | None:
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            return None
        return self.grid.cells.get((unit.id, leaf.id, assessor or self.assessor))

    def entries_at(self, index: Index) -> list[tuple[str, CellValue]]:
        """Every shown assessor's entry in the cell, by the assessor's name."""
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            return []
        return [
            (assessor.name, value)
            for assessor in self.grid.panel
            if (value := self.grid.cells.get((unit.id, leaf.id, assessor.id))) is not None
        ]

    def summary_at(self, index: Index) -> CellSummary | None:
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            return None
        key = (unit.id, leaf.id)
        found = self._summaries.get(key)
        if found is None:
            found = self._summaries[key] = summarize(self.grid, unit, leaf)
        return found

    def recused(self, index: Index) -> bool:
        """The current assessor's own unit (回避)."""
        unit = self.unit_at(index)
        return (
            self.grid is not None
            and unit is not None
            and self.assessor != ALL_ASSESSORS
            and self.grid.own_units.get(self.assessor) == unit.id
        )

    # --- Qt model interface -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.leaves)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or not self.leaves else len(FIXED) + len(self.units)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return None
        unit = (
            self.units[section - len(FIXED)] if len(FIXED) <= section < self.columnCount() else None
        )
        if role == Qt.ItemDataRole.DisplayRole:
            if unit is None:
                fixed = (self.tr("编码"), self.tr("指标"), self.tr("分值"), self.tr("方式"))
                return fixed[section] if section < len(FIXED) else None
            if self.progress is None:
                return unit.short_name
            done, total = self.progress.of_unit(self.assessor, unit.id)
            return f"{unit.short_name}\n{done}/{total}"
        if role == Qt.ItemDataRole.ToolTipRole and unit is not None:
            text = f"{unit.name}（{unit.category}）"
            if self.progress is not None:
                done, total = self.progress.of_unit(self.assessor, unit.id)
                text += self.tr("\n已评 {done}，未评 {todo}").format(done=done, todo=total - done)
            return text
        return None

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
            or self.recused(index)
        ):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The leaf's own columns, else a unit's cell: each role has its helper."""
        leaf = self.leaf_at(index)
        if leaf is None or self.grid is None:
            return None
        if index.column() < len(FIXED):
            return self._fixed(leaf, index.column(), role)
        helper = self._cell_roles.get(role)
        unit = self.unit_at(index)
        if helper is None or unit is None:
            return None
        return helper(index, leaf, self.grid.applies(leaf, unit))

    # --- a unit's cell, one helper per role ----------------------------------------------------
    def _display(self, index: Index, leaf: GridLeaf, applies: bool) -> str:
        if not applies:
            return "—"
        if self.recused(index):
            return self.tr("回避")
        return self._edit_text(index, leaf, applies)

    def _edit_text(self, index: Index, leaf: GridLeaf, applies: bool) -> str:
        if not applies:
            return ""
        if self.assessor == ALL_ASSESSORS:
            return self._aggregate_text(index, leaf)
        return format_cell(leaf.method, self.value_at(index))

    def _background(self, index: Index, _leaf: GridLeaf, applies: bool) -> Any:
        if not applies:
            return NOT_APPLICABLE_BRUSH
        if self.recused(index):
            return RECUSED_BRUSH
        if self.reason_pending(index):
            return REASON_PENDING_BRUSH
        summary = self.summary_at(index)
        if summary is not None and summary.disagreement:
            return DISAGREEMENT_BRUSH
        value = self.value_at(index)
        if value is not None and value.deduction:
            return DEDUCTED_BRUSH
        return None

    def _disagreement(self, index: Index, _leaf: GridLeaf, applies: bool) -> bool:
        summary = self.summary_at(index)
        return bool(applies and summary is not None and summary.disagreement)

    def _centred(self, _index: Index, _leaf: GridLeaf, _applies: bool) -> int:
        return int(Qt.AlignmentFlag.AlignCenter)

    def _evidence(self, index: Index, _leaf: GridLeaf, _applies: bool) -> CellMark | None:
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if leaf is None or unit is None:
            return None
        return self.marks.get((unit.id, leaf.id))

    def _evidence_icon(self, index: Index, leaf: GridLeaf, applies: bool) -> Any:
        mark = self._evidence(index, leaf, applies)
        return None if mark is None else evidence_icon(mark.review)

    def _tooltip(self, index: Index, _leaf: GridLeaf, applies: bool) -> Any:
        if not applies:
            return None
        text = self.cell_text(index)
        mark = self._evidence(index, _leaf, applies)
        if mark is not None:
            words = self.tr("佐证材料 {n} 个文件（{review}）").format(
                n=mark.files, review=mark.review
            )
            text = f"{text}\n{words}" if text else words
        if self.reason_pending(index):
            return self.tr("须补扣分理由") + (f"\n{text}" if text else "")
        return text or None

    def reason_pending(self, index: Index) -> bool:
        """A 酌情 deduction without its reason: the shown assessor's, or anyone's when all
        are shown; marked until the reason is added (issue 17)."""
        leaf = self.leaf_at(index)
        if leaf is None or leaf.discretion is None:
            return False
        if self.assessor == ALL_ASSESSORS:
            return any(reason_missing(v, leaf.discretion) for _, v in self.entries_at(index))
        return reason_missing(self.value_at(index), leaf.discretion)

    def _aggregate_text(self, index: Index, leaf: GridLeaf) -> str:
        entries = self.entries_at(index)
        if not entries:
            return ""
        if len(entries) == 1:
            return format_cell(leaf.method, entries[0][1])
        summary = self.summary_at(index)
        if summary is None or summary.aggregate is None:
            return " / ".join(format_cell(leaf.method, v) for _, v in entries)
        return f"{money(summary.aggregate)}（{len(entries)}人）"

    def cell_text(self, index: Index) -> str:
        """Every assessor's entry and score, the aggregate, the flag and the self-assessment."""
        leaf = self.leaf_at(index)
        summary = self.summary_at(index)
        if leaf is None or summary is None:
            return ""
        lines = []
        for name, value in self.entries_at(index):
            score = summary.scores.get(name)
            text = f"{name}：{format_cell(leaf.method, value)}"
            if score is not None and leaf.method == "扣分":
                text += self.tr("（得 {score}）").format(score=f"{score.normalize():f}")
            if value.reason:
                text += f"　{value.reason}"
            lines.append(text)
        if summary.aggregate is not None and len(summary.scores) > 1:
            lines.append(self.tr("计入得分：{score}").format(score=money(summary.aggregate)))
        if summary.disagreement:
            assert self.grid is not None
            lines.append(
                self.tr("评分分歧：最高与最低相差超过分值的 {share}%").format(
                    share=f"{(self.grid.disagreement_fraction * 100).normalize():f}"
                )
            )
        if summary.self_score is not None:
            own = summary.self_score
            shown = "不适用" if own.not_applicable else f"{(own.score or 0).normalize():f}"
            lines.append(
                self.tr("单位自评：{score}").format(score=shown)
                + (f"　{own.note}" if own.note else "")
            )
        return "\n".join(lines)

    def _fixed(self, leaf: GridLeaf, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (leaf.code, leaf.name, f"{leaf.points:g}", leaf.method)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, METHOD):
            rule = f"\n{leaf.discretion.rule()}" if leaf.discretion else ""
            return f"{leaf.area_name} › {leaf.name}\n{leaf.standard}{rule}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POINTS, METHOD):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        leaf, unit = self.leaf_at(index), self.unit_at(index)
        if leaf is None or unit is None or self.edit_handler is None:
            return False
        return self.edit_handler(unit, leaf, str(value))
