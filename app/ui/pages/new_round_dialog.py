"""新建考核批次: name, year, framework and the rules, checked by the service on OK."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.models.database import Database
from app.scoring.types import Rules
from app.services.errors import UserError
from app.services.frameworks import list_frameworks
from app.services.rounds import create_round, parse_grades


class NewRoundDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建考核批次"))
        self._db = db
        self.name_edit = QLineEdit()
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(2026)
        self.framework_box = QComboBox()
        self.framework_box.addItems([f.name for f in list_frameworks(db)])
        self.weight_box = self._percent_box(20)
        self.bonus_cap_box = QDoubleSpinBox()
        self.bonus_cap_box.setRange(0, 100)
        self.bonus_cap_box.setValue(3)
        self.trim_box = QSpinBox()
        self.trim_box.setRange(3, 99)
        self.trim_box.setValue(5)
        self.grades_edit = QLineEdit("优秀:90,良好:80,合格:60,不合格:0")
        self.quota_box = self._percent_box(30)
        self.bottom_box = QSpinBox()
        self.bottom_box.setRange(0, 50)
        self.bottom_box.setValue(3)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        for label, widget in (
            ("名称", self.name_edit),
            ("年度", self.year_box),
            ("指标体系", self.framework_box),
            ("满意度权重（%）", self.weight_box),
            ("加分上限", self.bonus_cap_box),
            ("去掉最高最低分的评分人数", self.trim_box),
            ("等次分数线", self.grades_edit),
            ("各类别优秀比例上限（%）", self.quota_box),
            ("各类别排名靠后数", self.bottom_box),
        ):
            form.addRow(self.tr(label), widget)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _percent_box(value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 100)
        box.setValue(value)
        return box

    def rules(self) -> Rules:
        weight = self.weight_box.value()
        quota = self.quota_box.value()
        return Rules(
            satisfaction_weight=Decimal(weight) / 100 if weight else None,
            bonus_cap=Decimal(str(self.bonus_cap_box.value())),
            trim_from=self.trim_box.value(),
            grades=parse_grades(self.grades_edit.text()),
            top_quota=Decimal(quota) / 100 if quota else None,
            bottom_n=self.bottom_box.value(),
        )

    def accept(self) -> None:
        try:
            create_round(
                self._db,
                name=self.name_edit.text(),
                framework=self.framework_box.currentText(),
                year=self.year_box.value(),
                rules=self.rules(),
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        super().accept()
