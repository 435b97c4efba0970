"""What the program holds for one unit in a round, per leaf: its self-assessment, the files it
attached (name → content) and the assessors' review. The package export writes it out, the
import compares a returned package with it, the lists show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import EvidenceAttachment, EvidenceFile, EvidenceReview
from app.models.evidence import REVIEW_RETURNED
from app.models.review import SelfAssessment

NOT_APPLICABLE = "不适用"


@dataclass(frozen=True)
class HeldFile:
    attachment_id: int
    file_id: int
    name: str
    sha256: str
    size: int
    kind: str
    added_by: str
    added_at: object


@dataclass
class HeldLeaf:
    score: str = ""  # "" none, "不适用", or the number as text
    note: str = ""
    files: dict[str, HeldFile] = field(default_factory=dict)  # by name
    review: str = ""  # 认可 / 退回补充 / ""
    missing: str = ""
    due: date | None = None
    reviewed_by: str = ""


def score_text(score: Decimal | None, not_applicable: bool) -> str:
    if not_applicable:
        return NOT_APPLICABLE
    return "" if score is None else f"{score.normalize():f}"


def returned_text(missing: str, due: date | None) -> str:
    when = f"（请于 {due.year}年{due.month}月{due.day}日前补充）" if due else ""
    return f"{missing}{when}"


def held_state(session: Session, round_id: int, unit_id: int) -> dict[int, HeldLeaf]:
    """By leaf (node id): everything the unit has in the round."""
    held: dict[int, HeldLeaf] = {}
    for sa in session.scalars(
        select(SelfAssessment).where(
            SelfAssessment.round_id == round_id, SelfAssessment.unit_id == unit_id
        )
    ):
        leaf = held.setdefault(sa.node_id, HeldLeaf())
        leaf.score, leaf.note = score_text(sa.score, sa.not_applicable), sa.note
    rows = session.execute(
        select(EvidenceAttachment, EvidenceFile)
        .join(EvidenceFile, EvidenceFile.id == EvidenceAttachment.file_id)
        .where(EvidenceAttachment.round_id == round_id, EvidenceAttachment.unit_id == unit_id)
        .order_by(EvidenceAttachment.id)
    )
    for attachment, file in rows:
        held.setdefault(attachment.node_id, HeldLeaf()).files[attachment.name] = HeldFile(
            attachment.id,
            file.id,
            attachment.name,
            file.sha256,
            file.size,
            file.kind,
            attachment.added_by,
            attachment.added_at,
        )
    for review in session.scalars(
        select(EvidenceReview).where(
            EvidenceReview.round_id == round_id, EvidenceReview.unit_id == unit_id
        )
    ):
        leaf = held.setdefault(review.node_id, HeldLeaf())
        leaf.review, leaf.missing, leaf.due = review.status, review.missing, review.due
        leaf.reviewed_by = review.reviewed_by
    return held


def sent_back(leaf: HeldLeaf) -> str:
    """The 退回补充 line a package carries for the leaf ("" when none)."""
    return returned_text(leaf.missing, leaf.due) if leaf.review == REVIEW_RETURNED else ""
