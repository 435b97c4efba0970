"""Open (and if needed create or upgrade) the database a command or window works on."""

from __future__ import annotations

from pathlib import Path

from app.models.database import Database, database_url, make_database, make_engine
from app.models.schema_version import newest_revision, stored_revision
from app.paths import default_database_path


def sqlite_path(db: str | Path) -> Path | None:
    """The file behind a SQLite URL or path; None for other databases or memory."""
    url = database_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return None if path in ("", ":memory:") else Path(path)


def open_database(db: str | Path | None = None) -> Database:
    """The default file lives in the user's data folder; an older schema is upgraded in place."""
    target = db if db is not None else default_database_path()
    engine = make_engine(target)
    if engine.dialect.name != "sqlite" or stored_revision(engine) != newest_revision():
        from app.models.migrate import upgrade_database  # Alembic: only when there is work

        upgrade_database(engine, sqlite_path(target))
    return make_database(engine, sqlite_path(target))
