"""A fast start: opening the main window loads none of the heavy libraries (they load when a
workbook is written, a PDF drawn or a chart shown)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Alembic too: it is needed only when a file is older than the program.
HEAVY = ("openpyxl", "matplotlib", "numpy", "reportlab", "alembic")
OPEN_WINDOW = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.models.opening import open_database
from app.ui.main_window import MainWindow
db = open_database(sys.argv[1])
window = MainWindow(db, "start")
window.show()
app.processEvents()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2:])))
"""


def test_opening_the_window_loads_no_heavy_library(demo_db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "start.db"
    db.write_bytes(demo_db_file.read_bytes())
    done = subprocess.run(
        [sys.executable, "-c", OPEN_WINDOW, str(db), *HEAVY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_column_letters_match_excel() -> None:
    from openpyxl.utils import get_column_letter

    from app.io.readers.sheet_table import column_letter

    assert all(column_letter(n) == get_column_letter(n) for n in range(1, 18279))
