"""登记 Word 模板: a template the office designed in Word or WPS, before it is registered — every
placeholder found, each known one with what it holds and each unknown one refused by name; a
sample filled with the current round's data (or Kaoping's example) shown as text, saved as a
.docx and opened in Word/WPS. Also shows a registered template (no 登记 then)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.publishing.template_samples import TemplateSample, sample
from app.services.publishing.word_templates import (
    KINDS,
    TemplateCheck,
    placeholder_meanings,
    register_template,
)
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.open_externally import open_externally
from app.ui.status_line import ERROR_COLOUR, StatusLine
from app.ui.tasks import run_task

Placeholder = tuple[str, bool, str]  # name, known, what it holds


class PlaceholdersModel(RowsTableModel[Placeholder]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "占位符"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "填写内容"),
    )

    def display(self, row: Placeholder, column: int) -> str:
        name, known, meaning = row
        if column == 0:
            return "{{ " + name + " }}"
        if column == 1:
            return self.tr("可用") if known else self.tr("未知，不能登记")
        return meaning

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def] - Qt's signature
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row())
            if row is not None and not row[1]:
                return QColor(ERROR_COLOUR)
        return super().data(index, role)


class TemplateDialog(QDialog):
    registered = Signal(object)  # Changes, once the template is in 文书设置

    def __init__(
        self,
        db: Database,
        checked: TemplateCheck,
        path: Path | None,
        round_name: str,
        kind: str = KINDS[0],
        parent: QWidget | None = None,
    ) -> None:
        """``path``: the file to register; None shows a template already registered."""
        super().__init__(parent)
        self._db, self.checked, self.path, self.round_name = db, checked, path, round_name
        self.sample_made: TemplateSample | None = None
        self.setWindowTitle(self.tr("登记 Word 模板") if path is not None else self.tr("Word 模板"))
        self.kind_box = QComboBox()
        self.kind_box.addItems(list(KINDS))
        self.kind_box.setCurrentText(kind)
        self.kind_box.setEnabled(path is not None)
        self.model = PlaceholdersModel(self)
        self.view = view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.verdict = StatusLine()
        self.sample_text = QPlainTextEdit()
        self.sample_text.setReadOnly(True)
        self.sample_text.setPlaceholderText(self.tr("点“生成样例”用本批次的数据填写模板"))
        self.sample_label = QLabel()
        self.sample_button = QPushButton(self.tr("生成样例"))
        self.save_sample_button = QPushButton(self.tr("另存样例…"))
        self.open_sample_button = QPushButton(self.tr("用 Word/WPS 打开样例"))
        self.register_button = QPushButton(self.tr("登记"))
        close_button = QPushButton(self.tr("关闭"))
        for button in (self.sample_button, self.save_sample_button, self.open_sample_button):
            button.setAutoDefault(False)  # Enter never makes or saves a sample by itself
        close_button.setAutoDefault(False)
        self.register_button.setVisible(path is not None)
        self._show_check(checked.for_kind(kind))
        form = QFormLayout()
        form.addRow(self.tr("模板文件"), QLabel(checked.name))
        form.addRow(self.tr("文书类型"), self.kind_box)
        samples = QHBoxLayout()
        for button in (self.sample_button, self.save_sample_button, self.open_sample_button):
            samples.addWidget(button)
        samples.addWidget(self.sample_label, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("模板中的占位符：")))
        layout.addWidget(view, 2)
        layout.addWidget(self.verdict)
        layout.addLayout(samples)
        layout.addWidget(self.sample_text, 2)
        layout.addLayout(buttons)
        self.resize(760, 640)
        self.sample_button.clicked.connect(self.make_sample)
        self.save_sample_button.clicked.connect(lambda: self.save_sample())
        self.open_sample_button.clicked.connect(
            lambda: self.sample_made and open_externally(self.sample_made.path)
        )
        self.register_button.clicked.connect(self.register)
        close_button.clicked.connect(self.reject)
        self.kind_box.currentTextChanged.connect(
            lambda chosen: self._show_check(self.checked.for_kind(chosen))
        )

    def _show_check(self, checked: TemplateCheck) -> None:
        """The placeholders as checked for the chosen kind (a 通报 has its ranking where a
        notice has its findings), and what may be done with the template."""
        self.checked = checked
        self.sample_made = None  # a sample of the other kind no longer says anything
        self.sample_text.clear()
        self.sample_label.clear()
        self.save_sample_button.setEnabled(False)
        self.open_sample_button.setEnabled(False)
        meanings = placeholder_meanings(checked.kind)
        self.model.set_rows(
            [(name, name in meanings, meanings.get(name, "")) for name in checked.found]
        )
        self.view.resizeColumnsToContents()
        self.view.resizeRowsToContents()
        if checked.unknown:
            self.verdict.say(checked.refusal(), error=True)
        elif not checked.found:
            self.verdict.say(
                self.tr("模板中没有占位符：登记后每份 Word 副本都与模板相同"), error=True
            )
        else:
            self.verdict.say(self.tr("共 {n} 个占位符，均可使用").format(n=len(checked.found)))
        self.sample_button.setEnabled(checked.usable)
        usable = self.path is not None and checked.usable
        self.register_button.setEnabled(usable)
        self.register_button.setDefault(usable)

    def make_sample(self) -> None:
        """Filled off the GUI thread: the round's results are computed for it."""
        self.sample_button.setEnabled(False)
        self.sample_label.setText(self.tr("正在生成样例…"))
        out = Path(tempfile.mkdtemp(prefix="kaoping-")) / f"样例-{self.checked.name}"
        kind, data = self.kind_box.currentText(), self.checked.data
        run_task(
            lambda: sample(self._db, kind, self.round_name, out.with_suffix(".docx"), data),
            self._sample_made,
            self._sample_failed,
        )

    def _sample_made(self, made: TemplateSample) -> None:
        self.sample_made = made
        self.sample_text.setPlainText("\n".join(made.lines))
        self.sample_label.setText(self.tr("样例数据：{source}").format(source=made.source))
        for button in (self.sample_button, self.save_sample_button, self.open_sample_button):
            button.setEnabled(True)

    def _sample_failed(self, error: Exception) -> None:
        self.sample_button.setEnabled(True)
        self.sample_label.setText("")
        self.verdict.refused(error)

    def save_sample(self, path: str | None = None) -> None:
        if self.sample_made is None:
            return
        path = (
            path
            or QFileDialog.getSaveFileName(
                self, self.tr("另存样例"), self.sample_made.path.name, self.tr("Word 文档 (*.docx)")
            )[0]
        )
        if not path:
            return
        target = Path(path).with_suffix(".docx")
        try:
            shutil.copyfile(self.sample_made.path, target)
        except OSError as error:
            self.verdict.say(
                self.tr("无法保存到 {path}：{why}").format(path=target, why=error.strerror),
                error=True,
            )
            return
        self.sample_label.setText(self.tr("样例已保存到 {path}").format(path=target))

    def register(self) -> None:
        """Once: a second click (a double-click) finds the button already disabled."""
        if self.path is None or not self.register_button.isEnabled():
            return
        self.register_button.setEnabled(False)
        try:
            changes = register_template(self._db, self.kind_box.currentText(), self.path)
        except UserError as error:
            self.verdict.say(str(error), error=True)
            return
        self.registered.emit(changes)
        self.accept()
