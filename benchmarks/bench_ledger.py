"""Time the 整改台账 page on a ledger of 20,000 problems: opening it (the query and the table
model filled) and each filter a clerk uses (prints figures).

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_ledger.py   (target: under 0.5 s each)
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.ledger import SOURCES, STATUSES
from app.models.opening import open_database

PROBLEMS = 20_000
UNITS = 80


def build(path: Path) -> None:
    open_database(path).dispose()
    rng = random.Random(7)
    start = date(2024, 1, 1)
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO units (name, short_name, sort_order, active) VALUES (?, '', ?, 1)",
            [(f"云州市测试局{i:02d}", i) for i in range(UNITS)],
        )
        rows = []
        for n in range(1, PROBLEMS + 1):
            found = start + timedelta(days=rng.randrange(900))
            rows.append(
                (
                    found.year * 0 + 2025,
                    n,
                    f"2025-{n:05d}",
                    rng.choice(SOURCES),
                    rng.randrange(1, UNITS + 1),
                    f"问题描述{n}：执法案卷不规范，需要整改落实",
                    found.isoformat(),
                    (found + timedelta(days=60)).isoformat(),
                    (found + timedelta(days=180)).isoformat(),
                    rng.choice(STATUSES),
                )
            )
        connection.executemany(
            "INSERT INTO problems (year, serial, number, source, source_ref, unit_id, co_units,"
            " description, found_on, notice_number, plan_due, result_due, measures, person,"
            " status, created_at) VALUES (?, ?, ?, ?, '', ?, '', ?, ?, '', ?, ?, '', '', ?,"
            " '2025-01-01 00:00:00')",
            rows,
        )


def timed(label: str, work) -> float:  # work: any callable
    began = time.perf_counter()
    work()
    took = time.perf_counter() - began
    print(f"  {label}: {took:.3f} s")
    return took


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.pages.ledger.page import LedgerPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.db"
        build(path)
        db = open_database(path)
        print(f"整改台账 {PROBLEMS:,} 个问题，{UNITS} 个单位：")
        holder: dict[str, LedgerPage] = {}
        worst = timed(
            "open the page (query + table)", lambda: holder.setdefault("p", LedgerPage(db))
        )
        page = holder["p"]
        page.show()
        app.processEvents()
        for label, change in (
            ("filter by unit", lambda: page.unit_box.setCurrentIndex(5)),
            ("filter by status", lambda: page.status_box.setCurrentIndex(2)),
            ("overdue only", lambda: page.overdue_box.setChecked(True)),
            ("all units again", lambda: page.unit_box.setCurrentIndex(0)),
            ("all statuses again", lambda: page.status_box.setCurrentIndex(0)),
            ("all problems again", lambda: page.overdue_box.setChecked(False)),
        ):
            worst = max(worst, timed(label, change))
        print(f"slowest: {worst:.3f} s (target 0.5 s); rows at the end: {page.model.rowCount():,}")
        db.dispose()


if __name__ == "__main__":
    main()
