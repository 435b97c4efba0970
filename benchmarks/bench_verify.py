"""Time the state check (`audit verify`, issue 15 §1) on generated rounds of growing size up to
80 units x 155 leaves x 5 assessors (about 62,000 score entries) and on the demo, and what
sealing adds to one grid edit (one unit's scores resealed, the seals' digest, the record
chained). Prints figures (targets: the check under 1 s for a year's database; an edit's
sealing a few ms)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_round import LARGE_ROUND, build_large_round

from app.demo.build import DEMO_ROUND, build_demo
from app.models.database import Database
from app.models.opening import open_database
from app.services.access import audit, sealing, state_seal
from app.services.access.state_verify import verify_state
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellChange, apply_changes, load_grid


def timed_verify(db: Database, repeat: int = 5) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds of the whole check, and the groups and rows it read."""
    verify_state(db)  # warm: the file in the page cache, SQLAlchemy's statements compiled
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        report = verify_state(db)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert report.ok, report.summary()
    return statistics.median(walls), statistics.median(cpus), report.groups, report.rows


def entries(db: Database) -> int:
    with db.reading() as session:
        return int(
            session.connection().exec_driver_sql("SELECT count(*) FROM score_entries").scalar_one()
        )


def sealing_cost(db: Database, round_name: str, edits: int = 20) -> None:
    """One typed cell at a time, as the grid writes it: the edit's whole transaction, and the
    part of it spent sealing — the unit's group compared with its seal before the write,
    sealed again at commit, the state's digest, the record chained. (The commit's flush of
    the cell itself and SQLite's fsync are in the first figure, not the second.)"""
    grid = load_grid(db, round_name)
    leaf = next(leaf for leaf in grid.leaves if leaf.method == "扣分")
    spent: list[float] = []
    parts = (
        (sealing, "_check_before_writing"),
        (state_seal, "reseal"),
        (state_seal, "whole_digest"),
        (audit, "chain_records"),
    )
    originals = [getattr(module, name) for module, name in parts]

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[-1] += time.perf_counter() - start

        return run

    for (module, name), original in zip(parts, originals, strict=True):
        setattr(module, name, timed(original))
    totals = []
    try:
        for n in range(edits):
            unit = grid.units[n % len(grid.units)]
            assessor = next(
                a.id
                for a in grid.panel
                if grid.own_units.get(a.id) != unit.id and leaf.id in grid.assignments.get(a.id, {})
            )
            value = CellValue(deduction=Decimal(n % 2 + 1) / 2, reason="基准测试")
            spent.append(0.0)
            start = time.perf_counter()
            apply_changes(db, grid.round_id, [CellChange(unit.id, leaf.id, assessor, value)])
            totals.append(time.perf_counter() - start)
    finally:
        for (module, name), original in zip(parts, originals, strict=True):
            setattr(module, name, original)
    print(
        f"  one grid edit: {statistics.median(totals) * 1000:.1f} ms in all, of which sealing "
        f"{statistics.median(spent) * 1000:.1f} ms (median of {edits})"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    print("state check (verify_state), median of 5:")
    for units in (10, 20, 40, 80):
        db = open_database(folder / f"large-{units}.db")
        build_large_round(db, units=units)
        wall, cpu, groups, rows = timed_verify(db)
        print(
            f"  {units:>3} units: {entries(db):>6} entries, {groups:>4} groups, {rows:>6} rows: "
            f"{wall:.3f} s ({cpu:.3f} s CPU), {wall / max(rows, 1) * 1e6:.1f} µs a row"
        )
        if units == 80:
            sealing_cost(db, LARGE_ROUND)
        db.dispose()
    db = open_database(folder / "demo.db")
    start = time.perf_counter()
    build_demo(db)
    print(f"demo built in {time.perf_counter() - start:.1f} s")
    wall, cpu, groups, rows = timed_verify(db)
    print(
        f"  demo: {entries(db)} entries, {groups} groups, {rows} rows: "
        f"{wall:.3f} s ({cpu:.3f} s CPU)"
    )
    sealing_cost(db, DEMO_ROUND)
    db.dispose()


if __name__ == "__main__":
    main()
