"""考核规则 of an existing round, editable until publication: the rules form with its places per
scope, a reason for the change log, and the units excused from the satisfaction survey
(满意度免测), each excuse and withdrawal written at once with its reason."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.entry.satisfaction_exemptions import (
    Exemption,
    exempt_unit,
    exemption_choices,
    list_exemptions,
    withdraw_exemption,
)
from app.services.review.quota import categories_of
from app.services.rounds.definition import RoundInfo
from app.services.rounds.round_rules import RulesChange, update_rules
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.pages.rules_form import RulesForm


class ExemptionsModel(RowsTableModel[Exemption]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "理由"),
        QT_TRANSLATE_NOOP("RowsTableModel", "登记人"),
    )

    def display(self, row: Exemption, column: int) -> str:
        return (row.unit, row.reason, row.by)[column]


class RulesDialog(QDialog):
    changes_made = Signal(object)  # Changes of each write, for the page to pass on

    def __init__(self, db: Database, info: RoundInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._round = info.name
        self.change: RulesChange | None = None
        self.setWindowTitle(self.tr("考核规则：{r}").format(r=info.name))
        self.form = RulesForm()
        self.form.set_categories(categories_of(db, info.name))
        self.form.set_rules(info.rules)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("修改理由（记入变更记录）"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存规则"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self._exemptions_box(info))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 760)

    def _exemptions_box(self, info: RoundInfo) -> QGroupBox:
        box = QGroupBox(self.tr("满意度免测（以考核得分为最终得分，不算缺失）"))
        self.exemptions = ExemptionsModel(self)
        self.exemptions_view = QTableView()
        self.exemptions_view.setModel(self.exemptions)
        self.exemptions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.exemptions_view.verticalHeader().setVisible(False)
        self.exemptions_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.exemptions_view.setMaximumHeight(130)
        self.unit_box = QComboBox()
        self.unit_box.setMinimumWidth(200)
        self.exempt_reason = QLineEdit()
        self.exempt_reason.setPlaceholderText(self.tr("理由，如：改由履职评议考核"))
        self.exempt_button = QPushButton(self.tr("免于测评"))
        self.withdraw_button = QPushButton(self.tr("撤销免测…"))
        row = QHBoxLayout()
        row.addWidget(self.unit_box)
        row.addWidget(self.exempt_reason, 1)
        row.addWidget(self.exempt_button)
        row.addWidget(self.withdraw_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.exemptions_view)
        layout.addLayout(row)
        self.exempt_button.clicked.connect(self.exempt)
        self.withdraw_button.clicked.connect(lambda: self.withdraw())
        box.setEnabled(info.rules.satisfaction_weight is not None)
        if info.rules.satisfaction_weight is None:
            box.setToolTip(self.tr("本批次不计满意度"))
        self._show_exemptions()
        return box

    def _show_exemptions(self) -> None:
        self.exemptions.set_rows(list_exemptions(self._db, self._round))
        self.unit_box.clear()
        self.unit_box.addItems(exemption_choices(self._db, self._round))

    def exempt(self) -> None:
        self.error.clear()
        try:
            done = exempt_unit(
                self._db, self._round, self.unit_box.currentText(), self.exempt_reason.text()
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        self.changes_made.emit(done.changes)
        self.exempt_reason.clear()
        self._show_exemptions()

    def withdraw(self, reason: str | None = None) -> None:
        chosen = self.exemptions.row_at(self.exemptions_view.currentIndex().row())
        if chosen is None:
            self.error.setText(self.tr("请先在表中选中要撤销免测的单位"))
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, self.tr("撤销免测"), self.tr("撤销“{u}”的免测，理由：").format(u=chosen.unit)
            )
            if not ok:
                return
        self.error.clear()
        try:
            done = withdraw_exemption(self._db, self._round, chosen.unit, reason)
        except UserError as error:
            self.error.setText(str(error))
            return
        self.changes_made.emit(done.changes)
        self._show_exemptions()

    def accept(self) -> None:
        self.error.clear()
        try:
            self.change = update_rules(
                self._db, self._round, self.form.rules(), self.reason_edit.text()
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        self.changes_made.emit(self.change.changes)
        super().accept()
