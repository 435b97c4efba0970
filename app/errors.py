"""The errors of every layer, in two kinds. The user's to fix, shown plainly instead of as a
traceback by the CLI and the GUI: a wrong action (UserError), a wrong workbook (WorkbookError,
its SheetIssues pinned to a Location), a refusing disk (StorageError), with the words for what
the disk said. The program's own (BugError): shown with its details, for a report."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why, in Chinese, in words
    the window and the command line share. ``command`` is what to type at the command line
    instead (a flag, a command): printed by the CLI only, never shown in the window."""

    def __init__(self, *args: object, command: str = "") -> None:
        super().__init__(*args)
        self.command = command


class BugError(Exception):
    """The program itself is wrong or incomplete (a missing resource, broken invariants): not
    the user's to fix, so it is shown with its details for a report, never as a plain message."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from; row is 1-based as Excel shows it, column a letter."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = [f"文件 {Path(self.file).name}"]
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"{self.column} 列")
        return "，".join(parts)


@dataclass(frozen=True, slots=True)
class SheetIssue:
    """One thing wrong with the input, told so a clerk can find and fix it."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location.describe()}：{self.message}"


class WorkbookError(UserError):
    """The user's file is wrong; nothing of the operation was written."""

    def __init__(self, problems: list[SheetIssue]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


class NotFound(UserError):
    """A unit, round, leaf or record the user named does not exist."""


class ReadOnlyRound(UserError):
    """The round is published (or otherwise closed) and refuses writes."""
