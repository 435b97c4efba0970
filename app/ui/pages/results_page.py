"""结果排名: the chosen round's ranking, filterable by category, with a grade summary."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.services.access.permissions import Forbidden
from app.services.changes import Topic
from app.services.entry.satisfaction_votes import satisfaction_votes
from app.services.review.results import RoundResults, export_results, visible_round_results
from app.services.review.rules_words import rules_words
from app.services.rounds.definition import list_rounds
from app.services.rounds.stages import stage_finals
from app.ui.itemmodels.ranking_table_model import (
    OBJECT_ROLE,
    SORT_ROLE,
    UNIT,
    RankingTableModel,
)
from app.ui.pages.gate_panel import GatePanel
from app.ui.pages.page import Page
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation

ALL_CATEGORIES = "全部类别"


FLAGS = (  # the filter's keys, shown translated
    QT_TRANSLATE_NOOP("ResultsPage", "全部单位"),
    QT_TRANSLATE_NOOP("ResultsPage", "一票否决"),
    QT_TRANSLATE_NOOP("ResultsPage", "排名靠后"),
    QT_TRANSLATE_NOOP("ResultsPage", "结果不完整"),
)


class CategoryFilterProxy(QSortFilterProxyModel):
    """Filters by category, by flag (veto, bottom, unscored) and by a part of the unit name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._category: str | None = None
        self._flag = FLAGS[0]
        self._text = ""

    def set_category(self, category: str | None) -> None:
        self.beginFilterChange()
        self._category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_flag(self, flag: str) -> None:
        self.beginFilterChange()
        self._flag = flag
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        result = self.sourceModel().index(row, 0, parent).data(OBJECT_ROLE)
        if result is None:
            return True
        if self._category is not None and (result.category or "未分类") != self._category:
            return False
        if self._text and self._text not in result.unit:
            return False
        flag = self._flag
        return (
            flag == FLAGS[0]
            or (flag == FLAGS[1] and result.veto)
            or (flag == FLAGS[2] and result.bottom)
            or (flag == FLAGS[3] and bool(result.incomplete))
        )


class ResultsPage(Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.SCORES, Topic.OBJECTIONS, Topic.UNITS})

    cell_requested = Signal(str, str, str)  # round, unit, leaf ("" for none): open the grid there

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.gate = GatePanel(db)
        self.gate.cell_requested.connect(self.cell_requested)
        self._results: RoundResults | None = None
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(220)
        self.category_box = QComboBox()
        self.flag_box = QComboBox()
        self.flag_box.addItems([QCoreApplication.translate("ResultsPage", f) for f in FLAGS])
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("单位名称"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(110)
        self.search.setMaximumWidth(160)
        self.areas_box = QCheckBox(self.tr("分项得分率"))
        self.areas_box.setChecked(True)
        self.caption = QLabel()
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.model = RankingTableModel(self)
        self.proxy = CategoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.clicked.connect(self.export)
        self.table.doubleClicked.connect(self.show_detail)
        self.table.setToolTip(self.tr("双击一个单位，查看其得分的计算过程"))
        self.detail_button = QPushButton(self.tr("计算过程…"))
        self.detail_button.setToolTip(self.tr("选中单位的得分是怎样算出来的，可照读给单位"))
        self.detail_button.setEnabled(False)
        self.detail_button.clicked.connect(lambda: self.show_detail(self.table.currentIndex()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.summary = QLabel()
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        # The rules that decided grades and flags, as the 通报 words them (ties over the quota,
        # places left unused, veto, 排名靠后, exemptions): what a clerk answers a unit with.
        self.rules_text = QLabel()
        self.rules_text.setWordWrap(True)
        self.rules_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.rules_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_layout()
        self.round_box.currentTextChanged.connect(self.show_round)
        self.category_box.currentTextChanged.connect(self._filter_category)
        self.flag_box.currentIndexChanged.connect(self._filter_flag)
        self.search.textChanged.connect(self._filter_text)
        self.areas_box.toggled.connect(self._show_area_columns)
        self.reload()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("考核批次：")))
        bar.addWidget(self.round_box)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("类别：")))
        bar.addWidget(self.category_box)
        bar.addSpacing(8)
        bar.addWidget(self.flag_box)
        bar.addWidget(self.search)
        bar.addWidget(self.areas_box)
        bar.addSpacing(8)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.detail_button)
        bar.addWidget(self.export_button)
        side = QGroupBox(self.tr("等次分布"))
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.summary)
        side_layout.addWidget(QLabel(self.tr("<b>本次规则</b>")))
        side_layout.addWidget(self.rules_text, 1)
        side.setFixedWidth(230)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        layout.addWidget(self.gate)

    def reload(self) -> None:
        """Fill the round list; the round on screen stays (the newest at first)."""
        names = [r.name for r in list_rounds(self._db)]
        current = self.round_box.currentText()
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems(names)
        if current in names:
            self.round_box.setCurrentText(current)
        self.round_box.blockSignals(False)
        if names:
            self.show_round(self.round_box.currentText())
        else:
            self.model.set_results([])
            self.caption.setText(self.tr("还没有考核批次。可用命令行 demo 生成演示数据。"))

    def show_round(self, name: str) -> None:
        if not name:
            return
        try:
            self._results = visible_round_results(self._db, name)
        except Forbidden as refused:  # a 评分人 before publication
            self._results = None
            self.model.set_results([])
            self.caption.setText(str(refused))
            return
        units = self._results.result.units
        self.model.set_results(
            units,
            areas=self._results.area_names,
            area_points=self._results.area_points,
            stages=stage_finals(self._db, name),
            votes=satisfaction_votes(self._db, name),
        )
        categories = sorted({u.category for u in units}, key=[u.category for u in units].index)
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItems([ALL_CATEGORIES, *categories])
        self.category_box.blockSignals(False)
        self._filter_category(ALL_CATEGORIES)
        self.caption.setText(
            self.tr("状态：{status}　满分 {full}　参评单位 {count} 个").format(
                status=self._results.status,
                full=f"{self._results.result.full_marks:.2f}",
                count=len(units),
            )
        )
        self.gate.show_round(name, self._results.status)
        self.rules_text.setText(rules_words(self._results))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(UNIT, 210)
        self._show_area_columns(self.areas_box.isChecked())

    def _show_area_columns(self, shown: bool) -> None:
        for column in range(self.model.columnCount()):
            if self.model.area_column(column) is not None:
                self.table.setColumnHidden(column, not shown)

    def _filter_flag(self, index: int) -> None:
        self.proxy.set_flag(FLAGS[index])
        self._update_summary(self._category())

    def _filter_text(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_summary(self._category())

    def _category(self) -> str | None:
        text = self.category_box.currentText()
        return None if text in ("", ALL_CATEGORIES) else text

    def export(self) -> None:
        if self._results is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出结果排名"),
            f"{file_part(self._results.round_name)}结果排名.xlsx",
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        assert self._results is not None
        try:
            export_results(self._db, self._results.round_name, path)
        except UserError as error:  # e.g. the file is open in Excel/WPS
            QMessageBox.warning(self, self.tr("导出失败"), str(error))
        except OSError as error:
            QMessageBox.warning(
                self,
                self.tr("导出失败"),
                self.tr(
                    "无法写入 {path}：{error}。如果文件在 Excel/WPS 中打开，请先关闭再重试。"
                ).format(path=path, error=error),
            )

    def _selection_changed(self, *_: object) -> None:
        self.detail_button.setEnabled(self.table.selectionModel().hasSelection())

    def show_detail(self, index: QModelIndex) -> UnitCalculationDialog | None:
        """The calculation behind the unit of a ranking row."""
        if self._results is None or not index.isValid():
            return None
        result = self.proxy.data(index.siblingAtColumn(0), OBJECT_ROLE)
        return show_unit_calculation(self, self._db, self._results.round_name, result.unit)

    def _filter_category(self, category: str) -> None:
        self.proxy.set_category(None if category in ("", ALL_CATEGORIES) else category)
        self._update_summary(None if category in ("", ALL_CATEGORIES) else category)

    def _update_summary(self, category: str | None) -> None:
        if self._results is None:
            self.summary.setText("")
            return
        units = [
            self.proxy.mapToSource(self.proxy.index(r, 0)).data(OBJECT_ROLE)
            for r in range(self.proxy.rowCount())
        ]
        grades = Counter(u.grade for u in units)
        lines = [
            self.tr("<b>{grade}</b>：{n} 个").format(grade=grade, n=count)
            for grade, count in grades.items()
        ]
        vetoed = sum(1 for u in units if u.veto)
        bottom = sum(1 for u in units if u.bottom)
        lines += [
            "",
            self.tr("一票否决：{n} 个").format(n=vetoed),
            self.tr("排名靠后：{n} 个").format(n=bottom),
        ]
        self.summary.setText("<br>".join(lines))
