"""评分录入: type or paste scores into the grid; the ranking beside it follows every edit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.errors import UserError
from app.services.results import compute_round_results
from app.services.rounds import list_rounds
from app.services.score_cells import CellInputError, CellValue, parse_cell
from app.services.score_grid import CellChange, GridData, apply_changes, load_grid
from app.ui.itemmodels.ranking_table_model import (
    FINAL,
    GRADE,
    RANK,
    UNIT,
    RankingTableModel,
)
from app.ui.itemmodels.score_grid_model import ALL_ASSESSORS, FIXED, NAME, ScoreGridModel
from app.ui.pages.score_grid_view import SpreadsheetView

ALL_CATEGORIES = "全部类别"


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
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(240)
        self.assessor_box = QComboBox()
        self.assessor_box.setMinimumWidth(150)
        self.category_box = QComboBox()
        self.progress = QLabel()
        self.model = ScoreGridModel(self)
        self.model.edit_handler = self.edit_cell
        self.view = SpreadsheetView()
        self.view.setModel(self.model)
        self.view.paste_handler = self.paste_block
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setVisible(False)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("选中单元格后在此填写扣分理由，回车保存"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.ranking = RankingTableModel(self)
        self.ranking_view = QTableView()
        self.ranking_view.setModel(self.ranking)
        self.ranking_view.verticalHeader().setVisible(False)
        self.ranking_view.verticalHeader().setDefaultSectionSize(22)
        for column in range(self.ranking.columnCount()):
            hidden = column not in (RANK, UNIT, FINAL, GRADE)
            self.ranking_view.setColumnHidden(column, hidden)
        self._build_layout()
        self.round_box.currentTextChanged.connect(self.show_round)
        self.assessor_box.currentIndexChanged.connect(self._assessor_changed)
        self.category_box.currentTextChanged.connect(self._filter_units)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.reason_edit.returnPressed.connect(self._save_reason)
        self.reload()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("考核批次："), self.round_box),
            (self.tr("评分人："), self.assessor_box),
            (self.tr("类别："), self.category_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
            bar.addSpacing(12)
        bar.addWidget(self.progress, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("扣分理由：")))
        reason_row.addWidget(self.reason_edit, 1)
        left_layout.addLayout(reason_row)
        left_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.ranking_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
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
        if not name:
            return
        self.grid = load_grid(self._db, name)
        self.undo_stack.clear()
        self.assessor_box.blockSignals(True)
        self.assessor_box.clear()
        self.assessor_box.addItem(self.tr("全部评分人（只读）"), ALL_ASSESSORS)
        for assessor in self.grid.assessors:
            self.assessor_box.addItem(assessor, assessor)
        self.assessor_box.setCurrentIndex(1 if self.grid.assessors else 0)
        self.assessor_box.blockSignals(False)
        categories = list(dict.fromkeys(u.category for u in self.grid.units))
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItems([ALL_CATEGORIES, *categories])
        self.category_box.blockSignals(False)
        self.model.assessor = self.assessor_box.currentData() or ALL_ASSESSORS
        self._filter_units(ALL_CATEGORIES)
        self.refresh_results()

    def _filter_units(self, category: str) -> None:
        if self.grid is None:
            return
        units = [u for u in self.grid.units if category in ("", ALL_CATEGORIES, u.category)]
        self.model.set_grid(self.grid, units)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, 64)
        self.view.setColumnWidth(NAME, 260)
        for column in range(2, len(FIXED)):
            self.view.setColumnWidth(column, 48)
        for column in range(len(FIXED), self.model.columnCount()):
            self.view.setColumnWidth(column, 76)
        self._update_progress()

    def _assessor_changed(self) -> None:
        self.model.set_assessor(self.assessor_box.currentData() or ALL_ASSESSORS)
        self._update_progress()

    # --- editing ---------------------------------------------------------------------------------
    def _change_for(self, unit: str, leaf: str, value: CellValue | None) -> CellChange:
        return CellChange(unit, leaf, self.model.assessor, value)

    def _old(self, unit: str, leaf: str) -> CellChange:
        assert self.grid is not None
        return self._change_for(unit, leaf, self.grid.values.get((unit, leaf, self.model.assessor)))

    def edit_cell(self, unit: str, leaf: str, text: str) -> bool:
        method = self._method(leaf)
        old = self._old(unit, leaf)
        reason = old.value.reason if old.value else ""
        try:
            new = self._change_for(unit, leaf, parse_cell(method, text, reason))
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
            apply_changes(self._db, self.grid.round_name, changes)
        except UserError as error:
            self.refuse(str(error))
            return False
        for change in changes:
            key = (change.unit, change.leaf, change.assessor)
            if change.value is None:
                self.grid.values.pop(key, None)
            else:
                self.grid.values[key] = change.value
            self.model.cell_changed(change.unit, change.leaf)
        self.message.clear()
        self.refresh_results()
        self._update_progress()
        return True

    def refuse(self, text: str) -> None:
        self.message.setText(text)

    def _save_reason(self) -> None:
        index = self.view.currentIndex()
        leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
        old_value = self.model.value_at(index)
        if leaf is None or unit is None or old_value is None:
            self.refuse(self.tr("请先选中一个已录入分值的单元格"))
            return
        new_value = CellValue(**{**old_value.__dict__, "reason": self.reason_edit.text().strip()})
        self.submit(
            [self._change_for(unit.name, leaf.code, new_value)],
            [self._change_for(unit.name, leaf.code, old_value)],
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = self.model.value_at(current)
        self.reason_edit.setText(value.reason if value else "")

    def _method(self, leaf_code: str) -> str:
        assert self.grid is not None
        return next(leaf.method for leaf in self.grid.leaves if leaf.code == leaf_code)

    # --- results and progress --------------------------------------------------------------------
    def refresh_results(self) -> None:
        if self.grid is None:
            return
        try:
            results = compute_round_results(self._db, self.grid.round_name)
        except (UserError, ValueError) as error:
            self.refuse(str(error))
            return
        self.ranking.set_results(results.result.units)
        self.ranking_view.resizeColumnsToContents()

    def _update_progress(self) -> None:
        if self.grid is None:
            return
        assessor = self.model.assessor
        cells = [
            (u, leaf)
            for u in self.model.units
            for leaf in self.grid.leaves
            if self.grid.applies(leaf, u)
        ]
        if assessor == ALL_ASSESSORS:
            done = sum(
                1
                for u, leaf in cells
                if any((u.name, leaf.code, a) in self.grid.values for a in self.grid.assessors)
            )
        else:
            done = sum(1 for u, leaf in cells if (u.name, leaf.code, assessor) in self.grid.values)
        self.progress.setText(
            self.tr("已录入 {done} / {total} 格").format(done=done, total=len(cells))
        )
