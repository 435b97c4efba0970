"""The engine and session factory: SQLite with foreign keys, full sync and real transactions."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import StorageError, sqlite_reason

T = TypeVar("T")

# On a server, every writing transaction first takes this transaction-level advisory lock, so
# writers go one at a time as on SQLite (BEGIN IMMEDIATE): the change log's chain head, the
# state seals and their digest, 文号 and a cell's value checked against what a clerk saw are
# all read and written by one writer, and no interleaving can fork or falsify them. Readers
# are not held up (MVCC); a score edit holds the lock for a few milliseconds.
WRITE_LOCK = 0x4B616F70  # "Kaop"
WAIT_FOR_LOCK = "30s"  # an import or a restore holding it longer: a clear refusal, not a hang
RETRIED = ("40001", "40P01")  # serialization failure, deadlock detected: safe to run again
ATTEMPTS = 4
LOCK_BUSY = "55P03"  # lock_not_available (lock_timeout passed)


def database_url(db: str | Path) -> str:
    """A path becomes a SQLite URL; a full URL (``dialect://...``) is used as given."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _configure_sqlite(engine: Engine, read_only: bool = False) -> None:
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
        cursor.execute("PRAGMA busy_timeout = 10000")
        if not read_only:
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_read_only_engine(path: Path) -> Engine:
    """A SQLite file on a medium that cannot be written (a read-only folder or disk): opened
    read-only, so reading takes no journal, no lock file and no write of any kind."""
    import sqlite3

    uri = f"{path.resolve().as_uri()}?mode=ro"
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )
    _configure_sqlite(engine, read_only=True)
    return engine


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


TURN = "kaoping.turn"  # session.info: this transaction holds the server's write lock


def take_turn(session: Session) -> bool:
    """On a server, wait for this transaction's turn to write (WRITE_LOCK); on SQLite the
    transaction has it from BEGIN IMMEDIATE. Everything read after this is the latest.
    True when the turn was taken just now: what was read before may have moved on."""
    if session.info.get(TURN) or session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text(f"SET LOCAL lock_timeout = '{WAIT_FOR_LOCK}'"))
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
    session.info[TURN] = True
    return True


@dataclass
class Database:
    """An opened database: the engine plus the one session factory the services use."""

    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None  # the SQLite file, when there is one (backups need it)
    read_only: bool = False  # opened on a medium that cannot be written

    @contextmanager
    def transaction(self, *, turn_taken_later: bool = False) -> Iterator[Session]:
        """One user action = one transaction: committed whole, or rolled back whole. A disk
        that refuses (full, read-only, locked by another program) is a StorageError naming
        the file; SQLite has rolled the transaction back, nothing was written.

        ``turn_taken_later``: on a server, the write takes its turn itself (take_turn) once it
        has read what does not decide it (the round's tree, its assessors), before it reads
        what it will change: twenty clients' preparations then run side by side."""
        try:
            with self.sessions.begin() as session:
                if not turn_taken_later:
                    take_turn(session)  # before anything is read
                yield session
        except OperationalError as exc:
            problem = self._storage_error(exc, writing=True)
            if problem is None:
                raise
            raise problem from exc

    def retrying(self, write: Callable[[Session], T], *, turn_taken_later: bool = False) -> T:
        """``write`` in one transaction, run again (a few times) when the server aborted it
        for a serialization failure or a deadlock: a context manager cannot run its body
        twice, so a write that is safe to repeat (all its work inside ``write``) comes here.
        On SQLite neither can happen (one writer, BEGIN IMMEDIATE): it runs once."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.transaction(turn_taken_later=turn_taken_later) as session:
                    return write(session)
            except DBAPIError as exc:
                if attempt == ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in RETRIED:
                    raise
                time.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self.sessions() as session:
                yield session
        except OperationalError as exc:
            problem = self._storage_error(exc, writing=False)
            if problem is None:
                raise
            raise problem from exc

    def _storage_error(self, exc: OperationalError, *, writing: bool) -> StorageError | None:
        if getattr(exc.orig, "sqlstate", None) == LOCK_BUSY:
            return StorageError(
                "服务器正忙：另一位用户的操作（如导入、恢复）尚未完成，"
                "本次操作未写入任何数据（已撤销），请稍后再试"
            )
        why = sqlite_reason(exc.orig or exc)
        if why is None:
            return None  # not the disk: a bug, shown with its details
        where = self.path or self.engine.url.render_as_string(hide_password=True)
        if self.read_only and writing:
            return StorageError(
                f"数据库 {where} 所在的位置只读，只能查看，不能修改；"
                "请把数据库复制到可写的文件夹后再做修改"
            )
        done = "本次操作未写入任何数据（已撤销）" if writing else "未能读取"
        return StorageError(f"数据库 {where}：{why}，{done}")

    def dispose(self) -> None:
        self.engine.dispose()


def make_database(engine: Engine, path: Path | None = None, read_only: bool = False) -> Database:
    return Database(engine, sessionmaker(engine, expire_on_commit=False), path, read_only)
