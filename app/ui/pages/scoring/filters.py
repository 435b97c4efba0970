"""The 评分录入 page's filters: the boxes for 评分人, 指标 and 类别/单位 filled from the round,
the rows and columns they leave (with 只看分工/只看未评/只看分歧), and bringing one cell into view.
Kept apart from the page because choosing what the grid shows is a job of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QHeaderView

from app.services.entry.grid import GridData, GridLeaf, GridUnit
from app.services.entry.grid_summary import counted, scored
from app.ui.itemmodels.score_grid_model import ALL_ASSESSORS, FIXED, NAME, ScoreGridModel
from app.ui.pages.scoring.grid_view import SpreadsheetView

UNIT_ONLY = "单位::"  # prefixes a unit's name in the 类别/单位 box (one unit at a time)


class GridFilters:
    """Mixed into ScoringPage (a QWidget): what the grid shows."""

    grid: GridData | None
    model: ScoreGridModel
    view: SpreadsheetView
    round_box: QComboBox
    assessor_box: QComboBox
    area_box: QComboBox
    category_box: QComboBox
    assigned_only: QCheckBox
    unscored_only: QCheckBox
    disagreement_only: QCheckBox

    def _fill_boxes(self, grid: GridData) -> None:
        boxes = (self.assessor_box, self.area_box, self.category_box)
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        self.assessor_box.addItem(self.tr("全部评分人（只读）"), ALL_ASSESSORS)
        for assessor in grid.panel:
            self.assessor_box.addItem(assessor.name, assessor.id)
        self.assessor_box.setCurrentIndex(1 if grid.panel else 0)
        self.area_box.addItem(self.tr("全部指标"), "")
        for code, area in dict.fromkeys((leaf.area_code, leaf.area_name) for leaf in grid.leaves):
            self.area_box.addItem(f"{code} {area}", code)
        self.category_box.addItem(self.tr("全部类别"), "")
        for category in dict.fromkeys(u.category for u in grid.units):
            self.category_box.addItem(category or self.tr("未分类"), category)
        self.category_box.insertSeparator(self.category_box.count())
        for unit in grid.units:  # or one unit at a time
            self.category_box.addItem(
                self.tr("单位：{u}").format(u=unit.name), UNIT_ONLY + unit.name
            )
        for box in boxes:
            box.blockSignals(False)

    def apply_filters(self) -> None:
        """Rows and columns the filters leave: area and category (or one unit) first, then
        the assessor's assignment, cells not yet scored, cells where assessors disagree."""
        grid = self.grid
        if grid is None:
            return
        leaves, units = self._chosen(grid)
        assessor = self.model.assessor
        if self.assigned_only.isChecked() and assessor != ALL_ASSESSORS:
            leaves, units = _keep(leaves, units, lambda leaf, u: counted(grid, leaf, u, assessor))
        if self.unscored_only.isChecked():
            leaves, units = _keep(
                leaves,
                units,
                lambda leaf, u: (
                    counted(grid, leaf, u, assessor) and not scored(grid, leaf, u, assessor)
                ),
            )
        if self.disagreement_only.isChecked():
            leaves, units = self._disagreeing(grid, leaves, units)
        self.model.set_grid(grid, units, leaves)
        self._size_columns()
        self._update_progress()

    def _chosen(self, grid: GridData) -> tuple[list[GridLeaf], list[GridUnit]]:
        """The leaves of the chosen area and the units of the chosen category or the one unit."""
        area = self.area_box.currentData() or ""
        category = self.category_box.currentData()
        if category and category.startswith(UNIT_ONLY):
            units = [u for u in grid.units if u.name == category.removeprefix(UNIT_ONLY)]
        else:
            units = [u for u in grid.units if category in (None, "") or u.category == category]
        return [leaf for leaf in grid.leaves if not area or leaf.area_code == area], units

    def _disagreeing(
        self, grid: GridData, leaves: list[GridLeaf], units: list[GridUnit]
    ) -> tuple[list[GridLeaf], list[GridUnit]]:
        """The rows and columns with a cell whose assessors disagree (the model's summaries
        say which, so the model is shown these rows and columns first)."""
        self.model.set_grid(grid, units, leaves)
        flagged = {
            (self.model.leaves[r].id, self.model.units[c].id)
            for r in range(len(leaves))
            for c in range(len(units))
            if (s := self.model.summary_at(self.model.index(r, len(FIXED) + c))) is not None
            and s.disagreement
        }
        return _keep(leaves, units, lambda leaf, u: (leaf.id, u.id) in flagged)

    def show_cell(self, round_name: str, unit: str | None, leaf: str | None) -> bool:
        """Bring a cell into view (from the results page's check): the round chosen, filters
        cleared so nothing hides it, the cell current. False when the grid has no such cell."""
        if self.round_box.currentText() != round_name:
            self.round_box.setCurrentText(round_name)
        boxes = (self.area_box, self.category_box)
        checks = (self.assigned_only, self.unscored_only, self.disagreement_only)
        for widget in (*boxes, *checks):
            widget.blockSignals(True)
        for box in boxes:
            box.setCurrentIndex(0)
        for check in checks:
            check.setChecked(False)
        for widget in (*boxes, *checks):
            widget.blockSignals(False)
        self.apply_filters()
        rows = [r for r, x in enumerate(self.model.leaves) if leaf is None or x.code == leaf]
        columns = [c for c, u in enumerate(self.model.units) if unit is None or u.name == unit]
        if not rows or not columns:
            return False
        index = self.model.index(rows[0], len(FIXED) + columns[0])
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()
        return True

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, 64)
        self.view.setColumnWidth(NAME, 240)
        for column in range(2, len(FIXED)):
            self.view.setColumnWidth(column, 44)
        for column in range(len(FIXED), self.model.columnCount()):
            self.view.setColumnWidth(column, 76)

    def _assessor_changed(self) -> None:
        self.model.set_assessor(self.assessor_box.currentData() or ALL_ASSESSORS)
        if (
            self.assigned_only.isChecked()
            or self.unscored_only.isChecked()
            or self.disagreement_only.isChecked()
        ):
            self.apply_filters()
        self._update_progress()


def _keep(
    leaves: list[GridLeaf], units: list[GridUnit], wanted: Callable[[GridLeaf, GridUnit], bool]
) -> tuple[list[GridLeaf], list[GridUnit]]:
    """The leaves and units with at least one wanted cell, in their order."""
    cells = [(leaf, unit) for leaf in leaves for unit in units if wanted(leaf, unit)]
    leaf_ids = {leaf.id for leaf, _ in cells}
    unit_ids = {unit.id for _, unit in cells}
    return [x for x in leaves if x.id in leaf_ids], [u for u in units if u.id in unit_ids]
