"""登记申辩: the dialog where the office records a unit's objection (the unit, the leaf, the
reason and the score asked for). Kept apart from the page because it is a dialog of its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.review.objections import ObjectionChoices


def as_decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        raise UserError(
            QCoreApplication.translate("ObjectionDialog", "“{text}”不是数字").format(text=text)
        ) from None


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
            text = self.tr("{code} {name}（{points}分）").format(
                code=code, name=name, points=f"{points.normalize():f}"
            )
            self.leaf.addItem(text, code)
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
            "requested": as_decimal(self.requested.text()),
        }
