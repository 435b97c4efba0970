"""A checked file into the store: one row per content (found by its SHA-256, so the same
file given twice is stored once), the content put beside it in the same step."""

from __future__ import annotations

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
