"""Kill the program (SIGKILL) in the middle of a large import: the file stays sound and holds
exactly the state before or after the import, never a half-written one."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.demo import DEMO_ROUND
from tests.workbooks import SCORES_HEADER, write_sheet

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def run(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )


def results(db: Path) -> str:
    done = run(db, "results", "--round", DEMO_ROUND, "--json")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def big_import(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every unit x every area-1 leaf gets a new deduction from one assessor: a long write."""
    import sqlite3

    with sqlite3.connect(demo_db_file) as connection:
        units = [r[0] for r in connection.execute("SELECT name FROM units ORDER BY id")]
        leaves = [
            r[0]
            for r in connection.execute(
                "SELECT code FROM round_nodes WHERE method = '扣分' AND code LIKE '1.%.%'"
            )
        ]
    rows = [
        (u, code, "人大法工委考核组", 0.5, None, None, None, None, "抽查发现问题")
        for u in units
        for code in leaves
    ]
    return write_sheet(tmp_path_factory.mktemp("crash") / "big.xlsx", SCORES_HEADER, rows)


def test_killed_import_leaves_before_or_after(
    demo_db_file: Path, big_import: Path, tmp_path: Path
) -> None:
    before_db = tmp_path / "before.db"
    shutil.copy(demo_db_file, before_db)
    before = results(before_db)
    after_db = tmp_path / "after.db"
    shutil.copy(demo_db_file, after_db)
    started = time.perf_counter()
    done = run(after_db, "scores", "import", str(big_import), "--round", DEMO_ROUND)
    assert done.returncode == 0, done.stderr
    duration = time.perf_counter() - started
    after = results(after_db)
    assert after != before
    rng = random.Random(7)
    outcomes = []
    hot_journals = []  # a journal left behind means the kill hit an open write transaction
    for attempt in range(5):
        victim = tmp_path / f"victim{attempt}.db"
        shutil.copy(demo_db_file, victim)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--db",
                str(victim),
                "scores",
                "import",
                str(big_import),
                "--round",
                DEMO_ROUND,
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * (0.5 + 0.12 * attempt + rng.uniform(0, 0.05)))
        process.send_signal(signal.SIGKILL)
        process.wait()
        hot_journals.append(victim.with_name(victim.name + "-journal").exists())
        check = run(victim, "check")  # also proves the stale lock is taken over
        assert check.returncode == 0, check.stderr
        state = results(victim)
        assert state in (before, after)
        outcomes.append(state == after)
    print(f"import {duration:.1f} s; committed: {outcomes}; killed mid-write: {hot_journals}")
