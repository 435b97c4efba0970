"""Bring a database file to the current schema: back it up, migrate, prove nothing was lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

from app.errors import UserError, os_reason, sqlite_reason
from app.models.sqlite_files import backup_name, copy_sqlite
from app.settings import backup_folder_for

if TYPE_CHECKING:  # Alembic loads only when a file needs it (about 0.1 s off every start)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Columns whose sums must come through a migration unchanged (a lost score changes them).
SUMMED_COLUMNS = {
    "score_entries": ("deduction", "score", "measured"),
    "satisfaction_results": ("score",),
}


# Steps run inside the upgrade's transaction once the schema is at head, after the check that no
# data changed: (connection, revision before, revision after). The services register the
# sealing of the state here (app.services.access.sealing), which app.models must not import.
AFTER_UPGRADE: list[Callable[[Connection, str | None, str], None]] = []


class MigrationError(UserError):
    """The database could not be brought to this program's schema; it was left as it was."""


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_before_migration(db_path: Path, revision: str, folder: Path | None = None) -> Path:
    """The copy before an upgrade, in the backup folder under a backup's name (so the backup
    list shows it and rotation keeps it), written under a temporary name and renamed."""
    folder = folder if folder is not None else backup_folder_for(db_path)
    try:
        return copy_sqlite(db_path, folder / backup_name(f"迁移前-{revision}"))
    except OSError as exc:
        why = os_reason(exc)
    except sqlite3.OperationalError as exc:
        why = sqlite_reason(exc) or str(exc)
    raise MigrationError(
        f"数据库 {db_path.name} 需要升级，但升级前无法备份到 {folder}（{why}）；"
        "数据库未改变。请腾出磁盘空间或换一个备份文件夹后再打开。"
    )


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _fingerprint(connection: Connection) -> dict[str, object]:
    """Row counts of every table and the exact sums of the score columns."""
    tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
    result: dict[str, object] = {}
    for table in tables:
        result[f"rows:{table}"] = connection.exec_driver_sql(
            f'SELECT COUNT(*) FROM "{table}"'
        ).scalar_one()
        for column in SUMMED_COLUMNS.get(table, ()):
            values = connection.exec_driver_sql(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
            )
            result[f"sum:{table}.{column}"] = sum((Decimal(v[0]) for v in values), Decimal(0))
    return result


def is_known_revision(revision: str) -> bool:
    """Whether this program knows the schema version (a newer program's file it does not)."""
    from alembic.script import ScriptDirectory

    return _known(ScriptDirectory.from_config(alembic_config()), revision)


def upgrade_database(
    engine: Engine,
    db_path: Path | None,
    target: str = "head",
    *,
    backup_folder: Path | None = None,
) -> MigrationReport:
    """Upgrade in place; an existing file is backed up first and checked after.

    SQLite's batch migrations drop and recreate tables, so foreign keys are switched off
    (outside the transaction, where the PRAGMA takes effect) and checked before commit.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    before_revision = current_revision(engine)
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    if before_revision is not None and not _known(script, before_revision):
        raise MigrationError(
            f"数据库版本 {before_revision} 比本程序新或未知；请使用更新版本的考评系统打开。"
        )
    wanted = head if target == "head" else target
    if before_revision == wanted:
        return MigrationReport(before_revision, wanted, None)

    backup = None
    if before_revision is not None and db_path is not None and db_path.exists():
        backup = backup_before_migration(db_path, before_revision, backup_folder)

    sqlite = engine.dialect.name == "sqlite"
    if not sqlite and before_revision is None and wanted == head:
        return _create_at_head(engine, head)
    with engine.connect() as connection:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                before = _fingerprint(connection)
                command.upgrade(alembic_config(connection), target)
                if sqlite:  # other engines keep their foreign keys on through DDL
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(f"迁移后外键检查失败：{broken[:5]}")
                after = _fingerprint(connection)
                changed = [k for k, v in before.items() if after.get(k) != v]
                if changed:
                    raise MigrationError(f"迁移改变了数据（{', '.join(changed)}），已撤销。")
                if wanted == head:
                    for step in AFTER_UPGRADE:
                        step(connection, before_revision, wanted)
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    return MigrationReport(before_revision, wanted, backup)


def _create_at_head(engine: Engine, head: str) -> MigrationReport:
    """A new server database is made at head from the models in one transaction: the old
    migrations were written for SQLite files (batch table rebuilds) and no server database
    predates them; from here on, migrations run on both engines from the same scripts (the
    test suite upgrades a server database through every migration added after this one)."""
    from alembic import command

    from app.models.base import Base

    with engine.connect() as connection, connection.begin():
        Base.metadata.create_all(connection)
        command.stamp(alembic_config(connection), head)
        for step in AFTER_UPGRADE:
            step(connection, None, head)
    return MigrationReport(None, head, None)
