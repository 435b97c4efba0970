"""考核对象: the units and their categories — edit in place, sort, filter by category, import
(with a preview) and export the office's list; categories added, renamed, ordered and removed
beside the table."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, WorkbookError
from app.models.database import Database
from app.services.changes import Topic
from app.services.setup.unit_import import UnitPreview, commit_units, preview_units
from app.services.setup.units import (
    add_category,
    category_counts,
    export_units,
    list_categories,
    list_units,
    move_category,
    remove_category,
    rename_category,
)
from app.ui.import_preview import ImportPreviewDialog
from app.ui.itemmodels.units_table_model import (
    CATEGORY,
    NAME,
    ORDER,
    SORT_ROLE,
    UnitsTableModel,
)
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

ALL = "全部类别"


class UnitsPage(Page):
    SHOWS = frozenset({Topic.UNITS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = UnitsTableModel(db, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(CATEGORY)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ORDER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.category_box = QComboBox()
        self.import_button = QPushButton(self.tr("导入单位名单…"))
        self.export_button = QPushButton(self.tr("导出单位名单…"))
        self.summary = QLabel()
        self.message = StatusLine()
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
        self.category_list = QListWidget()
        self.category_list.setMaximumWidth(220)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("考核类别")))
        side.addWidget(self.category_list, 1)
        for text, handler in (
            (self.tr("新建类别…"), lambda: self.new_category()),
            (self.tr("改名…"), lambda: self.rename_selected_category()),
            (self.tr("上移"), lambda: self._move_category(-1)),
            (self.tr("下移"), lambda: self._move_category(1)),
            (self.tr("删除类别"), lambda: self.remove_selected_category()),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            side.addWidget(button)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        self.category_box.currentTextChanged.connect(self._filter)
        self.import_button.clicked.connect(lambda: self.import_list())
        self.export_button.clicked.connect(lambda: self.export_list())
        self.model.dataChanged.connect(self._edited)
        self.model.written.connect(self.announce)
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
        self.category_list.clear()
        self.category_list.addItems(
            [self.tr("{c}（{n} 个）").format(c=c, n=n) for c, n in category_counts(self._db)]
        )
        self._category_names = [c for c, _ in category_counts(self._db)]

    def _selected_category(self) -> str | None:
        row = self.category_list.currentRow()
        return self._category_names[row] if 0 <= row < len(self._category_names) else None

    def _category_call(self, work, done: str) -> bool:  # type: ignore[no-untyped-def]
        try:
            changes = work()
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        self.reload()
        self.announce(changes)
        self.message.say(done)
        return True

    def new_category(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("新建类别"), self.tr("类别名称："))
            if not ok:
                return
        self._category_call(lambda: add_category(self._db, name), self.tr("已新建类别"))

    def rename_selected_category(self, new: str | None = None) -> None:
        old = self._selected_category()
        if old is None:
            return
        if new is None:
            new, ok = QInputDialog.getText(self, self.tr("类别改名"), self.tr("新名称："), text=old)
            if not ok:
                return
        self._category_call(
            lambda: rename_category(self._db, old, new),
            self.tr("已改名；指标体系中的适用类别已一并更新"),
        )

    def remove_selected_category(self) -> None:
        name = self._selected_category()
        if name is not None:
            self._category_call(lambda: remove_category(self._db, name), self.tr("已删除类别"))

    def _move_category(self, step: int) -> None:
        name = self._selected_category()
        if name is not None and self._category_call(
            lambda: move_category(self._db, name, step), self.tr("已调整类别顺序")
        ):
            self.category_list.setCurrentRow(self._category_names.index(name))

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
        self.message.say(self.tr("已保存"))

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
            self.announce(summary.changes)
            added = "、".join(summary.categories_added)
            self.message.say(
                self.tr("新增 {a} 个，更新 {u} 个，未变 {s} 个单位{d}{c}").format(
                    a=summary.added,
                    u=summary.updated,
                    s=summary.unchanged,
                    d=self.tr("，停用 {n} 个").format(n=summary.deactivated)
                    if summary.deactivated
                    else "",
                    c=self.tr("；新建类别：{c}").format(c=added) if added else "",
                )
            )

        def previewed(preview: UnitPreview) -> None:
            if not preview.rows and preview.blocking:  # nothing to show but the problems
                failed(_as_error(preview))
                return
            choices = self.confirm_import(preview)
            if choices is None:
                self.message.say(self.tr("已取消导入"))
                return
            if choices.get("other_sheet"):
                read(choices["other_sheet"])
                return
            run_task(
                lambda: commit_units(
                    self._db, preview, deactivate_missing=choices["deactivate_missing"]
                ),
                done,
                failed,
            )

        def failed(error: Exception) -> None:
            self.message.refused(error, self.tr("文件有问题，未导入任何单位：\n"))

        def read(sheet: str | None = None) -> None:
            self.message.say(self.tr("正在读取…"))
            run_task(lambda: preview_units(self._db, path, sheet=sheet), previewed, failed)

        read()

    def confirm_import(self, preview: UnitPreview) -> dict | None:  # type: ignore[type-arg]
        dialog = ImportPreviewDialog(preview, self)
        result = dialog.exec()
        return dialog.choices() if result else None

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
            self.message.say(str(error), error=True)
            return
        self.message.say(self.tr("已导出到 {path}").format(path=written))


def _as_error(preview: UnitPreview) -> WorkbookError:
    from app.errors import Location, SheetIssue

    return WorkbookError(
        [
            SheetIssue(Location(preview.path, p.sheet, p.row, p.column), p.message)
            for p in preview.blocking
        ]
    )
