"""The start checks remembered (issue 22): a database file unchanged since it last passed them
in full is not read through again at the next start.

Every command and the window check the file at start (SQLite's quick_check and foreign keys,
issue 15) and the data against the change log's sealed state (every row hashed). On a
5,000-unit round that is 7 s before the first figure, repeated for each command though nothing
changed. So when both checks pass and the file did not change while they ran, its identity is
noted beside the user's settings: size, modification time in ns, inode, and SQLite's file change
counter (header bytes 24–27, raised by every committed write in rollback-journal mode, so any
program that writes through SQLite changes it). The next start compares the identity only.

Only the checks at start are spared, and only for a file that is exactly as it was checked:
`audit verify`, `check`, the publication and every document with a check code still verify
in full; a hot journal beside the file (an unfinished write) always means a full check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from app.settings import settings_path

CHANGE_COUNTER = slice(24, 28)  # SQLite header: the file change counter


def identity(path: Path) -> list[int] | None:
    """The file as it is now; None when it cannot be read or has an unfinished write."""
    if path.with_name(path.name + "-journal").exists():
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            stat = os.fstat(handle.fileno())
    except OSError:
        return None
    if len(header) < 100:
        return None
    counter = int.from_bytes(header[CHANGE_COUNTER], "big")
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, counter]


def _memo_path(path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:32]
    return settings_path().parent / "checked" / f"{key}.json"  # beside the settings


def checked_as_is(path: Path) -> bool:
    """Whether this file passed the start checks in full exactly as it is now."""
    now = identity(path)
    if now is None:
        return False
    try:
        noted = json.loads(_memo_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(noted.get("path") == str(path.resolve()) and noted.get("identity") == now)


def note_checked(path: Path, before: list[int] | None) -> None:
    """Both start checks passed; ``before``: the file's identity when they began. Noted only
    when it is still the same (nothing wrote while they ran); a failure to note is harmless."""
    if before is None or identity(path) != before:
        return
    memo = _memo_path(path)
    temporary = memo.with_suffix(".tmp")
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(
            json.dumps({"path": str(path.resolve()), "identity": before}), encoding="utf-8"
        )
        os.replace(temporary, memo)


def forget(path: Path) -> None:
    """The checks found something: the next start checks in full again."""
    with contextlib.suppress(OSError):
        _memo_path(path).unlink(missing_ok=True)
