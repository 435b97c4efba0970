"""Checked files into the store: one row per content (found by its SHA-256, so the same
file given twice is stored once), the content put beside it in the same step. A package's
files go in together: their rows are looked up and added in a few statements, not two
round trips per file (which took more time than copying the files)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.evidence.package_source import Staged
from app.models import EvidenceFile
from app.models.evidence_store import ContentStore
from app.services.access.audit import current_user


def stored_file(
    session: Session, store: ContentStore, staged: Staged, name: str, kind: str
) -> EvidenceFile:
    """The file's row, made (and its content stored) when the content is new; the staged copy
    is consumed either way. Content a rollback left without its row is simply taken again."""
    found = session.scalar(select(EvidenceFile).where(EvidenceFile.sha256 == staged.sha256))
    if found is None:
        found = EvidenceFile(
            sha256=staged.sha256,
            size=staged.size,
            kind=kind,
            first_name=name,
            stored_by=current_user(),
        )
        session.add(found)
        session.flush()
    if store.has(session, found.id, found.sha256):
        staged.path.unlink(missing_ok=True)
    else:
        store.put(session, found.id, found.sha256, staged.path)
    return found


LOOKUP = 500  # hashes per IN (...) list


def stored_files(
    session: Session, store: ContentStore, files: Sequence[tuple[Staged, str, str]]
) -> dict[str, EvidenceFile]:
    """Each (staged copy, name, kind) stored as stored_file does, by SHA-256; every staged
    copy is consumed."""
    wanted = sorted({staged.sha256 for staged, _, _ in files})
    found: dict[str, EvidenceFile] = {}
    for start in range(0, len(wanted), LOOKUP):
        chunk = wanted[start : start + LOOKUP]
        for row in session.scalars(select(EvidenceFile).where(EvidenceFile.sha256.in_(chunk))):
            found[row.sha256] = row
    new: set[str] = set()
    user = current_user()
    for staged, name, kind in files:
        if staged.sha256 not in found:
            found[staged.sha256] = EvidenceFile(
                sha256=staged.sha256, size=staged.size, kind=kind, first_name=name, stored_by=user
            )
            new.add(staged.sha256)
    session.add_all([found[sha] for sha in sorted(new)])
    session.flush()
    for staged, _, _ in files:
        row = found[staged.sha256]
        if staged.sha256 in new:
            new.discard(staged.sha256)  # a second copy of the same content in the package
            store.put(session, row.id, row.sha256, staged.path)  # is then found by has()
        elif store.has(session, row.id, row.sha256):
            staged.path.unlink(missing_ok=True)
        else:
            store.put(session, row.id, row.sha256, staged.path)
    return found
