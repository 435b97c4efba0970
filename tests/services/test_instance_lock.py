"""A second program on the same database is refused; a crashed program's lock is taken over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.services import instance_lock
from app.services.instance_lock import DatabaseInUse, NetworkDatabase, acquire, lock_path_for

HOLD_LOCK = """
import sys, time
from pathlib import Path
from app.services.instance_lock import acquire
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
    assert not lock_path_for(db_path).exists()


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
