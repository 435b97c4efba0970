"""本单位 Word 模板 in 文书设置: the templates registered per kind of document, registering one
(through TemplateDialog, which shows its placeholders and a sample first), looking at one
again, and removing one (logged; the Word copies go back to Kaoping's own layout)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.changes import Changes
from app.services.publishing.word_templates import (
    KINDS,
    TemplateCheck,
    WordTemplate,
    check_template,
    list_templates,
    remove_template,
)
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.pages.documents.template_dialog import TemplateDialog
from app.ui.status_line import StatusLine


class TemplatesTableModel(RowsTableModel[WordTemplate]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "文书类型"),
        QT_TRANSLATE_NOOP("RowsTableModel", "模板文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "占位符"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件摘要"),
    )

    def display(self, row: WordTemplate, column: int) -> str:
        if column == 0:
            return row.kind
        if column == 1:
            return row.name
        if column == 2:
            return "、".join(row.placeholders)
        return row.sha256[:12]


class WordTemplatesPanel(QGroupBox):
    def __init__(
        self,
        db: Database,
        round_name: Callable[[], str],
        message: StatusLine,
        announce: Callable[[Changes], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("本单位 Word 模板（红头）"))
        self._db, self._round_name, self._message, self._announce = (
            db,
            round_name,
            message,
            announce,
        )
        self.dialog: TemplateDialog | None = None
        self.model = TemplatesTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setMaximumHeight(110)
        note = QLabel(
            self.tr(
                "在 Word 或 WPS 中设计本单位的红头，在要填写处输入占位符，如 {{ 文号 }}、"
                "{{ 主送单位 }}、{{ 正文 }}；表格中每个扣分问题一行：{%tr for 问题 in 问题列表 %}。"
                "登记后，印发时另存的 Word 副本按模板填写；PDF 正本不变。"
            )
        )
        note.setWordWrap(True)
        self.register_button = QPushButton(self.tr("登记模板…"))
        self.show_button = QPushButton(self.tr("查看与样例…"))
        self.remove_button = QPushButton(self.tr("删除模板…"))
        row = QHBoxLayout()
        for button in (self.register_button, self.show_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(row)
        self.register_button.clicked.connect(lambda: self.choose_template())
        self.show_button.clicked.connect(self.show_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.doubleClicked.connect(self._open_row)

    def refresh(self) -> None:
        self.model.set_rows(list_templates(self._db))
        self.view.resizeColumnsToContents()

    def selected(self) -> WordTemplate | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def choose_template(self, path: str | None = None) -> None:
        """A .docx chosen, read and shown with its placeholders before anything is kept."""
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("选择 Word 模板"), "", self.tr("Word 文档 (*.docx)")
            )[0]
        )
        if not path:
            return
        checked = check_template(Path(path))
        if checked.problem:  # no placeholders to show: say why on the page
            self._message.say(checked.problem, error=True)
            return
        current = self.selected()
        self._open(checked, Path(path), current.kind if current else None)

    def _open_row(self, index: QModelIndex) -> None:
        self.view.setCurrentIndex(index)
        self.show_selected()

    def show_selected(self) -> None:
        template = self.selected()
        if template is None:
            self._message.say(self.tr("请先选择一个模板"), error=True)
            return
        checked = TemplateCheck(template.name, template.data, template.placeholders)
        self._open(checked, None, template.kind)

    def _open(self, checked: TemplateCheck, path: Path | None, kind: str | None) -> None:
        self.dialog = TemplateDialog(
            self._db, checked, path, self._round_name(), kind or KINDS[0], self.window()
        )
        self.dialog.registered.connect(self._registered)
        self.dialog.open()

    def _registered(self, changes: Changes) -> None:
        self.refresh()
        self._announce(changes)
        dialog = self.dialog
        if dialog is not None:
            self._message.say(
                self.tr("已登记{kind}的 Word 模板 {name}").format(
                    kind=dialog.kind_box.currentText(), name=dialog.checked.name
                )
            )

    def remove_selected(self) -> None:
        template = self.selected()
        if template is None:
            self._message.say(self.tr("请先选择一个模板"), error=True)
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除 Word 模板"),
            self.tr("删除{kind}的模板 {name}？此后 Word 副本按程序自带的版式生成。").format(
                kind=template.kind, name=template.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = remove_template(self._db, template.kind)
        except UserError as error:
            self._message.say(str(error), error=True)
            return
        self.refresh()
        self._announce(changes)
        self._message.say(self.tr("已删除{kind}的 Word 模板").format(kind=template.kind))
