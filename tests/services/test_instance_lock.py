"""A second program on the same database is refused; a crashed program's lock is taken over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.services.maintenance import instance_lock
from app.services.maintenance.instance_lock import (
    DatabaseInUse,
    NetworkDatabase,
    acquire,
    lock_path_for,
)

HOLD_LOCK = """
import sys, time
from pathlib import Path
from app.services.maintenance.instance_lock import acquire
held = acquire(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(60)
"""


def test_second_instance_is_refused_until_the_first_is_gone(tmp_path: Path) -> None:
    db_path = tmp_path / "k.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseInUse, match="另一个考评程序"):
            acquire(db_path)
    finally:
        holder.kill()  # a crash: the lock file stays behind, the OS lock does not
        holder.wait()
    assert lock_path_for(db_path).exists()
    lock = acquire(db_path)
    lock.release()
    # Kept: another process may have it open and be waiting; a new file would be a new lock.
    assert lock_path_for(db_path).exists()


def test_same_process_cannot_open_twice(tmp_path: Path) -> None:
    lock = acquire(tmp_path / "k.db")
    try:
        if sys.platform != "win32":  # flock locks are per open file, so this is refused too
            with pytest.raises(DatabaseInUse):
                acquire(tmp_path / "k.db")
    finally:
        lock.release()


def test_network_share_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instance_lock, "_posix_mount_type", lambda path: "cifs")
    monkeypatch.setattr(instance_lock.sys, "platform", "linux")
    with pytest.raises(NetworkDatabase, match="网络共享"):
        acquire(tmp_path / "k.db")


def test_local_disk_is_not_a_network_share(tmp_path: Path) -> None:
    assert instance_lock._posix_mount_type(tmp_path) not in instance_lock.NETWORK_FILESYSTEMS


RACER = """
import os, sys, time
from pathlib import Path
from app.services.maintenance.instance_lock import DatabaseInUse, acquire
db, inside, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
held = overlaps = 0
print("ready", flush=True)
sys.stdin.readline()  # all start together
end = time.monotonic() + seconds
while time.monotonic() < end:
    try:
        lock = acquire(db)
    except DatabaseInUse:
        continue
    held += 1
    try:  # only one process may ever be here
        os.close(os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        overlaps += 1
    else:
        os.unlink(inside)
    lock.release()
print(held, overlaps, flush=True)
"""


def test_three_processes_never_hold_the_lock_together(tmp_path: Path) -> None:
    """Issue 15: release() deleted the lock file after unlocking, so a process waiting on the
    old file and one opening a new file both held "the" lock (~10,000 times in 20 s; with that
    bug put back, a race of 1 s found 19 to 157 overlaps, so 1.5 s, not 3)."""
    db_path = tmp_path / "k.db"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(db_path), str(tmp_path / "inside"), "1.5"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for _ in range(3)
    ]
    try:
        for racer in racers:
            assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        results = [racer.communicate(timeout=30)[0].split() for racer in racers]
    finally:
        for racer in racers:
            racer.kill()
    held = [int(r[0]) for r in results]
    overlaps = [int(r[1]) for r in results]
    assert sum(held) > 100  # the race really ran
    assert overlaps == [0, 0, 0]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra rights on Windows")
def test_a_symlink_or_a_url_with_options_meets_the_same_lock(tmp_path: Path) -> None:
    """Issue 15: ``?timeout=30`` or a symlink to the file got a separate lock."""
    import os

    from app.models.opening import sqlite_path

    real = tmp_path / "data" / "k.db"
    real.parent.mkdir()
    link = tmp_path / "link.db"
    os.symlink(real, link)
    lock = acquire(real)
    try:
        with pytest.raises(DatabaseInUse):
            acquire(link)
        with pytest.raises(DatabaseInUse):
            acquire(tmp_path / "data" / ".." / "data" / "k.db")
        for name in (f"sqlite:///{real}?timeout=30", str(link), f"sqlite:///{link}"):
            found = sqlite_path(name)
            assert found is not None
            with pytest.raises(DatabaseInUse):
                acquire(found)
    finally:
        lock.release()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra rights on Windows")
def test_the_command_line_refuses_a_second_program_however_the_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from app.__main__ import main

    db_path = tmp_path / "k.db"
    link = tmp_path / "link.db"
    os.symlink(db_path, link)
    assert main(["--db", str(db_path), "units", "list"]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        for name in (str(link), f"sqlite:///{db_path}?timeout=30"):
            assert main(["--db", name, "units", "list"]) == 2
            assert "正被另一个考评程序使用" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
