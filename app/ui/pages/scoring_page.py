"""评分录入: type or paste scores into the grid; the ranking beside it follows every edit.

The round is read once; after that an edit writes its cells and updates the in-memory results
of the one unit it touched (app.scoring.incremental), so ranks follow in milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.errors import UserError
from app.models.database import Database
from app.services.access.permissions import Permission, allowed
from app.services.entry.cells import CellInputError, CellValue, parse_cell
from app.services.entry.grid import (
    CellChange,
    GridData,
    GridLeaf,
    GridUnit,
    apply_changes,
    load_grid,
)
from app.services.entry.grid_summary import Progress, counted, scored
from app.services.rounds.definition import PUBLISHED, list_rounds
from app.ui.itemmodels.ranking_table_model import (
    FINAL,
    GRADE,
    OBJECT_ROLE,
    RANK,
    UNIT,
    RankingTableModel,
)
from app.ui.itemmodels.score_grid_model import (
    ALL_ASSESSORS,
    FIXED,
    NAME,
    ScoreGridModel,
)
from app.ui.pages.score_grid_view import SpreadsheetView
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation

ALL_CATEGORIES = "全部类别"
ALL_AREAS = "全部指标"
UNIT_ONLY = "单位::"  # prefixes a unit's name in the 类别/单位 box (one unit at a time)


class CellEditCommand(QUndoCommand):
    """One edit or pasted block; the first redo is the edit itself, already written."""

    def __init__(self, page: ScoringPage, new: list[CellChange], old: list[CellChange]) -> None:
        super().__init__(page.tr("修改 {count} 格评分").format(count=len(new)))
        self._page, self._new, self._old, self._done = page, new, old, True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._page.write(self._new)

    def undo(self) -> None:
        self._page.write(self._old)


class ScoringPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.grid: GridData | None = None
        self.undo_stack = QUndoStack(self)
        self._finish_timer = QTimer(self)  # owned by the page: never fires after it is gone
        self._finish_timer.setSingleShot(True)
        self._finish_timer.timeout.connect(self.finish_loading)
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(220)
        self.assessor_box = QComboBox()
        self.assessor_box.setMinimumWidth(130)
        self.area_box = QComboBox()
        self.area_box.setMinimumWidth(130)
        self.category_box = QComboBox()
        self.category_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.category_box.setMinimumContentsLength(8)  # long unit names must not widen the bar
        self.assigned_only = QCheckBox(self.tr("只看分工"))
        self.unscored_only = QCheckBox(self.tr("只看未评"))
        self.disagreement_only = QCheckBox(self.tr("只看分歧"))
        self.progress = QLabel()
        self.model = ScoreGridModel(self)
        self.model.edit_handler = self.edit_cell
        self.view = SpreadsheetView()
        self.view.setModel(self.model)
        self.view.paste_handler = self.paste_block
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setVisible(False)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(
            self.tr("扣分理由：选中单元格后填写并回车保存；酌情扣分项请先填理由再录分值")
        )
        # A read-only line, not a label: a label asks the whole page to lay out again each
        # time its text changes, which costs more than the edit itself.
        self.detail = QLineEdit()
        self.detail.setReadOnly(True)
        self.detail.setFrame(False)
        self.detail.setStyleSheet("background: transparent")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.message.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.ranking = RankingTableModel(self)
        self.ranking_view = QTableView()
        self.ranking_view.setModel(self.ranking)
        self.ranking_view.verticalHeader().setVisible(False)
        self.ranking_view.verticalHeader().setDefaultSectionSize(22)
        self.ranking_view.setToolTip(self.tr("双击一个单位，查看其得分的计算过程"))
        self.calculation_button = QPushButton(self.tr("本单位计算过程…"))
        self.calculation_button.setToolTip(self.tr("当前单元格所在单位的得分是怎样算出来的"))
        self.calculation_button.setEnabled(False)
        self.calculation_button.clicked.connect(self._current_unit_calculation)
        for column in range(self.ranking.columnCount()):
            hidden = column not in (RANK, UNIT, FINAL, GRADE)
            self.ranking_view.setColumnHidden(column, hidden)
        self._build_layout()
        self.round_box.currentTextChanged.connect(self.show_round)
        self.assessor_box.currentIndexChanged.connect(self._assessor_changed)
        self.area_box.currentIndexChanged.connect(self.apply_filters)
        self.category_box.currentIndexChanged.connect(self.apply_filters)
        for box in (self.assigned_only, self.unscored_only, self.disagreement_only):
            box.toggled.connect(self.apply_filters)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._grid_menu)
        self.ranking_view.doubleClicked.connect(
            lambda index: self.show_calculation(self.ranking.data(index, OBJECT_ROLE).unit)
        )
        self.reason_edit.returnPressed.connect(self._save_reason)
        self.reload()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("考核批次："), self.round_box),
            (self.tr("评分人："), self.assessor_box),
            (self.tr("指标："), self.area_box),
            (self.tr("类别/单位："), self.category_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
            bar.addSpacing(8)
        for box in (self.assigned_only, self.unscored_only, self.disagreement_only):
            bar.addWidget(box)
        bar.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.detail)
        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("扣分理由：")))
        reason_row.addWidget(self.reason_edit, 1)
        reason_row.addWidget(self.calculation_button)
        left_layout.addLayout(reason_row)
        left_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.ranking_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([960, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.progress.setFixedHeight(self.fontMetrics().lineSpacing() + 6)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, 1)
        undo = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])

    # --- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        names = [r.name for r in list_rounds(self._db)]
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems(names)
        self.round_box.blockSignals(False)
        if names:
            self.show_round(names[0])

    def show_round(self, name: str) -> None:
        """Paint the grid first; the results and progress follow right after."""
        if not name:
            return
        self.grid = load_grid(self._db, name)
        self.undo_stack.clear()
        self._fill_boxes(self.grid)
        self.model.assessor = self.assessor_box.currentData() or ALL_ASSESSORS
        self.apply_filters()
        if self.isVisible():
            self._finish_timer.start(0)

    def showEvent(self, event: QShowEvent) -> None:
        """A page never shown never computes its results (a closed window may linger)."""
        super().showEvent(event)
        if self.grid is not None and self.model.progress is None:
            self._finish_timer.start(0)

    def finish_loading(self) -> None:
        """The results and progress, built once the grid is on screen."""
        if self.grid is None or not isValid(self.ranking):  # the window closed meanwhile
            return
        self.refresh_results()
        if self.model.progress is None:
            self.model.set_progress(Progress(self.grid))
            self.view.horizontalHeader().resizeSections(QHeaderView.ResizeMode.Interactive)
        self._update_progress()

    def _fill_boxes(self, grid: GridData) -> None:
        boxes = (self.assessor_box, self.area_box, self.category_box)
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        self.assessor_box.addItem(self.tr("全部评分人（只读）"), ALL_ASSESSORS)
        for assessor in grid.assessors:
            self.assessor_box.addItem(assessor, assessor)
        self.assessor_box.setCurrentIndex(1 if grid.assessors else 0)
        self.area_box.addItem(self.tr(ALL_AREAS), "")
        for code, area in dict.fromkeys((leaf.area_code, leaf.area_name) for leaf in grid.leaves):
            self.area_box.addItem(f"{code} {area}", code)
        self.category_box.addItem(self.tr(ALL_CATEGORIES), "")
        for category in dict.fromkeys(u.category for u in grid.units):
            self.category_box.addItem(category or self.tr("未分类"), category)
        self.category_box.insertSeparator(self.category_box.count())
        for unit in grid.units:  # or one unit at a time
            self.category_box.addItem(
                self.tr("单位：{u}").format(u=unit.name), UNIT_ONLY + unit.name
            )
        for box in boxes:
            box.blockSignals(False)

    # --- filters -------------------------------------------------------------------------------
    def apply_filters(self) -> None:
        """Rows and columns the filters leave: area, category, the assessor's assignment,
        cells not yet scored, cells where assessors disagree."""
        grid = self.grid
        if grid is None:
            return
        assessor = self.model.assessor
        area = self.area_box.currentData() or ""
        category = self.category_box.currentData()
        if category and category.startswith(UNIT_ONLY):
            units = [u for u in grid.units if u.name == category.removeprefix(UNIT_ONLY)]
        else:
            units = [u for u in grid.units if category in (None, "") or u.category == category]
        leaves = [leaf for leaf in grid.leaves if not area or leaf.area_code == area]
        if self.assigned_only.isChecked() and assessor != ALL_ASSESSORS:
            leaves, units = self._keep(
                leaves, units, lambda leaf, u: counted(grid, leaf, u, assessor)
            )
        if self.unscored_only.isChecked():
            leaves, units = self._keep(
                leaves,
                units,
                lambda leaf, u: (
                    counted(grid, leaf, u, assessor) and not scored(grid, leaf, u, assessor)
                ),
            )
        if self.disagreement_only.isChecked():
            self.model.set_grid(grid, units, leaves)  # summaries are the model's
            flagged = {
                (self.model.leaves[r].code, self.model.units[c].name)
                for r in range(len(leaves))
                for c in range(len(units))
                if (s := self.model.summary_at(self.model.index(r, len(FIXED) + c))) is not None
                and s.disagreement
            }
            leaves, units = self._keep(
                leaves, units, lambda leaf, u: (leaf.code, u.name) in flagged
            )
        self.model.set_grid(grid, units, leaves)
        self._size_columns()
        self._update_progress()

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

    @staticmethod
    def _keep(leaves: list[GridLeaf], units: list[GridUnit], wanted) -> tuple[list, list]:  # type: ignore[no-untyped-def]
        cells = [(leaf, unit) for leaf in leaves for unit in units if wanted(leaf, unit)]
        codes = {leaf.code for leaf, _ in cells}
        names = {unit.name for _, unit in cells}
        return [x for x in leaves if x.code in codes], [u for u in units if u.name in names]

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

    # --- editing ---------------------------------------------------------------------------------
    def _change_for(self, unit: str, leaf: str, value: CellValue | None) -> CellChange:
        return CellChange(unit, leaf, self.model.assessor, value)

    def _old(self, unit: str, leaf: str) -> CellChange:
        assert self.grid is not None
        return self._change_for(unit, leaf, self.grid.values.get((unit, leaf, self.model.assessor)))

    def _reason_for(self, old: CellChange) -> str:
        """The cell's reason; for a new entry, what is already typed in the reason box (a
        酌情 deduction needs its reason with the value)."""
        if old.value is not None and old.value.reason:
            return old.value.reason
        return self.reason_edit.text().strip()

    def edit_cell(self, unit: str, leaf: str, text: str) -> bool:
        method = self._leaf(leaf).method
        old = self._old(unit, leaf)
        try:
            new = self._change_for(unit, leaf, parse_cell(method, text, self._reason_for(old)))
        except CellInputError as error:
            self.refuse(f"{unit} {leaf}：{error}")
            return False
        return self.submit([new], [old])

    def paste_block(self, start: QModelIndex, text: str) -> None:
        """Paste rows x columns from Excel/WPS at the current cell; any bad cell refuses all."""
        if not start.isValid() or not text.strip():
            return
        lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
        news: list[CellChange] = []
        olds: list[CellChange] = []
        for r, line in enumerate(lines):
            for c, cell in enumerate(line.split("\t")):
                index = self.model.index(start.row() + r, start.column() + c)
                leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
                if (
                    leaf is None
                    or unit is None
                    or not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
                ):
                    self.refuse(
                        self.tr(
                            "粘贴区域超出可录入的单元格（第 {r} 行第 {c} 列），未做任何修改"
                        ).format(r=r + 1, c=c + 1)
                    )
                    return
                old = self._old(unit.name, leaf.code)
                try:
                    value = parse_cell(leaf.method, cell, old.value.reason if old.value else "")
                except CellInputError as error:
                    self.refuse(
                        self.tr(
                            "粘贴的第 {r} 行第 {c} 列（{unit} {leaf}）：{error}；未做任何修改"
                        ).format(
                            r=r + 1, c=c + 1, unit=unit.short_name, leaf=leaf.code, error=error
                        )
                    )
                    return
                news.append(self._change_for(unit.name, leaf.code, value))
                olds.append(old)
        self.submit(news, olds)

    def submit(self, new: list[CellChange], old: list[CellChange]) -> bool:
        if not self.write(new):
            return False
        self.undo_stack.push(CellEditCommand(self, new, old))
        return True

    def write(self, changes: list[CellChange]) -> bool:
        assert self.grid is not None
        try:
            warnings = apply_changes(self._db, self.grid.round_name, changes)
        except UserError as error:
            self.refuse(str(error))
            return False
        for change in changes:
            self.grid.store(change.unit, change.leaf, change.assessor, change.value)
            self.model.cell_changed(change.unit, change.leaf)
        if warnings:  # accepted, but to be looked at: shown on the same message line
            self.refuse(self.tr("已录入。提醒：{warnings}").format(warnings="；".join(warnings)))
        elif self.message.text():
            self.message.clear()
        self.refresh_results()
        self._update_progress()
        self._show_detail(self.view.currentIndex())
        return True

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)

    def _save_reason(self) -> None:
        index = self.view.currentIndex()
        leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
        old_value = self.model.value_at(index)
        if leaf is None or unit is None or old_value is None:
            self.refuse(self.tr("请先选中一个已录入分值的单元格"))
            return
        new_value = old_value._replace(reason=self.reason_edit.text().strip())
        self.submit(
            [self._change_for(unit.name, leaf.code, new_value)],
            [self._change_for(unit.name, leaf.code, old_value)],
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = self.model.value_at(current)
        self.reason_edit.setText(value.reason if value else "")
        self._show_detail(current)

    def _show_detail(self, index: QModelIndex) -> None:
        leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
        self.calculation_button.setEnabled(unit is not None)
        if leaf is None or unit is None:
            self.detail.clear()
            return
        rule = f"　{leaf.discretion.rule()}" if leaf.discretion else ""
        text = self.model.cell_text(index).replace("\n", "；")
        self.detail.setText(f"{unit.short_name} {leaf.code}{rule}　{text}")
        self.detail.setCursorPosition(0)
        self.detail.setToolTip(self.model.cell_text(index))

    def _leaf(self, leaf_code: str) -> GridLeaf:
        assert self.grid is not None
        return next(leaf for leaf in self.grid.leaves if leaf.code == leaf_code)

    # --- a unit's calculation ---------------------------------------------------------------------
    def unit_menu(self, index: QModelIndex) -> QMenu | None:
        """The grid's right-click menu on a unit's column."""
        unit = self.model.unit_at(index)
        if unit is None:
            return None
        menu = QMenu(self)
        action = menu.addAction(self.tr("查看“{u}”的计算过程…").format(u=unit.short_name))
        action.triggered.connect(lambda: self.show_calculation(unit.name))
        return menu

    def _grid_menu(self, position: QPoint) -> None:
        menu = self.unit_menu(self.view.indexAt(position))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(position))
            menu.deleteLater()

    def _current_unit_calculation(self) -> None:
        unit = self.model.unit_at(self.view.currentIndex())
        if unit is not None:
            self.show_calculation(unit.name)

    def show_calculation(self, unit: str) -> UnitCalculationDialog | None:
        if self.grid is None:
            return None
        return show_unit_calculation(self, self._db, self.grid.round_name, unit)

    # --- results and progress --------------------------------------------------------------------
    def refresh_results(self) -> None:
        if self.grid is None:
            return
        # A 评分人 sees the whole round's ranking only once it is published (issue 15 §3).
        shown = allowed(Permission.ALL_RESULTS) or self.grid.status == PUBLISHED
        self.ranking_view.setVisible(shown)
        if not shown:
            self.ranking.set_results([])
            return
        try:
            result = self.grid.live_results().result()
        except (UserError, ValueError) as error:
            self.refuse(str(error))
            return
        self.ranking.set_results(result.units)
        if self.ranking_view.columnWidth(UNIT) < 60:
            self.ranking_view.resizeColumnsToContents()

    def _update_progress(self) -> None:
        progress = self.model.progress
        if self.grid is None or progress is None:
            self.progress.setText(self.tr("统计进度…"))
            return
        parts = []
        for assessor in (ALL_ASSESSORS, *self.grid.assessors):
            done, total = progress.of_assessor(assessor, self.model.units)
            name = assessor or self.tr("全部")
            text = self.tr("{name} 已评 {done}/{total}").format(name=name, done=done, total=total)
            parts.append(f"<b>{text}</b>" if assessor == self.model.assessor else text)
        text = "　".join(parts)
        if text != self.progress.text():
            self.progress.setText(text)
