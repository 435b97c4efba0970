"""The panel beside the score grid: for the selected cell, the unit's self-score and note, its
files (the first drawn at once, any other on a click), and the assessor's word on them — 认可,
or 退回补充 with what is missing and by when — written right there."""

from __future__ import annotations

import time
from datetime import date, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.models.evidence import REVIEW_ACCEPTED, REVIEW_RETURNED
from app.services.access.permissions import Permission, allowed
from app.services.evidence.listing import PENDING, LeafEvidence, leaf_evidence
from app.services.evidence.reviews import ReviewChanged, review_evidence
from app.ui.itemmodels.evidence_models import HeldFileModel
from app.ui.pages.evidence.file_view import PDF, FileView
from app.ui.status_line import StatusLine

DEFAULT_DAYS = 14  # a sent-back item's deadline, unless the assessor sets another


class EvidencePanel(QWidget):
    changes_made = Signal(object)  # Changes of a review written here

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_id: int | None = None
        self.evidence: LeafEvidence | None = None
        self.writable = False
        self.opened_at = 0.0
        self.timings: list[float] = []  # seconds from a cell chosen to its evidence drawn
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold")
        self.own = QLabel()
        self.own.setWordWrap(True)
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_state = QLabel()
        self.review_state.setWordWrap(True)
        self.files = HeldFileModel(self)
        self.files_view = QTableView()
        self.files_view.setModel(self.files)
        self.files_view.verticalHeader().setVisible(False)
        self.files_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.files_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.files_view.setMinimumHeight(96)  # three files in sight
        self.files_view.setToolTip(self.tr("单击显示；双击用系统程序打开（临时副本）"))
        self.file_view = FileView(db)
        self.accept_button = QPushButton(self.tr("认可"))
        self.accept_button.setToolTip(self.tr("本单位本指标的佐证材料齐全、可信"))
        self.missing_edit = QLineEdit()
        self.missing_edit.setPlaceholderText(self.tr("退回补充时写明缺少的材料（必填）"))
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self._due_picked = False  # the assessor chose a date (kept when the leaf is read again)
        self.due_edit.editingFinished.connect(lambda: setattr(self, "_due_picked", True))
        self.return_button = QPushButton(self.tr("退回补充"))
        self.return_button.setToolTip(self.tr("单位下次导出的自评包中会列出缺少的材料和期限"))
        self.message = StatusLine()
        self._build_layout()
        self.files_view.selectionModel().currentRowChanged.connect(self._file_chosen)
        self.files_view.doubleClicked.connect(lambda _index: self.file_view.open_in_system())
        self.file_view.drawn.connect(self._drawn)
        self.file_view.failed.connect(lambda error: self.message.refused(error))
        self.accept_button.clicked.connect(lambda: self.review(REVIEW_ACCEPTED))
        self.return_button.clicked.connect(lambda: self.review(REVIEW_RETURNED))
        self.show_nothing(self.tr("选中评分表中的一个单元格，这里显示该单位该指标的自评和佐证材料"))

    def _build_layout(self) -> None:
        review = QHBoxLayout()
        review.addWidget(self.accept_button)
        review.addStretch(1)
        review.addWidget(QLabel(self.tr("补充期限")))
        review.addWidget(self.due_edit)
        review.addWidget(self.return_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.own)
        top_layout.addWidget(self.review_state)
        top_layout.addLayout(review)
        top_layout.addWidget(self.missing_edit)
        top_layout.addWidget(self.message)
        top_layout.addWidget(self.files_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.file_view)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- what is shown ------------------------------------------------------------------------
    def show_nothing(self, text: str) -> None:
        self.evidence = None
        self.title.setText(text)
        self.own.clear()
        self.review_state.clear()
        self.message.clear()
        self.files.set_rows([])
        self.file_view.show_file(None)
        self._enable_review()

    def show_leaf(self, round_id: int, unit: str, leaf: str, *, writable: bool) -> None:
        """The unit's evidence for the leaf, read now (a few hundredths of a second); the first
        file is drawn right after, off the GUI thread."""
        self.opened_at = time.perf_counter()
        self.round_id, self.writable = round_id, writable
        try:
            evidence = leaf_evidence(self._db, round_id, unit, leaf)
        except UserError as error:
            self.show_nothing(str(error))
            return
        self._show(evidence)

    def _show(self, evidence: LeafEvidence) -> None:
        """The leaf's evidence; the same leaf read again (another client's change) keeps what
        the assessor was typing, the date they picked and the file they were reading."""
        before = self.evidence
        same = before is not None and (before.unit, before.code) == (evidence.unit, evidence.code)
        typed = self.missing_edit.text() if same and self.missing_edit.isModified() else None
        picked = self.due_edit.date() if same and self._due_picked else None
        reading = self.files.row_at(self.files_view.currentIndex().row()) if same else None
        self.evidence = evidence
        self.message.clear()
        self.title.setText(
            self.tr("{unit}　{code} {name}（{points} 分）").format(
                unit=evidence.unit, code=evidence.code, name=evidence.name, points=evidence.points
            )
        )
        score = evidence.self_score or self.tr("未填")
        note = evidence.note or self.tr("无")
        self.own.setText(
            self.tr("单位自评：{score}　自评说明：{note}").format(score=score, note=note)
        )
        self._show_review(evidence)
        if typed is not None:
            self.missing_edit.setText(typed)
            self.missing_edit.setModified(True)
        if picked is not None:
            self.due_edit.setDate(picked)
        self._due_picked = picked is not None
        self.files.set_rows(list(evidence.files))
        if evidence.files:
            # A PDF first, when there is one: the document the self-assessment cites; the one
            # being read stays chosen when it is still there.
            first = next((i for i, f in enumerate(evidence.files) if f.kind == PDF), 0)
            kept = getattr(reading, "sha256", None)
            first = next((i for i, f in enumerate(evidence.files) if f.sha256 == kept), first)
            self.files_view.selectRow(first)  # draws it (_file_chosen)
        else:
            self.file_view.show_file(None)
            self.file_view.note.setText(self.tr("该单位未就此指标提交佐证材料"))
            self._drawn()
        self._enable_review()

    def _show_review(self, evidence: LeafEvidence) -> None:
        if evidence.review == REVIEW_RETURNED:
            due = evidence.due or date.today()
            self.review_state.setText(
                self.tr(
                    "审核：<span style='color:#b00020'>退回补充</span>　缺少：{missing}"
                    "　期限：{due}"
                ).format(missing=evidence.missing, due=due)
            )
            self.missing_edit.setText(evidence.missing)
            self.due_edit.setDate(QDate(due.year, due.month, due.day))
            return
        state = evidence.review or self.tr("无材料")
        colour = "#1b5e20" if evidence.review == REVIEW_ACCEPTED else "#0d47a1"
        self.review_state.setText(
            self.tr("审核：<span style='color:{colour}'>{state}</span>").format(
                colour=colour, state=state
            )
        )
        self.missing_edit.clear()
        due = date.today() + timedelta(days=DEFAULT_DAYS)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))

    def _enable_review(self) -> None:
        can = self.evidence is not None and self.writable and allowed(Permission.SCORE)
        for widget in (self.accept_button, self.missing_edit, self.due_edit, self.return_button):
            widget.setEnabled(can)

    def _file_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.file_view.show_file(self.files.row_at(current.row()))

    def _drawn(self) -> None:
        if self.opened_at:
            self.timings.append(time.perf_counter() - self.opened_at)
            self.opened_at = 0.0

    # --- the assessor's word ------------------------------------------------------------------
    def review(self, status: str) -> bool:
        """Write 认可 or 退回补充 for the leaf shown; a refusal is said under the buttons."""
        evidence, round_id = self.evidence, self.round_id
        if evidence is None or round_id is None:
            return False
        due = self.due_edit.date().toPython() if status == REVIEW_RETURNED else None
        missing = self.missing_edit.text() if status == REVIEW_RETURNED else ""
        try:
            shown = "" if evidence.review in ("", PENDING) else evidence.review
            changes = review_evidence(
                self._db, round_id, evidence.unit, evidence.code, status, missing, due, seen=shown
            )
        except ReviewChanged as changed:  # another reviewer's mark since: shown, not overwritten
            self.evidence = fresh = leaf_evidence(self._db, round_id, evidence.unit, evidence.code)
            self._show_review(fresh)
            self.message.say(str(changed), error=True)
            return False
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        fresh = leaf_evidence(self._db, round_id, evidence.unit, evidence.code)
        self.evidence = fresh
        self._show_review(fresh)
        self.missing_edit.setModified(False)  # written: what is shown is the review now
        self._due_picked = False
        self.message.say(
            self.tr("已记录：{status}").format(status=status)
            if changes
            else self.tr("与原审核相同，未变化"),
            error=False,
        )
        if changes:
            self.changes_made.emit(changes)
        return True
