"""The engine and session factory: SQLite with foreign keys, full sync and real transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def database_url(db: str | Path) -> str:
    """A path becomes a SQLite URL; a full URL (``dialect://...``) is used as given."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    """Every connection: foreign keys on, synchronous FULL, rollback journal, explicit BEGIN.

    pysqlite's own transaction handling skips BEGIN before DDL and lets PRAGMAs slip into
    transactions; we take BEGIN over so each service call is one real transaction.
    The rollback journal (not WAL) is kept: older SQLite can corrupt WAL with two writers.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(db: str | Path) -> Engine:
    url = database_url(db)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    return create_engine(url)


@dataclass
class Database:
    """An opened database: the engine plus the one session factory the services use."""

    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None  # the SQLite file, when there is one (backups need it)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: committed whole, or rolled back whole."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def make_database(engine: Engine, path: Path | None = None) -> Database:
    return Database(engine, sessionmaker(engine, expire_on_commit=False), path)
