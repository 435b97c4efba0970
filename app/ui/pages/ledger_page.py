"""整改台账: every problem with filters (unit, source, status, overdue, due soon), its history,
and the steps of its follow-up (progress, verification, status, 回头看)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.models.ledger import SOURCES, STATUSES
from app.services.ledger import problem_registration, problem_status, progress_import
from app.services.ledger import problems as ledger
from app.services.rounds.definition import list_rounds
from app.ui.itemmodels.problems_table_model import ProblemsTableModel
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.ledger_dialogs import (
    CarryOverDialog,
    LedgerStatsDialog,
    ProblemListDialog,
    ProgressDialog,
)
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

ALL = "全部"


class LedgerPage(QWidget):
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
        self.import_button = QPushButton(self.tr("导入台账…"))
        self.import_button.setToolTip(
            self.tr("责任单位填写了进展的导出台账，或本办自己的问题清单（先预览，再登记为新问题）")
        )
        self.remind_button = QPushButton(self.tr("逾期催办…"))
        self.stats_button = QPushButton(self.tr("统计…"))
        self.carry_button = QPushButton(self.tr("结转到下一批次…"))
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
            self.message.say(self.tr("请先选择一个问题"), error=True)
            return
        try:
            action(problem.number)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        number = problem.number
        self.refresh()
        self._select(number)
        self.message.say(done.format(number=number))

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
                lambda number: problem_status.report_progress(self._db, number, text, done=done),
                self.tr("已记录 {number} 的进展"),
            )

    def verify(self, passed: bool) -> None:
        text = self._ask(self.tr("核验"), self.tr("核验意见："))
        if text is not None:
            self._act(
                lambda number: problem_status.verify(self._db, number, passed, text),
                self.tr("{number} 已销号") if passed else self.tr("{number} 已退回整改"),
            )

    def look_back(self) -> None:
        text = self._ask(self.tr("回头看"), self.tr("回头看的理由："))
        if text is not None:
            self._act(
                lambda number: problem_status.look_back(self._db, number, text),
                self.tr("{number} 已重新打开待核验"),
            )

    def from_round(self) -> None:
        names = [r.name for r in list_rounds(self._db)]
        if not names:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("由考核扣分生成问题"), self.tr("考核批次："), names, 0, False
        )
        if not ok:
            return
        try:
            created = problem_registration.create_from_round(self._db, name)
        except UserError as error:
            self.message.say(str(error), error=True)
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
                f"{file_part(unit or '全部单位')}整改台账.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )[0]
        )
        if not path:
            return
        try:
            written = ledger.export_problems(self._db, path, unit=unit)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.message.say(self.tr("已导出到 {path}；黄色三列由责任单位填写").format(path=written))

    def import_file(self, path: str | None = None) -> None:
        """Either workbook: the units' progress, or the office's own list of problems (shown
        first, then registered)."""
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("导入台账"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if not path:
            return
        from app.services.ledger.exchange import (
            commit_problem_list,
            is_progress_workbook,
            preview_problem_list,
        )

        def read() -> tuple[str, Any]:
            if is_progress_workbook(path):
                return "进展", progress_import.preview_progress(self._db, path)
            return "清单", preview_problem_list(self._db, path)

        def recorded(count: int) -> None:
            self.refresh()
            self.message.say(self.tr("已记录 {n} 条整改进展").format(n=count))

        def registered(numbers: list[str]) -> None:
            self.reload()
            self.message.say(self.tr("已登记 {n} 个问题").format(n=len(numbers)))

        def read_done(outcome: tuple[str, Any]) -> None:
            kind, value = outcome
            if kind == "进展":
                if not value:
                    self.message.say(self.tr("表中的进展都已记录过，没有新的内容"))
                    return
                if not self.confirm_progress(value):
                    self.message.say(self.tr("已取消，未记录任何进展"))
                    return
                run_task(
                    lambda: progress_import.import_progress(self._db, path),
                    recorded,
                    self._import_failed,
                )
                return
            if not self.confirm_problem_list(value):
                self.message.say(self.tr("已取消，未登记任何问题"))
                return
            run_task(lambda: commit_problem_list(self._db, value), registered, self._import_failed)

        self.message.say(self.tr("正在读取…"))
        run_task(read, read_done, self._import_failed)

    import_progress = import_file  # the exported ledger with the units' progress is one case

    def confirm_progress(self, changes: list[Any]) -> bool:
        return bool(ProgressDialog(changes, self).exec())

    def confirm_problem_list(self, preview: Any) -> bool:
        return bool(ProblemListDialog(preview, self).exec())

    def _import_failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未写入任何数据：\n"))

    def confirm_carry_over(self, dialog: CarryOverDialog) -> bool:
        return bool(dialog.exec())

    def show_statistics(self) -> LedgerStatsDialog:
        dialog = LedgerStatsDialog(self._db, self)
        dialog.open()
        return dialog

    def carry_over(self) -> None:
        from app.services.ledger.carryover import carry_over

        dialog = CarryOverDialog(self._db, self)
        if not self.confirm_carry_over(dialog):
            return
        round_name, leaf, per_problem = dialog.choice()
        try:
            plan = carry_over(self._db, round_name, leaf, per_problem=per_problem)
        except UserError as error:
            self.message.refused(error)
            return
        hit = sum(1 for p in plan if p.problems)
        self.message.say(
            self.tr("已结转到“{r}” {l}：{n} 个单位扣分（记入变更记录）").format(
                r=round_name, l=leaf, n=hit
            )
        )

    def remind(self, folder: str | None = None) -> None:
        """A 催办 督办函 to the chosen problem's unit for all its overdue problems."""
        from app.services.publishing.reminders import issue_reminder

        problem = self.selected()
        unit = problem.unit if problem else None
        if unit is None and self.unit_box.currentText() not in (ALL, ""):
            unit = self.unit_box.currentText()
        if unit is None:
            self.message.say(self.tr("请先选择一个问题或一个单位"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("催办函保存到"))
        if not folder:
            return
        try:
            sent = issue_reminder(self._db, unit, Path(folder))
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.refresh()
        self.message.say(
            self.tr("已印发 {number}（{n} 个逾期问题）：{path}").format(
                number=sent.number, n=len(sent.problems), path=sent.path
            )
        )
