"""评分录入: type or paste scores into the grid; the ranking beside it follows every edit.

The round is read once; after that an edit writes its cells and updates the in-memory results
of the one unit it touched (app.scoring.incremental), so ranks follow in milliseconds. The page
builds the widgets, loads the round and keeps the ranking and progress; the filters
(filters.py) and the editing (editing.py) live in their own modules, mixed in here.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.errors import UserError
from app.models.database import Database
from app.services.access.permissions import Permission, allowed
from app.services.changes import Changes, Topic
from app.services.entry.grid import GridData, load_grid, read_cells
from app.services.entry.grid_summary import Progress
from app.services.entry.missing_reasons import waiting_for_reason
from app.services.rounds.definition import PUBLISHED, list_rounds
from app.ui.itemmodels.ranking_table_model import (
    FINAL,
    GRADE,
    OBJECT_ROLE,
    RANK,
    UNIT,
    RankingTableModel,
)
from app.ui.itemmodels.score_grid_model import ALL_ASSESSORS, NAME, ScoreGridModel
from app.ui.pages.page import Page
from app.ui.pages.scoring.editing import ScoreEditing
from app.ui.pages.scoring.evidence_side import EvidenceSide
from app.ui.pages.scoring.filters import GridFilters
from app.ui.pages.scoring.frozen_view import FrozenColumnsView
from app.ui.pages.scoring.reason_prompt import ReasonPrompt
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation


class ScoringPage(GridFilters, ScoreEditing, EvidenceSide, Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.SCORES, Topic.OBJECTIONS, Topic.UNITS, Topic.EVIDENCE})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.grid: GridData | None = None
        self.undo_stack = QUndoStack(self)
        self._finish_timer = QTimer(self)  # owned by the page: never fires after it is gone
        self._finish_timer.setSingleShot(True)
        self._finish_timer.timeout.connect(self.finish_loading)
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(220)
        self.assessor_box = QComboBox()
        self.assessor_box.setMinimumWidth(130)
        self.area_box = QComboBox()
        self.area_box.setMinimumWidth(130)
        self.category_box = QComboBox()
        self.category_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.category_box.setMinimumContentsLength(8)  # long unit names must not widen the bar
        self.assigned_only = QCheckBox(self.tr("只看分工"))
        self.unscored_only = QCheckBox(self.tr("只看未评"))
        self.disagreement_only = QCheckBox(self.tr("只看分歧"))
        self.progress = QLabel()
        self.model = ScoreGridModel(self)
        self.model.edit_handler = self.edit_cell
        self.view = FrozenColumnsView(NAME + 1)  # 编码 and 指标 stay, like 冻结窗格
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setVisible(False)
        self.view.setModel(self.model)
        self.view.paste_handler = self.paste_block
        self.reason_prompt = ReasonPrompt(self.view)
        self.reason_prompt.submitted.connect(self.reason_given)
        self.reason_prompt.cancelled.connect(self.reason_deferred)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(
            self.tr("扣分理由：选中单元格后填写并回车保存；酌情扣分项录入分值后须补理由")
        )
        # A read-only line, not a label: a label asks the whole page to lay out again each
        # time its text changes, which costs more than the edit itself.
        self.detail = QLineEdit()
        self.detail.setReadOnly(True)
        self.detail.setFrame(False)
        self.detail.setStyleSheet("background: transparent")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.message.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.ranking = RankingTableModel(self)
        self.ranking_view = QTableView()
        self.ranking_view.setModel(self.ranking)
        self.ranking_view.verticalHeader().setVisible(False)
        self.ranking_view.verticalHeader().setDefaultSectionSize(22)
        self.ranking_view.setToolTip(self.tr("双击一个单位，查看其得分的计算过程"))
        self.calculation_button = QPushButton(self.tr("本单位计算过程…"))
        self.calculation_button.setToolTip(self.tr("当前单元格所在单位的得分是怎样算出来的"))
        self.calculation_button.setEnabled(False)
        self.calculation_button.clicked.connect(self._current_unit_calculation)
        for column in range(self.ranking.columnCount()):
            hidden = column not in (RANK, UNIT, FINAL, GRADE)
            self.ranking_view.setColumnHidden(column, hidden)
        self.build_evidence_side()
        self._build_layout()
        self.round_box.currentIndexChanged.connect(self._round_chosen)
        self.assessor_box.currentIndexChanged.connect(self._assessor_changed)
        self.area_box.currentIndexChanged.connect(self.apply_filters)
        self.category_box.currentIndexChanged.connect(self.apply_filters)
        for box in (self.assigned_only, self.unscored_only, self.disagreement_only):
            box.toggled.connect(self.apply_filters)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.selectionModel().currentChanged.connect(self.evidence_cell_changed)
        self.model.dataChanged.connect(self._current_cell_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._grid_menu)
        self.ranking_view.doubleClicked.connect(
            lambda index: self.show_calculation(self.ranking.data(index, OBJECT_ROLE).unit)
        )
        self.reason_edit.returnPressed.connect(self._save_reason)
        self._reload_waiting = False
        self.view.itemDelegate().closeEditor.connect(self._editing_done)
        self.reason_prompt.submitted.connect(self._editing_done)
        self.reason_prompt.cancelled.connect(self._editing_done)
        self.reload()

    def _typing(self) -> bool:
        editing = self.view.state() == QAbstractItemView.State.EditingState
        return editing or self.reason_prompt.isVisible()

    def _editing_done(self, *_args: object) -> None:
        """A reading that waited for the editor runs once the clerk's entry is written."""
        if self._reload_waiting:
            QTimer.singleShot(0, self, self.reload)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("考核批次："), self.round_box),
            (self.tr("评分人："), self.assessor_box),
            (self.tr("指标："), self.area_box),
            (self.tr("类别/单位："), self.category_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
            bar.addSpacing(8)
        for box in (self.assigned_only, self.unscored_only, self.disagreement_only):
            bar.addWidget(box)
        bar.addStretch(1)
        bar.addWidget(self.evidence_box)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.detail)
        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("扣分理由：")))
        reason_row.addWidget(self.reason_edit, 1)
        reason_row.addWidget(self.calculation_button)
        left_layout.addLayout(reason_row)
        left_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.evidence_panel)
        splitter.addWidget(self.ranking_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([760, 420, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.progress.setFixedHeight(self.fontMetrics().lineSpacing() + 6)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, 1)
        undo = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])

    # --- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """The rounds again; the round on screen stays (the newest at first). While the clerk
        is typing in a cell or its reason (another client's write arriving from the server),
        the reading waits until the editor closes: what is being typed is never thrown away."""
        if self._typing():
            self._reload_waiting = True
            return
        self._reload_waiting = False
        rounds = list_rounds(self._db)
        current = self.round_box.currentData()
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for info in rounds:
            self.round_box.addItem(info.name, info.id)
        kept = self.round_box.findData(current)
        self.round_box.setCurrentIndex(max(kept, 0))
        self.round_box.blockSignals(False)
        if rounds:
            self.show_round(self.round_box.currentData())

    def refresh_for(self, changes: Changes) -> None:
        """Cells another client wrote (a server's notification): just those are read and
        shown, the undo history and the clerk's place kept. Anything else, a cell of an
        assessor this grid does not know, or while the clerk types: the round is read again
        (after the editor closes)."""
        if self.grid is not None and self.refresh_evidence(changes):
            return
        grid = self.grid
        cells = None if grid is None else changes.only_cells(grid.round_id)
        if grid is None or cells is None or self._typing() or self._reload_waiting:
            self.reload()
            return
        if any(assessor not in grid.assessor_names for _, _, assessor in cells):
            self.reload()
            return
        units, leaves = {u.id for u in grid.units}, {leaf.id for leaf in grid.leaves}
        shown = [key for key in cells if key[0] in units and key[1] in leaves]
        self._show_stored(read_cells(self._db, grid.round_id, shown))
        self._show_detail(self.view.currentIndex())

    def _round_chosen(self, _index: int) -> None:
        self.show_round(self.round_box.currentData())

    def show_round(self, round_id: int | None) -> None:
        """Read the round once, by id; paint the grid first, the results and progress follow
        right after."""
        if round_id is None:
            return
        if self.grid is None or self.grid.round_id != round_id:
            self.undo_stack.clear()  # the same round read again (another's write) keeps it
        self.grid = load_grid(self._db, round_id)
        self._fill_boxes(self.grid)
        self.model.assessor = self.assessor_box.currentData() or ALL_ASSESSORS
        self.apply_filters()
        self.show_marks()
        if self.isVisible():
            self._finish_timer.start(0)

    def showEvent(self, event: QShowEvent) -> None:
        """A page never shown never computes its results (a closed window may linger)."""
        super().showEvent(event)
        if self.grid is not None and self.model.progress is None:
            self._finish_timer.start(0)

    def finish_loading(self) -> None:
        """The results and progress, built once the grid is on screen."""
        if self.grid is None or not isValid(self.ranking):  # the window closed meanwhile
            return
        self.refresh_results()
        if self.model.progress is None:
            self.model.set_progress(Progress(self.grid))
            self.view.horizontalHeader().resizeSections(QHeaderView.ResizeMode.Interactive)
        self._update_progress()

    # --- a unit's calculation ---------------------------------------------------------------------
    def unit_menu(self, index: QModelIndex) -> QMenu | None:
        """The grid's right-click menu on a unit's column."""
        unit = self.model.unit_at(index)
        if unit is None:
            return None
        menu = QMenu(self)
        action = menu.addAction(self.tr("查看“{u}”的计算过程…").format(u=unit.short_name))
        action.triggered.connect(lambda: self.show_calculation(unit.name))
        return menu

    def _grid_menu(self, position: QPoint) -> None:
        menu = self.unit_menu(self.view.indexAt(position))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(position))
            menu.deleteLater()

    def _current_unit_calculation(self) -> None:
        unit = self.model.unit_at(self.view.currentIndex())
        if unit is not None:
            self.show_calculation(unit.name)

    def show_calculation(self, unit: str) -> UnitCalculationDialog | None:
        if self.grid is None:
            return None
        return show_unit_calculation(self, self._db, self.grid.round_name, unit)

    # --- results and progress --------------------------------------------------------------------
    def refresh_results(self) -> None:
        if self.grid is None:
            return
        # A 评分人 sees the whole round's ranking only once it is published (issue 15 §3).
        shown = allowed(Permission.ALL_RESULTS) or self.grid.status == PUBLISHED
        self.ranking_view.setVisible(shown)
        if not shown:
            self.ranking.set_results([])
            return
        try:
            result = self.grid.live_results().result()
        except (UserError, ValueError) as error:
            self.refuse(str(error))
            return
        self.ranking.set_results(result.units)
        if self.ranking_view.columnWidth(UNIT) < 60:
            self.ranking_view.resizeColumnsToContents()

    def _update_progress(self) -> None:
        progress = self.model.progress
        if self.grid is None or progress is None:
            self.progress.setText(self.tr("统计进度…"))
            return
        parts = []
        panel = [(a.id, a.name) for a in self.grid.panel]
        for assessor, name in ((ALL_ASSESSORS, self.tr("全部")), *panel):
            done, total = progress.of_assessor(assessor, self.model.units)
            text = self.tr("{name} 已评 {done}/{total}").format(name=name, done=done, total=total)
            parts.append(f"<b>{text}</b>" if assessor == self.model.assessor else text)
        waiting = len(waiting_for_reason(self.grid))
        if waiting:
            parts.append(
                "<span style='background:#ffe58a'>"
                + self.tr("须补扣分理由 {n} 格").format(n=waiting)
                + "</span>"
            )
        text = "　".join(parts)
        if text != self.progress.text():
            self.progress.setText(text)
