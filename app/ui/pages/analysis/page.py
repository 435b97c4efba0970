"""分析: for the chosen round, 与上年比较, 结果稳健性 and 评分一致性 in three tabs, each with
its sentences, tables, charts and an .xlsx export (issue 20)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.models.database import Database
from app.services.changes import Changes, Topic
from app.services.rounds.definition import list_rounds
from app.ui.pages.analysis.assessors_tab import AssessorsTab
from app.ui.pages.analysis.compare_tab import CompareTab
from app.ui.pages.analysis.robustness_tab import RobustnessTab
from app.ui.pages.page import Page


class AnalysisPage(Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.SCORES, Topic.OBJECTIONS, Topic.UNITS, Topic.ANALYSIS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(240)
        self.compare_tab = CompareTab(db)
        self.robustness_tab = RobustnessTab(db)
        self.assessors_tab = AssessorsTab(db)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compare_tab, self.tr("与上年比较"))
        self.tabs.addTab(self.robustness_tab, self.tr("结果稳健性"))
        self.tabs.addTab(self.assessors_tab, self.tr("评分一致性"))
        self.compare_tab.changes_made.connect(self.announce)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("考核批次：")))
        bar.addWidget(self.round_box)
        note = QLabel(self.tr("分析只读数据，不改变任何分数、名次和等次。"))
        note.setStyleSheet("color: #616161")
        bar.addWidget(note)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.round_box.currentTextChanged.connect(lambda _: self.show_round())
        self.reload()

    def reload(self) -> None:
        """The rounds, newest first as the list gives them; the one on screen stays."""
        self._rounds = list_rounds(self._db)
        names = [r.name for r in self._rounds]
        current = self.round_box.currentText()
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems(names)
        if current in names:
            self.round_box.setCurrentText(current)
        self.round_box.blockSignals(False)
        self.show_round()

    def show_round(self) -> None:
        name = self.round_box.currentText()
        self.compare_tab.show_round(name, self._rounds)
        self.robustness_tab.show_round(name)
        self.assessors_tab.show_round(name)

    def refresh_for(self, changes: Changes) -> None:
        """A write elsewhere: the rounds are listed again and every analysis drawn again
        from the new data (a simulation is started again only by the clerk)."""
        self.reload()
