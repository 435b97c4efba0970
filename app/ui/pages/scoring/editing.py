"""The 评分录入 page's editing: a typed cell or a block pasted from Excel/WPS checked and written
as one undoable step (a block keeps its valid cells and lists the others), the 扣分理由 of the
current cell or, for a 酌情 deduction typed without one, asked for in place; and the line that
explains it. Kept apart from the page because writing scores is a job of its own."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.errors import UserError
from app.models.database import Database
from app.services.entry.cells import CellInputError, CellValue, parse_cell
from app.services.entry.checks import reason_missing
from app.services.entry.grid import (
    UNSEEN,
    CellChange,
    CellConflict,
    CellsWritten,
    GridData,
    GridLeaf,
    GridUnit,
    apply_changes,
)
from app.ui.itemmodels.score_grid_model import FIXED, ScoreGridModel
from app.ui.pages.scoring.grid_view import SpreadsheetView
from app.ui.pages.scoring.reason_prompt import CellKey, ReasonPrompt

SHOWN_CELLS = 5  # cells named on the message line; the tooltip names them all


class CellEditCommand(QUndoCommand):
    """One edit or pasted block; the first redo is the edit itself, already written."""

    def __init__(self, page: ScoreEditing, new: list[CellChange], old: list[CellChange]) -> None:
        super().__init__(page.tr("修改 {count} 格评分").format(count=len(new)))
        self._page, self._new, self._old, self._done = page, new, old, True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._page.write(self._new, expect=self._old)

    def undo(self) -> None:
        # Undone only over what this edit wrote: a cell another clerk has changed since is
        # refused with who and when, never silently put back.
        self._page.write(self._old, expect=self._new)


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
    reason_prompt: ReasonPrompt

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
        if not self.submit([new], [old]):
            return False
        if reason_missing(new.value, leaf.discretion):  # once the editor has closed
            key = (unit.id, leaf.id, new.assessor_id)
            QTimer.singleShot(0, self.reason_prompt, lambda: self.ask_reason(key))
        return True

    def ask_reason(self, key: CellKey) -> None:
        """Open the reason line under the cell if it still waits for its reason."""
        if self.grid is None:
            return
        leaf = next((x for x in self.model.leaves if x.id == key[1]), None)
        unit = next((u for u in self.model.units if u.id == key[0]), None)
        if leaf is None or unit is None or key[2] != self.model.assessor:
            return  # filtered out or another assessor shown: the mark and the gate remain
        if reason_missing(self.grid.cells.get(key), leaf.discretion):
            row, column = self.model.leaves.index(leaf), self.model.units.index(unit)
            self.reason_prompt.ask(key, self.model.index(row, len(FIXED) + column))

    def reason_given(self, key: CellKey, reason: str) -> None:
        """The prompt's reason, saved to the cell it was asked for, as one undoable step."""
        old = self.grid.cells.get(key) if self.grid is not None else None
        if old is None:
            return
        self.submit([CellChange(*key, old._replace(reason=reason))], [CellChange(*key, old)])

    def reason_deferred(self, _key: CellKey) -> None:
        self.refuse(
            self.tr(
                "已录入，须补扣分理由：单元格标黄，直到补填理由（选中后在下方“扣分理由”栏填写并回车）"
            )
        )

    def paste_block(self, start: QModelIndex, text: str) -> None:
        """Paste rows x columns from Excel/WPS at the current cell: every valid cell goes in
        (one undoable step), the others are listed with their place and why (issue 17)."""
        if not start.isValid() or not text.strip():
            return
        lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
        news: list[CellChange] = []
        olds: list[CellChange] = []
        refused: list[str] = []
        places: dict[tuple[int, int], str] = {}
        for r, line in enumerate(lines):
            for c, cell in enumerate(line.split("\t")):
                index = self.model.index(start.row() + r, start.column() + c)
                leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
                place = self.tr("第 {r} 行第 {c} 列").format(r=r + 1, c=c + 1)
                if (
                    leaf is None
                    or unit is None
                    or not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
                ):
                    if cell.strip():  # an empty cell beyond the grid loses nothing
                        refused.append(self.tr("{place}：不是可录入的单元格").format(place=place))
                    continue
                place = self.tr("{place}（{unit} {leaf}）").format(
                    place=place, unit=unit.short_name, leaf=leaf.code
                )
                old = self._old(unit, leaf)
                try:
                    value = parse_cell(leaf.method, cell, old.value.reason if old.value else "")
                except CellInputError as error:
                    refused.append(f"{place}：{error}")
                    continue
                news.append(self._change_for(unit, leaf, value))
                olds.append(old)
                places[(unit.id, leaf.id)] = place
        if not news:
            self._tell(None, refused)
            return
        written = self.write(news, partial=True, refused=refused, places=places)
        if written is None:
            return
        skipped = {(x.change.unit_id, x.change.leaf_id) for x in written.refused}
        kept = [
            (n, o) for n, o in zip(news, olds, strict=True) if (n.unit_id, n.leaf_id) not in skipped
        ]
        if kept:
            self.undo_stack.push(CellEditCommand(self, [n for n, _ in kept], [o for _, o in kept]))

    def submit(self, new: list[CellChange], old: list[CellChange]) -> bool:
        if self.write(new) is None:
            return False
        self.undo_stack.push(CellEditCommand(self, new, old))
        return True

    def write(
        self,
        changes: list[CellChange],
        *,
        partial: bool = False,
        refused: list[str] | None = None,
        places: dict[tuple[int, int], str] | None = None,
        expect: list[CellChange] | None = None,
    ) -> CellsWritten | None:
        """Write through the service; the grid in memory follows only the cells written.
        ``expect``: the values the cells must still hold (an undo: what the edit wrote)."""
        assert self.grid is not None
        # Each cell carries what this grid shows of it (or, for an undo, what the edit wrote):
        # someone else's write since is refused (two clerks on one cell), not written over.
        cells = self.grid.cells
        expected = {(c.unit_id, c.leaf_id, c.assessor_id): c.value for c in expect or ()}
        changes = [
            replace(c, seen=expected[key] if key in expected else cells.get(key))
            for c in changes
            for key in [(c.unit_id, c.leaf_id, c.assessor_id)]
        ]
        try:
            written = apply_changes(self._db, self.grid.round_id, changes, partial=partial)
        except CellConflict as conflict:
            self._show_stored(conflict.stored)
            self.refuse(str(conflict))
            return None
        except UserError as error:
            self.refuse(str(error))
            return None
        self._show_stored(
            {
                (x.change.unit_id, x.change.leaf_id, x.change.assessor_id): x.stored
                for x in written.refused
                if x.stored is not UNSEEN
            }
        )
        self.announce(written.changes)  # type: ignore[attr-defined]  # the page is a Page
        skipped = {(x.change.unit_id, x.change.leaf_id) for x in written.refused}
        current = self.view.currentIndex()
        current_key = (
            (unit.id, leaf.id)
            if (unit := self.model.unit_at(current)) and (leaf := self.model.leaf_at(current))
            else None
        )
        for change in changes:
            if (change.unit_id, change.leaf_id) in skipped:
                continue
            self.grid.store(change.unit_id, change.leaf_id, change.assessor_id, change.value)
            self.model.cell_changed(change.unit_id, change.leaf_id)
            if (change.unit_id, change.leaf_id) == current_key:
                self.reason_edit.setText(change.value.reason if change.value else "")
        where = places or {}
        listed = [
            f"{where[key]}：{x.message}"
            if (key := (x.change.unit_id, x.change.leaf_id)) in where
            else x.message
            for x in written.refused
        ]
        self._tell(written, [*(refused or []), *listed], partial)
        self.refresh_results()
        self._update_progress()
        self._show_detail(self.view.currentIndex())
        return written

    def _show_stored(self, stored: dict[tuple[int, int, int], object]) -> None:
        """Cells someone else changed meanwhile: shown as they are now."""
        if not stored or self.grid is None:
            return
        for (unit_id, leaf_id, assessor_id), value in stored.items():
            assert value is None or isinstance(value, CellValue)
            self.grid.store(unit_id, leaf_id, assessor_id, value)
            self.model.cell_changed(unit_id, leaf_id)
        self.refresh_results()
        self._update_progress()

    def _tell(self, written: CellsWritten | None, refused: list[str], block: bool = True) -> None:
        """One message for an edit: what was refused (listed), what waits for its reason,
        the warnings; the tooltip holds every refused cell."""
        parts = []
        if refused:
            shown = "；".join(refused[:SHOWN_CELLS]) + ("等" if len(refused) > SHOWN_CELLS else "")
            parts.append(self.tr("未录入 {n} 格：{cells}").format(n=len(refused), cells=shown))
        pending = written.pending if written is not None else ()
        if pending and block:
            parts.append(
                self.tr("须补扣分理由 {n} 格（已录入，单元格标黄）").format(n=len(pending))
            )
        if written is not None and written.warnings:
            parts.append(self.tr("提醒：{warnings}").format(warnings="；".join(written.warnings)))
        if not parts:
            if self.message.text():
                self.message.clear()
            return
        head = self.tr("已录入。") if written is not None else self.tr("未做任何修改。")
        self.refuse(head + "　".join(parts))
        if refused:
            self.message.setToolTip("\n".join([head, *refused]))

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

    def _current_cell_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """The current cell's value changed under it (another assessor chosen, a write, an
        import): the detail line and the reason box follow, unless the reason is being typed."""
        current = self.view.currentIndex()
        if not current.isValid() or not (
            top_left.row() <= current.row() <= bottom_right.row()
            and top_left.column() <= current.column() <= bottom_right.column()
        ):
            return
        if not self.reason_edit.hasFocus():
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
