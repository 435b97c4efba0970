"""Time the documents on the demo round (prints figures).

Run: python benchmarks/bench_documents.py
Targets: 80 notices under 4 s in total; the full 通报 with charts and 80 score sheets under 10 s.
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
from app.models.opening import open_database
from app.services.publishing.notices import RECTIFICATION, issue_notices
from app.services.publishing.reports import write_report


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
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
    _, wall, cpu = timed(lambda: write_report(db, DEMO_ROUND, folder / "report.pdf", None))
    size = (folder / "report.pdf").stat().st_size // 1024
    print(f"通报 with charts and 80 score sheets ({size:,} KB): {wall:.2f} s (CPU {cpu:.2f} s)")
    _, wall, cpu = timed(lambda: write_report(db, DEMO_ROUND, None, folder / "report.xlsx"))
    print(f"the same tables as .xlsx: {wall:.2f} s (CPU {cpu:.2f} s)")
    db.dispose()


if __name__ == "__main__":
    main()
