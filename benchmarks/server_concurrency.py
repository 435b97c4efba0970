"""Twenty clients scoring one round at once, on one SQLite file and on PostgreSQL side by side
(issue 18): each client a process of its own making 500 edits through the grid's service,
some on cells every client edits. Prints edits per second in all, the median and 95th
percentile from edit to acknowledgement, and on the server how long until another client
hears of a write, from when it began and from when it was acknowledged (LISTEN/NOTIFY; the
window gathers what arrives within a further 150 ms).
Checks afterwards that nothing was lost (tests/server/clients.py). Targets: p95 under 50 ms,
seen elsewhere under 1 s.

    python benchmarks/server_concurrency.py [--clients 20] [--edits 500]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from app.models.database import Database
from app.models.opening import open_database
from app.services.access.audit import log_change
from app.services.changes import Topic
from app.services.entry.grid import load_grid
from app.services.live_changes import listen
from tests.postgres import database_url, server_url
from tests.server.clients import ROUND, check, prepare, run_clients

UNITS = 40  # 80 cells: 4 shared by all, the rest shared out


class Probe:
    """On the server, while the clients work: a write every 200 ms through one connection,
    and the time until a listener on another hears of it."""

    def __init__(self, url: str) -> None:
        self.writer, self.hearer = open_database(url), open_database(url)
        # (acknowledged at, heard after the write began, heard after it was acknowledged) s
        self.delays: list[tuple[float, float, float]] = []
        self._heard_at = 0.0
        self._stop = threading.Event()
        self._heard = threading.Event()
        self._threads = [
            threading.Thread(target=self._listen),
            threading.Thread(target=self._write),
        ]
        for thread in self._threads:
            thread.start()

    def _listen(self) -> None:
        for changes in listen(self.hearer, self._stop.is_set):
            if changes.topics == {Topic.CHANGE_LOG}:  # the probe's, not a score edit
                self._heard_at = time.perf_counter()
                self._heard.set()

    def _write(self) -> None:
        time.sleep(1)  # LISTEN issued
        n = 0
        while not self._stop.is_set():
            self._heard.clear()
            started = time.perf_counter()
            with self.writer.transaction() as session:
                log_change(session, entity="探测", key=str(n), action="新增", old=None, new=n)
            done = time.perf_counter()
            if self._heard.wait(timeout=5):
                heard = self._heard_at
                self.delays.append((time.time(), heard - started, heard - done))
            n += 1
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.writer.dispose()
        self.hearer.dispose()


def measure(
    label: str, db: Database, url: str, folder: Path, clients: int, edits: int, pause: float
) -> dict:
    cells = prepare(db, folder, UNITS)
    before = load_grid(db, ROUND)
    probe = Probe(url) if label == "PostgreSQL" else None
    try:
        reports = run_clients(url, cells, clients, seconds=3600, edits=edits, pause=pause)
    finally:
        if probe is not None:
            probe.stop()
    check(db, before, reports)  # nothing lost, the chain whole, the results right
    acked = [a for r in reports for a in r.acked]
    latencies = sorted(a[3] for a in acked)
    began = min(a[4] - a[3] for a in acked)
    ended = max(a[4] for a in acked)
    attempts = sum(len(r.acked) + len(r.conflicts) + len(r.busy) for r in reports)
    during = [d for d in probe.delays if began <= d[0] <= ended] if probe else []
    seen = sorted(d[1] for d in during)
    after_ack = sorted(d[2] for d in during)
    return {
        "编辑总数": attempts,
        "确认写入": len(acked),
        "冲突（已告知）": sum(len(r.conflicts) for r in reports),
        "等待超时（已告知）": sum(len(r.busy) for r in reports),
        "每秒编辑": f"{attempts / (ended - began):.0f}",
        "确认耗时中位数": f"{statistics.median(latencies) * 1000:.1f} ms",
        "确认耗时 p95": f"{latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms",
        "他端可见 中位数": f"{statistics.median(seen) * 1000:.0f} ms" if seen else "—",
        "他端可见 最长": f"{max(seen) * 1000:.0f} ms" if seen else "—",
        "确认后他端可见 最长": f"{max(after_ack) * 1000:.1f} ms" if seen else "—",
        "校验": "通过",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--pause", type=float, default=0, help="mean seconds between edits")
    parser.add_argument("--server-only", action="store_true", help="PostgreSQL alone")
    args = parser.parse_args()
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        if not args.server_only:
            path = Path(folder) / "kaoping.db"
            db = open_database(path)
            figures["SQLite"] = measure(
                "SQLite", db, str(path), Path(folder), args.clients, args.edits, args.pause
            )
            db.dispose()
        servers = server_url()
        server = next(servers)
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS kaoping_bench"))
            connection.execute(text("CREATE DATABASE kaoping_bench"))
        url = database_url(server, "kaoping_bench")
        db = open_database(url)
        figures["PostgreSQL"] = measure(
            "PostgreSQL", db, url, Path(folder), args.clients, args.edits, args.pause
        )
        db.dispose()
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE kaoping_bench WITH (FORCE)"))
        admin.dispose()
        next(servers, None)  # a cluster started here is stopped
    cells = f"同一批次 {UNITS * 2} 格，其中 4 格人人都改"
    if args.pause:
        cells += f"；每人两次编辑之间平均 {args.pause} 秒"
    else:
        cells += "；每人连续编辑，不停顿"
    print(f"{args.clients} 个客户端 × {args.edits} 次编辑（{cells}）")
    print(f"{'':16}" + "".join(f"{engine:>14}" for engine in figures))
    for key in figures["PostgreSQL"]:
        print(f"{key:16}" + "".join(f"{f[key]!s:>14}" for f in figures.values()))


if __name__ == "__main__":
    main()
