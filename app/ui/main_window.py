"""The main window: page list on the left, the chosen page on the right."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.models.database import Database
from app.ui.import_actions import ImportActions
from app.ui.pages.frameworks_page import FrameworksPage
from app.ui.pages.results_page import ResultsPage
from app.ui.pages.rounds_page import RoundsPage
from app.ui.pages.scoring_page import ScoringPage

PAGES = {
    "results": "结果排名",
    "rounds": "考核批次",
    "scoring": "评分录入",
    "frameworks": "指标体系",
}


class MainWindow(QMainWindow):
    def __init__(self, db: Database, db_label: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("考评 — 法治建设考核评分系统"))
        self._page_keys: list[str] = []
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(140)
        self.stack = QStackedWidget()
        self.results_page = ResultsPage(db)
        self.rounds_page = RoundsPage(db)
        self.scoring_page = ScoringPage(db)
        self.frameworks_page = FrameworksPage(db)
        self._add_page("results", self.results_page)
        self._add_page("rounds", self.rounds_page)
        self._add_page("scoring", self.scoring_page)
        self._add_page("frameworks", self.frameworks_page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigation.currentRowChanged.connect(self._page_chosen)
        self.navigation.setCurrentRow(0)
        self.statusBar().showMessage(self.tr("数据库：{path}").format(path=db_label))
        self.actions = ImportActions(self, db, self.reload_pages)

    def reload_pages(self) -> None:
        """After an import or the demo: every page shows the database as it now is."""
        self.results_page.reload()
        self.rounds_page.reload()
        self.scoring_page.reload()
        self.frameworks_page.reload()

    def _page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        if self._page_keys[row] == "results":  # scores may have changed on another page
            self.results_page.show_round(self.results_page.round_box.currentText())

    def _add_page(self, key: str, page: QWidget) -> None:
        self._page_keys.append(key)
        self.navigation.addItem(self.tr(PAGES[key]))
        self.stack.addWidget(page)

    def show_page(self, key: str) -> None:
        if key not in self._page_keys:
            known = "、".join(self._page_keys)
            raise ValueError(f"没有页面“{key}”；可用页面：{known}")
        self.navigation.setCurrentRow(self._page_keys.index(key))
