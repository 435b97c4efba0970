"""指标体系: choose a framework and edit its tree — nodes added, removed, moved and indented,
every field edited in place, 适用类别 for many leaves at once, undo/redo, a live check that
children add up to their parent and the total to the stated 满分; new ones blank, from a
template or from a workbook (with the import preview); export. Every edit is one service call.
The page builds the bars and shows the tree; the edits (tree_edits.py) and the actions on whole
frameworks (framework_actions.py) live in their own modules, mixed in here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.scoring.tree import leaves, walk
from app.services.changes import Changes, Topic
from app.services.setup import framework_admin
from app.services.setup.frameworks import list_frameworks
from app.ui.itemmodels.framework_tree_model import (
    METHOD,
    NAME,
    STANDARD,
    FrameworkTreeModel,
    number,
)
from app.ui.pages.frameworks.framework_actions import FrameworkActions
from app.ui.pages.frameworks.tree_edits import MethodDelegate, TreeEdits
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine


class FrameworksPage(TreeEdits, FrameworkActions, Page):
    SHOWS = frozenset({Topic.FRAMEWORKS, Topic.UNITS, Topic.ROUNDS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.current: framework_admin.EditableFramework | None = None
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
        """``text`` already translated."""
        button = QPushButton(text)
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
        self._button(self.tr("复制为新体系…"), self.copy_framework, row)
        self._button(self.tr("导出…"), self.export_current, row)
        self._button(self.tr("删除体系"), self.delete_current, row)
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
        self._button(self.tr("添加同级"), lambda: self.add_node(child=False), row)
        self._button(self.tr("添加下级"), lambda: self.add_node(child=True), row)
        self._button(self.tr("删除指标"), self.remove_selected, row)
        row.addSpacing(12)
        self._button(self.tr("上移"), lambda: self.shift(-1), row)
        self._button(self.tr("下移"), lambda: self.shift(1), row)
        self._button(self.tr("升级"), self.outdent, row)
        self._button(self.tr("降级"), self.indent, row)
        row.addSpacing(12)
        self._button(self.tr("适用类别…"), self.edit_categories, row)
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
        self.current = framework_admin.load_framework(
            self._db, self.framework_box.itemText(position)
        )
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

    def _refresh(self, structural: bool, select: str | None, changes: Changes) -> None:
        """After a step (or its undo): the tree as saved, expansion and selection kept."""
        self.announce(changes)
        if self.current is None:
            return
        expanded = self._expanded_codes()
        self.current = framework_admin.load_framework(self._db, self.current.name)
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

    def current_index(self) -> QModelIndex:
        return self.tree.currentIndex()
