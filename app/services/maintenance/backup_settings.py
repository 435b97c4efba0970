"""Where backups go and whether a daily one is made: administrator only, each change a
record in the change log. The settings themselves live outside the database (so they are
known when the database is damaged), the record of who changed them inside it."""

from __future__ import annotations

from pathlib import Path

from app.errors import UserError, os_reason
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.maintenance.backups import backup_folder
from app.settings import load_settings, save_settings, settings_path


def set_backup_folder(db: Database, folder: str | Path | None) -> Path:
    """Send backups to ``folder`` (created if need be); None or "" is the default, a
    "backups" folder beside the database. Returns the folder now in use."""
    require(Permission.BACKUP_SETTINGS)
    old = backup_folder(db)
    chosen = ""
    if folder is not None and str(folder).strip():
        target = Path(folder).expanduser().resolve()
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"无法使用文件夹 {target}（{os_reason(exc)}）") from None
        chosen = str(target)
    shown = chosen or "（默认：数据库旁的 backups 文件夹）"
    _save_and_log(db, "备份文件夹", str(old), shown, chosen)
    return backup_folder(db)


def set_daily_backup(db: Database, on: bool) -> None:
    require(Permission.BACKUP_SETTINGS)
    if load_settings().daily_backup == on:
        return
    _save_and_log(db, "每日自动备份", not on, on, None, daily=on)


def _save_and_log(
    db: Database,
    what: str,
    old: object,
    new: object,
    folder: str | None,
    daily: bool | None = None,
) -> None:
    """The record is committed with the change or not at all: logged first, then saved, and
    the log rolled back if the settings file cannot be written."""
    settings = load_settings()
    if folder is not None:
        settings.backup_folder = folder
    if daily is not None:
        settings.daily_backup = daily
    with db.transaction() as session:
        log_change(session, entity="设置", key=what, action="修改", old=old, new=new)
        try:
            save_settings(settings)
        except OSError as exc:
            raise UserError(
                f"无法保存设置到 {settings_path()}（{os_reason(exc)}），设置未改变"
            ) from None
