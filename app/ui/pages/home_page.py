"""首页: what needs attention today — overdue problems, deadlines in the next 14 days, the
evidence the units still owe (sent back for more, overdue first), and the
rounds still in progress with what is not yet scored (computed off the GUI thread: a round's
results take a moment each, and the window opens on this page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.models.database import Database
from app.services.changes import Topic
from app.services.evidence.overview import owed_in_open_rounds
from app.services.ledger import problems as ledger
from app.services.review.round_progress import RoundProgress, rounds_in_progress
from app.ui.itemmodels.evidence_models import OwedModel
from app.ui.itemmodels.problems_table_model import ProblemsTableModel
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.pages.getting_started import GettingStarted
from app.ui.pages.page import Page
from app.ui.tasks import run_task

SOON_DAYS = 14


class RoundProgressModel(RowsTableModel[RoundProgress]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "考核批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "参评单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "已评完的单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "未评项"),
        QT_TRANSLATE_NOOP("RowsTableModel", "当前期限"),
    )

    def display(self, row: RoundProgress, column: int) -> str:
        return (
            row.name,
            row.status,
            str(row.units),
            str(row.units_done),
            str(row.unscored),
            row.deadline,
        )[column]

    def other_role(self, row: RoundProgress, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and row.overdue:
            return QColor("#b00020")
        return None


def _table(model: RowsTableModel, stretch: int, fit: tuple[int, ...] = ()) -> QTableView:
    """``fit`` columns are as wide as their text (a unit's full name, "评分截止 12月5日")."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column in fit:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return view


class HomePage(Page):
    SHOWS = frozenset(
        {
            Topic.UNITS,
            Topic.FRAMEWORKS,
            Topic.ROUNDS,
            Topic.SCORES,
            Topic.OBJECTIONS,
            Topic.PROBLEMS,
            Topic.NOTICES,
            Topic.EVIDENCE,
        }
    )
    REFRESH_WHEN_SHOWN = True  # deadlines and overdue move on with the clock

    def __init__(self, db: Database, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._db = db
        self._today = today
        self._asked = 0  # reloads asked for; only the newest one's answer is shown
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold")
        self.overdue_model = ProblemsTableModel(self)
        self.soon_model = ProblemsTableModel(self)
        self.rounds_model = RoundProgressModel(self)
        self.owed_model = OwedModel(self)
        self.owed_box = QGroupBox()
        self.overdue_box = QGroupBox()
        self.soon_box = QGroupBox()
        self.rounds_box = QGroupBox(self.tr("进行中的考核批次"))
        for box, view in (
            (self.overdue_box, _table(self.overdue_model, 3, fit=(2,))),
            (self.soon_box, _table(self.soon_model, 3, fit=(2,))),
            (self.owed_box, _table(self.owed_model, 3, fit=(1, 2, 4))),
            (self.rounds_box, _table(self.rounds_model, 0, fit=(5,))),
        ):
            inner = QVBoxLayout(box)
            inner.addWidget(view)
        self.getting_started = GettingStarted(db)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.getting_started)
        layout.addWidget(self.overdue_box, 2)
        layout.addWidget(self.soon_box, 2)
        layout.addWidget(self.owed_box, 1)
        layout.addWidget(self.rounds_box, 1)
        self.reload()

    def reload(self) -> None:
        self.getting_started.setVisible(self.getting_started.reload())
        today = self._today or date.today()
        self.heading.setText(
            self.tr("今天是 {y}年{m}月{d}日").format(y=today.year, m=today.month, d=today.day)
        )
        overdue = ledger.list_problems(self._db, overdue=True, today=today)
        soon = [
            p
            for p in ledger.list_problems(self._db, due_within=SOON_DAYS, today=today)
            if not p.overdue
        ]
        self.overdue_model.set_rows(overdue)
        self.soon_model.set_rows(soon)
        self.overdue_box.setTitle(self.tr("逾期未整改的问题（{n}）").format(n=len(overdue)))
        self.soon_box.setTitle(
            self.tr("{days} 天内到期的问题（{n}）").format(days=SOON_DAYS, n=len(soon))
        )
        owed = owed_in_open_rounds(self._db, today)
        self.owed_model.set_rows(owed)
        self.owed_box.setTitle(
            self.tr("退回补充、待单位补交的佐证材料（{n}，其中逾期 {late}）").format(
                n=len(owed), late=sum(1 for o in owed if o.item.overdue)
            )
        )
        self.owed_box.setVisible(bool(owed))
        self._asked += 1
        asked = self._asked
        self.rounds_box.setTitle(self.tr("进行中的考核批次（正在计算……）"))

        def show(progress: list[RoundProgress]) -> None:
            if isValid(self) and asked == self._asked:  # closed, or a later reload's answer wins
                self.rounds_model.set_rows(progress)
                self.rounds_box.setTitle(self.tr("进行中的考核批次"))

        def failed(error: Exception) -> None:
            if isValid(self) and asked == self._asked:
                self.rounds_model.set_rows([])
                self.rounds_box.setTitle(
                    self.tr("进行中的考核批次（无法计算：{error}）").format(error=error)
                )

        run_task(lambda: rounds_in_progress(self._db, today), show, failed)
