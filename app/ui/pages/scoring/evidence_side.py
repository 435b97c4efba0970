"""The score grid's evidence: cells with evidence marked (their review's colour), and the panel
beside the grid showing the selected cell's self-assessment and files, where the assessor
marks them 认可 or 退回补充. Mixed into the scoring page, like its filters and editing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QCheckBox

from app.models.enums import RoundStatus
from app.services.changes import Changes, Topic
from app.services.evidence.overview import cell_marks
from app.ui.pages.evidence.panel import EvidencePanel

if TYPE_CHECKING:
    from app.ui.pages.scoring.page import ScoringPage

SETTLE_MS = 60  # arrow keys held down: the panel reads the cell the clerk stops on


class EvidenceSide:
    def build_evidence_side(self: ScoringPage) -> None:
        self.evidence_panel = EvidencePanel(self._db)
        self.evidence_box = QCheckBox(self.tr("佐证材料"))
        self.evidence_box.setToolTip(self.tr("在评分表旁显示所选单元格的自评和佐证材料"))
        self.evidence_box.setChecked(True)
        self.evidence_box.toggled.connect(self._evidence_toggled)
        self._evidence_timer = QTimer(self)
        self._evidence_timer.setSingleShot(True)
        self._evidence_timer.setInterval(SETTLE_MS)
        self._evidence_timer.timeout.connect(self.open_evidence)
        self.evidence_panel.changes_made.connect(self._evidence_reviewed)

    def show_marks(self: ScoringPage) -> None:
        if self.grid is not None:
            self.model.set_marks(cell_marks(self._db, self.grid.round_id))

    def _evidence_toggled(self: ScoringPage, shown: bool) -> None:
        self.evidence_panel.setVisible(shown)
        if shown:
            self.open_evidence()

    def evidence_cell_changed(self: ScoringPage, _current: QModelIndex, _old: QModelIndex) -> None:
        if self.evidence_panel.isVisible():
            self._evidence_timer.start()

    def open_evidence(self: ScoringPage) -> None:
        """The current cell's evidence into the panel, now."""
        self._evidence_timer.stop()
        index = self.view.currentIndex()
        leaf, unit = self.model.leaf_at(index), self.model.unit_at(index)
        if self.grid is None or leaf is None or unit is None:
            self.evidence_panel.show_nothing(
                self.tr("选中评分表中的一个单元格，这里显示该单位该指标的自评和佐证材料")
            )
            return
        if not self.grid.applies(leaf, unit):
            self.evidence_panel.show_nothing(
                self.tr("{unit} 不适用指标 {code}").format(unit=unit.short_name, code=leaf.code)
            )
            return
        writable = self.grid.status != RoundStatus.PUBLISHED
        self.evidence_panel.show_leaf(self.grid.round_id, unit.name, leaf.code, writable=writable)

    def _evidence_reviewed(self: ScoringPage, changes: Changes) -> None:
        self.show_marks()
        self.announce(changes)

    def refresh_evidence(self: ScoringPage, changes: Changes) -> bool:
        """Another page or client changed only evidence: the marks and the panel read again,
        the grid is kept. False when the changes touch more than that."""
        if changes.topics - {Topic.EVIDENCE, Topic.CHANGE_LOG}:
            return False
        self.show_marks()
        if self.evidence_panel.isVisible():
            self.open_evidence()
        return True
