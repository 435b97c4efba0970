"""申辩复核: after scoring, the units get their preliminary results, send their self-assessment
and objections (申辩); the office records each objection and reviews it (复核: accepted with a
new score, written as a logged score change, or rejected with a reason). Also where the round's
disagreement threshold is set."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, WorkbookError
from app.models.database import Database
from app.models.review import OBJECTION_PENDING
from app.services.entry.self_assessment import import_self_assessment
from app.services.review.objections import (
    ObjectionChoices,
    ObjectionInfo,
    add_objection,
    list_objections,
    objection_choices,
    review_objection,
)
from app.services.rounds.definition import list_rounds
from app.services.rounds.review_settings import disagreement_fraction, set_disagreement_fraction
from app.ui.itemmodels.objections_table_model import SORT_ROLE, ObjectionsTableModel
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task, run_with_progress

WORKBOOKS = "Excel/WPS 工作簿 (*.xlsx *.xls)"
ALL_STATUSES = "全部状态"


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        raise UserError(f"“{text}”不是数字") from None


class ObjectionDialog(QDialog):
    """登记申辩: the unit, the leaf it objects to, its reason and the score it asks for."""

    def __init__(self, choices: ObjectionChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记申辩"))
        self.unit = QComboBox()
        self.unit.addItems(choices.units)
        self.unit.setEditable(True)  # type to find among 80 units
        self.leaf = QComboBox()
        self.leaf.setEditable(True)
        for code, name, points in choices.leaves:
            self.leaf.addItem(f"{code} {name}（{points.normalize():f}分）", code)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("单位的申辩理由与依据"))
        self.requested = QLineEdit()
        self.requested.setPlaceholderText(self.tr("可不填"))
        form = QFormLayout()
        form.addRow(self.tr("单位"), self.unit)
        form.addRow(self.tr("指标"), self.leaf)
        form.addRow(self.tr("申辩理由"), self.reason)
        form.addRow(self.tr("申请分值"), self.requested)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def values(self) -> dict[str, Any]:
        index = self.leaf.currentIndex()
        code = self.leaf.itemData(index) if index >= 0 else None
        if code is None or self.leaf.currentText() != self.leaf.itemText(index):
            code = self.leaf.currentText().split(" ")[0].strip()
        return {
            "unit": self.unit.currentText().strip(),
            "leaf": code,
            "reason": self.reason.toPlainText(),
            "requested": _decimal(self.requested.text()),
        }


class ReviewPage(QWidget):
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
                "流程：评分结束后导出各单位初步结果 → 单位提交自评表和申辩 → 在此登记申辩并复核。"
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

    # --- objections -----------------------------------------------------------------------

    def new_objection(self, values: dict[str, Any] | None = None) -> int | None:
        round_name = self.round_box.currentText()
        if not round_name:
            return None
        if values is None:
            dialog = ObjectionDialog(objection_choices(self._db, round_name), self)
            if not dialog.exec():
                return None
            try:
                values = dialog.values()
            except UserError as error:
                self.message.say(str(error), error=True)
                return None
        try:
            new_id = add_objection(self._db, round_name, **values)
        except UserError as error:
            self.message.say(str(error), error=True)
            return None
        self.show_round(round_name)
        self._select(new_id)
        self.message.say(
            self.tr("已登记申辩 {id}：{u} {l}").format(
                id=new_id, u=values["unit"], l=values["leaf"]
            )
        )
        return new_id

    def accept_selected(self, score: str | None = None) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if score is None:
            suggested = chosen.requested if chosen.requested is not None else chosen.score_before
            text, ok = QInputDialog.getText(
                self,
                self.tr("采纳申辩"),
                self.tr("{u} {l}（满分 {p}）复核后的得分：").format(
                    u=chosen.unit, l=chosen.leaf, p=f"{chosen.points.normalize():f}"
                ),
                text="" if suggested is None else f"{suggested.normalize():f}",
            )
            if not ok:
                return
            score = text
        self._review(chosen, accept=True, score=score)

    def reject_selected(self, reason: str | None = None) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getMultiLineText(
                self, self.tr("不予采纳"), self.tr("不予采纳的理由（将告知单位）：")
            )
            if not ok:
                return
        self._review(chosen, accept=False, reason=reason)

    def _review(
        self, chosen: ObjectionInfo, *, accept: bool, score: str = "", reason: str = ""
    ) -> None:
        try:
            done = review_objection(
                self._db,
                chosen.round,
                chosen.id,
                accept=accept,
                score=_decimal(score) if accept else None,
                reason=reason,
            )
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.show_round(chosen.round)
        self._select(done.id)
        self.message.say(self.tr("申辩 {id} 已复核：{s}").format(id=done.id, s=done.status))

    # --- the round's settings and exchanges -------------------------------------------------

    def apply_threshold(self) -> None:
        round_name = self.round_box.currentText()
        if not round_name:
            return
        fraction = Decimal(str(round(self.threshold.value()))) / 100
        try:
            set_disagreement_fraction(self._db, round_name, fraction)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.message.say(
            self.tr("分歧阈值已设为分值的 {v}%；评分录入页的“只看分歧”按此标记").format(
                v=round(self.threshold.value())
            )
        )

    def export_prelim(self, folder: str | None = None) -> Any:
        round_name = self.round_box.currentText()
        if not round_name:
            return None
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("初步结果保存到"))
        if not folder:
            return None

        from app.services.review.prelim_results import (
            export_prelim,  # openpyxl: load when first used
        )

        def done(paths: list[Path]) -> None:
            self.message.say(
                self.tr("已导出 {n} 个单位的初步结果到 {f}").format(n=len(paths), f=folder)
            )

        return run_with_progress(
            self,
            self.tr("导出初步结果"),
            lambda progress, cancelled: export_prelim(
                self._db, round_name, folder, progress=progress, cancelled=cancelled
            ),
            done,
            self._failed,
        )

    def import_self_assessment(self, paths: list[str] | None = None) -> None:
        round_name = self.round_box.currentText()
        if not round_name:
            return
        paths = (
            paths or QFileDialog.getOpenFileNames(self, self.tr("导入单位自评表"), "", WORKBOOKS)[0]
        )
        if not paths:
            return

        def work() -> tuple[list[Any], Exception | None]:
            """Each file is its own all-or-nothing import; stop at the first bad one and say
            which files went in before it."""
            summaries: list[Any] = []
            for path in paths:
                try:
                    summaries.append(import_self_assessment(self._db, path, round_name))
                except (UserError, WorkbookError) as error:
                    return summaries, error
            return summaries, None

        def done(outcome: tuple[list[Any], Exception | None]) -> None:
            summaries, error = outcome
            lines = [
                f"{s.unit}：{s.leaves} 项" + ("" if s.changed else "（与已导入的相同，未改变）")
                for s in summaries
            ]
            if error is not None:
                self._failed(error)
                if lines:
                    self.message.setText(
                        self.tr("已导入：") + "；".join(lines) + "\n" + self.message.text()
                    )
                return
            self.message.say(self.tr("已导入自评（评分录入页的提示中可见）：") + "；".join(lines))

        self.message.say(self.tr("正在导入…"))
        run_task(work, done, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未导入：\n"))
