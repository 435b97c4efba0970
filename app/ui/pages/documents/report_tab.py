"""The 文书报告 page's 考核结果通报 tab: the 通报 (PDF and Excel) and its 附件 of score sheets
bound apart, off the GUI thread, with their page counts shown before the clerk confirms and
the 通报's preview; and each unit's score sheet. Kept apart from the page because writing the
round's reports is a job of its own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.ui.pages.documents.formats import FormatBox
from app.ui.status_line import StatusLine
from app.ui.tasks import run_with_progress

if TYPE_CHECKING:  # the services load reportlab: only when a report is made
    from app.services.publishing.reports import ReportPages


class ReportTab:
    """Mixed into DocumentsPage (a QWidget): builds the tab and writes the reports."""

    _db: Database
    round_box: QComboBox
    format_box: FormatBox
    message: StatusLine

    def _report_tab(self) -> QWidget:
        tab = QWidget()
        self.report_number = QLineEdit()
        self.report_number.setPlaceholderText(self.tr("如 云法办〔2026〕9号，可不填"))
        self.report_button = QPushButton(self.tr("生成通报（PDF 与 Excel）…"))
        form = QFormLayout(tab)
        form.addRow(self.tr("发文字号"), self.report_number)
        about = QLabel(
            self.tr(
                "通报按文件格式印制：分类别的排名表，附件1 图表（按类别的得分排名、"
                "各类别得分分布、分领域得分率）。附件2 各单位得分明细（每项指标的分值、"
                "得分和扣分理由，分领域小计与得分率）另册印制为单独的 PDF：每个单位从新的"
                "一页起，带目录和书签，可按单位打印。同名 Excel 文件含相同的表格。"
            )
        )
        about.setWordWrap(True)
        form.addRow(about)
        self.reliability_box = QCheckBox(self.tr("附上“结果可靠性与评分一致性说明”"))
        self.reliability_box.setToolTip(
            self.tr(
                "作为附件2：1000 次模拟下的名次区间和名次敏感的单位、各考核组评分宽严和一致性"
                "系数 α，附图表（与“分析”页相同）；各单位得分明细改为附件3。"
            )
        )
        form.addRow(self.reliability_box)
        self.report_pages_label = QLabel(self.tr("生成前先计算页数，确认后再生成。"))
        self.report_pages_label.setWordWrap(True)
        form.addRow(self.tr("页数"), self.report_pages_label)
        self.report_preview_button = QPushButton(self.tr("预览并打印通报…"))
        self.report_preview_button.setEnabled(False)
        self.report_word_button = QPushButton(self.tr("通报另存为 Word…"))
        self.report_word_button.setToolTip(
            self.tr("与 PDF 相同的通报（文号、校验码相同），保存为可编辑的 .docx，以 PDF 为准")
        )
        self.unit_sheets_button = QPushButton(self.tr("各单位得分明细…"))
        self.unit_sheets_button.setToolTip(
            self.tr(
                "每个单位一份：逐项得分、计算过程（折算、加分、满意度、最终得分的四舍五入）；"
                "按“批量输出”生成 PDF 和/或 Word，并生成 Excel"
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addWidget(self.report_preview_button)
        row.addWidget(self.report_word_button)
        row.addStretch(1)
        form.addRow(row)
        self.sheet_unit_box = QComboBox()
        self.unit_sheet_pdf_button = QPushButton(self.tr("该单位 PDF…"))
        self.unit_sheet_word_button = QPushButton(self.tr("该单位另存为 Word…"))
        sheets = QHBoxLayout()
        sheets.addWidget(self.unit_sheets_button)
        sheets.addWidget(QLabel(self.tr("单个单位")))
        sheets.addWidget(self.sheet_unit_box, 1)
        sheets.addWidget(self.unit_sheet_pdf_button)
        sheets.addWidget(self.unit_sheet_word_button)
        form.addRow(self.tr("得分明细"), sheets)
        self.report_button.clicked.connect(self.make_report)
        self.report_word_button.clicked.connect(lambda: self.report_as_word())
        self.unit_sheets_button.clicked.connect(lambda: self.make_unit_sheets())
        self.unit_sheet_pdf_button.clicked.connect(lambda: self.save_unit_sheet(".pdf"))
        self.unit_sheet_word_button.clicked.connect(lambda: self.save_unit_sheet(".docx"))
        self.report_preview_button.clicked.connect(
            lambda: self.show_preview(self.last_report, self.last_report.name)
        )
        return tab

    def make_report(self, path: str | None = None) -> None:
        """Count the pages first (off the GUI thread), show them, and write on confirmation."""
        from app.services.publishing.reports import report_pages

        round_name = self.round_box.currentText()
        if not round_name:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        number = self.report_number.text().strip()
        reliability = self.reliability_box.isChecked()
        self.progress = run_with_progress(
            self,
            self.tr("计算通报页数"),
            lambda progress, cancelled: report_pages(
                self._db, round_name, number, reliability=reliability
            ),
            lambda pages: self._confirm_report(round_name, number, pages, path),
            self._failed,
        )

    def _confirm_report(
        self, round_name: str, number: str, pages: ReportPages, path: str | None
    ) -> None:
        from app.services.publishing.document_numbers import claim_report_number
        from app.services.publishing.report_annex import default_annex_path
        from app.services.publishing.reports import write_report

        counted = self.tr(
            "通报 {report} 页（排名表与图表）；附件 {annex} 页（各单位得分明细，另册）"
        ).format(report=pages.report, annex=pages.annex)
        self.report_pages_label.setText(counted)
        answer = QMessageBox.question(
            self,
            self.tr("生成通报"),
            self.tr("{counted}。是否生成？").format(counted=counted),
        )
        if answer != QMessageBox.StandardButton.Yes:
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
        number = self.report_number.text().strip()
        try:  # a 文号 another document has is refused here, before anything is written
            self.announce(claim_report_number(self._db, round_name, number).changes)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        pdf = Path(path)
        reliability = self.reliability_box.isChecked()
        xlsx, annex = pdf.with_suffix(".xlsx"), default_annex_path(pdf, reliability)
        docx = self.format_box.wants_docx  # the 通报 is always a PDF: it is the record
        self.progress = run_with_progress(
            self,
            self.tr("生成通报"),
            lambda progress, cancelled: write_report(
                self._db,
                round_name,
                pdf,
                xlsx,
                annex=annex,
                number=number,
                progress=progress,
                reliability=reliability,
                docx=docx,
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
        pdf, docx = self.format_box.wants_pdf, self.format_box.wants_docx
        self.progress = run_with_progress(
            self,
            self.tr("生成各单位得分明细"),
            lambda progress, cancelled: write_unit_sheets(
                self._db,
                round_name,
                folder,
                pdf=pdf,
                docx=docx,
                progress=progress,
                cancelled=cancelled,
            ),
            lambda written: self.message.say(
                self.tr("已生成 {n} 个文件到 {f}").format(n=len(written), f=folder)
            ),
            self._failed,
        )

    def report_as_word(self, path: str | None = None) -> None:
        """The 通报 as an editable .docx on its own: its 文号 is claimed as the PDF's would be,
        and its check code is the PDF's."""
        from app.services.publishing.report_word import write_report_docx

        round_name = self.round_box.currentText()
        if not round_name:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("通报另存为 Word"),
                f"{file_part(round_name)}结果通报.docx",
                self.tr("Word 文档 (*.docx)"),
            )[0]
        )
        if not path:
            return
        number = self.report_number.text().strip()
        self.progress = run_with_progress(
            self,
            self.tr("通报另存为 Word"),
            lambda progress, cancelled: write_report_docx(
                self._db, round_name, Path(path), number=number
            ),
            lambda written: self.message.say(self.tr("已另存为 Word：{path}").format(path=written)),
            self._failed,
        )

    def show_sheet_units(self, units: list[str]) -> None:
        current = self.sheet_unit_box.currentText()
        self.sheet_unit_box.clear()
        self.sheet_unit_box.addItems(units)
        if current in units:
            self.sheet_unit_box.setCurrentText(current)

    def save_unit_sheet(self, suffix: str, path: str | None = None) -> None:
        """One unit's score sheet as PDF or Word, where the clerk names it."""
        from app.services.publishing.unit_sheets import save_unit_sheet

        round_name, unit = self.round_box.currentText(), self.sheet_unit_box.currentText()
        if not round_name or not unit:
            self.message.say(self.tr("请先选择一个单位"), error=True)
            return
        kinds = self.tr("Word 文档 (*.docx)") if suffix == ".docx" else self.tr("PDF 文件 (*.pdf)")
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("保存得分明细"),
                f"{file_part(unit)}得分明细{suffix}",
                kinds,
            )[0]
        )
        if not path:
            return
        out = Path(path).with_suffix(suffix)
        self.progress = run_with_progress(
            self,
            self.tr("生成得分明细"),
            lambda progress, cancelled: save_unit_sheet(self._db, round_name, unit, out),
            lambda written: self.message.say(self.tr("已保存 {path}").format(path=written)),
            self._failed,
        )

    def _report_written(self, written: list[Path]) -> None:
        self.last_report = written[0]
        self.report_preview_button.setEnabled(True)
        self.message.say(self.tr("已生成 {files}").format(files="、".join(str(p) for p in written)))
