"""The 申辩 dialogs: 登记申辩 (the unit, the leaf, the reason and the score asked for) and 复核
(the new score and the review opinion). Each submits itself and stays open with what was typed
when the value or the service refuses it (Enter in a field used to close it and lose the input);
kept apart from the page because they are dialogs of their own."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.review.objections import ObjectionChoices
from app.ui.pages.evidence.file_picker import FilePicker


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

    def __init__(
        self,
        choices: ObjectionChoices,
        parent: QWidget | None = None,
        submit: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.outcome: Any = None  # what submit answered, once accepted
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
        self.files = FilePicker()
        self.files.setToolTip(self.tr("单位随申辩提交的材料，存入佐证材料库"))
        form.addRow(self.tr("申辩材料"), self.files)
        self.error = lay_out(self, form)
        self.resize(560, 420)

    def accept(self) -> None:
        """Submitted only when the values and the service take it; otherwise the dialog stays,
        with what was typed and why it was refused."""
        try:
            values = self.values()
            if not values["reason"].strip():
                raise UserError(self.tr("请填写申辩理由"))
            if self._submit is not None:
                self.outcome = self._submit(values)
        except UserError as refused:
            self.error.setText(str(refused))
            return
        super().accept()

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
            "files": self.files.paths(),
        }


def lay_out(dialog: QDialog, form: QFormLayout) -> QLabel:
    """The form, the line that says why a submission was refused, and OK/Cancel; the error
    line is returned for the dialog to fill."""
    error = QLabel()
    error.setStyleSheet("color: #b00020")
    error.setWordWrap(True)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return error


class ReviewDialog(QDialog):
    """复核 of one objection: accepted with the score after review, or not, each with the review
    opinion (required when not accepted: the unit is told why)."""

    def __init__(
        self,
        title: str,
        question: str,
        suggested_score: str | None,
        submit: Callable[[str, str], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.outcome: Any = None
        self.score = QLineEdit(suggested_score or "")
        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText(self.tr("复核意见（将告知单位）"))
        form = QFormLayout()
        form.addRow(QLabel(question))
        if suggested_score is not None:
            form.addRow(self.tr("复核后得分"), self.score)
        form.addRow(self.tr("复核意见"), self.opinion)
        self.error = lay_out(self, form)
        self.resize(480, 260)

    def accept(self) -> None:
        try:
            self.outcome = self._submit(self.score.text(), self.opinion.toPlainText())
        except UserError as refused:
            self.error.setText(str(refused))
            return
        super().accept()
