"""整改台账: every problem with filters (unit, source, status, overdue, due soon), its history,
and the steps of its follow-up (progress, verification, status, 回头看)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.io.errors import WorkbookError
from app.models.database import Database
from app.models.ledger import SOURCES, STATUSES
from app.services import ledger
from app.services.errors import UserError
from app.services.permissions import Permission
from app.services.rounds import list_rounds
from app.ui.itemmodels.problems_table_model import ProblemsTableModel
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.tasks import run_task

ALL = "全部"


class LedgerPage(QWidget):
    required_permission = Permission.VIEW

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
            ("单位", self.unit_box),
            ("来源", self.source_box),
            ("状态", self.status_box),
        ):
            filters.addWidget(QLabel(self.tr(label)))
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
        self.import_button = QPushButton(self.tr("导入整改进展…"))
        self.remind_button = QPushButton(self.tr("逾期催办…"))
        actions = QHBoxLayout()
        for button in (
            self.from_round_button,
            self.progress_button,
            self.done_button,
            self.pass_button,
            self.reject_button,
            self.look_back_button,
            self.export_button,
            self.import_button,
            self.remind_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self.summary = QLabel()
        self.detail = QTextBrowser()
        self.message = QLabel()
        self.message.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
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
        self.import_button.clicked.connect(lambda: self.import_progress())
        self.remind_button.clicked.connect(lambda: self.remind())
        self.reload()

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
        lines = [
            f"<b>{problem.number}</b>　{problem.unit}　<b>{problem.status}</b>"
            + ("　<span style='color:#c62828'>逾期</span>" if problem.overdue else ""),
            f"来源：{problem.source} {problem.source_ref}",
            f"问题：{problem.description}",
            f"文号：{problem.notice_number or '—'}　方案期限：{problem.plan_due or '—'}　"
            f"完成期限：{problem.result_due or '—'}",
            "<hr>",
        ]
        for event in ledger.history(self._db, problem.number):
            change = (
                f"（{event.from_status}→{event.to_status}）"
                if event.from_status != event.to_status
                else ""
            )
            evidence = f"　佐证：{event.evidence}" if event.evidence else ""
            lines.append(f"{event.at}　{event.user}　{event.kind}{change}　{event.text}{evidence}")
        self.detail.setHtml("<br>".join(lines))

    def _act(self, action, done: str) -> None:  # type: ignore[no-untyped-def]
        problem = self.selected()
        if problem is None:
            self._show(self.tr("请先选择一个问题"), error=True)
            return
        try:
            action(problem.number)
        except UserError as error:
            self._show(str(error), error=True)
            return
        number = problem.number
        self.refresh()
        self._select(number)
        self._show(done.format(number=number))

    def _select(self, number: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data() == number:
                self.table.selectRow(row)
                return

    def _ask(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def report(self, done: bool) -> None:
        text = self._ask(self.tr("整改进展"), self.tr("进展情况（佐证材料名称可写在最后）："))
        if text is not None:
            self._act(
                lambda number: ledger.report_progress(self._db, number, text, done=done),
                self.tr("已记录 {number} 的进展"),
            )

    def verify(self, passed: bool) -> None:
        text = self._ask(self.tr("核验"), self.tr("核验意见："))
        if text is not None:
            self._act(
                lambda number: ledger.verify(self._db, number, passed, text),
                self.tr("{number} 已销号") if passed else self.tr("{number} 已退回整改"),
            )

    def look_back(self) -> None:
        text = self._ask(self.tr("回头看"), self.tr("回头看的理由："))
        if text is not None:
            self._act(
                lambda number: ledger.look_back(self._db, number, text),
                self.tr("{number} 已重新打开待核验"),
            )

    def from_round(self) -> None:
        names = [r.name for r in list_rounds(self._db)]
        if not names:
            self._show(self.tr("还没有考核批次"), error=True)
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("由考核扣分生成问题"), self.tr("考核批次："), names, 0, False
        )
        if not ok:
            return
        try:
            created = ledger.create_from_round(self._db, name)
        except UserError as error:
            self._show(str(error), error=True)
            return
        self.reload()
        QMessageBox.information(
            self,
            self.tr("整改台账"),
            self.tr("已登记 {n} 个问题（已登记过的不会重复）").format(n=created),
        )

    def export(self, path: str | None = None) -> None:
        """The shown unit's problems (or all) for the unit to fill in its progress."""
        unit = None if self.unit_box.currentText() in (ALL, "") else self.unit_box.currentText()
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("导出整改台账"),
                f"{unit or '全部单位'}整改台账.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )[0]
        )
        if not path:
            return
        try:
            written = ledger.export_problems(self._db, path, unit=unit)
        except UserError as error:
            self._show(str(error), error=True)
            return
        self._show(self.tr("已导出到 {path}；黄色三列由责任单位填写").format(path=written))

    def import_progress(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("导入整改进展"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if not path:
            return

        def done(count: int) -> None:
            self.refresh()
            self._show(self.tr("已记录 {n} 条整改进展").format(n=count))

        def failed(error: Exception) -> None:
            if isinstance(error, WorkbookError):
                lines = "\n".join(str(p) for p in error.problems[:15])
                self._show(self.tr("文件有问题，未记录任何进展：\n") + lines, error=True)
            elif isinstance(error, UserError):
                self._show(str(error), error=True)
            else:
                raise error

        run_task(lambda: ledger.import_progress(self._db, path), done, failed)

    def remind(self, folder: str | None = None) -> None:
        """A 催办 督办函 to the chosen problem's unit for all its overdue problems."""
        from app.services.reminders import issue_reminder

        problem = self.selected()
        unit = problem.unit if problem else None
        if unit is None and self.unit_box.currentText() not in (ALL, ""):
            unit = self.unit_box.currentText()
        if unit is None:
            self._show(self.tr("请先选择一个问题或一个单位"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("催办函保存到"))
        if not folder:
            return
        try:
            sent = issue_reminder(self._db, unit, Path(folder))
        except UserError as error:
            self._show(str(error), error=True)
            return
        self.refresh()
        self._show(
            self.tr("已印发 {number}（{n} 个逾期问题）：{path}").format(
                number=sent.number, n=len(sent.problems), path=sent.path
            )
        )

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020" if error else "color: #1b5e20")
        self.message.setText(text)
