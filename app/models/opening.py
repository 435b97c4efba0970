"""Open (and if needed create or upgrade) the database a command or window works on."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.errors import StorageError, sqlite_reason
from app.models.database import (
    Database,
    database_url,
    make_database,
    make_engine,
    make_read_only_engine,
)
from app.models.schema_version import newest_revision, stored_revision
from app.paths import default_database_path


def sqlite_path(db: str | Path) -> Path | None:
    """The real file behind a SQLite URL or path (options such as ``?timeout=30`` left off,
    symlinks resolved); None for other databases or memory. The lock, the backups and the
    start check all go by this one name."""
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    name = url.database
    if name.startswith("file:"):  # a SQLite URI filename (uri=true): its path, unquoted
        name = unquote(urlsplit(name).path)
    return Path(os.path.realpath(Path(name).expanduser()))


def open_database(db: str | Path | None = None, *, read_only: bool = False) -> Database:
    """The default file lives in the user's data folder; an older schema is upgraded in place.
    ``read_only``: a SQLite file on a medium that cannot be written, opened only to read."""
    target = db if db is not None else default_database_path()
    if read_only:
        return _open_read_only(target)
    engine = make_engine(target)
    if engine.dialect.name != "sqlite" or stored_revision(engine) != newest_revision():
        from app.models.migrate import upgrade_database  # Alembic: only when there is work

        upgrade_database(engine, sqlite_path(target))
    return make_database(engine, sqlite_path(target))


def _open_read_only(target: str | Path) -> Database:
    path = sqlite_path(target)
    if path is None:
        raise StorageError("只读方式只能打开本机的 SQLite 数据库文件")
    if not path.is_file():
        raise StorageError(f"数据库文件 {path} 不存在，所在位置只读，也无法新建")
    engine = make_read_only_engine(path)
    try:
        revision = stored_revision(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StorageError(f"无法读取数据库 {path}（{sqlite_reason(exc.orig) or exc}）") from None
    if revision != newest_revision():
        engine.dispose()
        raise StorageError(
            f"数据库 {path} 的版本（{revision or '空文件'}）须先升级或建立才能打开，"
            "但所在位置只读；请把它复制到可写的文件夹后再打开"
        )
    return make_database(engine, path, read_only=True)
