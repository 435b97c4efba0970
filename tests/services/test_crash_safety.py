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

from app.demo.build import DEMO_ROUND
from tests.workbooks import write_area_one_deductions

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


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """The command run in this process, as `run_cli` does: the checks after a kill need no
    fresh interpreter (only the killed writer does), and ~1.5 s of imports each added up."""
    from app.__main__ import main

    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def results(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    code, out, err = cli(capsys, db, "results", "--round", DEMO_ROUND, "--json")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def big_import(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every unit x every area-1 leaf gets a new deduction from one assessor: a long write."""
    return write_area_one_deductions(demo_db_file, tmp_path_factory.mktemp("crash") / "big.xlsx")


def start_import(db: Path, workbook: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "scores", "import", str(workbook),
         "--round", DEMO_ROUND],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def journal_of(db: Path) -> Path:
    """SQLite's rollback journal: there while a write transaction is open."""
    return db.with_name(db.name + "-journal")


def wait_for_journal(process: subprocess.Popen[bytes], db: Path, seconds: float) -> float:
    """When the write began (perf_counter), or the process's end if it never did."""
    deadline = time.perf_counter() + seconds
    while not journal_of(db).exists():
        if process.poll() is not None or time.perf_counter() > deadline:
            break
        time.sleep(0.002)
    return time.perf_counter()


def test_killed_import_leaves_before_or_after(
    demo_db_file: Path, big_import: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kills are timed by the import's own write (its journal appearing), from its start to
    past its commit: a kill at a fixed share of the run's time mostly missed the write, which
    is the last tenth of it."""
    before_db = tmp_path / "before.db"
    shutil.copy(demo_db_file, before_db)
    before = results(capsys, before_db)
    after_db = tmp_path / "after.db"
    shutil.copy(demo_db_file, after_db)
    done = start_import(after_db, big_import)
    write_began = wait_for_journal(done, after_db, seconds=120)
    _, stderr = done.communicate(timeout=120)
    assert done.returncode == 0, stderr.decode()
    writing = max(time.perf_counter() - write_began, 0.05)  # the write and the exit after it
    after = results(capsys, after_db)
    assert after != before
    rng = random.Random(7)
    outcomes = []
    hot_journals = []  # a journal left behind means the kill hit an open write transaction
    for attempt, share in enumerate((0.0, 0.4, 0.8, 1.5)):  # of the write's time, after it began
        victim = tmp_path / f"victim{attempt}.db"
        shutil.copy(demo_db_file, victim)
        process = start_import(victim, big_import)
        wait_for_journal(process, victim, seconds=120)
        time.sleep(writing * share * rng.uniform(0.9, 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.stderr is not None
        process.stderr.close()
        hot_journals.append(journal_of(victim).exists())
        code, _, err = cli(capsys, victim, "check")  # also proves the stale lock is taken over
        assert code == 0, err
        state = results(capsys, victim)
        assert state in (before, after)
        outcomes.append(state == after)
    print(f"write {writing:.2f} s; committed: {outcomes}; killed mid-write: {hot_journals}")


SCORING_SESSION = r"""
import sys
from decimal import Decimal
from app.models.opening import open_database
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellChange, apply_changes, load_grid

db = open_database(sys.argv[1])
grid = load_grid(db, sys.argv[2])
leaves = [l for l in grid.leaves if l.method == "扣分"]
assessor = grid.panel[0].id
blocks = [
    [
        CellChange(u.id, leaf.id, assessor,
                   CellValue(deduction=Decimal("0.5"), reason=f"第{batch}批"))
        for u in grid.units if grid.applies(leaf, u)
    ]
    for batch, leaf in enumerate(leaves, start=1)
]
print(" ".join(str(len(b)) for b in blocks), flush=True)  # the plan: each block's size
for batch, changes in enumerate(blocks, start=1):
    apply_changes(db, sys.argv[2], changes)  # one user action = one transaction
    print(batch, flush=True)
"""


def test_killed_while_scoring_keeps_every_finished_edit_and_no_half_one(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Edits in the grid (a pasted block each) while the process is killed at a random
    moment: every block reported done is there whole, the one under way is wholly absent."""
    import sqlite3

    rng = random.Random(11)
    for attempt in range(3):
        victim = tmp_path / f"scoring{attempt}.db"
        shutil.copy(demo_db_file, victim)
        with sqlite3.connect(victim) as connection:
            log_before = connection.execute("SELECT count(*) FROM change_log").fetchone()[0]
        process = subprocess.Popen(
            [sys.executable, "-c", SCORING_SESSION, str(victim), DEMO_ROUND],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        sizes = [int(n) for n in process.stdout.readline().split()]
        finished: list[int] = []
        wanted = 3 + rng.randrange(6)
        while len(finished) < wanted:
            line = process.stdout.readline()
            if not line:
                break
            finished.append(int(line))
        time.sleep(rng.uniform(0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished += [int(line) for line in process.stdout.read().split()]
        assert cli(capsys, victim, "check")[0] == 0
        assert cli(capsys, victim, "audit", "verify")[0] == 0
        with sqlite3.connect(victim) as connection:
            present = dict(
                connection.execute(
                    "SELECT reason, count(*) FROM score_entries WHERE reason LIKE '第%批' "
                    "GROUP BY reason"
                ).fetchall()
            )
            logged = connection.execute("SELECT count(*) FROM change_log").fetchone()[0]
        committed = len(present)
        assert committed in (len(finished), len(finished) + 1)  # at most the one under way
        for batch in range(1, committed + 1):
            assert present[f"第{batch}批"] == sizes[batch - 1]  # each block whole, none half
        assert logged - log_before == sum(present.values())  # each cell logged, no more
