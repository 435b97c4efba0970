"""Moving data between a file and a server: an office's file into an empty server database
(`server import`), a server into a standalone SQLite file (its backups), and such a file back
onto a server — always into a new database, never over the live one."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from app.errors import UserError
from app.models.database import Database, make_engine, make_read_only_engine
from app.models.migrate import current_revision, head_revision, is_known_revision
from app.models.opening import open_database
from app.models.sqlite_files import copy_sqlite, hide_file, show_file, temporary_for
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.server.transfer import Progress, TransferFailed, TransferReport, copy_database

DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def is_server(db: Database) -> bool:
    return db.engine.dialect.name != "sqlite"


def shown_url(url: URL | str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def import_file(url: str, source: Path, progress: Progress | None = None) -> TransferReport:
    """`server import`: an office's file into an empty server database (its schema created at
    this program's head when it has none). The file is never changed: one from an older
    version is upgraded in a private copy first."""
    target = open_database(url)
    try:
        if not is_server(target):
            raise UserError(f"{shown_url(url)} 不是服务器数据库，导入的目标须是服务器数据库")
        with _readable_at_head(source) as engine:
            return copy_database(engine, target.engine, require_sound=True, progress=progress)
    finally:
        target.dispose()


def snapshot_to_file(
    db: Database, out: Path, progress: Progress | None = None, *, replace: bool = False
) -> TransferReport:
    """A server's data as a standalone Kaoping file, read in one REPEATABLE READ transaction:
    made under a hidden temporary name and renamed when verified, so it is whole or absent.
    An existing file is replaced only when asked (a place chosen in a save dialog)."""
    if out.exists() and not replace:
        raise UserError(f"文件 {out} 已存在，未覆盖；请选择另一个文件名")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_for(out)
    _discard(temporary)
    hide_file(temporary)
    try:
        copy = open_database(temporary)
        try:
            report = copy_database(db.engine, copy.engine, require_sound=False, progress=progress)
        finally:
            copy.dispose()
        os.replace(temporary, out)
        show_file(out)
    finally:
        _discard(temporary)
    return report


@dataclass(frozen=True)
class RestoredTo:
    """Where a backup went: a new server database (its address, password hidden) or a file."""

    where: str
    report: TransferReport | None


def restore_to_server(
    db: Database, backup: Path, name: str, reason: str, progress: Progress | None = None
) -> RestoredTo:
    """A backup file into a NEW database on the same server (created here; the account needs
    the right to create databases). The live database is not touched; the office switches
    over by connecting to the new one. The copy is verified, then the restore is logged in
    the new database's change log."""
    require(Permission.RESTORE)
    reason = _reason(reason)
    if not is_server(db):
        raise UserError("恢复到新的服务器数据库须在连接服务器时进行")
    name = name.strip()
    if not DATABASE_NAME.match(name):
        raise UserError(
            f"数据库名“{name}”不可用：请用小写英文字母、数字和下划线，以字母开头，不超过 63 个字符"
        )
    live = db.engine.url
    if name == live.database:
        raise UserError(f"“{name}”就是正在使用的数据库：恢复只能到一个新的数据库")
    new_url = live.set(database=name)
    _create_database(db.engine, name)
    try:
        with _readable_at_head(backup) as engine:
            target = open_database(new_url.render_as_string(hide_password=False))
            try:
                report = copy_database(engine, target.engine, require_sound=True, progress=progress)
                _log_restore(target, backup, reason, f"服务器数据库 {name}")
            finally:
                target.dispose()
    except BaseException:
        _drop_database(db.engine, name)
        raise
    return RestoredTo(shown_url(new_url), report)


def restore_to_file(backup: Path, out: Path, reason: str) -> RestoredTo:
    """A backup file put back as a local file the program opens (a copy; the backup stays).
    Checked first: a backup whose data differs from its change log is refused."""
    require(Permission.RESTORE)
    reason = _reason(reason)
    if out.exists():
        raise UserError(f"文件 {out} 已存在，未覆盖；请选择另一个文件名")
    temporary = temporary_for(out)
    _discard(temporary)
    try:
        with _readable_at_head(backup) as engine:
            copy = open_database(temporary)
            try:
                report = copy_database(engine, copy.engine, require_sound=True)
                _log_restore(copy, backup, reason, f"本机文件 {out}")
            finally:
                copy.dispose()
        os.replace(temporary, out)
    finally:
        _discard(temporary)
    return RestoredTo(str(out), report)


@contextlib.contextmanager
def _readable_at_head(source: Path) -> Iterator[Engine]:
    """A read-only engine on a Kaoping file at this program's schema: the file itself, or a
    private upgraded copy of one from an older version (removed afterwards)."""
    _check_kaoping_file(source)
    engine = make_read_only_engine(source)
    upgraded: Path | None = None
    try:
        if current_revision(engine) != head_revision():
            engine.dispose()
            # beside nothing of the user's: the file's folder may be read-only (a USB stick)
            upgraded = Path(tempfile.mkdtemp(prefix="kaoping-upgrade-")) / source.name
            copy_sqlite(source, upgraded)
            from app.models.migrate import upgrade_database

            writable = make_engine(upgraded)
            try:
                upgrade_database(writable, None)
            finally:
                writable.dispose()
            engine = make_read_only_engine(upgraded)
        yield engine
    finally:
        engine.dispose()
        if upgraded is not None:
            shutil.rmtree(upgraded.parent, ignore_errors=True)


def _check_kaoping_file(path: Path) -> None:
    if not path.is_file():
        raise UserError(f"文件 {path} 不存在")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise UserError(f"{path.name} 不是考评系统的数据库文件（{exc}）") from None
    if revision is None:
        raise UserError(f"{path.name} 不是考评系统的数据库文件")
    if not is_known_revision(revision[0]):
        raise UserError(f"{path.name} 来自更新版本的考评系统，请用更新的版本")


def _create_database(engine: Engine, name: str) -> None:
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if exists:
                raise UserError(f"服务器上已有名为“{name}”的数据库，未覆盖；请换一个名称")
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        why = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise UserError(
            f"无法在服务器上新建数据库“{name}”（{why}）；请由数据库管理员新建"
        ) from None
    finally:
        admin.dispose()


def _drop_database(engine: Engine, name: str) -> None:
    """Only the database this restore created, after it failed."""
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except SQLAlchemyError:
        pass  # left for the administrator: it holds nothing the office relies on
    finally:
        admin.dispose()


def _log_restore(target: Database, backup: Path, reason: str, where: str) -> None:
    with target.transaction() as session:
        log_change(
            session,
            entity="数据库",
            key=backup.name,
            action="恢复",
            old=None,
            new={"备份文件": str(backup), "恢复到": where},
            reason=reason,
            source=str(backup),
        )


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise UserError("恢复备份须说明理由（记入变更记录）", command="--reason 误导入后撤回")
    return reason.strip()


def _discard(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


__all__ = [
    "RestoredTo",
    "TransferFailed",
    "TransferReport",
    "import_file",
    "is_server",
    "restore_to_file",
    "restore_to_server",
    "snapshot_to_file",
]
