"""计算过程: how a unit got its final, as a clerk can read it aloud to the unit that asks — the
steps in words above, every leaf and every assessor's value below."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.errors import UserError
from app.models.database import Database
from app.scoring.types import UnitResult
from app.services.review.explain import UnitCalculation, unit_calculation
from app.services.review.explain_words import explanation_lines
from app.services.review.results import unit_notes
from app.ui.itemmodels.unit_calculation_model import CODE, NAME, UnitCalculationModel
from app.ui.tasks import run_task

NAME_WIDTH = 280
TALL = 1000
MIN_WIDTH = 46  # 分值, 方式 and two-decimal scores with room to spare


def heading(result: UnitResult) -> str:
    """The unit's published place, in one line above its calculation."""
    notes = unit_notes(result)
    place = QCoreApplication.translate(
        "UnitCalculationDialog",
        "{unit}（{category}）　最终得分 {final}　"
        "第 {rank} 名，类别内第 {category_rank} 名　{grade}",
    ).format(
        unit=result.unit,
        category=result.category or "未分类",
        final=f"{result.final:.2f}",
        rank=result.rank,
        category_rank=result.category_rank,
        grade=result.grade,
    )
    return place + (f"　（{'；'.join(notes)}）" if notes else "")


class WrappingDelegate(QStyledItemDelegate):
    """A tree view sizes its rows as if every column were endlessly wide; this measures a cell
    at its column's real width, so a long name or reason wraps instead of being cut off."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self._view.columnWidth(index.column())
        if width <= 0:
            return super().sizeHint(option, index)
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, width, TALL)  # a valid rect: Qt wraps only inside one
        return super().sizeHint(sized, index)


class UnitCalculationDialog(QDialog):
    loaded = Signal()  # the calculation is on screen (it is read off the GUI thread)

    def __init__(
        self, db: Database, round_name: str, unit: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.round_name, self.unit = round_name, unit
        self.calculation: UnitCalculation | None = None
        self.setWindowTitle(self.tr("计算过程 — {unit}").format(unit=unit))
        self.heading = QLabel(self.tr("{unit}：正在计算…").format(unit=unit))
        self.heading.setStyleSheet("font-weight: bold")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.model = UnitCalculationModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)  # long names and reasons take two lines, never cut off
        self._wrapping = WrappingDelegate(self.tree)
        self._relayout = QTimer(self)  # once the columns have their widths, not on each pixel
        self._relayout.setSingleShot(True)
        self._relayout.timeout.connect(self.tree.doItemsLayout)
        self.tree.header().sectionResized.connect(lambda *_: self._relayout.start(0))
        self.copy_button = QPushButton(self.tr("复制计算过程"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        self._build_layout(close)
        self.resize(1320, 740)
        run_task(lambda: unit_calculation(db, round_name, unit), self._show, self._failed)

    def _build_layout(self, close: QPushButton) -> None:
        words = QGroupBox(self.tr("计算过程（可照读）"))
        QVBoxLayout(words).addWidget(self.summary)
        note = QLabel(
            self.tr(
                "下表按一级指标分组，各评分人一栏是其给出的得分（扣分项为扣分后的得分）；"
                "划线的分值是去掉的最高分或最低分。得分显示两位小数，"
                "鼠标停留可看精确值和评分人填写的内容。"
            )
        )
        note.setStyleSheet("color: #555")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(words)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def _show(self, calculation: UnitCalculation) -> None:
        if not isValid(self):  # closed before the calculation came back
            return
        self.calculation = calculation
        self.model.set_calculation(calculation)
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(MIN_WIDTH)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(NAME, NAME_WIDTH)
        header.setSectionResizeMode(CODE, QHeaderView.ResizeMode.ResizeToContents)
        for column in (NAME, self.model.columnCount() - 1):  # the name and the reasons
            self.tree.setItemDelegateForColumn(column, self._wrapping)
        self.heading.setText(heading(calculation.explanation.result))
        self.summary.setText("\n".join(self.lines()))
        self.copy_button.setEnabled(True)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        if not isValid(self):
            return
        if not isinstance(error, UserError):
            raise error  # our bug: the error dialog reports it
        self.heading.setText(self.tr("{unit}：无法计算").format(unit=self.unit))
        self.summary.setStyleSheet("color: #b00020")
        self.summary.setText(str(error))

    def lines(self) -> list[str]:
        if self.calculation is None:
            return []
        return explanation_lines(self.calculation.explanation)

    def copy(self) -> None:
        """The heading and the words, to paste into a reply to the unit."""
        QGuiApplication.clipboard().setText("\n".join([self.heading.text(), *self.lines()]))


def show_unit_calculation(
    parent: QWidget, db: Database, round_name: str, unit: str
) -> UnitCalculationDialog:
    """Open a unit's calculation beside the page (not modal: two units can be compared)."""
    dialog = UnitCalculationDialog(db, round_name, unit, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
