"""Clients scoring one round at once (issue 18): 20 processes on a server (6 on one SQLite
file, where writers queue on the file; 20 × 500 edits in benchmarks/server_concurrency.py),
some on the same cells, for a few seconds; nothing acknowledged is lost, nothing refused is
written, every refusal reached its writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models.database import Database
from app.services.entry.grid import load_grid
from tests.server.clients import ROUND, check, prepare, run_clients

CLIENTS = {"postgresql": 20, "sqlite": 6}
SECONDS = 3.0
LEAST = 10  # edits per client however slow the machine


@pytest.mark.parametrize("engine", ["postgresql", "sqlite"])
def test_clients_at_once_lose_nothing(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db: Database = request.getfixturevalue("pg_db" if engine == "postgresql" else "db")
    cells = prepare(db, tmp_path, units=16)
    before = load_grid(db, ROUND)
    url = db.engine.url.render_as_string(hide_password=False)
    reports = run_clients(url, cells, CLIENTS[engine], SECONDS, edits=10_000, least=LEAST)
    assert all(len(r.acked) + len(r.conflicts) + len(r.busy) >= LEAST for r in reports)
    if engine == "postgresql":  # a server never makes a writer wait that long
        assert not any(r.busy for r in reports)
    assert sum(len(r.conflicts) for r in reports) > 0  # and met on the shared cells
    check(db, before, reports)
