"""The main window: page list on the left, the chosen page on the right."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.models.database import Database
from app.services.access.permissions import Permission, allowed
from app.services.changes import Changes
from app.ui.connect_dialog import location_text
from app.ui.import_actions import ImportActions
from app.ui.pages.page import Page
from app.ui.server_actions import ServerActions
from app.ui.server_listener import start_listening
from app.version_info import program_version

# (key for --page, title in the navigation, the page's module under app.ui.pages, its class,
# the permission a role needs to see it). The page is the window's attribute ``<key>_page``. Each
# page is a Page (app/ui/pages/page.py) built on the database; add a page with one line here. A
# page's module is imported when it is first shown, so the window is up before the others load.
PAGES: list[tuple[str, str, str, str, Permission | None]] = [
    ("home", QT_TRANSLATE_NOOP("MainWindow", "首页"), "home_page", "HomePage", None),
    ("results", QT_TRANSLATE_NOOP("MainWindow", "结果排名"), "results_page", "ResultsPage", None),
    ("rounds", QT_TRANSLATE_NOOP("MainWindow", "考核批次"), "rounds_page", "RoundsPage", None),
    ("scoring", QT_TRANSLATE_NOOP("MainWindow", "评分录入"), "scoring.page", "ScoringPage", None),
    (
        "evidence",
        QT_TRANSLATE_NOOP("MainWindow", "佐证材料"),
        "evidence.page",
        "EvidencePage",
        Permission.VIEW,
    ),
    ("review", QT_TRANSLATE_NOOP("MainWindow", "申辩复核"), "review.page", "ReviewPage", None),
    ("analysis", QT_TRANSLATE_NOOP("MainWindow", "分析"), "analysis.page", "AnalysisPage", None),
    (
        "frameworks",
        QT_TRANSLATE_NOOP("MainWindow", "指标体系"),
        "frameworks.page",
        "FrameworksPage",
        None,
    ),
    ("units", QT_TRANSLATE_NOOP("MainWindow", "考核对象"), "units_page", "UnitsPage", None),
    (
        "documents",
        QT_TRANSLATE_NOOP("MainWindow", "文书报告"),
        "documents.page",
        "DocumentsPage",
        Permission.DOCUMENTS,
    ),
    (
        "ledger",
        QT_TRANSLATE_NOOP("MainWindow", "整改台账"),
        "ledger.page",
        "LedgerPage",
        Permission.VIEW,
    ),
    (
        "audit",
        QT_TRANSLATE_NOOP("MainWindow", "变更记录"),
        "audit_page",
        "AuditPage",
        Permission.CHANGE_LOG,
    ),
    (
        "backups",
        QT_TRANSLATE_NOOP("MainWindow", "备份恢复"),
        "backups_page",
        "BackupsPage",
        Permission.BACKUP,
    ),
    (
        "accounts",
        QT_TRANSLATE_NOOP("MainWindow", "账户管理"),
        "accounts_page",
        "AccountsPage",
        Permission.ACCOUNTS,
    ),
]


def page_class(module: str, name: str) -> Callable[[Database], Page]:
    """The page class ``name`` of app.ui.pages.<module>, imported now."""
    return getattr(importlib.import_module(f"app.ui.pages.{module}"), name)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, db_label: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("考评 — 法治建设考核评分系统 {v}").format(v=program_version()))
        self._db_label = db_label
        self._page_keys: list[str] = []
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(140)
        self.stack = QStackedWidget()
        self.pages: list[QWidget] = []
        self._db = db
        # Pages are built when first shown: the window is up before the other pages' data
        # is read (a placeholder holds each page's place until then).
        self._unbuilt: dict[str, tuple[int, str, str]] = {}  # attribute → index, module, class
        self._stale: set[int] = set()  # built pages out of sight that a write has changed
        for key, title, module, class_name, needed in PAGES:
            if needed is not None and not allowed(needed):
                continue  # the services refuse it anyway; the page is not even shown
            self._unbuilt[f"{key}_page"] = (len(self.pages), module, class_name)
            self._add_page(key, QCoreApplication.translate("MainWindow", title), QWidget())
        self._attributes = {index: attribute for attribute, (index, *_) in self._unbuilt.items()}
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._page_chosen(0)
        self.navigation.setCurrentRow(0)
        self.navigation.currentRowChanged.connect(self._page_chosen)
        self.location = QLabel(location_text(db_label))  # 服务器 or 本机文件, always in sight
        self.statusBar().addPermanentWidget(self.location)
        self.actions = ImportActions(self, db, self.broadcast)
        self.server_actions = ServerActions(self, self.actions.menu, db)
        # On a server, the other clients' writes refresh the pages as this window's own do.
        self.listener = start_listening(db, self)
        if self.listener is not None:
            self.listener.changed.connect(self.broadcast)
        help_menu = self.menuBar().addMenu(self.tr("帮助"))
        manual = help_menu.addAction(self.tr("使用手册"))
        manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
        manual.triggered.connect(lambda: self.show_manual())
        help_menu.addAction(self.tr("常见问题")).triggered.connect(lambda: self.show_manual("faq"))
        help_menu.addAction(self.tr("关于考评…")).triggered.connect(lambda: self.show_about())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing = True  # work still running (the check at start) reports to nobody
        if self.listener is not None:
            self.listener.stop()
        super().closeEvent(event)

    def show_manual(self, section: str | None = None) -> QWidget:
        """The manual at ``section``, else at the section of the page on screen (F1)."""
        from app.ui.manual_window import show_manual

        return show_manual(self, section or self._page_keys[self.stack.currentIndex()])

    def show_about(self) -> QDialog:
        from app.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self._db_label, self)
        dialog.open()
        return dialog

    def __getattr__(self, name: str) -> QWidget:
        """``window.results_page`` and the like build their page on first use."""
        unbuilt = self.__dict__.get("_unbuilt")
        if unbuilt is not None and name in unbuilt:
            return self._build(name)
        raise AttributeError(name)

    def _build(self, attribute: str) -> QWidget:
        index, module, class_name = self._unbuilt.pop(attribute)
        page = page_class(module, class_name)(self._db)
        placeholder = self.pages[index]
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[index] = page
        setattr(self, attribute, page)
        page.changes_made.connect(lambda changes, source=page: self.broadcast(changes, source))
        if hasattr(page, "cell_requested"):  # e.g. an item of the publication check
            page.cell_requested.connect(self.show_cell)
        return page

    def broadcast(self, changes: Changes, source: QWidget | None = None) -> None:
        """A write changed ``changes``: every page that shows them reads again — now if it is on
        screen, else when next shown (a page not built yet reads when it is). The page that
        wrote has refreshed itself already."""
        current = self.stack.currentIndex()
        for index, page in enumerate(self.pages):
            if page is source or not isinstance(page, Page) or not page.affected_by(changes):
                continue
            if index == current:
                page.refresh_for(changes)
            else:
                self._stale.add(index)

    def _page_chosen(self, row: int) -> None:
        attribute = self._attributes[row]
        fresh = attribute in self._unbuilt
        if fresh:
            self._build(attribute)
        self.stack.setCurrentIndex(row)
        stale = row in self._stale
        self._stale.discard(row)
        if fresh:
            return  # just read
        page = self.pages[row]
        if stale or (isinstance(page, Page) and page.REFRESH_WHEN_SHOWN):
            page.reload()  # type: ignore[attr-defined]

    def _add_page(self, key: str, title: str, page: QWidget) -> None:
        self._page_keys.append(key)
        self.pages.append(page)
        self.navigation.addItem(title)
        self.stack.addWidget(page)

    @property
    def page_keys(self) -> list[str]:
        """The pages this user sees, in navigation order (keys as for ``--page``)."""
        return list(self._page_keys)

    def show_cell(self, round_name: str, unit: str, leaf: str) -> None:
        """The grid, at a unit's leaf (either may be "" for the whole row or column)."""
        self.show_page("scoring")
        self.scoring_page.show_cell(round_name, unit or None, leaf or None)

    def show_page(self, key: str) -> None:
        if key not in self._page_keys:
            known = "、".join(self._page_keys)
            raise ValueError(f"没有页面“{key}”；可用页面：{known}")
        row = self._page_keys.index(key)
        attribute = self._attributes[row]
        if attribute not in self._unbuilt:
            self.navigation.setCurrentRow(row)  # _page_chosen refreshes what may have moved on
            return
        self._build(attribute)  # here, so a page that cannot load raises to the caller
        blocked = self.navigation.blockSignals(True)  # just built: nothing to read again
        self.navigation.setCurrentRow(row)
        self.navigation.blockSignals(blocked)
        self.stack.setCurrentIndex(row)
