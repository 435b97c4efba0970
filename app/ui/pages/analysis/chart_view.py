"""A matplotlib figure in the window at its printed proportions, scrolled when taller than the
space: the same drawing as the 通报's 附件 (app.documents.analysis_charts)."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

SCREEN_DPI = 96


class ChartView(QScrollArea):
    """Shows one figure at a time; an older one is closed (matplotlib keeps figures alive)."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.canvas: Any = None
        self._holder = QWidget()
        self._layout = QVBoxLayout(self._holder)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(empty_text)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._layout.addWidget(self.placeholder)
        self.setWidget(self._holder)

    def show_figure(self, figure: Any) -> None:
        os.environ.setdefault("QT_API", "pyside6")
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.clear()
        figure.set_dpi(SCREEN_DPI)
        self.canvas = FigureCanvasQTAgg(figure)
        width, height = figure.get_size_inches()
        self.canvas.setMinimumSize(int(width * SCREEN_DPI * 0.8), int(height * SCREEN_DPI))
        self.placeholder.hide()
        self._layout.addWidget(self.canvas)

    def clear(self, text: str | None = None) -> None:
        if self.canvas is not None:
            from matplotlib import pyplot

            self._layout.removeWidget(self.canvas)
            self.canvas.hide()
            self.canvas.setParent(None)
            pyplot.close(self.canvas.figure)
            self.canvas.deleteLater()
            self.canvas = None
        if text is not None:
            self.placeholder.setText(text)
        self.placeholder.show()
