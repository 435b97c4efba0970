"""Time the documents on the demo round (prints figures).

Run: python benchmarks/bench_documents.py
Targets: 80 notices under 4 s in total; the full 通报 (the 通报 with its charts, and its 附件 of
80 score sheets bound apart) under 10 s; the page count shown before printing in a few seconds.
Wall time and the process's CPU time are both printed: on a shared machine the CPU time is the
steadier figure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.demo.build import DEMO_ROUND, build_demo
from app.documents.official.tables import row_layout
from app.models.opening import open_database
from app.services.publishing.notices import RECTIFICATION, issue_notices
from app.services.publishing.reports import report_pages, write_report


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    row_layout.cache_clear()  # each figure from cold, as the first report of a session
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    db = open_database(folder / "demo.db")
    build_demo(db)
    out = folder / "notices"
    issued, wall, cpu = timed(
        lambda: issue_notices(db, DEMO_ROUND, RECTIFICATION, out, selection="all")
    )
    size = sum(p.stat().st_size for p in out.glob("*.pdf")) // 1024
    print(
        f"{len(issued)} notices (one PDF each, {size:,} KB), fonts loaded on the way: "
        f"{wall:.2f} s (CPU {cpu:.2f} s)"
    )
    pages, wall, cpu = timed(lambda: report_pages(db, DEMO_ROUND))
    print(
        f"page count before printing (通报 {pages.report}, 附件 {pages.annex} pages): "
        f"{wall:.2f} s (CPU {cpu:.2f} s)"
    )
    report, annex = folder / "report.pdf", folder / "annex.pdf"
    _, wall, cpu = timed(lambda: write_report(db, DEMO_ROUND, report, None, annex=annex))
    size = (report.stat().st_size + annex.stat().st_size) // 1024
    print(
        f"full 通报 with charts, 附件 of 80 score sheets apart ({size:,} KB): "
        f"{wall:.2f} s (CPU {cpu:.2f} s)"
    )
    _, wall, cpu = timed(lambda: write_report(db, DEMO_ROUND, report, None))
    size = report.stat().st_size // 1024
    print(
        f"the 通报 alone, ranking tables and charts ({size:,} KB): {wall:.2f} s (CPU {cpu:.2f} s)"
    )
    _, wall, cpu = timed(lambda: write_report(db, DEMO_ROUND, None, folder / "report.xlsx"))
    print(f"the same tables as .xlsx: {wall:.2f} s (CPU {cpu:.2f} s)")
    db.dispose()


if __name__ == "__main__":
    main()
