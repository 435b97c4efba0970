"""Is every evidence file still the file that was stored? (issue 19) Each recorded file's
content is read back from the store (the folder beside the database, or the server's table)
and hashed: a file removed, replaced or edited behind the program's back is named with the
places it is attached. Which files a round names is sealed with the rest of the state
(state_tables: 佐证); this proves the bytes behind those names."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    EvidenceAttachment,
    EvidenceFile,
    ObjectionFile,
    ProblemEventFile,
    Round,
    RoundNode,
    Unit,
)
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.progress import Cancelled, Progress


@dataclass(frozen=True)
class EvidenceProblem:
    sha256: str
    name: str
    problem: str
    places: tuple[str, ...]  # where the file is attached, as a person reads it

    @property
    def message(self) -> str:
        where = "；".join(self.places[:3]) + (" 等" if len(self.places) > 3 else "")
        return f"佐证材料“{self.name}”（SHA-256 {self.sha256[:12]}…，{where}）：{self.problem}"

    def as_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "problem": self.problem,
            "places": list(self.places),
        }


@dataclass(frozen=True)
class EvidenceReport:
    files: int
    size: int
    where: str
    problems: list[EvidenceProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "bytes": self.size,
            "where": self.where,
            "problems": [p.as_json() for p in self.problems],
            "seconds": round(self.seconds, 3),
        }


def _places(session: Session, file_ids: set[int]) -> dict[int, list[str]]:
    places: dict[int, list[str]] = defaultdict(list)
    if not file_ids:
        return places
    rows = session.execute(
        select(EvidenceAttachment.file_id, Round.name, Unit.name, RoundNode.code)
        .join(Round, Round.id == EvidenceAttachment.round_id)
        .join(Unit, Unit.id == EvidenceAttachment.unit_id)
        .join(RoundNode, RoundNode.id == EvidenceAttachment.node_id)
        .where(EvidenceAttachment.file_id.in_(file_ids))
    )
    for file_id, round_name, unit, code in rows:
        places[file_id].append(f"{round_name} {unit} 指标 {code}")
    for file_id, objection in session.execute(
        select(ObjectionFile.file_id, ObjectionFile.objection_id).where(
            ObjectionFile.file_id.in_(file_ids)
        )
    ):
        places[file_id].append(f"申辩 {objection}")
    for file_id, event in session.execute(
        select(ProblemEventFile.file_id, ProblemEventFile.event_id).where(
            ProblemEventFile.file_id.in_(file_ids)
        )
    ):
        places[file_id].append(f"整改进展 {event}")
    return places


def verify_evidence(
    db: Database, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> EvidenceReport:
    """Every stored file read back and hashed (seconds per GB: run by `audit verify`, not at
    every start)."""
    started = time.perf_counter()
    store = content_store(db)
    found: list[tuple[int, str, str, str]] = []
    files = size = 0
    with db.reading() as session:
        rows = session.execute(
            select(
                EvidenceFile.id, EvidenceFile.sha256, EvidenceFile.size, EvidenceFile.first_name
            ).order_by(EvidenceFile.id)
        ).all()
        total = sum(r.size for r in rows)
        for file_id, sha256, length, name in rows:
            if cancelled is not None and cancelled():
                break
            problem = store.problem(session, file_id, sha256, length)
            if problem is not None:
                found.append((file_id, sha256, name, problem))
            files += 1
            size += length
            if progress is not None:
                progress(size, total)
        places = _places(session, {f[0] for f in found})
    problems = [
        EvidenceProblem(sha, name, problem, tuple(places.get(file_id, ["未被引用"])))
        for file_id, sha, name, problem in found
    ]
    return EvidenceReport(files, size, store.where, problems, time.perf_counter() - started)
