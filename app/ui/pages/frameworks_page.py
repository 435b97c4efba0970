"""指标体系: choose a framework and edit its tree — nodes added, removed, moved and indented,
every field edited in place, 适用类别 for many leaves at once, undo/redo, a live check that
children add up to their parent and the total to the stated 满分; new ones blank, from a
template or from a workbook (with the import preview); export. Every edit is one service call."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.scoring.tree import leaves, walk
from app.scoring.types import Method
from app.services.setup import framework_admin as admin
from app.services.setup.framework_import import (
    FrameworkPreview,
    commit_framework,
    preview_framework,
)
from app.services.setup.frameworks import TreeNode, export_framework, list_frameworks
from app.services.setup.templates import list_templates, preview_template
from app.services.setup.units import list_categories
from app.ui.import_preview import ImportPreviewDialog
from app.ui.itemmodels import framework_tree_commands as steps
from app.ui.itemmodels.framework_tree_model import (
    METHOD,
    NAME,
    STANDARD,
    FrameworkTreeModel,
    number,
)
from app.ui.pages.categories_dialog import CategoriesDialog
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

WORKBOOKS = "Excel/WPS 工作簿 (*.xlsx *.xls)"


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


class FrameworksPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.current: admin.EditableFramework | None = None
        self.undo_stack = QUndoStack(self)
        self.framework_box = QComboBox()
        self.framework_box.setMinimumWidth(280)
        self.caption = QLabel()
        self.message = StatusLine()
        self.model = FrameworkTreeModel(self)
        self.model.edit_handler = self._edit
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.setItemDelegateForColumn(METHOD, MethodDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(STANDARD, QHeaderView.ResizeMode.Stretch)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按名称或编码查找，回车找下一个"))
        self.total_edit = QLineEdit()
        self.total_edit.setFixedWidth(60)
        self.total_edit.setPlaceholderText(self.tr("未设"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addLayout(self._edit_bar())
        layout.addWidget(self.caption)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.message)
        self.framework_box.currentIndexChanged.connect(self._show_selected)
        self.search.textChanged.connect(lambda: self.find(next_match=False))
        self.search.returnPressed.connect(lambda: self.find(next_match=True))
        self.total_edit.editingFinished.connect(self._total_edited)
        self.undo_stack.indexChanged.connect(lambda _i: self._update_caption())
        self.reload()

    def _button(self, text: str, handler: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(self.tr(text))
        button.clicked.connect(lambda: handler())
        row.addWidget(button)
        return button

    def _top_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("指标体系：")))
        row.addWidget(self.framework_box)
        new = QToolButton()
        new.setText(self.tr("新建 ▾"))
        new.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        new.setMinimumWidth(72)
        new.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        new.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        menu = QMenu(new)
        menu.addAction(self.tr("空白指标体系…")).triggered.connect(lambda: self.new_blank())
        menu.addAction(self.tr("从模板…")).triggered.connect(lambda: self.new_from_template())
        menu.addAction(self.tr("从 Excel 导入…")).triggered.connect(lambda: self.import_file())
        new.setMenu(menu)
        row.addWidget(new)
        self._button("复制为新体系…", self.copy_framework, row)
        self._button("导出…", self.export_current, row)
        self._button("删除体系", self.delete_current, row)
        row.addStretch(1)
        row.addWidget(self.search)
        return row

    def _edit_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        undo = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])
        for action in (undo, redo):
            button = QToolButton()
            button.setDefaultAction(action)
            row.addWidget(button)
        row.addSpacing(12)
        self._button("添加同级", lambda: self.add_node(child=False), row)
        self._button("添加下级", lambda: self.add_node(child=True), row)
        self._button("删除指标", self.remove_selected, row)
        row.addSpacing(12)
        self._button("上移", lambda: self.shift(-1), row)
        self._button("下移", lambda: self.shift(1), row)
        self._button("升级", self.outdent, row)
        self._button("降级", self.indent, row)
        row.addSpacing(12)
        self._button("适用类别…", self.edit_categories, row)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("满分：")))
        row.addWidget(self.total_edit)
        return row

    # ----- showing -----

    def reload(self, select: str | None = None) -> None:
        current = select or self.framework_box.currentText()
        names = [f.name for f in list_frameworks(self._db)]
        self.framework_box.blockSignals(True)
        self.framework_box.clear()
        self.framework_box.addItems(names)
        self.framework_box.blockSignals(False)
        position = names.index(current) if current in names else (0 if names else -1)
        self.framework_box.setCurrentIndex(position)
        self._show_selected(position)

    def _show_selected(self, position: int) -> None:
        self.undo_stack.clear()
        if position < 0:
            self.current = None
            self.model.set_tree([])
            self._update_caption()
            return
        self.current = admin.load_framework(self._db, self.framework_box.itemText(position))
        self.model.set_tree(self.current.roots)
        self.total_edit.setText(
            number(self.current.stated_total) if self.current.stated_total is not None else ""
        )
        self.tree.expandToDepth(0)
        self.tree.setColumnWidth(0, 150)  # room for a 三级 code under two indentations
        self.tree.setColumnWidth(NAME, 300)
        self._update_caption()

    def _update_caption(self) -> None:
        if self.current is None:
            self.caption.setText(
                self.tr("还没有指标体系。请点“新建”：空白、从模板或从 Excel 导入。")
            )
            return
        roots = self.model.roots
        total = sum((n.points for n in roots), Decimal(0))
        parts = [
            self.tr("{a} 个一级指标，{l} 个末级指标，合计 {p} 分").format(
                a=len(roots), l=sum(1 for _ in leaves(roots)), p=number(total)
            )
        ]
        stated = self.current.stated_total
        problems = len(self.model.off)
        if stated is not None and stated != total:
            problems += 1
            parts.append(self.tr("与满分 {s} 分不符").format(s=number(stated)))
        if self.model.off:
            parts.append(
                self.tr("{n} 个指标的下级分值合计与其分值不符（红色标出）").format(
                    n=len(self.model.off)
                )
            )
        if self.current.rounds:
            parts.append(
                self.tr("已用于考核批次 {r}（批次保留建立时的副本，此处修改不影响其结果）").format(
                    r="、".join(self.current.rounds)
                )
            )
        self.caption.setText("；".join(parts))
        self.caption.setStyleSheet("color: #b00020" if problems else "")

    def _refresh(self, structural: bool, select: str | None) -> None:
        """After a step (or its undo): the tree as saved, expansion and selection kept."""
        if self.current is None:
            return
        expanded = self._expanded_codes()
        self.current = admin.load_framework(self._db, self.current.name)
        if structural:
            self.model.set_tree(self.current.roots)
            for code in expanded:
                self.tree.expand(self.model.index_of(code))
        else:
            self.model.sync(self.current.roots)
        if select:
            self.select_code(select)
        self._update_caption()

    def _expanded_codes(self) -> list[str]:
        return [
            node.code
            for node in walk(self.model.roots)
            if node.children and self.tree.isExpanded(self.model.index_of(node.code))
        ]

    def select_code(self, code: str) -> None:
        index = self.model.index_of(code)
        if not index.isValid():
            return
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def find(self, next_match: bool) -> None:
        text = self.search.text().strip()
        if not text:
            return
        matches = [n.code for n in walk(self.model.roots) if text in n.name or text in n.code]
        if not matches:
            self.message.say(self.tr("没有找到“{t}”").format(t=text), error=True)
            return
        current = self.model.node(self.tree.currentIndex())
        at = matches.index(current.code) if current and current.code in matches else -1
        self.select_code(matches[(at + 1) % len(matches)] if next_match else matches[0])
        self.message.say(self.tr("找到 {n} 处").format(n=len(matches)))

    # ----- editing: each step runs its service once here, so a refusal never enters the stack

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
        code = admin.new_code(self.model.roots, parent)
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

    # ----- whole frameworks -----

    def _ask_name(self, title: str, suggestion: str) -> str | None:
        name, ok = QInputDialog.getText(self, self.tr(title), self.tr("名称："), text=suggestion)
        return name.strip() if ok and name.strip() else None

    def new_blank(self, name: str | None = None) -> None:
        name = name or self._ask_name("新建指标体系", "")
        if name and self._call(lambda: admin.create_framework(self._db, name)):
            self.reload(select=name)

    def copy_framework(self, name: str | None = None) -> None:
        if self.current is None:
            return
        source = self.current.name
        name = name or self._ask_name("复制为新体系", f"{source}（副本）")
        if name and self._call(lambda: admin.create_framework(self._db, name, copy_of=source)):
            self.reload(select=name)

    def delete_current(self, confirm: bool = True) -> None:
        if self.current is None:
            return
        name = self.current.name
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("删除指标体系"),
                self.tr("删除指标体系“{n}”？已建的考核批次保留各自的副本，不受影响。").format(
                    n=name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self._call(lambda: admin.delete_framework(self._db, name)):
            self.reload()

    def export_current(self, path: str | None = None) -> None:
        if self.current is None:
            return
        name = self.current.name
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("导出指标体系"),
                f"{file_part(name)}.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )[0]
        )
        if path and self._call(lambda: export_framework(self._db, name, path)):
            self.message.say(self.tr("已导出到 {p}").format(p=path))

    def new_from_template(self, key: str | None = None, name: str | None = None) -> None:
        templates = list_templates()
        if key is None:
            titles = [t.title for t in templates]
            title, ok = QInputDialog.getItem(
                self, self.tr("从模板新建"), self.tr("模板："), titles, 0, False
            )
            if not ok:
                return
            key = templates[titles.index(title)].key
        suggestion = next(t.title for t in templates if t.key == key)
        self._preview(lambda sheet=None: preview_template(self._db, key), name or suggestion)

    def import_file(self, path: str | None = None, name: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getOpenFileName(self, self.tr("导入指标体系"), "", self.tr(WORKBOOKS))[0]
        )
        if path:
            from pathlib import Path

            chosen = path
            self._preview(
                lambda sheet=None: preview_framework(self._db, chosen, sheet=sheet),
                name or Path(path).stem,
            )

    def _preview(self, read: Any, name: str, sheet: str | None = None) -> None:
        """Read off the GUI thread, show the preview, commit off the GUI thread. ``read`` takes
        the worksheet to read (None: the one whose header fits); the preview may ask for another."""

        def shown(preview: FrameworkPreview) -> None:
            choices = self.confirm_import(preview, name)
            if choices is None:
                return
            if choices.get("other_sheet"):
                self._preview(read, choices["name"] or name, choices["other_sheet"])
                return
            run_task(
                lambda: commit_framework(
                    self._db, preview, choices["name"], replace=choices["replace"]
                ),
                lambda info: self._imported(info),
                self._failed,
            )

        self.message.say(self.tr("正在读取…"))
        run_task(lambda: read(sheet) if sheet else read(), shown, self._failed)

    def confirm_import(self, preview: FrameworkPreview, name: str) -> dict[str, Any] | None:
        dialog = ImportPreviewDialog(preview, self, name=name)
        result = dialog.exec()
        return dialog.choices() if result else None

    def _imported(self, info: Any) -> None:
        self.reload(select=info.name)
        self.message.say(
            self.tr("已导入“{n}”：{a} 个一级指标，{l} 个末级指标，合计 {p} 分").format(
                n=info.name, a=info.areas, l=info.leaves, p=number(info.points)
            )
        )

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未导入：\n"))

    def _call(self, work: Any) -> bool:
        try:
            work()
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        return True

    def current_index(self) -> QModelIndex:
        return self.tree.currentIndex()
