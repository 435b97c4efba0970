"""Files chosen one by one (an objection's attachments, a rectification's 整改佐证) into the
same store as the packages: each checked as a package's files are (type by its first bytes,
no programs or archives, the office's size limit), hashed while copied, stored once by its
SHA-256. A bad file refuses the whole write, naming the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import UserError
from app.io.evidence.file_types import check_file, needs_whole
from app.io.evidence.package_source import Entry, EntryTooLarge, Staged, stage_entry
from app.models import EvidenceFile
from app.models.evidence_store import ContentStore
from app.services.evidence.limits import limits_in
from app.services.evidence.storing import stored_file

MAX_FILES = 50  # one objection or progress report


@dataclass(frozen=True)
class AttachedFile:
    """A file an objection or a progress report carries, as lists show it."""

    name: str
    sha256: str
    size: int
    kind: str
    added_by: str
    added_at: datetime | None


def attached(
    name: str, file: EvidenceFile, added_by: str, added_at: datetime | None
) -> AttachedFile:
    return AttachedFile(name, file.sha256, file.size, file.kind, added_by, added_at)


def store_files(
    session: Session, store: ContentStore, paths: Sequence[str | Path]
) -> list[tuple[str, EvidenceFile]]:
    """Each file checked and stored (in the caller's transaction), by the name it will carry;
    UserError naming the first file that may not be evidence. Two files of one name refused."""
    chosen = [Path(p) for p in paths]
    if len(chosen) > MAX_FILES:
        raise UserError(f"一次最多附 {MAX_FILES} 个文件")
    names = [p.name for p in chosen]
    twice = {n for n in names if names.count(n) > 1}
    if twice:
        raise UserError(f"有同名的文件：{'、'.join(sorted(twice))}（请改名后再附上）")
    limits = limits_in(session)
    staging = store.staging()
    staged_all: list[Staged] = []  # removed at the end: stored ones were moved away
    ready: list[tuple[str, Staged, str]] = []
    try:
        for path in chosen:
            if not path.is_file():
                raise UserError(f"文件不存在：{path}")
            size = path.stat().st_size
            if size > limits.file_bytes:
                raise UserError(
                    f"“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过单个文件的上限 "
                    f"{limits.file_mb} MB"
                )
            entry = Entry((path.name,), size, lambda path=path: path.open("rb"))
            try:
                staged = stage_entry(entry, staging, limits.file_bytes)
            except EntryTooLarge as error:
                raise UserError(str(error)) from None
            staged_all.append(staged)
            verdict = check_file(
                path.name, staged.head, staged.path if needs_whole(staged.head) else None
            )
            if not verdict.ok:
                raise UserError(f"“{path.name}”：{verdict.problem}")
            ready.append((path.name, staged, verdict.kind))
        rows = [
            (name, stored_file(session, store, staged, name, kind)) for name, staged, kind in ready
        ]
        store.flush()
        return rows
    finally:
        for staged in staged_all:
            staged.path.unlink(missing_ok=True)
