"""The one base for errors that are the user's to fix (as opposed to bugs), shared by every
layer so the CLI and the GUI can show them plainly instead of as a traceback; and the words
for what the disk said when it refused."""

from __future__ import annotations

import errno


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why, in Chinese."""


class StorageError(UserError):
    """The disk refused: full, read-only, missing, locked by another program. Nothing was
    written (SQLite rolled the transaction back)."""


_OS_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘或文件夹只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有同名的文件，不是文件夹",
    errno.EEXIST: "已有同名的文件，不是文件夹",
    errno.EISDIR: "同名的是文件夹，不是文件",
}

_SQLITE_REASONS = (
    ("disk is full", "磁盘已满"),
    ("readonly database", "磁盘或文件夹只读"),
    ("read-only", "磁盘或文件夹只读"),
    ("unable to open database file", "无法打开或建立文件（文件夹不存在、只读或没有权限）"),
    ("disk i/o error", "读写磁盘出错（磁盘已满、只读或已拔出）"),
    ("database is locked", "正被另一个程序使用"),
)


def os_reason(exc: OSError) -> str:
    """An operating-system error in words an office reads."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def sqlite_reason(exc: BaseException) -> str | None:
    """What a SQLite error says about the disk; None for anything else (a bug, or damage)."""
    text = str(exc).lower()
    return next((words for key, words in _SQLITE_REASONS if key in text), None)
