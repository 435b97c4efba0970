"""Review of a round: self-assessments (自评), objections (申辩) and their review (复核), the
scores kept at each stage, and the round's review settings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.types import DecimalText, JsonText

OBJECTION_PENDING, OBJECTION_ACCEPTED, OBJECTION_REJECTED = "待复核", "已采纳", "未采纳"
STAGE_INITIAL, STAGE_REVIEWED = "初评", "复核后"
DEFAULT_DISAGREEMENT = Decimal("0.3")


class ReviewSettings(Base):
    """Per round: when assessors disagree enough to flag a cell (spread above this share of
    the leaf's points)."""

    __tablename__ = "review_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), unique=True)
    disagreement_fraction: Mapped[Decimal] = mapped_column(DecimalText)


class SelfAssessment(Base):
    """A unit's own score for a leaf (自评), shown beside the assessors'; never counted."""

    __tablename__ = "self_assessments"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))
    score: Mapped[Decimal | None] = mapped_column(DecimalText)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Objection(Base):
    """A unit's objection (申辩) to a leaf's score and its review (复核)."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    requested: Mapped[Decimal | None] = mapped_column(DecimalText)
    score_before: Mapped[Decimal | None] = mapped_column(DecimalText)  # leaf score when filed
    status: Mapped[str] = mapped_column(String(10), default=OBJECTION_PENDING)
    filed_by: Mapped[str] = mapped_column(String(100), default="")
    filed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    new_score: Mapped[Decimal | None] = mapped_column(DecimalText)  # when accepted
    decision: Mapped[str] = mapped_column(Text, default="")  # the reviewer's reason
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)


class StageScore(Base):
    """A unit's scores as they stood at a stage (初评 when the preliminary results went out,
    复核后 after its objections were reviewed): final and every leaf."""

    __tablename__ = "stage_scores"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    stage: Mapped[str] = mapped_column(String(10))
    final: Mapped[Decimal] = mapped_column(DecimalText)
    leaves: Mapped[dict[str, Any]] = mapped_column(JsonText)  # code -> score text
    taken_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
