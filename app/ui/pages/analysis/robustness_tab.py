"""结果稳健性: the simulation with the assumptions the office switches, run off the GUI thread
with progress and 取消; each unit's rank interval, and each area left out in turn."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.scoring.analysis.robustness import RobustnessOptions
from app.services.analysis.robustness import robustness_json, round_robustness
from app.ui.itemmodels.analysis_table_models import LeftOutTableModel, RobustnessTableModel
from app.ui.pages.analysis.chart_view import ChartView
from app.ui.pages.analysis.tab_parts import (
    save_workbook,
    sentences_label,
    show_sentences,
    table_view,
)
from app.ui.status_line import StatusLine
from app.ui.tasks import run_with_progress


class RobustnessTab(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_name = ""
        self.found: tuple[Any, Any] | None = None  # (inputs, result) of the last run
        self.progress: Any = None  # the progress dialog of a run under way
        self.runs = QSpinBox()
        self.runs.setRange(50, 100_000)
        self.runs.setSingleStep(500)
        self.runs.setValue(1000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(2025)
        self.weights = QDoubleSpinBox()
        self.weights.setRange(0, 90)
        self.weights.setSuffix(" %")
        self.weights.setDecimals(0)
        self.weights.setValue(20)
        self.satisfaction = QDoubleSpinBox()
        self.satisfaction.setRange(0, 0.5)
        self.satisfaction.setSingleStep(0.01)
        self.satisfaction.setValue(0.05)
        self.dropout = QCheckBox(self.tr("个别考核组缺评"))
        self.dropout.setChecked(True)
        self.trimming = QCheckBox(self.tr("是否去掉最高最低分"))
        self.trimming.setChecked(True)
        self.run_button = QPushButton(self.tr("开始模拟"))
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setEnabled(False)
        self.sentences = sentences_label()
        self.model = RobustnessTableModel(self)
        self.table = table_view(self.model)
        self.left_out_model = LeftOutTableModel(self)
        self.left_out = table_view(self.left_out_model, sortable=False)
        self.chart = ChartView(
            self.tr("点“开始模拟”后，这里画出每个单位在模拟中的名次区间（5%—95%）。")
        )
        self.message = StatusLine()
        self._build_layout()
        self.run_button.clicked.connect(lambda: self.run())
        self.export_button.clicked.connect(lambda: self.export())

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("模拟次数"), self.runs),
            (self.tr("随机种子"), self.seed),
            (self.tr("一级指标权重浮动 ±"), self.weights),
            (self.tr("满意度权重浮动 ±"), self.satisfaction),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.dropout)
        bar.addWidget(self.trimming)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.export_button)
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.table)
        tables.addWidget(self.left_out)
        tables.setSizes([480, 140])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(tables)
        body.addWidget(self.chart)
        body.setSizes([640, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.sentences)
        layout.addWidget(body, 1)
        layout.addWidget(self.message)

    def options(self) -> RobustnessOptions:
        return RobustnessOptions(
            runs=self.runs.value(),
            seed=self.seed.value(),
            weight_spread=self.weights.value() / 100,
            dropout=self.dropout.isChecked(),
            trimming=self.trimming.isChecked(),
            satisfaction_spread=self.satisfaction.value(),
        )

    def show_round(self, round_name: str) -> None:
        """A new round (or new data): what was shown is no longer its analysis."""
        self.round_name = round_name
        self._show(None)
        self.message.say(self.tr("设置好假设后点“开始模拟”。") if round_name else "")

    def run(self) -> Any:
        """The simulation off the GUI thread; returns the progress dialog (取消 stops it)."""
        if not self.round_name or self.progress is not None:
            return None
        round_name, options = self.round_name, self.options()
        self.run_button.setEnabled(False)

        def done(found: tuple[Any, Any]) -> None:
            self.progress = None
            self.run_button.setEnabled(True)
            if round_name != self.round_name:
                return
            self._show(found)
            result = found[1]
            if result.cancelled:
                self.message.say(
                    self.tr("已取消：只完成了 {done} 次模拟，以下数字仅据此计算。").format(
                        done=result.runs_done
                    ),
                    error=True,
                )
            else:
                self.message.say(self.tr("已完成 {n} 次模拟。").format(n=result.runs_done))

        def failed(error: Exception) -> None:
            self.progress = None
            self.run_button.setEnabled(True)
            self.message.refused(error)

        self.progress = run_with_progress(
            self,
            self.tr("结果稳健性模拟"),
            lambda progress, cancelled: round_robustness(
                self._db, round_name, options, progress, cancelled
            ),
            done,
            failed,
        )
        return self.progress

    def _show(self, found: tuple[Any, Any] | None) -> None:
        self.found = found
        data = robustness_json(*found) if found is not None else None
        self.model.set_rows(data["units"] if data else [])
        left_out = [{"area": code, **a} for code, a in data["left_out"].items()] if data else []
        self.left_out_model.set_rows(left_out)
        show_sentences(self.sentences, data["sentences"] if data else [])
        self.export_button.setEnabled(data is not None)
        self.table.resizeColumnsToContents()
        self.left_out.resizeColumnsToContents()
        if found is None or not found[1].runs_done:
            self.chart.clear(
                self.tr("点“开始模拟”后，这里画出每个单位在模拟中的名次区间（5%—95%）。")
            )
            return
        from app.documents.analysis_charts import draw_rank_intervals, interval_panels

        units = found[1].units
        self.chart.show_figure(draw_rank_intervals(interval_panels(units), len(units)))

    def export(self, path: str | None = None) -> None:
        if self.found is None:
            return
        from app.services.analysis.export import export_robustness

        inputs, result = self.found
        save_workbook(self, self.message, self.tr("导出结果稳健性"), f"{inputs.name}结果稳健性",
                      lambda target: export_robustness(inputs, result, target), path)  # fmt: skip
