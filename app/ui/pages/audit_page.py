"""变更记录: who changed what, when and why — every score, status, document and ledger change,
filtered by round, kind and text; the chain that makes a removed or altered record show, and
the data against what the chain describes (issue 15 §1), are checked on request (and at start,
see app.ui.state_check), every difference listed by name; the log exports to .xlsx with its
check code."""

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
from app.services.access import audit
from app.services.access.state_verify import Verification, verify_database
from app.services.changes import Topic
from app.services.rounds.definition import list_rounds
from app.ui.itemmodels.changes_table_model import SEARCH_ROLE, ChangesTableModel
from app.ui.itemmodels.state_differences_model import StateDifferencesModel
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

ALL = ""


class AuditPage(Page):
    SHOWS = frozenset({Topic.CHANGE_LOG})

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
        self.differences = StateDifferencesModel(self)
        self.differences_view = QTableView()
        self.differences_view.setModel(self.differences)
        self.differences_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.differences_view.verticalHeader().setVisible(False)
        self.differences_view.setWordWrap(False)
        self.differences_view.horizontalHeader().setStretchLastSection(True)
        self.differences_view.setMaximumHeight(220)
        self.differences_view.hide()
        self.verify_button = verify = QPushButton(self.tr("校验"))
        verify.setToolTip(
            self.tr(
                "检查是否有记录被删除或改动，以及数据是否与变更记录一致（有无在程序之外的改动）"
            )
        )
        verify.clicked.connect(lambda: self.verify_in_background())
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
        layout.addWidget(self.differences_view)
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

    def verify(self) -> Verification:
        """Check now and show the result (the button does this off the GUI thread)."""
        verification = verify_database(self._db)
        self.show_verification(verification)
        return verification

    def verify_in_background(self) -> None:
        self.verify_button.setEnabled(False)
        self.message.say(self.tr("正在校验…"))

        def done(verification: Verification) -> None:
            self.verify_button.setEnabled(True)
            self.show_verification(verification)

        def failed(error: Exception) -> None:
            self.verify_button.setEnabled(True)
            self.message.refused(error)

        run_task(lambda: verify_database(self._db), done, failed)

    def show_verification(self, verification: Verification) -> None:
        chain, state = verification.chain, verification.state
        differences = state.differences if state is not None else []
        self.differences.set_rows(differences)
        self.differences_view.setVisible(bool(differences))
        if chain.first_broken is not None:
            self.message.say(
                self.tr("变更记录链校验失败：{p}。请勿继续修改，联系管理员从备份恢复。").format(
                    p=chain.problem
                ),
                error=True,
            )
            return
        if state is not None and not state.ok:
            problems = "；".join(state.problems)
            self.message.say(
                self.tr(
                    "数据与变更记录不一致：{n} 处数据在程序之外被改动（见下表，记录值为变更记录或"
                    "封存时的值）。{p}发布和印发文书将被拒绝；请管理员核查，从备份恢复或确认后"
                    "重新封存。"
                ).format(n=len(differences), p=f"{problems}。" if problems else ""),
                error=True,
            )
            return
        self.message.say(
            self.tr(
                "变更记录链完整：{n} 条记录，校验码 {code}（与打印件页脚的校验码对照）；"
                "数据与变更记录一致。"
            ).format(n=chain.records, code=chain.short_code)
        )

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
