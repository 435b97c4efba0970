"""考核对象: the units and their categories — edit in place, filter by category, import and
export the office's list."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.io.errors import WorkbookError
from app.models.database import Database
from app.services.errors import UserError
from app.services.units import export_units, import_units, list_categories, list_units
from app.ui.itemmodels.units_table_model import CATEGORY, NAME, UnitsTableModel
from app.ui.tasks import run_task

ALL = "全部类别"


class UnitsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = UnitsTableModel(db, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(CATEGORY)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.category_box = QComboBox()
        self.import_button = QPushButton(self.tr("导入单位名单…"))
        self.export_button = QPushButton(self.tr("导出单位名单…"))
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        note = QLabel(
            self.tr(
                "双击简称、类别或序号即可修改，勾选“启用”决定新建考核批次时是否参评；"
                "已建的考核批次保留建批次时的单位和类别，不受这里修改的影响。输入新的类别名即新建类别。"
            )
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("类别")))
        row.addWidget(self.category_box)
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.category_box.currentTextChanged.connect(self._filter)
        self.import_button.clicked.connect(lambda: self.import_list())
        self.export_button.clicked.connect(lambda: self.export_list())
        self.model.dataChanged.connect(self._edited)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(list_units(self._db))
        current = self.category_box.currentText()
        categories = list_categories(self._db)
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItems([ALL, *categories])
        if current in categories:
            self.category_box.setCurrentText(current)
        self.category_box.blockSignals(False)
        self._filter(self.category_box.currentText())
        self.table.resizeColumnsToContents()

    def _filter(self, category: str) -> None:
        self.proxy.setFilterFixedString("" if category in (ALL, "") else category)
        shown = [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]
        active = sum(1 for unit in shown if unit is not None and unit.active)
        self.summary.setText(
            self.tr("{n} 个单位，启用 {a} 个").format(n=self.proxy.rowCount(), a=active)
        )

    def _edited(self, *_: object) -> None:
        self._show(self.tr("已保存"))

    def import_list(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("导入单位名单"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if not path:
            return

        def done(summary) -> None:  # type: ignore[no-untyped-def]
            self.reload()
            added = "、".join(summary.categories_added)
            self._show(
                self.tr("新增 {a} 个，更新 {u} 个，未变 {s} 个单位{c}").format(
                    a=summary.added,
                    u=summary.updated,
                    s=summary.unchanged,
                    c=f"；新建类别：{added}" if added else "",
                )
            )

        def failed(error: Exception) -> None:
            if isinstance(error, WorkbookError):
                lines = "\n".join(str(p) for p in error.problems[:15])
                self._show(self.tr("文件有问题，未导入任何单位：\n") + lines, error=True)
            elif isinstance(error, UserError):
                self._show(str(error), error=True)
            else:
                raise error

        run_task(lambda: import_units(self._db, path), done, failed)

    def export_list(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self, self.tr("导出单位名单"), "考核对象名单.xlsx", self.tr("Excel 工作簿 (*.xlsx)")
            )[0]
        )
        if not path:
            return
        try:
            written = export_units(self._db, path)
        except UserError as error:
            self._show(str(error), error=True)
            return
        self._show(self.tr("已导出到 {path}").format(path=written))

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020" if error else "color: #1b5e20")
        self.message.setText(text)
