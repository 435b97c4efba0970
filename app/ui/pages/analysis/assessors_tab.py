"""评分一致性: α where several assessors scored the same cells, each assessor's leniency and
what leaving them out would change, run off the GUI thread with progress and 取消."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.analysis.assessors import assessors_json, round_assessors
from app.ui.itemmodels.analysis_table_models import AlphaTableModel, AssessorsTableModel
from app.ui.pages.analysis.chart_view import ChartView
from app.ui.pages.analysis.tab_parts import (
    save_workbook,
    sentences_label,
    show_sentences,
    table_view,
)
from app.ui.status_line import StatusLine
from app.ui.tasks import run_with_progress


def alpha_rows(data: dict[str, Any], area_names: dict[str, str], leaf_names: dict[str, str]
               ) -> list[dict[str, Any]]:  # fmt: skip
    """α overall, then by area, then by leaf, as the α table lists them."""
    alpha = data["alpha"]
    rows = [{"scope": "全部", "cells": alpha["cells"], "alpha": alpha["overall"],
             "interval": alpha["interval"]}]  # fmt: skip
    for key, names, word in (("areas", area_names, "一级指标"), ("leaves", leaf_names, "指标")):
        for code, a in alpha[key].items():
            rows.append({"scope": f"{word}{code} {names.get(code, '')}", **a})
    return rows


class AssessorsTab(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_name = ""
        self.found: tuple[Any, Any] | None = None
        self.progress: Any = None
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(1, 50)
        self.threshold.setDecimals(1)
        self.threshold.setSuffix(self.tr(" % 指标分值"))
        self.threshold.setValue(5)
        self.run_button = QPushButton(self.tr("开始分析"))
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setEnabled(False)
        self.sentences = sentences_label()
        self.model = AssessorsTableModel(self)
        self.table = table_view(self.model)
        self.alpha_model = AlphaTableModel(self)
        self.alpha_table = table_view(self.alpha_model, sortable=False)
        waiting = self.tr("点“开始分析”后，这里画出各考核组的宽严和各一级指标的一致性系数 α。")
        self.leniency_chart = ChartView(waiting)
        self.alpha_chart = ChartView("")
        self.message = StatusLine()
        self._build_layout()
        self.run_button.clicked.connect(lambda: self.run())
        self.export_button.clicked.connect(lambda: self.export())

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("偏宽/偏严的阈值")))
        bar.addWidget(self.threshold)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.export_button)
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.table)
        tables.addWidget(self.alpha_table)
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.leniency_chart)
        charts.addWidget(self.alpha_chart)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(tables)
        body.addWidget(charts)
        body.setSizes([600, 540])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.sentences)
        layout.addWidget(body, 1)
        layout.addWidget(self.message)

    def show_round(self, round_name: str) -> None:
        self.round_name = round_name
        self._show(None)
        self.message.say(self.tr("点“开始分析”计算评分一致性。") if round_name else "")

    def run(self) -> Any:
        if not self.round_name or self.progress is not None:
            return None
        round_name, threshold = self.round_name, self.threshold.value() / 100
        self.run_button.setEnabled(False)

        def done(found: tuple[Any, Any]) -> None:
            self.progress = None
            self.run_button.setEnabled(True)
            if round_name != self.round_name:
                return
            self._show(found)
            if found[1].cancelled:
                self.message.say(
                    self.tr("已取消：不计各考核组评分时的名次变化未算完。"), error=True
                )
            else:
                self.message.say(self.tr("分析完成。"))

        def failed(error: Exception) -> None:
            self.progress = None
            self.run_button.setEnabled(True)
            self.message.refused(error)

        self.progress = run_with_progress(
            self,
            self.tr("评分一致性分析"),
            lambda progress, cancelled: round_assessors(
                self._db, round_name, threshold, progress=progress, cancelled=cancelled
            ),
            done,
            failed,
        )
        return self.progress

    def _show(self, found: tuple[Any, Any] | None) -> None:
        self.found = found
        data = assessors_json(*found) if found is not None else None
        self.model.set_rows(data["assessors"] if data else [])
        inputs = found[0] if found is not None else None
        self.alpha_model.set_rows(
            alpha_rows(data, inputs.data.area_names, inputs.leaf_names) if data and inputs else []
        )
        show_sentences(self.sentences, data["sentences"] if data else [])
        self.export_button.setEnabled(data is not None)
        self.table.resizeColumnsToContents()
        self.alpha_table.resizeColumnsToContents()
        if found is None or not found[1].agreement.assessors:
            self.leniency_chart.clear(
                self.tr("点“开始分析”后，这里画出各考核组的宽严和各一级指标的一致性系数 α。")
                if found is None
                else self.tr("没有多个考核组共同评分的评分格。")
            )
            self.alpha_chart.clear("")
            return
        from app.documents.analysis_charts import draw_alpha, draw_leniency

        inputs, analysis = found
        self.leniency_chart.show_figure(draw_leniency(analysis.agreement.assessors))
        leaf_areas = {leaf.code: leaf.area_code for leaf in inputs.data.leaves}
        self.alpha_chart.show_figure(
            draw_alpha(analysis.agreement, inputs.data.area_names, leaf_areas)
        )

    def export(self, path: str | None = None) -> None:
        if self.found is None:
            return
        from app.services.analysis.export import export_assessors

        inputs, analysis = self.found
        save_workbook(self, self.message, self.tr("导出评分一致性"), f"{inputs.name}评分一致性",
                      lambda target: export_assessors(inputs, analysis, target), path)  # fmt: skip
