"""Backups with SQLite's backup API: made before risky work (kept only when the work wrote
something), rotated, listed and checked. Restoring one is app.services.maintenance.restore."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import StorageError, UserError, os_reason, sqlite_reason
from app.models.accounts import ROLE_ADMIN
from app.models.database import Database
from app.models.migrate import is_known_revision
from app.models.sqlite_files import (
    BACKUP_NAME,
    STAMP_FORMAT,
    backup_name,
    change_counter,
    connection_to,
    copy_sqlite,
    remove_leftovers,
    safe_reason,
)
from app.paths import user_data_dir
from app.services.access.actor import current_actor
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.settings import backup_folder_for, load_settings


def is_server(db: Database) -> bool:
    return db.engine.dialect.name != "sqlite"


NAME_PATTERN = BACKUP_NAME
KEEP_LATEST, KEEP_DAYS, KEEP_MONTHS = 10, 30, 12
# Copies that hold what a restore replaced or what a migration started from: never rotated
# away automatically (issue 15: a restore's safety copy was rotated out by ten imports).
KEPT_REASONS = ("恢复前", "迁移前")


class BackupFailed(StorageError):
    """The copy could not be made; the work it was to protect was not started."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: datetime
    reason: str
    size: int
    rounds: list[str]


def backup_folder(db: Database) -> Path:
    if db.path is None:
        if is_server(db):
            return server_backup_folder(db)
        raise UserError("只有本机 SQLite 数据库文件可以备份")
    return backup_folder_for(db.path)


def server_backup_folder(db: Database) -> Path:
    """A server's backups are files on the administrator's PC: the folder chosen in the
    settings, else one per server database in the user's data folder (two servers' backups
    never mix in one rotation)."""
    chosen = load_settings().backup_folder.strip()
    if chosen:
        return Path(chosen)
    url = db.engine.url
    where = safe_reason(f"{url.host or 'localhost'}_{url.port or 5432}_{url.database}")
    return user_data_dir() / "server-backups" / where


def backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    """The daily backup while the program stays open: made when the newest backup is from an
    earlier day (or there is none), unless the user switched daily backups off."""
    if not load_settings().daily_backup:
        return None
    if db.path is None:  # a server: from any administrator's client, into that PC's folder
        if not is_server(db) or current_actor().role != ROLE_ADMIN:
            return None
    elif not db.path.exists():
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
    with connection_to(path, "ro") as connection:

        def count(table: str) -> int:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        return BackupContents(
            rounds, count("units"), count("score_entries"), count("change_log"), revision
        )


def copy_database(source: Path, target: Path) -> Path:
    """A whole, consistent copy or none (app.models.sqlite_files.copy_sqlite); a disk that
    refuses (full, read-only, a file where the folder should be) is a BackupFailed naming
    where. A damaged source still raises sqlite3.DatabaseError: that is not the disk's fault."""
    try:
        return copy_sqlite(source, target)
    except OSError as exc:
        raise BackupFailed(_refused(target, os_reason(exc))) from None
    except sqlite3.OperationalError as exc:
        raise BackupFailed(_refused(target, sqlite_reason(exc) or str(exc))) from None


def _refused(target: Path, why: str) -> str:
    return (
        f"无法备份到 {target.parent}（{why}），为安全起见本次操作没有进行，数据未改变。"
        "请腾出磁盘空间，或请管理员在“备份恢复”页（命令行：backup folder）换一个备份文件夹。"
    )


def create_backup(
    db: Database,
    reason: str,
    out: Path | None = None,
    *,
    rotate_after: bool = True,
    evidence: bool = True,
) -> Path:
    """``evidence``: copy the evidence files the backup names that its folder lacks (off for
    the copy before an import: the store only ever adds, so every file that copy names stays
    in the live store; the next daily or manual backup carries them)."""
    if db.path is None and is_server(db):
        return _server_backup(db, reason, out, rotate_after)
    if db.path is None:
        raise UserError("只有本机 SQLite 数据库文件可以备份")
    if out is not None:
        copy_database(db.path, out)
        _with_evidence(db.path, out, out.parent)
        return out
    target = backup_folder(db) / backup_name(reason)
    copy_database(db.path, target)
    if evidence:
        _with_evidence(db.path, target, target.parent)
    if rotate_after:
        rotate(backup_folder(db))
    return target


def _with_evidence(db_path: Path, copy: Path, folder: Path) -> None:
    """The evidence the copy names, into the folder's shared evidence store (only what it
    does not hold yet). A disk that refuses is the backup's failure, as for the database."""
    from app.models.evidence_store import FolderStore, evidence_folder
    from app.services.maintenance.evidence_backup import copy_into_backup

    try:
        copy_into_backup(copy, FolderStore(evidence_folder(db_path)), folder)
    except OSError as exc:
        copy.unlink(missing_ok=True)
        raise BackupFailed(_refused(copy, os_reason(exc))) from None


def _server_backup(db: Database, reason: str, out: Path | None, rotate_after: bool) -> Path:
    """A server's data read in one REPEATABLE READ transaction into a standalone Kaoping file
    (no pg_dump on the clerks' PCs): the program opens it, and restores it to a new database."""
    from app.services.server.snapshots import snapshot_to_file

    target = out if out is not None else backup_folder(db) / backup_name(reason)
    try:
        snapshot_to_file(db, target, replace=out is not None)
    except OSError as exc:
        raise BackupFailed(_refused(target, os_reason(exc))) from None
    if out is None and rotate_after:
        rotate(target.parent)
    return target


def _rounds_inside(path: Path) -> list[str]:
    try:
        with connection_to(path, "ro") as connection:
            return [r[0] for r in connection.execute("SELECT name FROM rounds ORDER BY id")]
    except sqlite3.Error:
        return []


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first; files not made by the program are left out of the rotation and list."""
    found = []
    for path in folder.glob("kaoping-*.db") if folder.exists() else []:
        match = BACKUP_NAME.match(path.name)
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
    """Thin out the automatic backups; the copies before a restore or a migration stay."""
    backups = list_backups(folder)
    keep = backups_to_keep(backups)
    removed = [
        b.path for b in backups if b.path not in keep and not b.reason.startswith(KEPT_REASONS)
    ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def tidy_backup_folder(db_path: Path) -> list[Path]:
    """At start: the temporary copies a killed program left behind, in the backup folder and
    (a restore being prepared) beside the database."""
    beside = remove_leftovers(db_path.parent, prefix=f".{db_path.name}.")
    return beside + remove_leftovers(backup_folder_for(db_path))


def check_backup(path: Path) -> list[str]:
    """A restorable file is a sound SQLite database written by this program."""
    if not path.is_file():
        raise UserError(f"备份文件 {path} 不存在")
    try:
        with connection_to(path, "ro") as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise UserError(f"备份文件 {path.name} 已损坏，不能恢复")
            version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if version is None:
                raise UserError(f"{path.name} 不是考评系统的数据库")
            if not is_known_revision(version[0]):
                raise UserError(f"{path.name} 来自更新版本的考评系统，请用更新的版本打开")
            return [r[0] for r in connection.execute("SELECT name FROM rounds ORDER BY id")]
    except sqlite3.OperationalError as exc:
        why = sqlite_reason(exc)
        if why is None:
            raise UserError(f"{path.name} 不是考评系统的数据库（{exc}）") from None
        raise UserError(f"无法读取备份文件 {path}（{why}）") from None
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} 不是考评系统的数据库（{exc}）") from None


def manual_backup(db: Database, out: Path | None = None) -> Path:
    """A backup someone asked for (the automatic ones need no permission). Into the backup
    folder for any staff; to a file of one's choosing only for an administrator, logged with
    the place (a full copy holds every password hash)."""
    if out is None:
        require(Permission.BACKUP)
        return create_backup(db, "手动")
    require(Permission.COPY_OUT)
    target = out.expanduser().resolve()
    with db.transaction() as session:  # logged with the copy: no record, no copy
        log_change(
            session, entity="备份", key=str(target), action="另存", old=None, new=str(target)
        )
        session.flush()
        create_backup(db, "手动", target)
    return target


@contextmanager
def backup_before(db: Database, reason: str) -> Iterator[Path | None]:
    """The automatic backup around an import or publication (SQLite files only), kept only
    if the work inside wrote something: an import that changes nothing leaves no backup and
    pushes no older one out of the rotation. ::

        with backup_before(db, "导入评分前"):
            with db.transaction() as session:
                ...
    """
    if db.path is None or not db.path.exists():
        # A server takes none: a snapshot reads the whole database (2.8 s for the demo's
        # 35,000 rows, several times that for a large round) before every import, and with
        # other clients writing, "this import wrote nothing" cannot be told from the chain
        # head to discard it. The server's daily backup and its change log stand instead.
        yield None
        return
    before = change_counter(db.path)
    made = create_backup(db, reason, rotate_after=False, evidence=False)
    try:
        yield made
    finally:  # also after an error: whatever was committed decides
        if before is not None and change_counter(db.path) == before:
            made.unlink(missing_ok=True)  # nothing written: the copy equals the file
        else:
            rotate(made.parent)
