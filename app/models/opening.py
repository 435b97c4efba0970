"""Open (and if needed create or upgrade) the database a command or window works on."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url

from app.models.database import Database, database_url, make_database, make_engine
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


def open_database(db: str | Path | None = None) -> Database:
    """The default file lives in the user's data folder; an older schema is upgraded in place."""
    target = db if db is not None else default_database_path()
    engine = make_engine(target)
    if engine.dialect.name != "sqlite" or stored_revision(engine) != newest_revision():
        from app.models.migrate import upgrade_database  # Alembic: only when there is work

        upgrade_database(engine, sqlite_path(target))
    return make_database(engine, sqlite_path(target))
