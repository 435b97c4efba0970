"""新建考核批次: name, year, framework, the rules (grades per category too), the deadline dates
and the units taking part (all, by category, or by hand), checked by the service on OK."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.scoring.types import Rules
from app.services.rounds.definition import Deadlines, RoundInfo, create_round
from app.services.rounds.round_edit import edit_round
from app.services.setup.frameworks import list_frameworks
from app.services.setup.units import list_units
from app.ui.pages.rules_form import RulesForm

UNCATEGORISED = "未分类"


class NewRoundDialog(QDialog):
    changes_made = Signal(object)  # Changes of each write, for the page to pass on

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建考核批次"))
        self._db = db
        self._editing: RoundInfo | None = None
        self.name_edit = QLineEdit()
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(date.today().year)
        self.framework_box = QComboBox()
        self.framework_box.addItems([f.name for f in list_frameworks(db)])
        self.rules_form = RulesForm()
        self.due_boxes = [self._date_box() for _ in range(3)]
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            (self.tr("名称"), self.name_edit),
            (self.tr("年度"), self.year_box),
            (self.tr("指标体系"), self.framework_box),
        ):
            form.addRow(label, widget)
        form.addRow(self.rules_form)
        for (box, check), label in zip(
            self.due_boxes,
            (self.tr("评分截止"), self.tr("申辩截止"), self.tr("公示截止")),
            strict=True,
        ):
            row = QHBoxLayout()
            row.addWidget(check)
            row.addWidget(box, 1)
            form.addRow(label, row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addLayout(self._participants_column(), 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(980, 600)

    def _participants_column(self) -> QVBoxLayout:
        """Every unit with a check box (active ones checked); select all, none, or a category."""
        self.units_model = QStandardItemModel(self)
        units = list_units(self._db)
        for unit in units:
            item = QStandardItem(f"{unit.name}（{unit.category or UNCATEGORISED}）")
            item.setData(unit.name, Qt.ItemDataRole.UserRole)
            item.setData(unit.category or UNCATEGORISED, Qt.ItemDataRole.UserRole + 1)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if unit.active else Qt.CheckState.Unchecked)
            if not unit.active:
                item.setToolTip(self.tr("已停用的单位，默认不参加"))
            self.units_model.appendRow(item)
        self.units_model.itemChanged.connect(lambda _item: self._count_chosen())
        self.units_view = QListView()
        self.units_view.setModel(self.units_model)
        self.category_choice = QComboBox()
        self.category_choice.addItems(
            list(dict.fromkeys(u.category or UNCATEGORISED for u in units))
        )
        self.chosen_label = QLabel()
        column = QVBoxLayout()
        column.addWidget(QLabel(self.tr("参加考核的单位")))
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("全选"), lambda: self.choose(lambda _c: True)),
            (self.tr("全不选"), lambda: self.choose(lambda _c: False)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addWidget(self.category_choice, 1)
        only = QPushButton(self.tr("只选此类"))
        only.clicked.connect(lambda: self.choose(lambda c: c == self.category_choice.currentText()))
        row.addWidget(only)
        column.addLayout(row)
        column.addWidget(self.units_view, 1)
        column.addWidget(self.chosen_label)
        self._count_chosen()
        return column

    def choose(self, wanted: Callable[[str], bool]) -> None:
        """Check the units whose category ``wanted(category)`` accepts, uncheck the rest."""
        for row in range(self.units_model.rowCount()):
            item = self.units_model.item(row)
            category = item.data(Qt.ItemDataRole.UserRole + 1)
            state = Qt.CheckState.Checked if wanted(category) else Qt.CheckState.Unchecked
            item.setCheckState(state)

    def chosen_units(self) -> list[str]:
        return [
            self.units_model.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.units_model.rowCount())
            if self.units_model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _count_chosen(self) -> None:
        chosen = set(self.chosen_units())
        self.rules_form.set_categories(
            Counter(
                self.units_model.item(row).data(Qt.ItemDataRole.UserRole + 1)
                for row in range(self.units_model.rowCount())
                if self.units_model.item(row).data(Qt.ItemDataRole.UserRole) in chosen
            )
        )
        self.chosen_label.setText(
            self.tr("已选 {n} / {t} 个单位").format(
                n=len(self.chosen_units()), t=self.units_model.rowCount()
            )
        )

    @staticmethod
    def _date_box() -> tuple[QDateEdit, QCheckBox]:
        box = QDateEdit(QDate.currentDate().addMonths(1))
        box.setCalendarPopup(True)
        box.setDisplayFormat("yyyy-MM-dd")
        check = QCheckBox()
        check.setToolTip(QCoreApplication.translate("NewRoundDialog", "设定此日期"))
        # A date typed or picked is meant: it ticks its box (it used to be ignored unticked).
        box.dateChanged.connect(lambda _day: check.setChecked(True))
        return box, check

    def deadlines(self) -> Deadlines:
        days: list[date | None] = [
            box.date().toPython() if check.isChecked() else None  # type: ignore[misc]
            for box, check in self.due_boxes
        ]
        return Deadlines(*days)

    def rules(self) -> Rules:
        return self.rules_form.rules()

    def edit(self, info: RoundInfo, taking_part: list[str]) -> None:
        """修改 a round nobody has worked in: its name, year, indicator system and units; the
        rules and deadlines are changed where they are kept (规则…)."""
        self._editing = info
        self.setWindowTitle(self.tr("修改考核批次"))
        self.name_edit.setText(info.name)
        self.year_box.setValue(info.year)
        self.framework_box.setCurrentText(info.framework)
        chosen = set(taking_part)
        for row in range(self.units_model.rowCount()):
            item = self.units_model.item(row)
            named = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if named else Qt.CheckState.Unchecked)
        self.rules_form.hide()
        for box, check in self.due_boxes:
            box.setEnabled(False)
            check.setEnabled(False)

    def accept(self) -> None:
        self.error.clear()
        if self._editing is not None:
            self._save_edit(self._editing)
            return
        try:
            created = create_round(
                self._db,
                name=self.name_edit.text(),
                framework=self.framework_box.currentText(),
                year=self.year_box.value(),
                rules=self.rules(),
                units=self.chosen_units(),
                deadlines=self.deadlines(),
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        self.changes_made.emit(created.changes)
        super().accept()

    def _save_edit(self, info: RoundInfo) -> None:
        try:
            changes = edit_round(
                self._db,
                info.name,
                new_name=self.name_edit.text(),
                year=self.year_box.value(),
                framework=self.framework_box.currentText(),
                units=self.chosen_units(),
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        self.changes_made.emit(changes)
        super().accept()
