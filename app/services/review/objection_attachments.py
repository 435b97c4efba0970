"""The files an objection (申辩) carries: the unit's proof that a deduction was wrong, kept in
the evidence store with the objection, each addition in the change log with its SHA-256."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import EvidenceFile, ObjectionFile
from app.models.database import Database
from app.models.evidence_store import content_store
from app.models.review import Objection
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.evidence.loose_files import AttachedFile, attached, store_files
from app.services.rounds.definition import writable_round


def add_objection_files(
    session: Session, db: Database, objection: Objection, paths: Sequence[str | Path]
) -> int:
    """The files checked, stored and attached in the caller's transaction; a name the
    objection already carries is refused."""
    if not paths:
        return 0
    held = set(
        session.scalars(
            select(ObjectionFile.name).where(ObjectionFile.objection_id == objection.id)
        )
    )
    again = sorted(Path(p).name for p in paths if Path(p).name in held)
    if again:
        raise UserError(f"此申辩已附有同名文件：{'、'.join(again)}")
    for name, file in store_files(session, content_store(db), paths):
        session.add(
            ObjectionFile(
                objection_id=objection.id, file_id=file.id, name=name, added_by=current_user()
            )
        )
        log_change(
            session,
            entity="申辩材料",
            key=f"申辩#{objection.id}/{name}",
            action="新增",
            old=None,
            new={"SHA-256": file.sha256, "大小": file.size},
            round_id=objection.round_id,
        )
    return len(paths)


def attach_to_objection(db: Database, objection_id: int, paths: Sequence[str | Path]) -> Changes:
    """More files for an objection already recorded (while the round can still change)."""
    require(Permission.IMPORT)
    with db.transaction() as session:
        objection = session.get(Objection, objection_id)
        if objection is None:
            raise NotFound(f"没有编号为 {objection_id} 的申辩")
        writable_round(session, objection.round_id)
        add_objection_files(session, db, objection, paths)
        return changes_of(session)


def objection_files(db: Database, objection_id: int) -> list[AttachedFile]:
    require(Permission.VIEW)
    with db.reading() as session:
        rows = session.execute(
            select(ObjectionFile, EvidenceFile)
            .join(EvidenceFile, EvidenceFile.id == ObjectionFile.file_id)
            .where(ObjectionFile.objection_id == objection_id)
            .order_by(ObjectionFile.id)
        ).all()
        return [attached(f.name, e, f.added_by, f.added_at) for f, e in rows]
