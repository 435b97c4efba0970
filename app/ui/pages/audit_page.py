"""变更记录: who changed what, when and why — every score, status, document and ledger change,
filtered by round, kind and text; the chain that makes a removed or altered record show is
checked on request, and the log exports to .xlsx with its check code."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services import audit
from app.services.rounds import list_rounds
from app.ui.itemmodels.changes_table_model import SEARCH_ROLE, ChangesTableModel
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

ALL = ""


class AuditPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(220)
        self.entity_box = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("查找：单位、指标、操作人、理由…"))
        self.search.setClearButtonEnabled(True)
        self.model = ChangesTableModel(self)
        self.entity_filter = QSortFilterProxyModel(self)
        self.entity_filter.setSourceModel(self.model)
        self.entity_filter.setFilterKeyColumn(2)
        self.text_filter = QSortFilterProxyModel(self)
        self.text_filter.setSourceModel(self.entity_filter)
        self.text_filter.setFilterRole(SEARCH_ROLE)
        self.text_filter.setFilterKeyColumn(0)
        self.table = QTableView()
        self.table.setModel(self.text_filter)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((120, 80, 70, 200, 64, 220, 220, 140)):
            self.table.setColumnWidth(column, width)
        self.count = QLabel()
        self.message = StatusLine()
        verify = QPushButton(self.tr("校验变更记录链"))
        verify.setToolTip(self.tr("检查是否有记录被删除或改动"))
        verify.clicked.connect(lambda: self.verify())
        export = QPushButton(self.tr("导出 Excel…"))
        export.clicked.connect(lambda: self.export())
        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("考核批次："), self.round_box),
            (self.tr("对象："), self.entity_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(verify)
        bar.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.count)
        layout.addLayout(row)
        self.round_box.currentIndexChanged.connect(lambda _i: self.show_changes())
        self.entity_box.currentIndexChanged.connect(lambda _i: self._filter())
        self.search.textChanged.connect(lambda _t: self._filter())
        self.reload()

    def reload(self) -> None:
        current = self.round_box.currentData()
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItem(self.tr("全部"), None)
        for info in list_rounds(self._db):
            self.round_box.addItem(info.name, info.id)
        index = self.round_box.findData(current)
        self.round_box.setCurrentIndex(max(index, 0))
        self.round_box.blockSignals(False)
        self.show_changes()

    def show_changes(self) -> None:
        lines = audit.list_changes(self._db, self.round_box.currentData())
        self.model.set_rows(list(reversed(lines)))  # newest first
        entity = self.entity_box.currentData()
        self.entity_box.blockSignals(True)
        self.entity_box.clear()
        self.entity_box.addItem(self.tr("全部"), ALL)
        for name in sorted({line.entity for line in lines}):
            self.entity_box.addItem(name, name)
        self.entity_box.setCurrentIndex(max(self.entity_box.findData(entity), 0))
        self.entity_box.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        entity = self.entity_box.currentData() or ALL
        self.entity_filter.setFilterFixedString(entity)
        self.text_filter.setFilterFixedString(self.search.text().strip())
        self.count.setText(
            self.tr("显示 {n} / {t} 条").format(
                n=self.text_filter.rowCount(), t=self.model.rowCount()
            )
        )

    def verify(self) -> audit.ChainReport:
        report = audit.verify_chain(self._db)
        if report.first_broken is None:
            self.message.say(
                self.tr(
                    "变更记录链完整：{n} 条记录，校验码 {code}（与打印件页脚的校验码对照）"
                ).format(n=report.records, code=report.short_code)
            )
        else:
            self.message.say(
                self.tr("变更记录链校验失败：{p}。请勿继续修改，联系管理员从备份恢复。").format(
                    p=report.problem
                ),
                error=True,
            )
        return report

    def export(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self, self.tr("导出变更记录"), "变更记录.xlsx", self.tr("Excel 工作簿 (*.xlsx)")
            )[0]
        )
        if not path:
            return
        round_id = self.round_box.currentData()
        self.message.say(self.tr("正在导出…"))
        run_task(
            lambda: audit.export_changes(self._db, path, round_id),
            lambda written: self.message.say(self.tr("已导出到 {p}").format(p=written)),
            self.message.refused,
        )
