"""图表: the round's charts drawn by the same code as the printed 通报, in the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.models.database import Database


class ChartsPanel(QWidget):
    """Draws only when asked (matplotlib loads on first use, not at program start)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_name = ""
        self.kind_box = QComboBox()
        self.kind_box.addItems(  # draw() tells them by their place
            [
                self.tr("得分排名"),
                self.tr("各类别得分分布"),
                self.tr("分领域得分率"),
                self.tr("单位与平均（雷达图）"),
            ]
        )
        self.unit_box = QComboBox()
        self.canvas: Any = None
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("图表")))
        row.addWidget(self.kind_box)
        row.addWidget(QLabel(self.tr("单位")))
        row.addWidget(self.unit_box, 1)
        self.area = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(self.area, 1)
        self.kind_box.currentIndexChanged.connect(self.draw)
        self.unit_box.currentIndexChanged.connect(self.draw)

    def show_round(self, round_name: str) -> None:
        self.round_name = round_name
        self.draw()

    def draw(self) -> None:
        if not self.round_name:
            return
        import os

        os.environ.setdefault("QT_API", "pyside6")
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from app.documents import charts
        from app.services.publishing.reports import score_sheets

        results, sheets = score_sheets(self._db, self.round_name)
        names = [u.unit for u in results.result.units]
        if [self.unit_box.itemText(i) for i in range(self.unit_box.count())] != names:
            self.unit_box.blockSignals(True)
            self.unit_box.clear()
            self.unit_box.addItems(names)
            self.unit_box.blockSignals(False)
        kind = self.kind_box.currentIndex()
        points = {s.unit: s.area_points for s in sheets}
        if kind == 0:
            figure = charts.ranking_figure(results.result)
        elif kind == 1:
            figure = charts.distribution_figure(results.result)
        elif kind == 2:
            figure = charts.heatmap_figure(results.result, results.area_names, points)
        else:
            figure = self._radar(charts, results, points)
        if self.canvas is not None:
            from matplotlib import pyplot

            self.area.removeWidget(self.canvas)
            self.canvas.hide()
            self.canvas.setParent(None)
            pyplot.close(self.canvas.figure)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(figure)
        self.area.addWidget(self.canvas)

    def _radar(self, charts: Any, results: Any, points: dict) -> Any:  # type: ignore[type-arg]
        codes = list(results.area_names)
        units = {u.unit: u for u in results.result.units}
        chosen = units.get(self.unit_box.currentText()) or results.result.units[0]
        rates = {
            name: charts.area_rates(u, {c: points[name].get(c, 0) for c in codes})
            for name, u in units.items()
        }
        average = [sum(r[i] for r in rates.values()) / len(rates) for i in range(len(codes))]
        labels = [results.area_names[c] for c in codes]
        return charts.radar_figure(labels, rates[chosen.unit], average, chosen.unit)
