"""Issue 15 §2: a full disk and a read-only medium each give
a clear message naming the place; reading commands still work on read-only media and on a
full disk; nothing half-written is left.

The media are real: a small tmpfs mounted for the test (tests run as root here, and root
ignores file permissions, so chmod cannot make a folder read-only; a read-only mount can).
Where mounting is not allowed the test is skipped, never faked.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.workbooks import small_framework, small_scores, small_units

Cli = Callable[..., tuple[int, str, str]]
ROUND = "2025年度"
SCORES = [
    ("市司法局", "1.1.1", "甲组", 0.5, None, None, None, None, "制度未更新"),
    ("市公安局", "1.1.1", "甲组", 1, None, None, None, None, "多项制度缺失"),
]
NEW_SCORES = [
    (unit, code, group, 0.5, None, None, None, None, f"抽查{n}")
    for n, (unit, code, group) in enumerate(
        (u, c, g)
        for u in ("市司法局", "市公安局", "市财政局", "市档案馆")
        for c in ("1.1.1", "2.1.2")
        for g in ("甲组", "乙组", "丙组")
    )
]
KILLED_WRITER = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE score_entries SET reason = 'half-written'")
connection.execute("DELETE FROM units WHERE id NOT IN (SELECT unit_id FROM score_entries)")
os._exit(0)  # no commit, no rollback: a hot journal stays
"""


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB filesystem of its own, to fill up or make read-only."""
    if not sys.platform.startswith("linux"):
        pytest.skip("mounts a tmpfs (Linux)")
    where = tmp_path / "disk"
    where.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def db_path(disk: Path) -> Path:
    """run_cli works on a database on the test's own disk."""
    return disk / "考评" / "kaoping.db"


@pytest.fixture
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


@pytest.fixture
def year(run_cli: Cli, tmp_path: Path, db_path: Path, own_settings: Path) -> Cli:
    db_path.parent.mkdir()
    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    fw = small_framework(tmp_path / "fw.xlsx")
    assert run_cli("framework", "import", str(fw), "--name", "小体系")[0] == 0
    code, _, err = run_cli("round", "create", "--name", ROUND, "--framework", "小体系",
                           "--year", "2025")  # fmt: skip
    assert code == 0, err
    for name in ("甲组", "乙组", "丙组"):  # imports never create assessors (issue 14 §4)
        assert run_cli("assessor", "add", name)[0] == 0
    assert run_cli("scores", "import", str(small_scores(tmp_path / "s.xlsx", SCORES)),
                   "--round", ROUND)[0] == 0  # fmt: skip
    return run_cli


def results(run_cli: Cli) -> dict:
    code, out, err = run_cli("results", "--round", ROUND, "--json")
    assert code == 0, err
    return json.loads(out)


def fill(disk: Path) -> Path:
    """Write until the disk is full."""
    filler = disk / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.rglob("*") if p.name.endswith(("-journal", ".part", ".part-journal"))
    )


def reading_commands_work(run_cli: Cli) -> None:
    for command in (
        ("results", "--round", ROUND, "--json"),
        ("round", "list"),
        ("audit", "verify"),
        ("check",),
        ("units", "list"),
    ):
        code, _, err = run_cli(*command)
        assert code == 0, (command, err)


def test_read_only_media_still_answer_the_reading_commands(
    year: Cli, disk: Path, db_path: Path, tmp_path: Path
) -> None:
    before = results(year)
    db_path.with_name(db_path.name + ".lock").unlink(
        missing_ok=True
    )  # as copied to a CD: no lock file
    assert _mount("-o", "remount,ro", str(disk))
    reading_commands_work(year)
    assert results(year) == before
    code, _, err = year("units", "import", str(small_units(tmp_path / "again.xlsx")))
    assert code == 2 and "只读" in err and str(db_path) in err
    code, _, err = year("backup", "create")
    assert code == 2 and "只读" in err
    assert not db_path.with_name(db_path.name + ".lock").exists()


def test_an_unfinished_write_on_read_only_media_is_explained_not_read(
    year: Cli, disk: Path, db_path: Path
) -> None:
    before = results(year)
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db_path)], check=True)
    assert db_path.with_name(db_path.name + "-journal").exists()
    assert _mount("-o", "remount,ro", str(disk))
    code, _, err = year("results", "--round", ROUND, "--json")
    assert code == 2 and "未完成的写入" in err and str(db_path.parent) in err
    assert _mount("-o", "remount,rw", str(disk))
    assert results(year) == before  # rolled back once the folder can be written


def test_a_full_disk_stops_an_import_with_a_message_and_leaves_nothing(
    year: Cli, disk: Path, db_path: Path, tmp_path: Path
) -> None:
    before = results(year)
    new = small_scores(tmp_path / "new.xlsx", SCORES + NEW_SCORES)
    filler = fill(disk)

    # The backup beside the database cannot be made: the import does not start.
    code, _, err = year("scores", "import", str(new), "--round", ROUND)
    assert code == 2 and "磁盘已满" in err and str(db_path.parent / "backups") in err
    assert leftovers(disk) == []
    assert results(year) == before

    # Backups elsewhere: the import itself finds the disk full and is rolled back whole.
    filler.unlink()
    elsewhere = tmp_path / "备份"
    assert year("backup", "folder", str(elsewhere))[0] == 0
    filler = fill(disk)
    code, _, err = year("scores", "import", str(new), "--round", ROUND)
    assert code == 2 and "磁盘已满" in err and str(db_path) in err and "未写入" in err
    assert leftovers(disk) == [] and leftovers(elsewhere) == []
    assert not list(elsewhere.glob("kaoping-*导入评分前.db"))  # nothing changed: no backup
    assert results(year) == before

    # Every reading command still works on the full disk, even without a lock file yet.
    db_path.with_name(db_path.name + ".lock").unlink(missing_ok=True)
    reading_commands_work(year)
