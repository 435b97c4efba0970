"""A process killed inside a write transaction leaves a hot journal: the start check must roll
it back and call the file sound, not damaged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from app.services.maintenance.health import check_at_start, file_problems

KILLED_WRITER = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA cache_size=1")
connection.execute("BEGIN IMMEDIATE")
connection.executemany("INSERT INTO t VALUES (?)", [(str(i) * 50,) for i in range(20000)])
connection.execute("UPDATE t SET v = 'changed'")
os._exit(0)  # dies without commit or rollback, as under SIGKILL
"""


def test_hot_journal_is_rolled_back_not_reported_as_damage(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE t (v TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("kept",)] * 100)
    connection.close()
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)], check=True)
    assert db.with_name("k.db-journal").exists()

    assert file_problems(db) == []
    check_at_start(db)  # does not raise
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT v, count(*) FROM t GROUP BY v").fetchall()
    assert rows == [("kept", 100)]
