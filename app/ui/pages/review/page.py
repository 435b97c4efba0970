"""申辩复核: after scoring, the units get their preliminary results, send their self-assessment
and objections (申辩); the office records each objection and reviews it (复核: accepted with a
new score, written as a logged score change, or rejected with a reason). Also where the round's
disagreement threshold is set. The page shows the objections; recording and reviewing them
(objections.py) and the round's settings and exchanges (round_exchange.py) live in their own
modules, mixed in here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.models.review import OBJECTION_PENDING
from app.services.changes import Topic
from app.services.review.objections import ObjectionInfo, list_objections
from app.services.rounds.definition import list_rounds
from app.services.rounds.review_settings import disagreement_fraction
from app.ui.itemmodels.objections_table_model import SORT_ROLE, ObjectionsTableModel
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.page import Page
from app.ui.pages.review.objections import Objections
from app.ui.pages.review.round_exchange import RoundExchange
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation
from app.ui.status_line import StatusLine

ALL_STATUSES = "全部状态"


class ReviewPage(Objections, RoundExchange, Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.SCORES, Topic.OBJECTIONS, Topic.UNITS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(240)
        self.round_box.currentTextChanged.connect(self.show_round)
        self.status_box = QComboBox()
        self.status_box.addItems([ALL_STATUSES, OBJECTION_PENDING, "已采纳", "未采纳"])
        self.status_box.currentTextChanged.connect(self._filter)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setDecimals(0)
        self.threshold.setSuffix(" %")
        self.threshold.setToolTip(
            self.tr("同一指标几位评分人的分差超过该指标分值的这一比例，即标为“分歧”待复核")
        )
        self.model = ObjectionsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(7)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for stretched in (6, 9):  # the reason and the decision take the room that is left
            header.setSectionResizeMode(stretched, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.message = StatusLine()
        self.counts = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("考核批次：")))
        top.addWidget(self.round_box)
        top.addSpacing(12)
        self._button(self.tr("导出各单位初步结果…"), self.export_prelim, top)
        self._button(self.tr("导入单位申辩（初步结果表）…"), self.import_objection_files, top)
        self._button(self.tr("导入单位自评表…"), self.import_self_assessment, top)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("分歧阈值：")))
        top.addWidget(self.threshold)
        self._button(self.tr("应用"), self.apply_threshold, top)

        actions = QHBoxLayout()
        self._button(self.tr("登记申辩…"), self.new_objection, actions)
        self.accept_button = self._button(self.tr("采纳并改分…"), self.accept_selected, actions)
        self.reject_button = self._button(self.tr("不予采纳…"), self.reject_selected, actions)
        self.calculation_button = self._button(
            self.tr("该单位计算过程…"), self.show_calculation, actions
        )
        self.table.doubleClicked.connect(lambda _: self.show_calculation())
        actions.addSpacing(12)
        actions.addWidget(QLabel(self.tr("状态：")))
        actions.addWidget(self.status_box)
        actions.addStretch(1)
        actions.addWidget(self.counts)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        note = QLabel(
            self.tr(
                "流程：评分结束后导出各单位初步结果 → 单位提交自评表，在初步结果表中填写申辩 → "
                "在此导入或登记申辩并复核。"
                "采纳的申辩按复核分值改分（记入变更记录），各阶段得分在结果排名页可见。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        layout.addWidget(note)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.reload()

    def _button(self, text: str, slot: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        row.addWidget(button)
        return button

    # --- the round ------------------------------------------------------------------------

    def reload(self) -> None:
        names = [r.name for r in list_rounds(self._db)]
        current = self.round_box.currentText()
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems(names)
        self.round_box.blockSignals(False)
        if current in names:
            self.round_box.setCurrentText(current)
        self.show_round(self.round_box.currentText())

    def show_round(self, name: str) -> None:
        if not name:
            self.model.set_rows([])
            self.counts.setText("")
            self.message.say(self.tr("还没有考核批次。"))
            return
        self.model.set_rows(list_objections(self._db, name))
        self.threshold.setValue(float(disagreement_fraction(self._db, name) * 100))
        pending = sum(1 for o in self.model._rows if o.status == OBJECTION_PENDING)
        self.counts.setText(
            self.tr("申辩 {n} 件，待复核 {p} 件").format(n=self.model.rowCount(), p=pending)
        )
        self._selection_changed()

    def _filter(self, status: str) -> None:
        self.proxy.setFilterFixedString("" if status == ALL_STATUSES else status)

    def selected(self) -> ObjectionInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected()
        pending = chosen is not None and chosen.status == OBJECTION_PENDING
        self.accept_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)
        self.calculation_button.setEnabled(chosen is not None)

    def show_calculation(self) -> UnitCalculationDialog | None:
        """The calculation behind the score of the unit that objects."""
        chosen = self.selected()
        if chosen is None:
            return None
        return show_unit_calculation(self, self._db, chosen.round, chosen.unit)

    def _select(self, objection_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data() == str(objection_id):
                self.table.selectRow(row)
                return
