"""Backups with SQLite's backup API: made before risky work, rotated, listed and restored."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.models.database import Database
from app.models.migrate import is_known_revision, upgrade_database
from app.services.errors import UserError
from app.services.permissions import Permission, require
from app.settings import load_settings

NAME_PATTERN = re.compile(r"^kaoping-(\d{8}-\d{6}-\d{6})-(.+)\.db$")
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
KEEP_LATEST, KEEP_DAYS, KEEP_MONTHS = 10, 30, 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: datetime
    reason: str
    size: int
    rounds: list[str]


def backup_folder(db: Database) -> Path:
    if db.path is None:
        raise UserError("只有本机 SQLite 数据库文件可以备份")
    return backup_folder_for(db.path)


def backup_folder_for(db_path: Path) -> Path:
    """The folder chosen in the settings, else a "backups" folder beside the database."""
    chosen = load_settings().backup_folder.strip()
    return Path(chosen) if chosen else db_path.parent / "backups"


def backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    """The daily backup while the program stays open: made when the newest backup is from an
    earlier day (or there is none), unless the user switched daily backups off."""
    if db.path is None or not db.path.exists() or not load_settings().daily_backup:
        return None
    today = (now or datetime.now()).date()
    newest = next(iter(list_backups(backup_folder(db))), None)
    if newest is not None and newest.when.date() >= today:
        return None
    return create_backup(db, "每日")


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds, shown before it replaces the current data."""

    rounds: list[str]
    units: int
    score_entries: int
    changes: int
    revision: str


def describe_backup(path: Path) -> BackupContents:
    rounds = check_backup(path)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def count(table: str) -> int:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        return BackupContents(
            rounds, count("units"), count("score_entries"), count("change_log"), revision
        )
    finally:
        connection.close()


def copy_database(source: Path, target: Path) -> Path:
    """Page-by-page copy that is consistent even while the program has the file open;
    written under a temporary name and renamed, so a half-written backup never exists."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    temporary.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(temporary)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(temporary, target)
    return target


def _safe_reason(reason: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", reason).strip("_")[:40] or "手动"


def create_backup(db: Database, reason: str, out: Path | None = None) -> Path:
    if db.path is None:
        raise UserError("只有本机 SQLite 数据库文件可以备份")
    if out is not None:
        return copy_database(db.path, out)
    stamp = datetime.now().strftime(STAMP_FORMAT)
    target = backup_folder(db) / f"kaoping-{stamp}-{_safe_reason(reason)}.db"
    copy_database(db.path, target)
    rotate(backup_folder(db))
    return target


def _rounds_inside(path: Path) -> list[str]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [r[0] for r in connection.execute("SELECT name FROM rounds ORDER BY id")]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first; files not made by the program are left out of the rotation and list."""
    found = []
    for path in folder.glob("kaoping-*.db") if folder.exists() else []:
        match = NAME_PATTERN.match(path.name)
        if not match:
            continue
        when = datetime.strptime(match.group(1), STAMP_FORMAT)
        found.append(
            BackupInfo(path, when, match.group(2), path.stat().st_size, _rounds_inside(path))
        )
    return sorted(found, key=lambda b: b.when, reverse=True)


def backups_to_keep(backups: Iterable[BackupInfo]) -> set[Path]:
    """The latest 10, the newest of each of the last 30 days, of each of the last 12 months."""
    ordered = sorted(backups, key=lambda b: b.when, reverse=True)
    keep = {b.path for b in ordered[:KEEP_LATEST]}
    days: dict[str, Path] = {}
    months: dict[str, Path] = {}
    for backup in ordered:
        days.setdefault(backup.when.strftime("%Y-%m-%d"), backup.path)
        months.setdefault(backup.when.strftime("%Y-%m"), backup.path)
    keep.update(list(days.values())[:KEEP_DAYS])
    keep.update(list(months.values())[:KEEP_MONTHS])
    return keep


def rotate(folder: Path) -> list[Path]:
    backups = list_backups(folder)
    keep = backups_to_keep(backups)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup(path: Path) -> list[str]:
    """A restorable file is a sound SQLite database written by this program."""
    if not path.is_file():
        raise UserError(f"备份文件 {path} 不存在")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise UserError(f"备份文件 {path.name} 已损坏，不能恢复")
            version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if version is None:
                raise UserError(f"{path.name} 不是考评系统的数据库")
            if not is_known_revision(version[0]):
                raise UserError(f"{path.name} 来自更新版本的考评系统，请用更新的版本打开")
            return [r[0] for r in connection.execute("SELECT name FROM rounds ORDER BY id")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} 不是考评系统的数据库（{exc}）") from None


def restore_backup(db: Database, backup: Path) -> Path:
    """Replace the open database's content with a backup (administrator only); the current
    file is backed up first, so a restore can itself be undone."""
    require(Permission.RESTORE)
    if db.path is None:
        raise UserError("只有本机 SQLite 数据库文件可以恢复")
    check_backup(backup)
    try:
        safety: Path | None = create_backup(db, "恢复前")
    except sqlite3.DatabaseError:
        safety = None  # too damaged to read page by page: kept aside byte for byte instead
    db.dispose()
    safety = _put_back(db.path, backup, safety)
    # A backup made before this program's last upgrade comes up to the present schema now,
    # not when the next query fails on a missing column.
    upgrade_database(db.engine, db.path)
    return safety


def restore_damaged(db_path: Path, backup: Path) -> Path:
    """At start, when the file failed its check. Nobody can sign in to a damaged file (the
    accounts are inside it), so whoever sits at the computer may put the newest good backup
    back; the damaged file is kept aside byte for byte, nothing is lost."""
    check_backup(backup)
    return _put_back(db_path, backup, None)


def _put_back(db_path: Path, backup: Path, safety: Path | None) -> Path:
    if safety is None:
        safety = db_path.with_name(f"{db_path.name}.损坏-{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(db_path, safety)
        journal = db_path.with_name(db_path.name + "-journal")
        if journal.exists():
            os.replace(journal, safety.with_name(safety.name + "-journal"))
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(db_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return safety


def manual_backup(db: Database, out: Path | None = None) -> Path:
    """A backup someone asked for (the automatic ones need no permission)."""
    require(Permission.BACKUP)
    return create_backup(db, "手动", out)


def backup_before(db: Database, reason: str) -> Path | None:
    """The automatic backup before an import, publication or restore (SQLite files only)."""
    if db.path is None or not db.path.exists():
        return None
    return create_backup(db, reason)
