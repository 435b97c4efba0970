"""The user's settings for this computer: a typed object with defaults, kept as JSON in the
user data folder and upgraded by version.

They live outside the database on purpose: the backup folder must be known when the database
itself is damaged, and restoring a backup must not change where backups go.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from app.paths import user_data_dir

SETTINGS_VERSION = 1


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    backup_folder: str = ""  # blank: a "backups" folder beside the database
    daily_backup: bool = True


def settings_path() -> Path:
    override = os.environ.get("KAOPING_SETTINGS")
    return Path(override) if override else user_data_dir() / "settings.json"


def load_settings() -> Settings:
    """Defaults for anything missing or unreadable: a broken settings file never stops the
    program from starting."""
    path = settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name: f.type for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known and k != "version"}
    try:
        settings = Settings(**values)
    except TypeError:
        return Settings()
    if not isinstance(settings.backup_folder, str):
        settings.backup_folder = ""
    settings.daily_backup = bool(settings.daily_backup)
    return settings


def save_settings(settings: Settings) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    settings.version = SETTINGS_VERSION
    try:
        temporary.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), "utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    return path


def backup_folder_for(db_path: Path) -> Path:
    """The folder chosen in the settings, else a "backups" folder beside the database."""
    chosen = load_settings().backup_folder.strip()
    return Path(chosen) if chosen else db_path.parent / "backups"
