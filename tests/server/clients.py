"""Many clients scoring one round at once (issue 18), for the concurrency test and the
benchmark: each is a process of its own with its own connection, editing through the grid's
service as the window does (each change carrying the value its client last saw), some cells
shared by every client, the others each client's own. Every acknowledged write and every
refusal is reported back, then checked against the database and the change log."""

from __future__ import annotations

import multiprocessing
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import StorageError
from app.models import ChangeLog
from app.models.database import Database
from app.models.opening import open_database
from app.services.access.actor import Actor, acting_as
from app.services.access.audit import verify_chain
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellChange, CellConflict, GridData, apply_changes, load_grid
from app.services.review.results import compute_round_results
from tests.small_round import ROUND, build_small_round

SOURCE = "并发客户端"
SHARED = 4  # cells every client edits: where the conflicts happen
Cell = tuple[int, int, int]


def prepare(db: Database, folder: Path, units: int) -> list[Cell]:
    """A round of ``units`` units × 2 leaves × 1 assessor, every cell deducted 1."""
    build_small_round(db, folder, [f"单位{n:02d}" for n in range(units)])
    grid = load_grid(db, ROUND)
    return sorted(grid.cells)


@dataclass
class Report:
    """One client's record: (cell, token, what it saw, latency s, acknowledged at)."""

    client: int
    acked: list[tuple[Cell, str, Any, float, float]] = field(default_factory=list)
    conflicts: list[tuple[Cell, str]] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)  # refused after waiting its turn too long
    errors: list[str] = field(default_factory=list)


def client(
    url: str,
    number: int,
    clients: int,
    cells: list[Cell],
    seconds: float,
    edits: int,
    least: int,
    pause: float,
    ready: Any,
    out: Any,
) -> None:
    """Edit until ``seconds`` have passed (but at least ``least`` times: a busy machine still
    gets a test) or ``edits`` are made; the value each change saw is what this client last
    wrote or was told is there (as the grid keeps it). ``pause``: seconds between edits (a
    clerk types; 0: as fast as the machine goes)."""
    db = open_database(url)
    report = Report(number)
    try:
        own = [c for i, c in enumerate(cells[SHARED:]) if i % clients == number]
        shown: dict[Cell, CellValue | None] = dict(load_grid(db, ROUND).cells)
        chooser = random.Random(number)
        ready.wait()
        until = time.monotonic() + seconds
        with acting_as(Actor(f"客户端{number:02d}", "考核办")):
            for i in range(edits):
                if i >= least and time.monotonic() > until:
                    break
                cell = chooser.choice(cells[:SHARED] if chooser.random() < 0.3 else own)
                token = f"c{number}-{i}"
                value = CellValue(deduction=Decimal(chooser.randint(1, 9)), reason=token)
                seen = shown.get(cell)
                started = time.perf_counter()
                try:
                    apply_changes(db, ROUND, [CellChange(*cell, value, seen)], source=SOURCE)
                except CellConflict as conflict:
                    report.conflicts.append((cell, token))
                    shown[cell] = conflict.stored[cell]
                    continue
                except StorageError:  # told, nothing written: SQLite, 20 processes on a file
                    report.busy.append(token)
                    continue
                except Exception as error:  # reported, and the test fails on it
                    report.errors.append(f"{type(error).__name__}: {error}")
                    continue
                report.acked.append(
                    (cell, token, _logged(seen), time.perf_counter() - started, time.time())
                )
                shown[cell] = value
                if pause:
                    time.sleep(chooser.uniform(0, 2 * pause))
    finally:
        db.dispose()
        out.put(report)


def _logged(value: CellValue | None) -> dict[str, str] | None:
    """A cell as the change log keeps it (扣分 and 理由 are all these cells hold)."""
    if value is None:
        return None
    return {"扣分": str(value.deduction), "理由": value.reason}


def run_clients(
    url: str,
    cells: list[Cell],
    clients: int,
    seconds: float,
    edits: int,
    least: int = 0,
    pause: float = 0,
) -> list[Report]:
    """The clients as processes started together once all have read the round: forked from a
    fresh server process that has imported the program once (nothing of this process's
    connections or Qt shared; twenty clients start in a second rather than each importing)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    ready = context.Barrier(clients + 1)
    out = context.Queue()
    processes = [
        context.Process(
            target=client,
            args=(url, n, clients, cells, seconds, edits, least, pause, ready, out),
            daemon=True,
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    ready.wait(timeout=120)
    reports = [out.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return sorted(reports, key=lambda r: r.client)


def check(db: Database, before: GridData, reports: list[Report]) -> None:
    """Every acknowledged write in the log exactly once, over the value its client saw (no
    write lost under another), every refused one nowhere; the stored cells are the last
    acknowledged writes; the chain verifies; the results equal the incremental results of
    the initial grid fed the acknowledged writes."""
    errors = [e for r in reports for e in r.errors]
    assert errors == [], errors[:3]
    acked = {token: (cell, seen) for r in reports for cell, token, seen, *_ in r.acked}
    refused = {token for r in reports for _cell, token in r.conflicts} | {
        token for r in reports for token in r.busy
    }
    with db.reading() as session:
        records = session.scalars(
            select(ChangeLog).where(ChangeLog.source == SOURCE).order_by(ChangeLog.id)
        ).all()
    tokens = [r.new["理由"] for r in records]
    assert len(tokens) == len(set(tokens)) == len(acked)
    assert set(tokens) == set(acked) and not refused & set(tokens)
    last: dict[Cell, CellValue] = {}
    for record in records:
        cell, seen = acked[record.new["理由"]]
        if cell in last:  # the first write on a cell saw the value it started with
            assert seen == _logged(last[cell]), record.new
        last[cell] = CellValue(deduction=Decimal(record.new["扣分"]), reason=record.new["理由"])
    after = load_grid(db, ROUND)
    expected = {**before.cells, **last}
    assert after.cells == expected
    report = verify_chain(db)
    assert report.first_broken is None, report.problem
    live = before.live_results()
    for cell, value in last.items():
        before.store(*cell, value)
    computed = compute_round_results(db, ROUND).result.units
    assert [(u.unit, u.final, u.rank) for u in live.result().units] == [
        (u.unit, u.final, u.rank) for u in computed
    ]
