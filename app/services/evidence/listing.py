"""What the office and the assessors read of the evidence: one leaf's (the unit's self-score
and note, its files, the review) for the panel beside the grid; a round's or a unit's list;
a file copied out to a temporary place to open it (never the store's own copy)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.filenames import file_part
from app.models import EvidenceFile, Round
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.access.permissions import Permission, require
from app.services.evidence.unit_leaves import UnitLeaf, applicable_leaves, unit_in_round
from app.services.evidence.unit_state import HeldFile, HeldLeaf, held_state
from app.services.rounds.definition import round_of
from app.services.rounds.participants import units_taking_part
from app.timefmt import local_time

PENDING = "待审核"


@dataclass(frozen=True)
class LeafEvidence:
    """One unit's evidence for one leaf, as the panel beside the grid shows it."""

    unit: str
    code: str
    name: str
    points: str
    self_score: str
    note: str
    review: str  # 认可 / 退回补充 / 待审核 ("" when there is nothing to review)
    missing: str
    due: date | None
    files: tuple[HeldFile, ...]


def _review(leaf: HeldLeaf) -> str:
    return leaf.review or (PENDING if leaf.files else "")


def _leaf_evidence(unit: str, leaf: UnitLeaf, held: HeldLeaf) -> LeafEvidence:
    return LeafEvidence(
        unit,
        leaf.code,
        leaf.name,
        f"{leaf.points.normalize():f}",
        held.score,
        held.note,
        _review(held),
        held.missing,
        held.due,
        tuple(held.files.values()),
    )


def leaf_evidence(db: Database, round_: int | str, unit: str, leaf: str) -> LeafEvidence:
    require(Permission.VIEW)
    with db.reading() as session:
        found = round_of(session, round_)
        unit_id, name = unit_in_round(session, found, unit)
        node = next(
            (n for n in applicable_leaves(session, found.id, unit_id) if n.code == leaf), None
        )
        if node is None:
            raise NotFound(f"指标 {leaf} 不是“{name}”在本批次适用的末级指标")
        held = held_state(session, found.id, unit_id).get(node.node_id, HeldLeaf())
        return _leaf_evidence(name, node, held)


def unit_evidence(session: Session, round_: Round, unit_id: int, unit: str) -> list[LeafEvidence]:
    held = held_state(session, round_.id, unit_id)
    return [
        _leaf_evidence(unit, leaf, held.get(leaf.node_id, HeldLeaf()))
        for leaf in applicable_leaves(session, round_.id, unit_id)
    ]


def round_evidence(db: Database, round_: int | str, unit: str | None = None) -> list[LeafEvidence]:
    """Every applicable leaf of every unit (or one), in the units' and the tree's order."""
    require(Permission.VIEW)
    with db.reading() as session:
        found = round_of(session, round_)
        if unit is not None:
            pairs = [unit_in_round(session, found, unit)]
        else:
            pairs = [(i, n) for n, i in sorted(units_taking_part(session, found.id).items())]
        return [
            line for unit_id, name in pairs for line in unit_evidence(session, found, unit_id, name)
        ]


def submitted(file: HeldFile) -> str:
    when = file.added_at
    shown = f"{local_time(when):%Y-%m-%d %H:%M}" if isinstance(when, datetime) else ""
    return f"{file.added_by} {shown}".strip()


def as_json(leaves: list[LeafEvidence]) -> list[dict[str, Any]]:
    return [
        {
            "unit": leaf.unit,
            "leaf": leaf.code,
            "name": leaf.name,
            "points": leaf.points,
            "self_score": leaf.self_score,
            "note": leaf.note,
            "review": leaf.review,
            "missing": leaf.missing,
            "due": leaf.due.isoformat() if leaf.due else None,
            "files": [
                {
                    "name": f.name,
                    "size": f.size,
                    "sha256": f.sha256,
                    "kind": f.kind,
                    "submitted": submitted(f),
                }
                for f in leaf.files
            ],
        }
        for leaf in leaves
        if leaf.files or leaf.self_score or leaf.note or leaf.review
    ]


# Copies opened in a viewer may still be open for a while; a week later they are taken away
# (a unit's evidence does not linger in the PC's temporary folder).
OPENED_COPIES_KEPT = 7 * 24 * 3600
PREVIEWS_KEPT = 2 * 24 * 3600  # a run that ended without cleaning up (a crash, a kill)
_swept = False


def sweep_old_copies(now: float | None = None) -> list[Path]:
    """Remove the temporary copies earlier runs left: opened copies older than a week, other
    runs' preview folders untouched for two days (a run removes its own at exit). Once per
    process; returns what went."""
    global _swept
    if _swept and now is None:
        return []
    _swept = True
    now = time.time() if now is None else now
    gone = []
    for folder in Path(tempfile.gettempdir()).glob("kaoping-*"):
        if not folder.is_dir():
            continue
        try:
            if folder.name.startswith("kaoping-evidence-"):
                stale = now - folder.stat().st_mtime > OPENED_COPIES_KEPT
            elif folder.name.startswith("kaoping-preview-"):  # another run's drawing cache
                own = folder.name == f"kaoping-preview-{os.getpid()}"
                stale = not own and now - folder.stat().st_mtime > PREVIEWS_KEPT
            else:
                continue
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def _remove_own_previews() -> None:
    shutil.rmtree(Path(tempfile.gettempdir()) / f"kaoping-preview-{os.getpid()}", True)


atexit.register(_remove_own_previews)


def copy_to_open(db: Database, sha256: str, name: str, folder: Path | None = None) -> Path:
    """A copy of the file to open in the system's viewer: in a private temporary folder (or
    ``folder``), so a viewer that writes back never touches the store."""
    require(Permission.VIEW)
    sweep_old_copies()
    target_folder = folder or Path(tempfile.mkdtemp(prefix="kaoping-evidence-"))
    store = content_store(db)
    with db.reading() as session:
        file_id = session.scalar(select(EvidenceFile.id).where(EvidenceFile.sha256 == sha256))
        if file_id is None:
            raise NotFound(f"没有 SHA-256 为 {sha256[:12]}… 的佐证材料")
        suffix = Path(name).suffix
        target = target_folder / f"{file_part(Path(name).stem)}{suffix}"
        return store.copy_out(session, file_id, sha256, target)


def preview_copy(db: Database, sha256: str, name: str) -> Path:
    """A copy of the file for the panel to draw (PDF pages, an image, a text), kept for the
    rest of the session in this process's own temporary folder: selecting the same cell again
    draws at once, and nothing reads the store's own copy outside the services."""
    folder = Path(tempfile.gettempdir()) / f"kaoping-preview-{os.getpid()}"
    target = folder / f"{sha256}{Path(name).suffix.lower()}"
    with _PREVIEWS:  # two quick clicks: one copy
        if target.is_file():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        return copy_to_open(db, sha256, name, folder).replace(target)


_PREVIEWS = threading.Lock()
