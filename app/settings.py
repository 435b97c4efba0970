"""The user's settings for this computer: a typed object with defaults, kept as JSON in the
user data folder and upgraded by version.

They live outside the database on purpose: the backup folder must be known when the database
itself is damaged, and restoring a backup must not change where backups go.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from app.paths import user_data_dir

Raw = dict[str, Any]


def _from_unversioned(raw: Raw) -> Raw:
    """Files written before the version field hold the same keys."""
    return raw


# UPGRADES[n] turns a version-n file into version n+1; the steps run in order on load, so a
# file from any older version reads as this one. Add a step (never edit one) with each change
# of a key's name or meaning, as picard's config_upgrade does.
UPGRADES: list[Callable[[Raw], Raw]] = [_from_unversioned]
SETTINGS_VERSION = len(UPGRADES)


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    backup_folder: str = ""  # blank: a "backups" folder beside the database
    daily_backup: bool = True
    # The server last connected to from the window (文件 → 连接服务器…); never its password.
    server_host: str = ""
    server_port: int = 5432
    server_database: str = "kaoping"
    server_user: str = ""
    # What the window's document batches write (文书报告): "pdf", "docx" (the editable Word
    # copy; an issued notice's PDF is written anyway, it is the record) or "both".
    document_formats: str = "pdf"


DOCUMENT_FORMATS = ("pdf", "docx", "both")


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
    raw = upgraded(raw)
    known = {f.name: f.type for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known and k != "version"}
    try:
        settings = Settings(**values)
    except TypeError:
        return Settings()
    if not isinstance(settings.backup_folder, str):
        settings.backup_folder = ""
    settings.daily_backup = bool(settings.daily_backup)
    _keep_server_sane(settings)
    if settings.document_formats not in DOCUMENT_FORMATS:
        settings.document_formats = "pdf"
    return settings


def _keep_server_sane(settings: Settings) -> None:
    """A hand-edited value of the wrong kind falls back to its default, not to an error."""
    defaults = Settings()
    for name in ("server_host", "server_database", "server_user"):
        if not isinstance(getattr(settings, name), str):
            setattr(settings, name, getattr(defaults, name))
    port = settings.server_port
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        settings.server_port = defaults.server_port


def upgraded(raw: Raw) -> Raw:
    """The file's keys as this version names them. A file from a newer program is read as it
    is (the keys this version knows), never downgraded."""
    version = raw.get("version", 0)
    if not isinstance(version, int) or version < 0:
        version = 0
    for step in UPGRADES[version:]:
        raw = step(dict(raw))
    return raw


def save_settings(settings: Settings) -> Path:
    """Keys this version does not know (written by a newer program on the same computer) and
    that newer version number are kept, so going back and forth between versions loses none."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    if not isinstance(existing, dict):
        existing = {}
    newer = existing.get("version") if isinstance(existing.get("version"), int) else 0
    settings.version = max(SETTINGS_VERSION, newer)
    ours = {f.name for f in fields(Settings)}
    content = {k: v for k, v in existing.items() if k not in ours}
    content.update(asdict(settings))
    try:
        temporary.write_text(json.dumps(content, ensure_ascii=False, indent=2), "utf-8")
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
