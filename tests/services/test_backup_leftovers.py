"""Issue 15 §2: a program killed in the middle of a backup or of the copy before a migration
leaves no file under a backup's final name; the temporary file is out of the way and gone at
the next start; the copy before a migration appears in the backup list.

The kill is real (SIGKILL) and lands mid-copy: the child copies one page at a time and
stops after the first, so the temporary file really is half-written when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.models.opening import open_database
from app.services.maintenance.backups import check_backup, list_backups
from tests.workbooks import small_units

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

SLOW_COPY = """
import sqlite3, sys, time

class OnePageThenWait(sqlite3.Connection):
    def backup(self, target, **options):
        def progress(status, remaining, total):
            print("copying", flush=True)
            time.sleep(60)  # killed here, one page written
        return super().backup(target, pages=1, progress=progress)

connect = sqlite3.connect
sqlite3.connect = lambda *a, **k: connect(*a, factory=OnePageThenWait, **k)
from app.models.opening import open_database
db = open_database(sys.argv[1])  # an old file: the copy before its migration
if sys.argv[2] == "backup":
    from app.services.maintenance.backups import create_backup
    create_backup(db, "手动")
"""


def kill_mid_copy(db_path: Path, what: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_COPY, str(db_path), what],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "copying"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()


def everything_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


def test_a_backup_killed_mid_copy_leaves_nothing_after_the_next_start(
    run_cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    tmp_path: Path,
    own_settings: Path,
) -> None:
    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    folder = db_path.parent / "backups"
    made_by_import = everything_in(folder)
    kill_mid_copy(db_path, "backup")
    assert "手动" not in [b.reason for b in list_backups(folder)]  # no broken backup listed
    assert everything_in(folder) != made_by_import  # the half-written copy is there for now
    # Another program's copy under way (its process alive) must not be touched.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    in_progress = folder / f".kaoping-20260101-000000-000000-手动.db.{other.pid}.part"
    in_progress.write_bytes(b"being written")
    try:
        assert run_cli("units", "list")[0] == 0  # the next start
        assert everything_in(folder) == sorted([*made_by_import, in_progress.name])
    finally:
        other.kill()
        other.wait()
    assert run_cli("units", "list")[0] == 0
    assert everything_in(folder) == made_by_import


def test_the_copy_before_a_migration_is_listed_and_never_half_written_under_its_name(
    tmp_path: Path, own_settings: Path
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from app.models.migrate import alembic_config, current_revision, head_revision
    from app.models.units import Unit

    old = tmp_path / "去年.db"
    db = open_database(old)
    with db.transaction() as session:
        session.add(Unit(name="市司法局"))
    db.dispose()
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")  # as last month's program left it
    engine.dispose()

    folder = tmp_path / "backups"
    kill_mid_copy(old, "migrate")
    assert list_backups(folder) == []  # no broken copy under a backup's name
    assert not [p for p in everything_in(folder) if not p.startswith(".")]

    from app.__main__ import main

    assert main(["--db", str(old), "units", "list"]) == 0  # opens, copies, migrates
    listed = list_backups(folder)
    assert [b.reason for b in listed] == ["迁移前-0008"]
    check_backup(listed[0].path)  # whole and sound
    assert everything_in(folder) == [listed[0].path.name]  # the killed copy's leftovers gone
    db = open_database(old)
    assert current_revision(db.engine) == head_revision()
    db.dispose()


SLOW_RESTORE = """
import sqlite3, sys, time
from pathlib import Path

calls = [0]

class SlowAtCall(sqlite3.Connection):
    def backup(self, target, **options):
        calls[0] += 1
        if calls[0] != int(sys.argv[3]):
            return super().backup(target, **options)
        def progress(status, remaining, total):
            print("copying", flush=True)
            time.sleep(60)  # killed here, one page written
        return super().backup(target, pages=1, progress=progress)

connect = sqlite3.connect
sqlite3.connect = lambda *a, **k: connect(*a, factory=SlowAtCall, **k)
from app.models.opening import open_database
from app.services.maintenance.restore import restore_backup
restore_backup(open_database(sys.argv[1]), Path(sys.argv[2]), "撤回")
print("copying", flush=True)  # not stopped: finished
"""


def test_a_restore_killed_midway_leaves_the_data_before_or_after_with_its_record(
    run_cli: Callable[..., tuple[int, str, str]],
    db_path: Path,
    tmp_path: Path,
    own_settings: Path,
) -> None:
    import json

    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    backup = run_cli("backup", "create")[1].split("已备份到", 1)[1].strip()
    more = tmp_path / "more.xlsx"
    more.write_bytes(small_units(tmp_path / "m.xlsx").read_bytes())
    from tests.workbooks import UNITS_HEADER, write_sheet

    write_sheet(more, UNITS_HEADER, [(9, "误加的单位", "综合部门", "误加")])
    assert run_cli("units", "import", str(more))[0] == 0
    before = json.loads(run_cli("units", "list", "--json")[1])

    def restore_killed_at(call: int) -> None:
        child = subprocess.Popen(
            [sys.executable, "-c", SLOW_RESTORE, str(db_path), backup, str(call)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "copying"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()

    for call in (1, 2, 3):  # the 恢复前 copy, the staged copy, the copy into the database
        restore_killed_at(call)
        hot = db_path.with_name(db_path.name + "-journal").exists()
        assert hot == (call == 3)  # the last kill landed inside the write to the database
        assert run_cli("check")[0] == 0  # the next start: sound, rolled back
        assert json.loads(run_cli("units", "list", "--json")[1]) == before
        actions = [r["action"] for r in json.loads(run_cli("audit", "list", "--json")[1])]
        assert "恢复" not in actions
        assert not list(db_path.parent.glob(f".{db_path.name}.*"))  # nothing left beside it
    restore_killed_at(99)  # runs to the end
    after = json.loads(run_cli("units", "list", "--json")[1])
    assert "误加的单位" in [u["name"] for u in before] and "误加的单位" not in [
        u["name"] for u in after
    ]
    assert json.loads(run_cli("audit", "list", "--json")[1])[-1]["action"] == "恢复"
    assert run_cli("audit", "verify")[0] == 0
