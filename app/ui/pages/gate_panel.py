"""发布前检查, as a panel under the ranking: what blocks publication and what to look at, each
item a link (double-click) to its cell in the grid. It runs off the GUI thread, by itself
while the round is being reviewed or in 公示, and whenever the clerk asks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.review.publication_gate import GateReport, check_round
from app.ui.itemmodels.gate_items_model import GateItemsModel
from app.ui.tasks import run_task

CHECKED_BY_ITSELF = (RoundStatus.REVIEW, RoundStatus.PUBLICITY)


class GatePanel(QGroupBox):
    cell_requested = Signal(str, str, str)  # round, unit, leaf ("" when the item has none)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("发布前检查"), parent)
        self._db = db
        self._round = ""
        self._asked = 0  # the latest check asked for; older answers are dropped
        self.report: GateReport | None = None
        self.check_button = QPushButton(self.tr("检查"))
        self.check_button.setToolTip(
            self.tr("列出不能发布的问题（须先解决）和需要注意的事项；双击一项到评分表中的该格")
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = GateItemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.hide()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.check_button.clicked.connect(self.run_check)
        self.table.doubleClicked.connect(self._open_cell)

    def show_round(self, name: str, status: str) -> None:
        self._round = name
        self.report = None
        self.model.set_report(None)
        self.table.hide()
        if status in CHECKED_BY_ITSELF:
            self.run_check()
        else:
            self.summary.setText(self.tr("推进到“公示中”和发布时会自动检查；也可随时点“检查”。"))

    def run_check(self) -> None:
        if not self._round:
            return
        self._asked += 1
        asked, name = self._asked, self._round
        self.summary.setText(self.tr("正在检查…"))
        self.check_button.setEnabled(False)

        def done(report: GateReport) -> None:
            if isValid(self) and asked == self._asked:
                self.show_report(report)

        def failed(error: Exception) -> None:
            if isValid(self) and asked == self._asked:
                self.check_button.setEnabled(True)
                self.summary.setText(self.tr("检查未完成：{e}").format(e=error))

        run_task(lambda: check_round(self._db, name), done, failed)

    def show_report(self, report: GateReport) -> None:
        self.report = report
        self.check_button.setEnabled(True)
        self.model.set_report(report)
        rows = len(report.blocking) + len(report.warnings)
        self.table.setFixedHeight(min(170, 28 + 22 * rows))  # no empty space under a short list
        self.table.setVisible(bool(rows))
        if not report.blocking and not report.warnings:
            self.summary.setText(self.tr("没有发现问题，可以发布。"))
            return
        self.summary.setText(
            self.tr(
                "须先解决 {b} 项（红），请注意 {w} 项（黄）。双击一项，到评分表中的该格。"
            ).format(b=len(report.blocking), w=len(report.warnings))
        )

    def _open_cell(self, index: QModelIndex) -> None:
        item = self.model.item_at(index.row())
        if item is not None and (item.unit or item.leaf):
            self.cell_requested.emit(self._round, item.unit or "", item.leaf or "")
