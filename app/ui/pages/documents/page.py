"""文书报告: the round chosen once for all the tabs — issue 整改通知书/督办函 and withdraw them,
the 考核结果通报, charts, the office's wording and the fonts in use. The page holds the round and
the shared preview; each tab's widgets and actions live in its own module, mixed in here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.models.database import Database
from app.services.changes import Topic
from app.services.publishing import notice_register
from app.services.publishing.notice_findings import open_findings
from app.services.publishing.office_settings import load_document_settings
from app.services.rounds.definition import list_rounds
from app.ui.pages.documents.charts_panel import ChartsPanel
from app.ui.pages.documents.fonts_tab import FontsTab
from app.ui.pages.documents.formats import FormatBox
from app.ui.pages.documents.notices_tab import NoticesTab
from app.ui.pages.documents.report_tab import ReportTab
from app.ui.pages.documents.settings_tab import SettingsTab
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine


class DocumentsPage(NoticesTab, ReportTab, SettingsTab, FontsTab, Page):
    SHOWS = frozenset(
        {
            Topic.ROUNDS,
            Topic.SCORES,
            Topic.OBJECTIONS,
            Topic.NOTICES,
            Topic.SETTINGS,
            Topic.PROBLEMS,
            Topic.UNITS,
        }
    )

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_box = QComboBox()
        self.message = StatusLine()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("考核批次")))
        top.addWidget(self.round_box, 1)
        self.format_box = FormatBox()
        top.addWidget(QLabel(self.tr("批量输出")))
        top.addWidget(self.format_box)
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
        self._settled: frozenset[str] = frozenset()
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
        self.notices_model.set_rows(notice_register.list_notices(self._db))
        self.notices_view.resizeColumnsToContents()
        self.show_settings(load_document_settings(self._db))
        self.templates_panel.refresh()

    def _round_chosen(self, name: str) -> None:
        if self._stale:
            return
        # What a notice would list: the findings whose problems are not closed yet.
        found = open_findings(self._db, name) if name else None
        self._findings = found.units if found else []
        self._settled = found.settled if found else frozenset()
        self._apply_selection()
        self.show_sheet_units([f.unit for f in self._findings])

    def show_preview(self, path: Path, title: str) -> None:
        """The PDF in the window, page by page, with printing."""
        from app.ui.pages.documents.preview_dialog import DocumentPreviewDialog

        self.last_preview = path
        self.preview_dialog = DocumentPreviewDialog(path, title, self)
        self.preview_dialog.show()
        self.message.say(self.tr("预览：{path}").format(path=path))

    def _failed(self, error: Exception) -> None:
        self.message.refused(error)
