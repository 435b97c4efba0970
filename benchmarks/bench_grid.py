"""Time the score grid on the demo round (80 units x 102 leaves): open to first paint, and one
edit to updated ranks. Prints figures (targets: 0.5 s and 50 ms)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.opening import open_database
from app.services.demo import build_demo
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.pages.scoring_page import ScoringPage


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        build_demo(db)
        start = time.perf_counter()
        page = ScoringPage(db)
        page.resize(1366, 768)
        page.show()
        page.grab()
        opened = time.perf_counter() - start
        model = page.model
        row = next(r for r, leaf in enumerate(model.leaves) if leaf.method == "扣分")
        column = next(
            c
            for c in range(len(FIXED), model.columnCount())
            if model.flags(model.index(row, c)) & Qt.ItemFlag.ItemIsEditable
        )
        timings = []
        for value in ("0.5", "1", "0"):
            start = time.perf_counter()
            model.setData(model.index(row, column), value)
            timings.append(time.perf_counter() - start)
        print(f"grid open to first paint: {opened:.3f} s")
        print(f"one edit to updated ranks: best {min(timings) * 1000:.0f} ms of {len(timings)}")
        db.dispose()
    del app


if __name__ == "__main__":
    main()
