"""The check at start: is the file sound? If not, which backup is the newest good one?"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.backups import backup_folder_for, list_backups
from app.services.errors import UserError


class DamagedDatabase(UserError):
    def __init__(self, path: Path, problems: list[str], good_backup: Path | None) -> None:
        self.path = path
        self.problems = problems
        self.good_backup = good_backup
        advice = (
            f"最近一份完好的备份是 {good_backup}，可用 backup restore 恢复。"
            if good_backup
            else "没有找到完好的备份。"
        )
        super().__init__(f"数据库 {path} 已损坏：{'；'.join(problems[:3])}。{advice}")


def file_problems(path: Path) -> list[str]:
    """quick_check and foreign_key_check on a closed file.

    Read-only, unless a crash left a hot rollback journal beside it: then the connection must
    be able to write so that SQLite rolls the interrupted transaction back (a read-only one
    fails with "attempt to write a readonly database" although the file is sound). The caller
    holds the instance lock, so nobody else is writing.
    """
    if not path.exists():
        return []
    journal = path.with_name(path.name + "-journal")
    mode = "rw" if journal.exists() else "ro"
    try:
        connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
        try:
            quick = [r[0] for r in connection.execute("PRAGMA quick_check")]
            problems = [] if quick == ["ok"] else quick
            problems += [
                f"外键不一致：表 {row[0]} 第 {row[1]} 行"
                for row in connection.execute("PRAGMA foreign_key_check")
            ]
            return problems
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return [f"无法读取（{exc}）"]


def newest_good_backup(folder: Path) -> Path | None:
    for backup in list_backups(folder):
        if not file_problems(backup.path):
            return backup.path
    return None


def check_at_start(path: Path) -> None:
    problems = file_problems(path)
    if problems:
        raise DamagedDatabase(path, problems, newest_good_backup(backup_folder_for(path)))
