"""The indicator tree (指标体系) as a Qt tree model over plain TreeNode data. Editable when the
page gives it an edit handler (the handler runs the service through the undo stack); parents
whose children do not add up are marked, with both figures shown."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.services.setup.framework_admin import Imbalance, imbalances
from app.services.setup.frameworks import TreeNode

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "编码"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "指标"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "分值"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "评分方式"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "评分参数"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "适用类别"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "牵头单位"),
    QT_TRANSLATE_NOOP("FrameworkTreeModel", "评分标准"),
)
CODE, NAME, POINTS, METHOD, PARAMETERS, CATEGORIES, LEAD, STANDARD = range(len(COLUMNS))
FIELDS = {
    CODE: "code",
    NAME: "name",
    POINTS: "points",
    METHOD: "method",
    PARAMETERS: "parameters",
    CATEGORIES: "categories",
    LEAD: "lead_department",
    STANDARD: "standard",
}
LEAF_ONLY = {METHOD, PARAMETERS, CATEGORIES}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
OFF = QColor("#b00020")
OFF_BACKGROUND = QColor("#fde7e9")

EditHandler = Callable[[TreeNode, str, Any], bool]


class _Item:
    """A node plus its parent link, which TreeNode itself does not keep."""

    __slots__ = ("children", "node", "parent", "row")

    def __init__(self, node: TreeNode | None, parent: _Item | None, row: int) -> None:
        self.node = node
        self.parent = parent
        self.row = row
        self.children: list[_Item] = []


def _build(nodes: list[TreeNode], parent: _Item) -> None:
    for row, node in enumerate(nodes):
        item = _Item(node, parent, row)
        parent.children.append(item)
        _build(node.children, item)


def _shape(nodes: list[TreeNode]) -> list[Any]:
    return [_shape(n.children) for n in nodes]


def number(value: Decimal) -> str:
    return f"{value.normalize():f}"


class FrameworkTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Item(None, None, 0)
        self.roots: list[TreeNode] = []
        self.off: dict[str, Imbalance] = {}
        self.edit_handler: EditHandler | None = None  # None: read-only

    def set_tree(self, roots: list[TreeNode]) -> None:
        self.beginResetModel()
        self.roots = roots
        self._root = _Item(None, None, 0)
        _build(roots, self._root)
        self.off = imbalances(roots)
        self.endResetModel()

    def sync(self, roots: list[TreeNode]) -> None:
        """Show the tree as saved after an edit: rows updated in place when the shape is the
        same (the view keeps its expansion and editor), else a reset."""
        if _shape(roots) != _shape(self.roots):
            self.set_tree(roots)
            return
        self.roots = roots
        self.off = imbalances(roots)
        stack = list(zip(self._root.children, roots, strict=True))
        while stack:
            item, node = stack.pop()
            if item.node != node or node.children:  # parents: their marks may have changed
                item.node = node
                left = self.createIndex(item.row, 0, item)
                right = self.createIndex(item.row, len(COLUMNS) - 1, item)
                self.dataChanged.emit(left, right)
            stack += zip(item.children, node.children, strict=True)

    def _item(self, index: Index) -> _Item:
        if index.isValid():
            item = index.internalPointer()
            assert isinstance(item, _Item)
            return item
        return self._root

    def node(self, index: Index) -> TreeNode | None:
        return self._item(index).node if index.isValid() else None

    def parent_node(self, index: Index) -> TreeNode | None:
        parent = self._item(index).parent
        return parent.node if parent is not None else None

    def index_of(self, code: str) -> QModelIndex:
        stack = list(self._root.children)
        while stack:
            item = stack.pop()
            if item.node is not None and item.node.code == code:
                return self.createIndex(item.row, 0, item)
            stack += item.children
        return QModelIndex()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's signature
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._item(parent).children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008 - Qt's two overloads
        if not index.isValid():
            return QModelIndex()
        parent = self._item(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("FrameworkTreeModel", COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or self.edit_handler is None:
            return base
        node = self._item(index).node
        if node is not None and node.children and index.column() in LEAF_ONLY:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._item(index).node
        assert node is not None
        column = index.column()
        off = self.off.get(node.code)
        if role == OBJECT_ROLE:
            return node
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column, off)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(node, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if off is not None and column in (NAME, POINTS):
                return self.tr("标明 {s} 分，下级合计 {c} 分").format(
                    s=number(off.stated), c=number(off.children_sum)
                )
            if column == STANDARD:
                return node.standard or None
            return None
        if off is not None and column in (NAME, POINTS):
            if role == Qt.ItemDataRole.ForegroundRole:
                return OFF
            if role == Qt.ItemDataRole.BackgroundRole:
                return OFF_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column == POINTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, node: TreeNode, column: int, off: Imbalance | None) -> str:
        leaf = not node.children
        if column == POINTS:
            text = number(node.points)
            if off is not None:
                return self.tr("{s}（下级 {c}）").format(s=text, c=number(off.children_sum))
            return text
        if column == CATEGORIES:
            if not leaf:
                return ""
            return "、".join(node.categories) if node.categories else self.tr("全部")
        if column in (METHOD, PARAMETERS) and not leaf:
            return ""
        if column == STANDARD:
            return node.standard.replace("\n", " ")
        return str(getattr(node, FIELDS[column]))

    def _edit_value(self, node: TreeNode, column: int) -> Any:
        if column == POINTS:
            return number(node.points)
        if column == CATEGORIES:
            return "、".join(node.categories)
        return str(getattr(node, FIELDS[column]))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.edit_handler is None:
            return False
        node = self._item(index).node
        assert node is not None
        field = FIELDS[index.column()]
        if str(value).strip() == str(self._edit_value(node, index.column())).strip():
            return False  # nothing changed: no undo step, no log line
        return self.edit_handler(node, field, value)
