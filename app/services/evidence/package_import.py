"""A unit's package (自评包) back in: previewed per leaf, then applied all or nothing. The files
checked in the preview's pass are the ones stored; each addition, replacement and withdrawal is
a change-log record carrying the file's SHA-256, the self-assessment one record per package.
A package that holds what the program already holds changes nothing (importing it twice, or
the same content as a folder and as a zip)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.io.evidence.package_source import Staged
from app.models import EvidenceAttachment, EvidencePackage
from app.models.database import Database
from app.models.evidence_store import ContentStore, content_store
from app.models.review import SelfAssessment
from app.services.access.audit import current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, changes_of
from app.services.evidence.package_check import (
    KEPT,
    NEW,
    REPLACED,
    WITHDRAWN,
    CheckedPackage,
    FileInPackage,
    LeafInPackage,
    check_package,
)
from app.services.evidence.storing import stored_files
from app.services.evidence.unit_state import NOT_APPLICABLE, HeldLeaf, held_state
from app.services.maintenance.backups import backup_before
from app.services.progress import Cancelled, Progress
from app.services.rounds.definition import round_of, writable_round

ACTIONS = {NEW: "新增", REPLACED: "替换", WITHDRAWN: "删除"}


class PackageRejected(UserError):
    """The package was refused whole; ``package.problems`` says why, nothing was written."""

    def __init__(self, package: CheckedPackage) -> None:
        self.package = package
        lines = "\n".join(f"  {p}" for p in package.problems)
        super().__init__(f"材料包 {package.source.name} 有问题，未导入：\n{lines}")


@dataclass(frozen=True)
class PackageImport:
    package: CheckedPackage
    applied: bool  # False: it held nothing new (the same package again)
    changes: Changes = NOTHING


def preview_package(
    db: Database,
    round_: int | str,
    source: str | Path,
    unit: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CheckedPackage:
    """What importing the package would do, per leaf, and its problems; nothing is written."""
    require(Permission.IMPORT)
    checked = _checked(db, round_, Path(source), unit, progress, cancelled, writable=False)
    checked.discard()
    return checked


def import_package(
    db: Database,
    round_: int | str,
    source: str | Path,
    unit: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PackageImport:
    """Check the package and apply it whole; PackageRejected (nothing written) when any
    problem was found."""
    require(Permission.IMPORT)
    checked = checked_for_import(db, round_, Path(source), unit, progress, cancelled)
    if checked.refused or not checked.changed:
        return apply_checked(db, checked)  # refused or a no-op: no backup to take
    with backup_before(db, "导入材料包前"):
        return apply_checked(db, checked)


def checked_for_import(
    db: Database,
    round_: int | str,
    source: Path,
    unit: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CheckedPackage:
    """The package checked against a round that can still be written, its files staged for
    apply_checked (which stores or discards them); nothing is written."""
    require(Permission.IMPORT)
    return _checked(db, round_, source, unit, progress, cancelled, writable=True)


def apply_checked(db: Database, checked: CheckedPackage) -> PackageImport:
    """Apply a package checked_for_import checked, in one transaction; PackageRejected
    (nothing written) when it has problems. The staged copies are consumed either way. A
    window's preview and its import then read each file once."""
    require(Permission.IMPORT)
    try:
        if checked.refused:
            raise PackageRejected(checked)
        if not checked.changed:
            return PackageImport(checked, False)
        store = content_store(db)
        with db.transaction() as session:
            return PackageImport(checked, True, _apply(session, store, checked))
    finally:
        checked.discard()  # what was stored was moved away; the rest goes


def _checked(
    db: Database,
    round_: int | str,
    source: Path,
    unit: str | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    *,
    writable: bool,
) -> CheckedPackage:
    store = content_store(db)
    with db.reading() as session:
        found = writable_round(session, round_) if writable else round_of(session, round_)
        return check_package(
            session, found, source, store, unit=unit, progress=progress, cancelled=cancelled
        )


def package_digest(checked: CheckedPackage) -> str:
    """The package's content as the program reads it (the same from a zip or a folder)."""
    lines = [checked.round_name, checked.unit]
    for leaf in checked.leaves:
        lines.append(f"{leaf.code}\t{leaf.score}\t{leaf.note}")
        lines += sorted(f"\t{f.name}\t{f.sha256}" for f in leaf.files if f.status != WITHDRAWN)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _apply(session: Session, store: ContentStore, checked: CheckedPackage) -> Changes:
    round_ = writable_round(session, checked.round_id)
    held = held_state(session, round_.id, checked.unit_id)
    _refuse_if_moved(checked, held)
    files = [f for leaf in checked.leaves for f in leaf.files if f.status != WITHDRAWN]
    package = EvidencePackage(
        round_id=round_.id,
        unit_id=checked.unit_id,
        digest=package_digest(checked),
        name=checked.source.name,
        files=len(files),
        size=sum(f.size for f in files),
        imported_by=current_user(),
    )
    session.add(package)
    session.flush()
    log = _logger(session, checked, round_.id)
    user = current_user()  # asked once: the system's name lookup costs per call
    scores_before, scores_after = {}, {}
    rows = stored_files(
        session,
        store,
        [
            (_staged(f), f.name, f.kind)
            for leaf in checked.changed
            for f in leaf.files
            if f.status in (NEW, REPLACED)
        ],
    )
    for leaf in checked.changed:
        mine = held.get(leaf.node_id, HeldLeaf())
        for file in leaf.files:
            if file.status == KEPT:
                continue
            before = mine.files.get(file.name)
            if file.status == WITHDRAWN:
                assert before is not None
                session.execute(
                    delete(EvidenceAttachment).where(EvidenceAttachment.id == before.attachment_id)
                )
                log(leaf, file.name, "删除", _described(before.sha256, before.size), None)
                continue
            row = rows[file.sha256]
            if before is None:
                session.add(
                    EvidenceAttachment(
                        round_id=round_.id,
                        unit_id=checked.unit_id,
                        node_id=leaf.node_id,
                        file_id=row.id,
                        name=file.name,
                        package_id=package.id,
                        added_by=user,
                    )
                )
            else:
                attachment = session.get(EvidenceAttachment, before.attachment_id)
                assert attachment is not None
                attachment.file_id, attachment.package_id = row.id, package.id
                attachment.added_by = user
            old = None if before is None else _described(before.sha256, before.size)
            log(leaf, file.name, ACTIONS[file.status], old, _described(file.sha256, file.size))
        if (leaf.score, leaf.note) != (leaf.score_before, leaf.note_before):
            _set_self_assessment(session, checked, leaf)
            scores_before[leaf.code] = {"自评分": leaf.score_before, "自评说明": leaf.note_before}
            scores_after[leaf.code] = {"自评分": leaf.score, "自评说明": leaf.note}
    store.flush()
    if scores_after:
        log_change(
            session,
            entity="自评",
            key=checked.unit,
            action="修改",
            old=scores_before,
            new=scores_after,
            round_id=round_.id,
            source=checked.source.name,
        )
    return changes_of(session)


def _refuse_if_moved(checked: CheckedPackage, held: dict[int, HeldLeaf]) -> None:
    """Someone else changed the unit's evidence between the check and now (another client):
    the comparison the check made no longer holds."""
    for leaf in checked.leaves:
        mine = held.get(leaf.node_id, HeldLeaf())
        expected = {f.name: f for f in leaf.files if f.status != NEW}
        same_files = set(mine.files) == set(expected) and all(
            f.status == REPLACED or mine.files[name].sha256 == f.sha256
            for name, f in expected.items()
        )
        if not same_files or (mine.score, mine.note) != (leaf.score_before, leaf.note_before):
            raise UserError(
                f"单位“{checked.unit}”指标 {leaf.code} 的材料在检查后被他人修改，"
                "未写入任何数据；请重新导入"
            )


def _staged(file: FileInPackage) -> Staged:
    assert file.staged is not None
    return Staged(file.staged, file.sha256, file.size, b"")


def _described(sha256: str, size: int) -> dict[str, object]:
    return {"SHA-256": sha256, "大小": size}


def _logger(
    session: Session, checked: CheckedPackage, round_id: int
) -> Callable[[LeafInPackage, str, str, object, object], None]:
    def log(leaf: LeafInPackage, name: str, action: str, old: object, new: object) -> None:
        log_change(
            session,
            entity="佐证",
            key=f"{checked.unit}/{leaf.code}/{name}",
            action=action,
            old=old,
            new=new,
            round_id=round_id,
            source=checked.source.name,
        )

    return log


def _set_self_assessment(session: Session, checked: CheckedPackage, leaf: LeafInPackage) -> None:
    found = session.scalar(
        select(SelfAssessment).where(
            SelfAssessment.round_id == checked.round_id,
            SelfAssessment.unit_id == checked.unit_id,
            SelfAssessment.node_id == leaf.node_id,
        )
    )
    if not leaf.score and not leaf.note:
        if found is not None:
            session.delete(found)
        return
    if found is None:
        found = SelfAssessment(
            round_id=checked.round_id, unit_id=checked.unit_id, node_id=leaf.node_id
        )
        session.add(found)
    found.not_applicable = leaf.score == NOT_APPLICABLE
    found.score = None if leaf.score in ("", NOT_APPLICABLE) else Decimal(leaf.score)
    found.note = leaf.note
    found.source = checked.source.name
