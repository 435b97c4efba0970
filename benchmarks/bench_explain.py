"""Time `results --explain --json` for every unit of a generated round of 80 units x 155 leaves
x 5 assessors, as a whole process (what the clerk or a script waits for), median of 3.
Target (issue 14): under 1 s.

Run: python benchmarks/bench_explain.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_round import LARGE_ROUND, build_large_round

from app.models.opening import open_database


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.db"
        db = open_database(path)
        build_large_round(db)
        db.dispose()
        command = [
            sys.executable, "-m", "app", "--db", str(path),
            "results", "--round", LARGE_ROUND, "--explain", "--json",
        ]  # fmt: skip
        times = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        explained = json.loads(done.stdout)
        leaves = sum(len(u["leaves"]) for u in explained["units"])
        print(
            f"results --explain --json, {len(explained['units'])} units, {leaves:,} leaf rows, "
            f"{len(done.stdout) / 1e6:.1f} MB: median {statistics.median(times):.2f} s "
            f"(best {min(times):.2f} s; target < 1 s)"
        )


if __name__ == "__main__":
    main()
