"""Time the documents on the demo round (prints figures).

Run: python benchmarks/bench_documents.py
Targets: 80 notices under 4 s in total; the full 通报 with charts and 80 score sheets under 10 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.opening import open_database
from app.services.demo import DEMO_ROUND, build_demo
from app.services.notices import RECTIFICATION, issue_notices
from app.services.reports import write_report


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    db = open_database(folder / "demo.db")
    build_demo(db)
    started = time.perf_counter()
    issued = issue_notices(db, DEMO_ROUND, RECTIFICATION, folder / "notices", selection="all")
    notices_time = time.perf_counter() - started
    pages = sum(len(p.read_bytes()) for p in (folder / "notices").glob("*.pdf")) // 1024
    print(f"{len(issued)} notices (one PDF each, {pages:,} KB): {notices_time:.2f} s")
    started = time.perf_counter()
    write_report(db, DEMO_ROUND, folder / "report.pdf", None)
    report_time = time.perf_counter() - started
    size = (folder / "report.pdf").stat().st_size // 1024
    print(f"通报 with charts and 80 score sheets ({size:,} KB): {report_time:.2f} s")
    started = time.perf_counter()
    write_report(db, DEMO_ROUND, None, folder / "report.xlsx")
    print(f"the same tables as .xlsx: {time.perf_counter() - started:.2f} s")
    db.dispose()


if __name__ == "__main__":
    main()
