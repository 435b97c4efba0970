"""The 评分录入 page's editing: a typed cell or a block pasted from Excel/WPS checked and written
as one undoable step (any bad cell refuses the whole block), the 扣分理由 of the current cell,
and the line that explains it. Kept apart from the page because writing scores is a job of its
own."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.errors import UserError
from app.models.database import Database
from app.services.entry.cells import CellInputError, CellValue, parse_cell
from app.services.entry.grid import CellChange, GridData, GridLeaf, GridUnit, apply_changes
from app.ui.itemmodels.score_grid_model import ScoreGridModel
from app.ui.pages.scoring.grid_view import SpreadsheetView


class CellEditCommand(QUndoCommand):
    """One edit or pasted block; the first redo is the edit itself, already written."""

    def __init__(self, page: ScoreEditing, new: list[CellChange], old: list[CellChange]) -> None:
        super().__init__(page.tr("修改 {count} 格评分").format(count=len(new)))
        self._page, self._new, self._old, self._done = page, new, old, True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._page.write(self._new)

    def undo(self) -> None:
        self._page.write(self._old)


class ScoreEditing:
    """Mixed into ScoringPage (a QWidget): the grid's edit and paste handlers."""

    _db: Database
    grid: GridData | None
    undo_stack: QUndoStack
    model: ScoreGridModel
    view: SpreadsheetView
    reason_edit: QLineEdit
    detail: QLineEdit
    message: QLabel
    calculation_button: QPushButton

    def _change_for(self, unit: GridUnit, leaf: GridLeaf, value: CellValue | None) -> CellChange:
        return CellChange(unit.id, leaf.id, self.model.assessor, value)

    def _old(self, unit: GridUnit, leaf: GridLeaf) -> CellChange:
        assert self.grid is not None
        value = self.grid.cells.get((unit.id, leaf.id, self.model.assessor))
        return self._change_for(unit, leaf, value)

    def _reason_for(self, old: CellChange) -> str:
        """The cell's reason; for a new entry, what is already typed in the reason box (a
        酌情 deduction needs its reason with the value)."""
        if old.value is not None and old.value.reason:
            return old.value.reason
        return self.reason_edit.text().strip()

    def edit_cell(self, unit: GridUnit, leaf: GridLeaf, text: str) -> bool:
        old = self._old(unit, leaf)
        try:
            new = self._change_for(unit, leaf, parse_cell(leaf.method, text, self._reason_for(old)))
        except CellInputError as error:
            self.refuse(f"{unit.name} {leaf.code}：{error}")
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
                old = self._old(unit, leaf)
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
                news.append(self._change_for(unit, leaf, value))
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
            written = apply_changes(self._db, self.grid.round_id, changes)
        except UserError as error:
            self.refuse(str(error))
            return False
        warnings = written.warnings
        self.announce(written.changes)  # type: ignore[attr-defined]  # the page is a Page
        for change in changes:
            self.grid.store(change.unit_id, change.leaf_id, change.assessor_id, change.value)
            self.model.cell_changed(change.unit_id, change.leaf_id)
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
            [self._change_for(unit, leaf, new_value)], [self._change_for(unit, leaf, old_value)]
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
