"""The 指标体系 page's edits to the tree: nodes added, removed, moved and indented, fields
edited in place (评分方式 from a list), 适用类别 for many leaves at once, the stated 满分. Each
edit is one undoable step that runs its service once. Kept apart from the page because
editing the tree is a job of its own."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMessageBox,
    QStyledItemDelegate,
    QTreeView,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.scoring.tree import leaves, walk
from app.scoring.types import Method
from app.services.setup import framework_admin
from app.services.setup.frameworks import TreeNode
from app.services.setup.units import list_categories
from app.ui.itemmodels import framework_tree_commands as steps
from app.ui.itemmodels.framework_tree_model import NAME, FrameworkTreeModel, number
from app.ui.pages.frameworks.categories_dialog import CategoriesDialog
from app.ui.status_line import StatusLine


class MethodDelegate(QStyledItemDelegate):
    """评分方式 from a list, so only methods the scoring knows can be chosen."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        box = QComboBox(parent)
        box.addItems([m.value for m in Method])
        return box

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class TreeEdits:
    """Mixed into FrameworksPage (a QWidget): the edit buttons' and the model's handlers."""

    _db: Database
    current: framework_admin.EditableFramework | None
    undo_stack: QUndoStack
    model: FrameworkTreeModel
    tree: QTreeView
    total_edit: QLineEdit
    message: StatusLine

    # each step runs its service once here, so a refusal never enters the stack
    def _run(self, step: Any) -> bool:
        try:
            step.run_first()
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        self.undo_stack.push(step)
        self.message.say(self.tr("已保存：{s}").format(s=step.text()))
        return True

    def _edit(self, node: TreeNode, field: str, value: Any) -> bool:
        if self.current is None:
            return False
        old: dict[str, Any] = {
            "points": number(node.points),
            "categories": list(node.categories),
        }.get(field, getattr(node, field))
        step = steps.EditStep(
            self._db, self.current.id, self._refresh, node.code, {field: old}, {field: value}
        )
        return self._run(step)

    def selected_node(self) -> TreeNode | None:
        return self.model.node(self.tree.currentIndex())

    def add_node(self, child: bool, name: str | None = None) -> None:
        if self.current is None:
            return
        index = self.tree.currentIndex()
        node = self.model.node(index)
        if child and node is None:
            self.message.say(self.tr("请先选中要添加下级的指标"), error=True)
            return
        parent = node if child else (self.model.parent_node(index) if node else None)
        siblings = parent.children if parent else self.model.roots
        at = len(siblings) if child or node is None else index.row() + 1
        code = framework_admin.new_code(self.model.roots, parent)
        level = parent.level + 1 if parent else 1
        fresh = TreeNode(code, name or self.tr("新指标"), level, Decimal(0), Method.DEDUCT.value)
        if (
            self._run(
                steps.InsertStep(
                    self._db, self.current.id, self._refresh, parent and parent.code, at, fresh
                )
            )
            and name is None
        ):
            self.tree.edit(self.model.index_of(code).siblingAtColumn(NAME))

    def remove_selected(self, confirm: bool = True) -> None:
        node = self.selected_node()
        if node is None or self.current is None:
            return
        if confirm and node.children:
            answer = QMessageBox.question(
                self,
                self.tr("删除指标"),
                self.tr("删除“{n}”及其 {c} 个下级指标？（可撤销）").format(
                    n=node.name, c=sum(1 for _ in walk(node.children))
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(steps.RemoveStep(self._db, self.current.id, self._refresh, node.code, node.name))

    def _move(self, node: TreeNode, parent: TreeNode | None, at: int) -> None:
        assert self.current is not None
        self._run(
            steps.MoveStep(
                self._db, self.current.id, self._refresh, node.code, parent and parent.code, at
            )
        )

    def shift(self, step: int) -> None:
        index = self.tree.currentIndex()
        node = self.model.node(index)
        if node is None:
            return
        parent = self.model.parent_node(index)
        siblings = parent.children if parent else self.model.roots
        at = index.row() + step
        if 0 <= at < len(siblings):
            self._move(node, parent, at)

    def indent(self) -> None:
        """降级: the node becomes the last child of the sibling above it."""
        index = self.tree.currentIndex()
        node = self.model.node(index)
        if node is None or index.row() == 0:
            return
        above = self.model.node(index.siblingAtRow(index.row() - 1))
        assert above is not None
        self._move(node, above, len(above.children))

    def outdent(self) -> None:
        """升级: the node follows its parent, one level up."""
        index = self.tree.currentIndex()
        node = self.model.node(index)
        parent_index = index.parent()
        if node is None or not parent_index.isValid():
            return
        grandparent = self.model.parent_node(parent_index)
        self._move(node, grandparent, parent_index.row() + 1)

    def selected_leaves(self) -> list[TreeNode]:
        found: dict[str, TreeNode] = {}
        for index in self.tree.selectionModel().selectedRows():
            node = self.model.node(index)
            if node is not None:
                for leaf in leaves([node]):
                    found[leaf.code] = leaf
        return list(found.values())

    def edit_categories(self, chosen: list[str] | None = None) -> None:
        """适用类别 for every selected leaf (and the leaves under selected groups) at once."""
        targets = self.selected_leaves()
        if not targets or self.current is None:
            self.message.say(self.tr("请先选中指标（可按住 Ctrl 或 Shift 多选）"), error=True)
            return
        if chosen is None:
            ticked = (
                set(targets[0].categories)
                if all(t.categories == targets[0].categories for t in targets)
                else set()
            )
            dialog = CategoriesDialog(list_categories(self._db), ticked, len(targets), self)
            if not dialog.exec():
                return
            chosen = dialog.chosen()
        old = {t.code: list(t.categories) for t in targets}
        new = {t.code: list(chosen) for t in targets}
        self._run(steps.CategoriesStep(self._db, self.current.id, self._refresh, old, new))

    def _total_edited(self) -> None:
        if self.current is None:
            return
        text = self.total_edit.text().strip()
        try:
            total = Decimal(text) if text else None
        except InvalidOperation:
            self.message.say(self.tr("满分应为数字"), error=True)
            return
        if total != self.current.stated_total:
            self._run(
                steps.TotalStep(
                    self._db, self.current.id, self._refresh, self.current.stated_total, total
                )
            )
