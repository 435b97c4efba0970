"""The 文书报告 page's 文书设置 tab: the office's wording, terms and seal for its notices, saved
with the database, a preview of the wording before it is saved, and the office's Word
templates (word_templates_panel). Kept apart from the page because editing the office's
settings is a job of its own."""

from __future__ import annotations

import base64
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.publishing import notices
from app.services.publishing.office_settings import (
    PLACEHOLDERS,
    DocumentSettings,
    save_document_settings,
    seal_from_file,
)
from app.ui.pages.documents.word_templates_panel import WordTemplatesPanel
from app.ui.status_line import StatusLine

TEXT_FIELDS = ("rectification_intro", "supervision_intro", "demands")


class SettingsTab:
    """Mixed into DocumentsPage (a QWidget): builds the tab, edits and saves the settings."""

    _db: Database
    _findings: list[Any]
    round_box: QComboBox
    kind_box: QComboBox
    message: StatusLine

    def _field_labels(self) -> dict[str, str]:
        return {
            "office_name": self.tr("发文机关（署名）"),
            "file_mark": self.tr("文件格式标志"),
            "letter_mark": self.tr("信函格式标志"),
            "rectification_prefix": self.tr("整改通知书机关代字"),
            "supervision_prefix": self.tr("督办函机关代字"),
            "contact": self.tr("联系人与电话"),
            "cc": self.tr("抄送"),
            "plan_months": self.tr("整改方案期限（月）"),
            "result_months": self.tr("完成整改期限（月）"),
            "rectification_intro": self.tr("整改通知书开头段"),
            "supervision_intro": self.tr("督办函开头段"),
            "demands": self.tr("整改要求（每行一条）"),
        }

    def _settings_tab(self) -> QWidget:
        tab = QWidget()
        self.setting_widgets: dict[str, QLineEdit | QPlainTextEdit | QSpinBox] = {}
        labels = self._field_labels()
        form = QFormLayout()
        for item in fields(DocumentSettings):
            if item.name == "seal_png":
                continue  # an image, not text: its own row below
            if item.name in TEXT_FIELDS:
                widget: QLineEdit | QPlainTextEdit | QSpinBox = QPlainTextEdit()
                widget.setFixedHeight(64)
            elif item.name.endswith("months"):
                widget = QSpinBox()
                widget.setRange(1, 36)
            else:
                widget = QLineEdit()
            self.setting_widgets[item.name] = widget
            form.addRow(labels[item.name], widget)
        self._seal_png = ""
        self.seal_label = QLabel()
        choose_seal = QPushButton(self.tr("选择印章图片…"))
        choose_seal.clicked.connect(lambda: self.choose_seal())
        clear_seal = QPushButton(self.tr("不用电子印章"))
        clear_seal.clicked.connect(lambda: self._set_seal(""))
        seal_row = QHBoxLayout()
        seal_row.addWidget(self.seal_label, 1)
        seal_row.addWidget(choose_seal)
        seal_row.addWidget(clear_seal)
        form.addRow(self.tr("印章（可选）"), seal_row)
        hint = QLabel(
            self.tr("可用占位符：{names}").format(
                names="、".join("{" + p + "}" for p in PLACEHOLDERS)
            )
        )
        hint.setWordWrap(True)
        self.save_settings_button = QPushButton(self.tr("保存文书设置"))
        self.preview_wording_button = QPushButton(self.tr("按当前措辞预览…"))
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.save_settings_button)
        row.addWidget(self.preview_wording_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.templates_panel = WordTemplatesPanel(
            self._db, self.round_box.currentText, self.message, self.announce
        )
        layout.addWidget(self.templates_panel)
        self.save_settings_button.clicked.connect(self.save_settings)
        self.preview_wording_button.clicked.connect(self.preview_wording)
        return tab

    def show_settings(self, settings: DocumentSettings) -> None:
        for name, widget in self.setting_widgets.items():
            value = getattr(settings, name)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            else:
                widget.setText(str(value))
        self._set_seal(settings.seal_png)

    def choose_seal(self, path: str | None = None) -> None:
        """A PNG with a transparent background, placed over the 署名 and date; kept in the
        database (with its backups), so it works on every PC that opens the file."""
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("选择印章图片"), "", self.tr("PNG 图片 (*.png)")
            )[0]
        )
        if not path:
            return
        try:
            self._set_seal(seal_from_file(path))
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.message.say(self.tr("已选印章图片；点“保存文书设置”后生效"))

    def _set_seal(self, encoded: str) -> None:
        self._seal_png = encoded
        if not encoded:
            self.seal_label.setPixmap(QPixmap())
            self.seal_label.setText(self.tr("未设置：印发后手工盖章"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(base64.b64decode(encoded), "PNG")
        self.seal_label.setPixmap(pixmap.scaledToHeight(48))

    def preview_wording(self) -> None:
        """The wording being edited, shown on a notice to the first chosen unit, unsaved."""
        units = self.checked_units() or [f.unit for f in self._findings if f.findings]
        if not units:
            self.message.say(self.tr("本批次没有可用于预览的单位"), error=True)
            return
        kind = self.kind_box.currentText()
        out = Path(tempfile.mkdtemp(prefix="kaoping-")) / f"措辞预览-{kind}.pdf"
        try:
            notices.preview_notice(
                self._db,
                self.round_box.currentText(),
                units[0],
                kind,
                out,
                settings=self.edited_settings(),
            )
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.show_preview(out, self.tr("措辞预览（未保存）"))

    def edited_settings(self) -> DocumentSettings:
        values: dict[str, object] = {}
        for name, widget in self.setting_widgets.items():
            if isinstance(widget, QSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText().strip()
            else:
                values[name] = widget.text().strip()
        values["seal_png"] = self._seal_png
        return DocumentSettings(**values)  # type: ignore[arg-type]

    def save_settings(self) -> None:
        try:
            changes = save_document_settings(self._db, self.edited_settings())
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.announce(changes)
        self.message.say(self.tr("文书设置已保存"))
