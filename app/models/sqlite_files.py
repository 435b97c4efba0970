"""Whole-file work on SQLite databases: plain connections to files the engine does not hold,
consistent copies that never appear half-written, the names backups go by, and the clean-up of
what a killed copy left behind."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

BACKUP_NAME = re.compile(r"^kaoping-(\d{8}-\d{6}-\d{6})-(.+)\.db$")
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
# A copy under way: ".<final name>.<process id>.part", hidden on Windows too, removed at the
# next start once its process is gone. The older "<final name>.part" (and its journal) are
# removed when they have not been touched for a while.
_TEMPORARY = re.compile(r"^\.(.+)\.(\d+)\.part(-journal)?$")
_OLD_TEMPORARY = re.compile(r"^kaoping-.+\.db\.part(-journal)?$")
_OLD_AGE_SECONDS = 10 * 60


def backup_name(reason: str, when: datetime | None = None) -> str:
    stamp = (when or datetime.now()).strftime(STAMP_FORMAT)
    return f"kaoping-{stamp}-{safe_reason(reason)}.db"


def safe_reason(reason: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", reason).strip("_")[:40] or "手动"


def temporary_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.part")


@contextlib.contextmanager
def connection_to(path: Path, mode: str = "", timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to a backup, a copy or a file being checked, closed however
    the block ends (sqlite3's own ``with`` only commits). ``mode`` "ro" reads an existing file
    and never creates one; "rw" writes only an existing one; none opens or creates it."""
    if mode:
        connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=timeout)
    else:
        connection = sqlite3.connect(path, timeout=timeout)
    try:
        yield connection
    finally:
        connection.close()


def copy_pages(source: Path, target: Path, *, source_mode: str = "", journal: bool = True) -> None:
    """SQLite's backup API: the target's whole content replaced, in one transaction, by a
    consistent image of the source (even while another connection writes it). Without
    ``journal`` the target keeps none: for a copy that is thrown away if anything fails."""
    with connection_to(source, source_mode) as src, connection_to(target) as dst:
        if not journal:
            dst.execute("PRAGMA journal_mode = OFF")
        src.backup(dst)


def copy_sqlite(source: Path, target: Path) -> Path:
    """Page-by-page copy (consistent even while the program has the file open) under a
    temporary name, renamed when complete: a backup is whole or absent. The copy keeps no
    journal of its own (it is discarded if anything fails), so a kill leaves one file to tidy.
    Errors propagate (sqlite3.Error, OSError) after the temporary file is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_for(target)
    hide_file(temporary)
    try:
        copy_pages(source, temporary, journal=False)
        os.replace(temporary, target)
        show_file(target)
    except BaseException:
        _remove(temporary)
        _remove(temporary.with_name(temporary.name + "-journal"))
        raise
    return target


def hide_file(path: Path) -> None:
    """Windows shows dot-files; mark the (still empty) temporary file hidden there."""
    _set_attributes(path, 0x2, touch=True)


def show_file(path: Path) -> None:
    """A renamed file keeps its attributes on Windows: the finished file is shown again."""
    _set_attributes(path, 0x80, touch=False)


def _set_attributes(path: Path, attributes: int, *, touch: bool) -> None:
    if sys.platform != "win32":
        return
    try:
        if touch:
            path.touch()
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), attributes)  # type: ignore[attr-defined]  # Windows only
    except OSError:
        pass  # cosmetic


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # else removed at the next start
        path.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        query_limited, still_active = 0x1000, 259
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only
        handle = kernel32.OpenProcess(query_limited, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_leftovers(folder: Path, prefix: str = "") -> list[Path]:
    """Temporary copies a killed program left in a folder (names starting with ``prefix``);
    never one a live process is still writing (a backup folder may be shared by several
    databases)."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return removed
    now = time.time()
    for path in entries:
        if not path.name.startswith(prefix):
            continue
        match = _TEMPORARY.match(path.name)
        if match:
            stale = not process_alive(int(match.group(2)))
        elif _OLD_TEMPORARY.match(path.name):
            try:
                stale = now - path.stat().st_mtime > _OLD_AGE_SECONDS
            except OSError:
                continue
        else:
            continue
        if stale:
            try:
                path.unlink()
            except OSError:
                continue  # read-only medium: left for a start that can write
            removed.append(path)
    return removed


def change_counter(path: Path) -> bytes | None:
    """SQLite's file change counter (header bytes 24-27): it moves with every committed write
    in rollback-journal mode, and only then; None when the file cannot be read."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(28)
    except OSError:
        return None
    return header[24:28] if len(header) == 28 else None
