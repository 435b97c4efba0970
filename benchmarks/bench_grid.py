"""Time the score grid on a generated round of 80 units x 155 leaves x 5 assessors (every leaf
scored by all five, about 61,000 entries) and on the demo round: open to first paint, the
results and progress that follow, and one edit to updated ranks. Prints figures (targets:
0.5 s to first paint, 50 ms per edit)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from large_round import build_large_round
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.demo.build import build_demo
from app.models.database import Database
from app.models.opening import open_database
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.pages.scoring.page import ScoringPage


def measure(db: Database, label: str) -> None:
    start = time.perf_counter()
    page = ScoringPage(db)
    page.resize(1366, 768)
    page.show()
    page.grab()  # the first paint
    opened = time.perf_counter() - start
    page.finish_loading()  # what the page does right after painting: results and progress
    page.grab()
    complete = time.perf_counter() - start
    model = page.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.method == "扣分")
    columns = [
        c
        for c in range(len(FIXED), model.columnCount())
        if model.flags(model.index(row, c)) & Qt.ItemFlag.ItemIsEditable
    ]
    timings = []
    for n, value in enumerate(("0.5", "1", "0", "0.5", "0") * 4):
        index = model.index(row, columns[n % len(columns)])
        start = time.perf_counter()
        assert model.setData(index, value), page.message.text()
        QApplication.processEvents()
        timings.append(time.perf_counter() - start)
    print(f"{label}:")
    print(
        f"  grid open to first paint: {opened:.3f} s (results and progress shown: {complete:.3f} s)"
    )
    print(
        f"  one edit to updated ranks: median {statistics.median(timings) * 1000:.0f} ms, "
        f"best {min(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
        f"of {len(timings)}"
    )
    page.close()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "large.db")
        build_large_round(db)
        measure(db, "80 units x 155 leaves x 5 assessors")
        db.dispose()
        db = open_database(Path(folder) / "demo.db")
        build_demo(db)
        measure(db, "demo round (80 units x 102 leaves)")
        db.dispose()
    del app


if __name__ == "__main__":
    main()
