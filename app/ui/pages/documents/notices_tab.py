"""The 文书报告 page's notice tabs: choose units and issue 整改通知书/督办函 (preview, a batch
with progress and cancel), and the issued notices with their withdrawal. Kept apart from the
page because choosing, numbering and withdrawing notices is a job of its own."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.services.changes import all_changes
from app.services.publishing import notice_register, notices
from app.ui.itemmodels.notices_table_model import NoticesTableModel
from app.ui.pages.documents.formats import FormatBox
from app.ui.status_line import StatusLine
from app.ui.tasks import run_with_progress


class NoticesTab:
    """Mixed into DocumentsPage (a QWidget): builds the two tabs and acts on them."""

    _db: Database
    _findings: list[Any]
    _settled: frozenset[str]
    round_box: QComboBox
    format_box: FormatBox
    message: StatusLine

    def _issue_tab(self) -> QWidget:
        tab = QWidget()
        self.kind_box = QComboBox()
        self.kind_box.addItems(list(notices.KINDS))
        self.selection_box = QComboBox()
        for key, label in (
            ("deducted", self.tr("有扣分的单位")),
            ("bottom", self.tr("排名靠后的单位")),
            ("不合格", self.tr("等次为不合格的单位")),
            ("all", self.tr("全部单位")),
        ):
            self.selection_box.addItem(label, key)
        self.units_model = QStandardItemModel(self)
        self.units_view = QListView()
        self.units_view.setModel(self.units_model)
        self.preview_button = QPushButton(self.tr("预览当前单位…"))
        self.preview_word_button = QPushButton(self.tr("当前单位另存为 Word…"))
        self.preview_word_button.setToolTip(
            self.tr("与预览相同的文书（未编号、未登记），保存为可编辑的 .docx")
        )
        self.issue_button = QPushButton(self.tr("印发勾选的单位…"))
        self.combined_box = QComboBox()
        self.combined_box.addItems([self.tr("同时生成合订本"), self.tr("不生成合订本")])
        form = QFormLayout()
        form.addRow(self.tr("文书类型"), self.kind_box)
        form.addRow(self.tr("选择单位"), self.selection_box)
        buttons = QHBoxLayout()
        for widget in (
            self.preview_button,
            self.preview_word_button,
            self.issue_button,
            self.combined_box,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        note = QLabel(
            self.tr(
                "每份文书单独编号（机关代字〔年份〕序号），印发后登记文号与文件摘要，"
                "不能修改，只能撤回；撤回的文号不再使用。整改期限按成文日期起算的自然月计算。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.units_view, 1)
        layout.addLayout(buttons)
        self.preview_button.clicked.connect(self.preview)
        self.preview_word_button.clicked.connect(lambda: self.preview_as_word())
        self.issue_button.clicked.connect(self.issue)
        return tab

    def _issued_tab(self) -> QWidget:
        tab = QWidget()
        self.notices_model = NoticesTableModel(self)
        self.notices_view = QTableView()
        self.notices_view.setModel(self.notices_model)
        self.notices_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notices_view.verticalHeader().setVisible(False)
        self.notices_view.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.withdraw_button = QPushButton(self.tr("撤回所选…"))
        self.issued_word_button = QPushButton(self.tr("所选另存为 Word…"))
        self.issued_word_button.setToolTip(
            self.tr("按印发时保存的全文重新生成可编辑副本：文号、校验码、措辞与 PDF 相同")
        )
        layout = QVBoxLayout(tab)
        layout.addWidget(self.notices_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.issued_word_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.issued_word_button.clicked.connect(lambda: self.issued_as_word())
        return tab

    # -- the units to write to ----------------------------------------------------------
    def _apply_selection(self) -> None:
        key = self.selection_box.currentData()
        chosen = (
            {f.unit for f in notices.select_units(self._findings, key, settled=self._settled)}
            if key
            else set()
        )
        self.units_model.clear()
        for found in self._findings:
            if found.unit in self._settled:
                text = self.tr("{unit}（{grade} {final}，扣分问题均已销号）")
            elif found.findings:
                text = self.tr("{unit}（{grade} {final}，扣分 {n} 项）")
            else:
                text = self.tr("{unit}（{grade} {final}）")
            item = QStandardItem(
                text.format(
                    unit=found.unit,
                    grade=found.grade,
                    final=f"{found.final:.2f}",
                    n=len(found.findings),
                )
            )
            item.setData(found.unit, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if found.unit in chosen else Qt.CheckState.Unchecked
            )
            self.units_model.appendRow(item)

    def checked_units(self) -> list[str]:
        return [
            self.units_model.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.units_model.rowCount())
            if self.units_model.item(row).checkState() == Qt.CheckState.Checked
        ]

    # -- actions ------------------------------------------------------------------------
    def _current_unit(self) -> str | None:
        index = self.units_view.currentIndex()
        units = [index.data(Qt.ItemDataRole.UserRole)] if index.isValid() else self.checked_units()
        if not units:
            self.message.say(self.tr("请先选择一个单位"), error=True)
            return None
        return str(units[0])

    def preview(self) -> None:
        unit = self._current_unit()
        if unit is None:
            return
        out = Path(tempfile.mkdtemp(prefix="kaoping-")) / f"预览-{file_part(unit)}.pdf"
        try:
            notices.preview_notice(
                self._db, self.round_box.currentText(), unit, self.kind_box.currentText(), out
            )
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.show_preview(out, self.tr("{unit}（未编号、未登记）").format(unit=unit))

    def preview_as_word(self, path: str | None = None) -> None:
        """The previewed notice as an editable .docx (not numbered, not recorded), written off
        the GUI thread."""
        unit = self._current_unit()
        if unit is None:
            return
        kind = self.kind_box.currentText()
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("另存为 Word"),
                f"预览-{file_part(unit)}-{kind}.docx",
                self.tr("Word 文档 (*.docx)"),
            )[0]
        )
        if not path:
            return
        out = Path(path).with_suffix(".docx")
        round_name = self.round_box.currentText()
        self.progress = run_with_progress(
            self,
            self.tr("另存为 Word"),
            lambda progress, cancelled: notices.preview_notice(
                self._db, round_name, unit, kind, out
            ),
            lambda written: self.message.say(
                self.tr("已另存为 Word（未编号、未登记）：{path}").format(path=written)
            ),
            self._failed,
        )

    def issue(self, folder: str | None = None) -> None:
        units = self.checked_units()
        if not units:
            self.message.say(self.tr("没有勾选任何单位"), error=True)
            return
        kind = self.kind_box.currentText()
        answer = QMessageBox.question(
            self,
            self.tr("印发文书"),
            self.tr("将为 {n} 个单位各印发一份{kind}，编号后不能修改。是否继续？").format(
                n=len(units), kind=kind
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("保存到文件夹"))
        if not folder:
            return
        combined = (
            Path(folder) / f"{kind}合订本-{date.today():%Y%m%d}.pdf"
            if self.combined_box.currentIndex() == 0
            else None
        )
        round_name = self.round_box.currentText()
        docx = self.format_box.wants_docx
        self.progress = run_with_progress(
            self,
            self.tr("印发{kind}").format(kind=kind),
            lambda progress, cancelled: notices.issue_notices(
                self._db,
                round_name,
                kind,
                Path(folder),
                units=units,
                combined=combined,
                progress=progress,
                cancelled=cancelled,
                docx=docx,
            ),
            lambda issued: self._issued(issued, len(units), folder),
            self._failed,
        )

    def _issued(self, issued: list, wanted: int, folder: str) -> None:
        self.reload()
        self.announce(all_changes(issued))
        stopped = "" if len(issued) == wanted else self.tr("（已取消，其余未印发）")
        copies = sum(notice.docx is not None for notice in issued)
        words = self.tr("，另存 Word 副本 {n} 份").format(n=copies) if copies else ""
        self.message.say(
            self.tr("已印发 {n} 份，保存在 {folder}{words}{stopped}").format(
                n=len(issued), folder=folder, words=words, stopped=stopped
            )
        )

    def issued_as_word(self, path: str | None = None) -> None:
        """The chosen issued notice's Word copy, made again from its record."""
        from app.services.publishing.notice_copies import issued_word_copy

        index = self.notices_view.currentIndex()
        notice = self.notices_model.row_at(index.row()) if index.isValid() else None
        if notice is None:
            self.message.say(self.tr("请先选择一份文书"), error=True)
            return
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("另存为 Word"),
                str(Path(notice.pdf_name).with_suffix(".docx")),
                self.tr("Word 文档 (*.docx)"),
            )[0]
        )
        if not path:
            return
        number = notice.number
        self.progress = run_with_progress(
            self,
            self.tr("另存为 Word"),
            lambda progress, cancelled: issued_word_copy(self._db, number, Path(path)),
            lambda written: self.message.say(
                self.tr("{number} 的 Word 副本（以 PDF 为准）：{path}").format(
                    number=number, path=written
                )
            ),
            self._failed,
        )

    def withdraw(self) -> None:
        index = self.notices_view.currentIndex()
        notice = self.notices_model.row_at(index.row()) if index.isValid() else None
        if notice is None:
            self.message.say(self.tr("请先选择一份文书"), error=True)
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("撤回文书"), self.tr("撤回 {n} 的理由：").format(n=notice.number)
        )
        if not ok:
            return
        try:
            changes = notice_register.withdraw_notice(self._db, notice.number, reason)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.announce(changes)
        self.message.say(self.tr("已撤回 {n}").format(n=notice.number))
