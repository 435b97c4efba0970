"""The check at start: is the file sound? If not, which backup is the newest good one?

A file another program holds locked is not damaged: the check waits for it a while and then
says who is in the way (issue 15: a briefly locked healthy file was reported as 已损坏 and the
advised restore renamed it aside)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.errors import StorageError, UserError
from app.models.sqlite_files import connection_to
from app.services.maintenance.backups import list_backups
from app.settings import backup_folder_for

LOCK_WAIT_SECONDS = 15.0  # longer than the engine's busy timeout (10 s)


class DatabaseBusy(StorageError):
    def __init__(self, path: Path, waited: float) -> None:
        self.path = path
        super().__init__(
            f"数据库 {path} 正被另一个程序使用（已等待 {waited:g} 秒仍未释放），文件本身没有损坏。"
            "请关闭正在打开它的程序（如 SQLite 工具、同步盘、备份或杀毒软件）后重试。"
        )


class UnfinishedWriteReadOnly(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"数据库 {path} 旁有一次未完成的写入（{path.name}-journal），须先撤销才能读取，"
            f"但文件夹 {path.parent} 只读。"
            "请把数据库和这个 -journal 文件一起复制到可写的文件夹后再打开。"
        )


class DamagedDatabase(UserError):
    def __init__(self, path: Path, problems: list[str], good_backup: Path | None) -> None:
        self.path = path
        self.problems = problems
        self.good_backup = good_backup
        advice = (
            f"最近一份完好的备份是 {good_backup}，可由管理员用它恢复（损坏的文件会另存一份）。"
            if good_backup
            else "没有找到完好的备份。"
        )
        super().__init__(
            f"数据库 {path} 已损坏：{'；'.join(problems[:3])}。{advice}",
            command=f"backup restore {good_backup} --reason 理由" if good_backup else "",
        )


def writable(path: Path) -> bool:
    """Whether SQLite could write here: the file and its folder (for the journal). A folder
    not there yet counts as writable: making it is tried, and a refusal is reported then."""
    folder = path.parent
    if not folder.exists():
        return True
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def check_readable(path: Path) -> None:
    """The start check of a file that passed it in full unchanged (start_memo): only that it
    can be read now, waiting for another program that holds it as the full check does."""
    try:
        with connection_to(path, "ro", timeout=LOCK_WAIT_SECONDS) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise DatabaseBusy(path, LOCK_WAIT_SECONDS) from None
        raise DamagedDatabase(path, [f"无法读取（{exc}）"], None) from None


def file_problems(path: Path, wait: float | None = None) -> list[str]:
    """quick_check and foreign_key_check on a closed file.

    Read-only, unless a crash left a hot rollback journal beside it: then the connection must
    be able to write so that SQLite rolls the interrupted transaction back (a read-only one
    fails with "attempt to write a readonly database" although the file is sound). The caller
    holds the instance lock, so nobody else of ours is writing; another program holding the
    file is waited for and then reported as DatabaseBusy, never as damage.
    """
    if not path.exists():
        return []
    waited = LOCK_WAIT_SECONDS if wait is None else wait
    journal = path.with_name(path.name + "-journal")
    if journal.exists() and not writable(path):
        raise UnfinishedWriteReadOnly(path)
    mode = "rw" if journal.exists() else "ro"
    try:
        with connection_to(path, mode, timeout=waited) as connection:
            quick = [r[0] for r in connection.execute("PRAGMA quick_check")]
            problems = [] if quick == ["ok"] else quick
            problems += [
                f"外键不一致：表 {row[0]} 第 {row[1]} 行"
                for row in connection.execute("PRAGMA foreign_key_check")
            ]
            return problems
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise DatabaseBusy(path, waited) from None
        return [f"无法读取（{exc}）"]
    except sqlite3.DatabaseError as exc:
        return [f"无法读取（{exc}）"]


def _busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def newest_good_backup(folder: Path) -> Path | None:
    for backup in list_backups(folder):
        try:
            if not file_problems(backup.path, wait=1):
                return backup.path
        except (DatabaseBusy, UnfinishedWriteReadOnly):
            continue
    return None


def check_at_start(path: Path) -> None:
    problems = file_problems(path)
    if problems:
        raise DamagedDatabase(path, problems, newest_good_backup(backup_folder_for(path)))
