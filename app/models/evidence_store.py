"""Where the content of evidence files lives (issue 19): one interface, two places.

- A local SQLite file keeps each content as a file in a folder beside the database
  (``kaoping.db`` → ``kaoping.evidence/ab/cd/<sha256>``): tens of GB of scans never pass
  through SQLite, so scoring reads a database of the same size as before. Each file is written
  under a temporary name in the store and renamed when whole (never half there), and never
  changed again (the name is its content's hash).
- A server keeps the content in its own table (``evidence_chunks``, 1 MiB per row): every
  client reads the same data through the one connection it already has, with the server's
  own permissions, transactions and backups; no shared folder to set up (the server mode
  promises one port only).

The store only ever adds: a transaction that rolls back may leave a content no row names
(harmless, taken again by the next import of the same file), never a row without content.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.models.database import Database
from app.models.evidence import EvidenceChunk

CHUNK = 1024 * 1024
STAGING = ".staging"
STALE_SECONDS = 24 * 3600  # staged copies a killed import left behind


def evidence_folder(db_path: Path) -> Path:
    """The folder beside a database file that holds its evidence."""
    return db_path.with_name(f"{db_path.stem}.evidence")


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class ContentStore(ABC):
    """The content of evidence files by their SHA-256. ``session`` is the caller's transaction
    (the server store writes and reads in it; the folder store ignores it)."""

    @property
    @abstractmethod
    def where(self) -> str:
        """Where the content lives, in words for a message."""

    @abstractmethod
    def staging(self) -> Path:
        """A folder to stage a file in before put(): on the store's disk when it has one, so
        the content is moved into place, not copied."""

    @abstractmethod
    def has(self, session: Session, file_id: int, sha256: str) -> bool: ...

    @abstractmethod
    def put(self, session: Session, file_id: int, sha256: str, source: Path) -> None:
        """Store ``source`` (whose content hashes to ``sha256``); ``source`` is consumed."""

    def flush(self) -> None:
        """Make what put() wrote durable (called once before the transaction that names the
        files commits: a power cut then never leaves a row naming content not on the disk).
        The server's store writes inside the transaction itself: nothing to do."""
        return None

    @abstractmethod
    def chunks(self, session: Session, file_id: int, sha256: str) -> Iterator[bytes]:
        """The content in pieces; FileNotFoundError when it is not there."""

    def problem(self, session: Session, file_id: int, sha256: str, size: int) -> str | None:
        """Why the stored content is not the file recorded (missing, other size, other hash),
        or None when it is intact."""
        digest, length = hashlib.sha256(), 0
        try:
            for block in self.chunks(session, file_id, sha256):
                digest.update(block)
                length += len(block)
        except FileNotFoundError:
            return "内容缺失（已被删除或移走）"
        if length != size:
            return f"大小不符：记录为 {size} 字节，现为 {length} 字节（内容被改动）"
        if digest.hexdigest() != sha256:
            return "内容与记录的 SHA-256 不符（内容被改动）"
        return None

    def copy_out(self, session: Session, file_id: int, sha256: str, target: Path) -> Path:
        """The content written to ``target`` (a temporary copy to open, an export)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            with partial.open("wb") as out:
                for block in self.chunks(session, file_id, sha256):
                    out.write(block)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target


class FolderStore(ContentStore):
    """Files in ``root/ab/cd/<sha256>`` beside a local database file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._unflushed: list[Path] = []

    @property
    def where(self) -> str:
        return str(self.root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def staging(self) -> Path:
        folder = self.root / STAGING
        folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for leftover in folder.iterdir():
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > STALE_SECONDS:
                    leftover.unlink()
        return folder

    def has(self, session: Session, file_id: int, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def put(self, session: Session, file_id: int, sha256: str, source: Path) -> None:
        target = self.path_of(sha256)
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            source.unlink(missing_ok=True)  # the same content is already here
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{sha256}.{uuid.uuid4().hex[:8]}.part")
        try:
            try:
                os.replace(source, partial)  # same disk: a rename
            except OSError:
                shutil.copyfile(source, partial)
                source.unlink(missing_ok=True)
            os.replace(partial, target)  # appears whole, or not at all
            self._unflushed.append(target)
        finally:
            partial.unlink(missing_ok=True)

    def flush(self) -> None:
        """One sync for a whole package (a file-by-file fsync took half of an import) where
        the system has one; file by file elsewhere (Windows)."""
        written, self._unflushed = self._unflushed, []
        if not written:
            return
        if hasattr(os, "sync"):
            os.sync()
            return
        for path in written:
            with path.open("rb+") as stream:
                os.fsync(stream.fileno())

    def chunks(self, session: Session, file_id: int, sha256: str) -> Iterator[bytes]:
        with self.path_of(sha256).open("rb") as stream:
            while block := stream.read(CHUNK):
                yield block


class DatabaseStore(ContentStore):
    """A server's (or an in-memory database's) content, in ``evidence_chunks``."""

    def __init__(self, where: str) -> None:
        self._where = where

    @property
    def where(self) -> str:
        return self._where

    def staging(self) -> Path:
        return Path(tempfile.gettempdir())

    def has(self, session: Session, file_id: int, sha256: str) -> bool:
        found = session.execute(
            select(EvidenceChunk.seq).where(EvidenceChunk.file_id == file_id).limit(1)
        ).first()
        return found is not None

    def put(self, session: Session, file_id: int, sha256: str, source: Path) -> None:
        session.execute(delete(EvidenceChunk).where(EvidenceChunk.file_id == file_id))
        try:
            with source.open("rb") as stream:
                seq = 0
                while block := stream.read(CHUNK):  # one piece in memory at a time
                    session.execute(
                        insert(EvidenceChunk), {"file_id": file_id, "seq": seq, "data": block}
                    )
                    seq += 1
                if seq == 0:  # an empty file still has its (empty) piece: "there", not lost
                    session.execute(
                        insert(EvidenceChunk), {"file_id": file_id, "seq": 0, "data": b""}
                    )
        finally:
            source.unlink(missing_ok=True)

    def chunks(self, session: Session, file_id: int, sha256: str) -> Iterator[bytes]:
        found = False
        for start in range(0, 1 << 62, 16):  # 16 MiB per query: memory stays bounded
            rows = session.execute(
                select(EvidenceChunk.data)
                .where(EvidenceChunk.file_id == file_id, EvidenceChunk.seq >= start)
                .where(EvidenceChunk.seq < start + 16)
                .order_by(EvidenceChunk.seq)
            ).scalars()
            count = 0
            for data in rows:
                found = True
                count += 1
                yield bytes(data)
            if count < 16:
                break
        if not found:
            raise FileNotFoundError(sha256)


def content_store(db: Database) -> ContentStore:
    """The store the engine calls for: a folder beside a local file, the database otherwise."""
    if db.path is not None:
        return FolderStore(evidence_folder(db.path))
    where = db.engine.url.render_as_string(hide_password=True)
    return DatabaseStore(f"数据库 {where} 的 evidence_chunks 表")
