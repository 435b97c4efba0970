"""An 80 × 155 × 5 round on a SQLite file and on PostgreSQL side by side (issue 18): the
round's results and the grid's data, as the window reads them. The same round is built once in
a file and moved to a throwaway server database with `server import`, so both hold the very
same rows. Median of 5 after one warm-up; the results must agree exactly.

    python benchmarks/server_compare.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_round import LARGE_ROUND, build_large_round

from app.models.database import Database
from app.models.opening import open_database
from app.services.entry.grid import load_grid
from app.services.review.results import compute_round_results
from app.services.server.snapshots import import_file
from tests.postgres import make_template, new_database, server_url


def median_seconds(work: Callable[[], object], runs: int = 5) -> float:
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def finals(db: Database) -> list[tuple[str, str]]:
    return [(u.unit, str(u.final)) for u in compute_round_results(db, LARGE_ROUND).result.units]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.db"
        local = open_database(path)
        build_large_round(local)
        local.dispose()
        for server in server_url():
            started = time.perf_counter()
            _, url = new_database(server, make_template(server, "bench"))
            import_file(url, path)
            moved = time.perf_counter() - started
            local, remote = open_database(path), open_database(url)
            assert finals(local) == finals(remote), "the two engines disagree"
            print(f"80 × 155 × 5（{sum(1 for _ in load_grid(local, LARGE_ROUND).cells)} 格）")
            print(f"server import of the file: {moved:.2f} s")
            print(f"{'':18}{'SQLite':>10}{'PostgreSQL':>12}")
            for label, work in (
                ("results", lambda db: compute_round_results(db, LARGE_ROUND)),
                ("grid data", lambda db: load_grid(db, LARGE_ROUND)),
            ):
                a = median_seconds(lambda w=work, db=local: w(db))
                b = median_seconds(lambda w=work, db=remote: w(db))
                print(f"{label:18}{a:>9.3f}s{b:>11.3f}s")
            local.dispose()
            remote.dispose()


if __name__ == "__main__":
    main()
