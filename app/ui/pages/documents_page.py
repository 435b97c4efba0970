"""文书报告: issue 整改通知书/督办函 (preview, batch with progress and cancel), the issued
notices and their withdrawal, the 考核结果通报, the office's wording, and the fonts in use."""

from __future__ import annotations

import base64
import tempfile
from dataclasses import fields
from datetime import date
from pathlib import Path

from PySide6.QtGui import QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.services.publishing import notices
from app.services.publishing.office_settings import (
    PLACEHOLDERS,
    DocumentSettings,
    load_document_settings,
    save_document_settings,
    seal_from_file,
)
from app.services.review.findings import round_findings
from app.services.rounds.definition import list_rounds
from app.ui.itemmodels.notices_table_model import NoticesTableModel
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.pages.charts_panel import ChartsPanel
from app.ui.status_line import StatusLine
from app.ui.tasks import run_with_progress

SELECTION_LABELS = {
    "deducted": "有扣分的单位",
    "bottom": "排名靠后的单位",
    "不合格": "等次为不合格的单位",
    "all": "全部单位",
}
TEXT_FIELDS = ("rectification_intro", "supervision_intro", "demands")
FIELD_LABELS = {
    "office_name": "发文机关（署名）",
    "file_mark": "文件格式标志",
    "letter_mark": "信函格式标志",
    "rectification_prefix": "整改通知书机关代字",
    "supervision_prefix": "督办函机关代字",
    "contact": "联系人与电话",
    "cc": "抄送",
    "plan_months": "整改方案期限（月）",
    "result_months": "完成整改期限（月）",
    "rectification_intro": "整改通知书开头段",
    "supervision_intro": "督办函开头段",
    "demands": "整改要求（每行一条）",
}


class FontsTableModel(RowsTableModel[tuple[str, str, str, str]]):
    COLUMNS = ("用途", "字体", "来源", "文件")

    def display(self, row: tuple[str, str, str, str], column: int) -> str:
        return row[column]


class DocumentsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_box = QComboBox()
        self.message = StatusLine()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("考核批次")))
        top.addWidget(self.round_box, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._issue_tab(), self.tr("印发督办函/整改通知书"))
        self.tabs.addTab(self._issued_tab(), self.tr("已印发文书"))
        self.tabs.addTab(self._report_tab(), self.tr("考核结果通报"))
        self.charts = ChartsPanel(db)
        self.tabs.addTab(self.charts, self.tr("图表"))
        self.tabs.addTab(self._settings_tab(), self.tr("文书设置"))
        self.fonts_tab = self._fonts_tab()
        self.tabs.addTab(self.fonts_tab, self.tr("字体"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.round_box.currentTextChanged.connect(self._round_chosen)
        self.selection_box.currentIndexChanged.connect(self._apply_selection)
        self.tabs.currentChanged.connect(self._tab_shown)
        self._stale = True
        self._findings: list = []
        self.reload()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def] - Qt's signature
        """The page computes results and opens fonts only when someone looks at it, so the
        program starts without paying for them."""
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.fonts_tab and self.fonts_model.rowCount() == 0:
            self.show_fonts()
        if self.tabs.widget(index) is self.charts:
            self.charts.show_round(self.round_box.currentText())

    # -- tabs ---------------------------------------------------------------------------
    def _issue_tab(self) -> QWidget:
        tab = QWidget()
        self.kind_box = QComboBox()
        self.kind_box.addItems(list(notices.KINDS))
        self.selection_box = QComboBox()
        for key, label in SELECTION_LABELS.items():
            self.selection_box.addItem(self.tr(label), key)
        self.units_model = QStandardItemModel(self)
        self.units_view = QListView()
        self.units_view.setModel(self.units_model)
        self.preview_button = QPushButton(self.tr("预览当前单位…"))
        self.issue_button = QPushButton(self.tr("印发勾选的单位…"))
        self.combined_box = QComboBox()
        self.combined_box.addItems([self.tr("同时生成合订本"), self.tr("不生成合订本")])
        form = QFormLayout()
        form.addRow(self.tr("文书类型"), self.kind_box)
        form.addRow(self.tr("选择单位"), self.selection_box)
        buttons = QHBoxLayout()
        for widget in (self.preview_button, self.issue_button, self.combined_box):
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
        layout = QVBoxLayout(tab)
        layout.addWidget(self.notices_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.withdraw_button.clicked.connect(self.withdraw)
        return tab

    def _report_tab(self) -> QWidget:
        tab = QWidget()
        self.report_number = QLineEdit()
        self.report_number.setPlaceholderText(self.tr("如 云法办〔2026〕9号，可不填"))
        self.report_button = QPushButton(self.tr("生成通报（PDF 与 Excel）…"))
        form = QFormLayout(tab)
        form.addRow(self.tr("发文字号"), self.report_number)
        about = QLabel(
            self.tr(
                "通报按文件格式印制：分类别的排名表、图表（得分排名、各类别得分分布、"
                "分领域得分率），以及各单位得分明细（每项指标的分值、得分和扣分理由，"
                "分领域小计与得分率）。同名 Excel 文件含相同的表格。"
            )
        )
        about.setWordWrap(True)
        form.addRow(about)
        self.report_preview_button = QPushButton(self.tr("预览并打印通报…"))
        self.report_preview_button.setEnabled(False)
        self.unit_sheets_button = QPushButton(self.tr("各单位得分明细（PDF 与 Excel）…"))
        self.unit_sheets_button.setToolTip(
            self.tr("每个单位一份：逐项得分、计算过程（折算、加分、满意度、最终得分的四舍五入）")
        )
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addWidget(self.report_preview_button)
        row.addWidget(self.unit_sheets_button)
        row.addStretch(1)
        form.addRow(row)
        self.report_button.clicked.connect(self.make_report)
        self.unit_sheets_button.clicked.connect(lambda: self.make_unit_sheets())
        self.report_preview_button.clicked.connect(
            lambda: self.show_preview(self.last_report, self.last_report.name)
        )
        return tab

    def _settings_tab(self) -> QWidget:
        tab = QWidget()
        self.setting_widgets: dict[str, QLineEdit | QPlainTextEdit | QSpinBox] = {}
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
            form.addRow(self.tr(FIELD_LABELS[item.name]), widget)
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
        hint = QLabel(self.tr("可用占位符：") + "、".join("{" + p + "}" for p in PLACEHOLDERS))
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
        self.save_settings_button.clicked.connect(self.save_settings)
        self.preview_wording_button.clicked.connect(self.preview_wording)
        return tab

    def _fonts_tab(self) -> QWidget:
        tab = QWidget()
        self.fonts_model = FontsTableModel(self)
        view = self.fonts_view = QTableView()
        view.setModel(self.fonts_model)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "公文字体优先使用本机 Windows 字体（方正小标宋、仿宋_GB2312、黑体、楷体、宋体）；"
                "未安装时使用程序自带的开源字体。PDF 中嵌入所用字体，缺字自动改用有该字的字体；"
                "所有字体都没有的字会在生成前提示，不会印成方框。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(view, 1)
        return tab

    # -- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        current = self.round_box.currentText()
        names = [r.name for r in list_rounds(self._db)]
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems(names)
        if current in names:
            self.round_box.setCurrentText(current)
        self.round_box.blockSignals(False)
        self._round_chosen(self.round_box.currentText())
        self.notices_model.set_rows(notices.list_notices(self._db))
        self.notices_view.resizeColumnsToContents()
        settings = load_document_settings(self._db)
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

    def show_fonts(self) -> None:
        from app.documents.fonts import ROLE_NAMES, chosen_fonts

        self.fonts_model.set_rows(
            [
                (
                    ROLE_NAMES[f.role],
                    f.family,
                    "程序自带" if f.bundled else "本机已安装",
                    str(f.path),
                )
                for f in chosen_fonts().values()
            ]
        )
        self.fonts_view.resizeColumnsToContents()

    def _round_chosen(self, name: str) -> None:
        if self._stale:
            return
        self._findings = round_findings(self._db, name)[1] if name else []
        self._apply_selection()

    def _apply_selection(self) -> None:
        from PySide6.QtCore import Qt

        key = self.selection_box.currentData()
        chosen = {f.unit for f in notices.select_units(self._findings, key)} if key else set()
        self.units_model.clear()
        for found in self._findings:
            lost = f"，扣分 {len(found.findings)} 项" if found.findings else ""
            item = QStandardItem(f"{found.unit}（{found.grade} {found.final:.2f}{lost}）")
            item.setData(found.unit, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if found.unit in chosen else Qt.CheckState.Unchecked
            )
            self.units_model.appendRow(item)

    def checked_units(self) -> list[str]:
        from PySide6.QtCore import Qt

        return [
            self.units_model.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.units_model.rowCount())
            if self.units_model.item(row).checkState() == Qt.CheckState.Checked
        ]

    # -- actions ------------------------------------------------------------------------
    def preview(self) -> None:
        from PySide6.QtCore import Qt

        index = self.units_view.currentIndex()
        units = [index.data(Qt.ItemDataRole.UserRole)] if index.isValid() else self.checked_units()
        if not units:
            self.message.say(self.tr("请先选择一个单位"), error=True)
            return
        out = Path(tempfile.mkdtemp(prefix="kaoping-")) / f"预览-{file_part(units[0])}.pdf"
        try:
            notices.preview_notice(
                self._db, self.round_box.currentText(), units[0], self.kind_box.currentText(), out
            )
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.show_preview(out, self.tr("{unit}（未编号、未登记）").format(unit=units[0]))

    def show_preview(self, path: Path, title: str) -> None:
        """The PDF in the window, page by page, with printing."""
        from app.ui.pages.documents_preview_dialog import DocumentPreviewDialog

        self.last_preview = path
        self.preview_dialog = DocumentPreviewDialog(path, title, self)
        self.preview_dialog.show()
        self.message.say(self.tr("预览：{path}").format(path=path))

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
            ),
            lambda issued: self._issued(issued, len(units), folder),
            self._failed,
        )

    def _issued(self, issued: list, wanted: int, folder: str) -> None:
        self.reload()
        stopped = "" if len(issued) == wanted else self.tr("（已取消，其余未印发）")
        self.message.say(
            self.tr("已印发 {n} 份，保存在 {folder}{stopped}").format(
                n=len(issued), folder=folder, stopped=stopped
            )
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
            notices.withdraw_notice(self._db, notice.number, reason)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.message.say(self.tr("已撤回 {n}").format(n=notice.number))

    def make_report(self, path: str | None = None) -> None:
        from app.services.publishing.reports import write_report

        round_name = self.round_box.currentText()
        if not round_name:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("保存通报"),
                f"{file_part(round_name)}结果通报.pdf",
                self.tr("PDF 文件 (*.pdf)"),
            )[0]
        )
        if not path:
            return
        pdf = Path(path)
        xlsx = pdf.with_suffix(".xlsx")
        number = self.report_number.text().strip()
        self.progress = run_with_progress(
            self,
            self.tr("生成通报"),
            lambda progress, cancelled: write_report(
                self._db, round_name, pdf, xlsx, number=number, progress=progress
            ),
            self._report_written,
            self._failed,
        )

    def make_unit_sheets(self, folder: str | None = None) -> None:
        """One score sheet per unit with its whole calculation, to send to the units."""
        from app.services.publishing.unit_sheets import write_unit_sheets

        round_name = self.round_box.currentText()
        if not round_name:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("得分明细保存到"))
        if not folder:
            return
        self.progress = run_with_progress(
            self,
            self.tr("生成各单位得分明细"),
            lambda progress, cancelled: write_unit_sheets(
                self._db, round_name, folder, progress=progress, cancelled=cancelled
            ),
            lambda written: self.message.say(
                self.tr("已生成 {n} 个文件到 {f}").format(n=len(written), f=folder)
            ),
            self._failed,
        )

    def _report_written(self, written: list[Path]) -> None:
        self.last_report = written[0]
        self.report_preview_button.setEnabled(True)
        self.message.say(self.tr("已生成 {files}").format(files="、".join(str(p) for p in written)))

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
            save_document_settings(self._db, self.edited_settings())
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.message.say(self.tr("文书设置已保存"))

    def _failed(self, error: Exception) -> None:
        self.message.refused(error)
