"""One program per database file, and never on a network share.

The lock is an operating-system lock on a small file beside the database's real file (symlinks
resolved, a URL's options ignored), so every way of naming the file meets the same lock. The
system drops it when the process ends, however it ends, so a lock left by a crash is taken over.
The lock file itself is never deleted: another process may have it open and be waiting on it,
and a new file under the same name would be a second, separate lock.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from app.errors import UserError, os_reason

NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "afs", "ncpfs", "9p"}


class DatabaseInUse(UserError):
    pass


class NetworkDatabase(UserError):
    pass


class LockUnavailable(UserError):
    """The lock file cannot be created (read-only medium, full disk, no permission): nothing
    can be written there, so only reading is possible."""


def _posix_mount_type(path: Path) -> str | None:
    """The filesystem type of the longest mount point above the path (/proc/mounts)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, kind = mount_point, parts[2]
    return kind


def _windows_is_remote(path: Path) -> bool:
    text = str(path.resolve())
    if text.startswith("\\\\"):  # UNC path: \\server\share\...
        return True
    import ctypes

    drive = os.path.splitdrive(text)[0] + "\\"
    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote)  # type: ignore[attr-defined]  # Windows only


def is_network_path(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    if sys.platform == "win32":
        return _windows_is_remote(folder)
    return _posix_mount_type(folder) in NETWORK_FILESYSTEMS


@dataclass
class InstanceLock:
    """Held while a program works on the database; release() or process exit frees it."""

    path: Path
    handle: IO[str]

    def release(self) -> None:
        if self.handle.closed:
            return
        _unlock(self.handle)
        self.handle.close()


def _try_lock(handle: IO[str]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass  # closing the handle frees it anyway


def real_path(db_path: Path) -> Path:
    """The file itself: a symlink, "..", or a relative name all lead to one lock."""
    return Path(os.path.realpath(db_path))


def lock_path_for(db_path: Path) -> Path:
    real = real_path(db_path)
    return real.with_name(real.name + ".lock")


def acquire(db_path: Path, *, allow_network: bool = False) -> InstanceLock:
    """Refuse a second program on the same file; take over a lock its dead owner left."""
    if not allow_network and is_network_path(db_path):
        raise NetworkDatabase(
            f"数据库 {db_path} 位于网络共享上。SQLite 在网络盘上的锁不可靠，可能损坏数据；"
            "请把数据库放在本机磁盘上（可用“备份”复制到共享目录交换）。"
        )
    path = lock_path_for(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the lock's life
    except OSError as exc:
        raise LockUnavailable(
            f"无法在文件夹 {path.parent} 中建立锁文件 {path.name}（{os_reason(exc)}），"
            "此处不能修改数据，只能查看"
        ) from None
    if not _try_lock(handle):
        owner = _read_owner(handle)
        handle.close()
        raise DatabaseInUse(
            f"数据库 {db_path.name} 正被另一个考评程序使用（{owner}）。"
            "同一个数据库同时只能由一个程序打开；请先关闭另一个窗口。"
        )
    try:  # who holds it, for the message another program shows; the lock works without it
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"{socket.gethostname()} 进程 {os.getpid()} 自 {datetime.now():%Y-%m-%d %H:%M}"
        )
        handle.flush()
    except OSError:
        pass  # a full disk: the lock is held all the same
    return InstanceLock(path, handle)


def _read_owner(handle: IO[str]) -> str:
    try:
        handle.seek(0)
        return handle.read().strip() or "另一个程序"
    except (OSError, ValueError):  # Windows refuses to read a locked byte; or half-written text
        return "另一个程序"
