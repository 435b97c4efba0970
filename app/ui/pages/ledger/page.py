"""整改台账: every problem with filters (unit, source, status, overdue, due soon), its history,
and the steps of its follow-up (progress, verification, status, 回头看). The page shows the
problems; the follow-up steps (follow_up.py) and the exchanges with rounds and units
(exchange.py) live in their own modules, mixed in here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.models.ledger import SOURCES, STATUSES
from app.services.access.permissions import Permission, allowed
from app.services.changes import Topic
from app.services.ledger import problems as ledger
from app.services.ledger.rectification_files import evidence_required, set_evidence_required
from app.ui.itemmodels.problems_table_model import ProblemsTableModel
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.ledger.exchange import LedgerExchange
from app.ui.pages.ledger.follow_up import ALL, FollowUp
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine


class LedgerPage(FollowUp, LedgerExchange, Page):
    SHOWS = frozenset({Topic.PROBLEMS, Topic.NOTICES, Topic.UNITS, Topic.ROUNDS})
    REFRESH_WHEN_SHOWN = True  # deadlines and overdue move on with the clock

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = ProblemsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)  # the model sorts itself: no proxy over 20,000 rows
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.unit_box = QComboBox()
        self.source_box = QComboBox()
        self.source_box.addItems([ALL, *SOURCES])
        self.status_box = QComboBox()
        self.status_box.addItems([ALL, *STATUSES])
        self.overdue_box = QCheckBox(self.tr("只看逾期"))
        self.due_box = QSpinBox()
        self.due_box.setRange(0, 365)
        self.due_box.setSpecialValueText(self.tr("不限"))
        self.due_box.setSuffix(self.tr(" 天内到期"))
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("单位"), self.unit_box),
            (self.tr("来源"), self.source_box),
            (self.tr("状态"), self.status_box),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.overdue_box)
        filters.addWidget(self.due_box)
        filters.addStretch(1)
        self.from_round_button = QPushButton(self.tr("由考核扣分生成…"))
        self.progress_button = QPushButton(self.tr("记录进展…"))
        self.done_button = QPushButton(self.tr("提请核验…"))
        self.pass_button = QPushButton(self.tr("核验通过（销号）…"))
        self.reject_button = QPushButton(self.tr("核验退回…"))
        self.look_back_button = QPushButton(self.tr("回头看…"))
        self.export_button = QPushButton(self.tr("导出台账…"))
        self.import_button = QPushButton(self.tr("导入台账…"))
        self.import_button.setToolTip(
            self.tr("责任单位填写了进展的导出台账，或本办自己的问题清单（先预览，再登记为新问题）")
        )
        self.remind_button = QPushButton(self.tr("逾期催办…"))
        self.stats_button = QPushButton(self.tr("统计…"))
        self.carry_button = QPushButton(self.tr("结转到下一批次…"))
        self.evidence_rule_box = QCheckBox(self.tr("销号须有整改佐证"))
        self.evidence_rule_box.setToolTip(
            self.tr("勾选后，核验通过（销号）前须有附文件的整改进展（退回或回头看之后须重新提供）")
        )
        self.evidence_rule_box.setChecked(evidence_required(db))
        self.evidence_rule_box.setEnabled(allowed(Permission.MANAGE_ROUNDS))
        actions = QHBoxLayout()
        for button in (
            self.from_round_button,
            self.progress_button,
            self.done_button,
            self.pass_button,
            self.reject_button,
            self.look_back_button,
            self.remind_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        exchange = QHBoxLayout()
        for button in (
            self.export_button,
            self.import_button,
            self.stats_button,
            self.carry_button,
        ):
            exchange.addWidget(button)
        exchange.addStretch(1)
        exchange.addWidget(self.evidence_rule_box)
        self.summary = QLabel()
        self.detail = QTextBrowser()
        self.message = StatusLine()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addLayout(exchange)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        for box in (self.unit_box, self.source_box, self.status_box):
            box.currentIndexChanged.connect(self.refresh)
        self.overdue_box.toggled.connect(self.refresh)
        self.due_box.valueChanged.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.from_round_button.clicked.connect(self.from_round)
        self.progress_button.clicked.connect(lambda: self.report(done=False))
        self.done_button.clicked.connect(lambda: self.report(done=True))
        self.pass_button.clicked.connect(lambda: self.verify(True))
        self.reject_button.clicked.connect(lambda: self.verify(False))
        self.look_back_button.clicked.connect(self.look_back)
        self.export_button.clicked.connect(lambda: self.export())
        self.import_button.clicked.connect(lambda: self.import_file())
        self.stats_button.clicked.connect(lambda: self.show_statistics())
        self.carry_button.clicked.connect(lambda: self.carry_over())
        self.remind_button.clicked.connect(lambda: self.remind())
        self.evidence_rule_box.toggled.connect(self._evidence_rule_changed)
        self.reload()

    def _evidence_rule_changed(self, required: bool) -> None:
        try:
            changes = set_evidence_required(self._db, required)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.announce(changes)
        self.message.say(
            self.tr("今后销号前须有整改佐证") if required else self.tr("销号不再要求整改佐证")
        )

    def reload(self) -> None:
        units = ledger.units_with_problems(self._db)
        current = self.unit_box.currentText()
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        self.unit_box.addItems([ALL, *units])
        if current in units:
            self.unit_box.setCurrentText(current)
        self.unit_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        def chosen(box: QComboBox) -> str | None:
            return None if box.currentText() in (ALL, "") else box.currentText()

        rows = ledger.list_problems(
            self._db,
            unit=chosen(self.unit_box),
            status=chosen(self.status_box),
            overdue=self.overdue_box.isChecked(),
            due_within=self.due_box.value() or None,
        )
        source = chosen(self.source_box)
        if source:
            rows = [r for r in rows if r.source == source]
        self.model.set_rows(rows)
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(
            self.tr("共 {n} 个问题，其中逾期 {late} 个").format(n=len(rows), late=overdue)
        )
        self.detail.clear()

    def selected(self):  # type: ignore[no-untyped-def]
        index = self.table.currentIndex()
        return self.model.data(index, OBJECT_ROLE) if index.isValid() else None

    def show_detail(self) -> None:
        problem = self.selected()
        if problem is None:
            self.detail.clear()
            return
        overdue = self.tr("逾期")
        lines = [
            f"<b>{problem.number}</b>　{problem.unit}　<b>{problem.status}</b>"
            + (f"　<span style='color:#c62828'>{overdue}</span>" if problem.overdue else ""),
            self.tr("来源：{source} {ref}").format(source=problem.source, ref=problem.source_ref),
            self.tr("问题：{text}").format(text=problem.description),
            self.tr("文号：{number}　方案期限：{plan}　完成期限：{result}").format(
                number=problem.notice_number or "—",
                plan=problem.plan_due or "—",
                result=problem.result_due or "—",
            ),
            "<hr>",
        ]
        for event in ledger.history(self._db, problem.number):
            change = (
                f"（{event.from_status}→{event.to_status}）"
                if event.from_status != event.to_status
                else ""
            )
            evidence = (
                self.tr("　佐证：{evidence}").format(evidence=event.evidence)
                if event.evidence
                else ""
            )
            lines.append(f"{event.at}　{event.user}　{event.kind}{change}　{event.text}{evidence}")
        self.detail.setHtml("<br>".join(lines))

    def _select(self, number: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data() == number:
                self.table.selectRow(row)
                return
