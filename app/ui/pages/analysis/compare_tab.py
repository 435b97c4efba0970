"""与上年比较: the round against an earlier one (and another before it, for trends), the units
and codes that found no counterpart, and the office's links, edited here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.scoring.analysis.matching import AREA, LEAF, UNIT, Link
from app.services.analysis.compare import compare_with, comparison_json
from app.services.analysis.links import KIND_WORDS, link_choices, list_links, remove_link
from app.services.changes import Changes
from app.services.rounds.definition import RoundInfo
from app.ui.itemmodels.analysis_table_models import (
    ComparisonTableModel,
    LinksTableModel,
    UnmatchedTableModel,
)
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.analysis.chart_view import ChartView
from app.ui.pages.analysis.tab_parts import (
    save_workbook,
    sentences_label,
    show_sentences,
    table_view,
)
from app.ui.pages.analysis.trend_delegate import TrendDelegate
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task

NONE = QCoreApplication.translate("CompareTab", "（不选）")


class CompareTab(QWidget):
    changes_made = Signal(object)  # Changes of a link added or removed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_name = ""
        self.comparison: Any = None
        self._rounds: list[RoundInfo] = []
        self.earlier_box = QComboBox()
        self.earlier_box.setMinimumWidth(200)
        self.older_box = QComboBox()
        self.older_box.setMinimumWidth(160)
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setEnabled(False)
        self.sentences = sentences_label()
        self.model = ComparisonTableModel(self)
        self.table = table_view(self.model)
        self.trend_delegate = TrendDelegate(self.table)
        self.chart = ChartView(self.tr("选择用来比较的以前批次后，这里画出各单位类别名次的变化。"))
        self.unmatched_model = UnmatchedTableModel(self)
        self.unmatched = table_view(self.unmatched_model, sortable=False)
        self.links_model = LinksTableModel(self)
        self.links = table_view(self.links_model, sortable=False)
        self.link_button = QPushButton(self.tr("指定对应…"))
        self.link_button.setToolTip(self.tr("为选中的未能对应的单位或指标选择它在另一批次中的对应"))
        self.unlink_button = QPushButton(self.tr("删除对应"))
        self.message = StatusLine()
        self._build_layout()
        self.earlier_box.currentIndexChanged.connect(lambda _: self.compare())
        self.older_box.currentIndexChanged.connect(lambda _: self.compare())
        self.export_button.clicked.connect(lambda: self.export())
        self.link_button.clicked.connect(lambda: self.link_selected())
        self.unlink_button.clicked.connect(lambda: self.unlink_selected())

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("与")))
        bar.addWidget(self.earlier_box)
        bar.addWidget(QLabel(self.tr("比较，另加更早的批次")))
        bar.addWidget(self.older_box)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        matching = QGroupBox(
            self.tr("未能对应的单位和指标（更名、合并、分设的单位，改了编号的指标）")
        )
        box = QHBoxLayout(matching)
        left = QVBoxLayout()
        left.addWidget(self.unmatched, 1)
        left.addWidget(self.link_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("已保存的对应关系（每次比较都使用）")))
        right.addWidget(self.links, 1)
        right.addWidget(self.unlink_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addLayout(left, 3)
        box.addLayout(right, 2)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.table)
        upper.addWidget(self.chart)
        upper.setSizes([620, 520])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(matching)
        body.setSizes([520, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.sentences)
        layout.addWidget(body, 1)
        layout.addWidget(self.message)

    def show_round(self, round_name: str, rounds: list[RoundInfo]) -> None:
        """The round compared, and the rounds it may be compared with (the latest of the
        earlier years first)."""
        self.round_name = round_name
        self._rounds = rounds
        year = next((r.year for r in rounds if r.name == round_name), 0)
        others = sorted(
            (r for r in rounds if r.name != round_name),
            key=lambda r: (r.year >= year, -r.year),
        )
        names = [r.name for r in others]
        for box, first in ((self.earlier_box, names), (self.older_box, [NONE, *names])):
            box.blockSignals(True)
            box.clear()
            box.addItems(first)
            box.blockSignals(False)
        self.compare()

    def chosen(self) -> list[str]:
        chosen = [self.earlier_box.currentText()]
        older = self.older_box.currentText()
        if older and older != NONE and older not in chosen:
            chosen.append(older)
        return [name for name in chosen if name]

    def compare(self) -> None:
        earlier = self.chosen()
        self.export_button.setEnabled(False)
        if not self.round_name or not earlier:
            self._show(None)
            self.message.say(self.tr("没有可以比较的以前批次。"))
            return
        self.message.say(self.tr("正在比较…"))
        round_name = self.round_name

        def work() -> tuple[Any, Any]:
            c = compare_with(self._db, round_name, earlier)
            return c, list_links(self._db, round_name, earlier)

        def done(found: tuple[Any, Any]) -> None:
            if round_name != self.round_name or earlier != self.chosen():
                return  # another choice since: its own comparison follows
            self.comparison, links = found
            self.links_model.set_rows(links)
            self.links.resizeColumnsToContents()
            self._show(self.comparison)
            self.message.say("")

        run_task(work, done, self._failed)

    def _failed(self, error: Exception) -> None:
        self._show(None)
        self.message.refused(error)

    def _show(self, c: Any) -> None:
        data = comparison_json(c) if c is not None else None
        self.model.set_comparison(data)
        self.export_button.setEnabled(c is not None)
        show_sentences(self.sentences, data["sentences"] if data else [])
        self.unmatched_model.set_rows(self._unmatched(c) if c is not None else [])
        self.unmatched.resizeColumnsToContents()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, 200)
        trend = self.model.trend_column
        if trend is not None:
            self.table.setItemDelegateForColumn(trend, self.trend_delegate)
            self.table.setColumnWidth(trend, 150)
        if c is None:
            self.chart.clear(self.tr("没有比较结果。"))
            return
        from app.documents.analysis_charts import draw_rank_changes, rank_change_panels

        self.chart.show_figure(draw_rank_changes(rank_change_panels(c), c.rounds[-2]))

    def _unmatched(self, c: Any) -> list[dict[str, Any]]:
        rows = []
        for name, m in c.unmatched.items():
            for kind, gone, new in (
                (UNIT, m.units_gone, m.units_new),
                (AREA, m.areas.gone, m.areas.new),
                (LEAF, m.leaves.gone, m.leaves.new),
            ):
                for side, keys in (("gone", gone), ("new", new)):
                    for key in keys:
                        label = key if kind == UNIT else self._code_label(kind, key, side, c)
                        words = KIND_WORDS[kind]
                        rows.append({"kind": kind, "kind_words": words, "round": name,
                                     "key": key, "label": label, "side": side})  # fmt: skip
        return rows

    def _code_label(self, kind: str, code: str, side: str, c: Any) -> str:
        if side == "new" and kind == AREA:
            return f"{code} {c.areas.get(code, '')}"
        return code

    def link_selected(self, choice: str | None = None) -> Changes | None:
        """Pair the chosen unmatched row with one of the other round's (asked for, or
        ``choice``, its key), keep the link and compare again."""
        from app.services.analysis.links import add_link

        row = self.unmatched.currentIndex().data(OBJECT_ROLE)
        if row is None:
            self.message.say(self.tr("请先在左边选中一个未能对应的单位或指标。"), error=True)
            return None
        try:
            earlier_side, later_side = link_choices(self._db, self.round_name, row["round"],
                                                    row["kind"])  # fmt: skip
        except Exception as error:  # a UserError is said; anything else is a bug
            self.message.refused(error)
            return None
        gone = row["side"] == "gone"
        options = later_side if gone else earlier_side
        if choice is None:
            labels = list(options.values())
            picked, ok = QInputDialog.getItem(
                self,
                self.tr("指定对应"),
                self.tr("“{item}”对应{where}中的：").format(
                    item=row["label"], where=self.round_name if gone else row["round"]
                ),
                labels,
                0,
                False,
            )
            if not ok or not picked:
                return None
            choice = next(key for key, label in options.items() if label == picked)
        earlier, later = (row["key"], choice) if gone else (choice, row["key"])
        link = Link(row["kind"], row["round"], earlier, later)
        try:
            done = add_link(self._db, self.round_name, link)
        except Exception as error:
            self.message.refused(error)
            return None
        self.changes_made.emit(done.changes)
        self.compare()
        return done.changes

    def unlink_selected(self) -> Changes | None:
        stored = self.links.currentIndex().data(OBJECT_ROLE)
        if stored is None:
            self.message.say(self.tr("请先选中一条已保存的对应关系。"), error=True)
            return None
        try:
            done = remove_link(self._db, self.round_name, stored.link)
        except Exception as error:
            self.message.refused(error)
            return None
        self.changes_made.emit(done.changes)
        self.compare()
        return done.changes

    def export(self, path: str | None = None) -> None:
        if self.comparison is None:
            return
        from app.services.analysis.export import export_comparison

        c = self.comparison
        save_workbook(self, self.message, self.tr("导出与上年比较"), f"{self.round_name}与上年比较",
                      lambda target: export_comparison(c, target), path)  # fmt: skip
