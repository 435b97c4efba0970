"""指标体系: the frameworks in the database and the chosen one's tree."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.frameworks import get_framework_tree, list_frameworks
from app.ui.itemmodels.framework_tree_model import NAME, STANDARD, FrameworkTreeModel


class FrameworksPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.framework_box = QComboBox()
        self.framework_box.setMinimumWidth(280)
        self.caption = QLabel()
        self.model = FrameworkTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(STANDARD, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("指标体系：")))
        bar.addWidget(self.framework_box)
        bar.addSpacing(16)
        bar.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        self.framework_box.currentIndexChanged.connect(self._show_selected)
        self.reload()

    def reload(self) -> None:
        self._infos = list_frameworks(self._db)
        self.framework_box.blockSignals(True)
        self.framework_box.clear()
        self.framework_box.addItems([f.name for f in self._infos])
        self.framework_box.blockSignals(False)
        self._show_selected(0 if self._infos else -1)

    def _show_selected(self, position: int) -> None:
        if position < 0:
            self.model.set_tree([])
            self.caption.setText(self.tr("还没有指标体系。"))
            return
        info = self._infos[position]
        self.model.set_tree(get_framework_tree(self._db, info.name))
        self.caption.setText(
            self.tr("{areas} 个一级指标，{leaves} 个末级指标，合计 {points} 分").format(
                areas=info.areas, leaves=info.leaves, points=f"{info.points:g}"
            )
        )
        self.tree.expandToDepth(0)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(NAME, 300)
