"""The indicator tree (指标体系) as a Qt tree model over plain TreeNode data."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.frameworks import TreeNode

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("编码", "指标", "分值", "评分方式", "评分标准", "牵头单位", "适用类别")
CODE, NAME, POINTS, METHOD, STANDARD, LEAD, CATEGORIES = range(len(COLUMNS))
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2


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


class FrameworkTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Item(None, None, 0)

    def set_tree(self, roots: list[TreeNode]) -> None:
        self.beginResetModel()
        self._root = _Item(None, None, 0)
        _build(roots, self._root)
        self.endResetModel()

    def _item(self, index: Index) -> _Item:
        if index.isValid():
            item = index.internalPointer()
            assert isinstance(item, _Item)
            return item
        return self._root

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
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._item(index).node
        assert node is not None
        if role == OBJECT_ROLE:
            return node
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == STANDARD:
            return node.standard or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        leaf = not node.children
        values = {
            CODE: node.code,
            NAME: node.name,
            POINTS: f"{node.points:g}",
            METHOD: node.method if leaf else "",
            STANDARD: node.standard.replace("\n", " "),
            LEAD: node.lead_department,
            CATEGORIES: "、".join(node.categories) if node.categories else ("全部" if leaf else ""),
        }
        return values[index.column()]
