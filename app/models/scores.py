"""Score entries, satisfaction results and the append-only change log."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.types import DecimalText, JsonText

if TYPE_CHECKING:
    from app.models.units import Unit


class ScoreEntry(Base):
    """One assessor's entry for one unit and leaf; a deduction may have several rows."""

    __tablename__ = "score_entries"
    __table_args__ = (Index("ix_score_entries_round_unit", "round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessors.id"))
    deduction: Mapped[Decimal | None] = mapped_column(DecimalText)
    score: Mapped[Decimal | None] = mapped_column(DecimalText)
    answer: Mapped[bool | None] = mapped_column(Boolean)
    measured: Mapped[Decimal | None] = mapped_column(DecimalText)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(100), default="")
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SatisfactionResult(Base):
    __tablename__ = "satisfaction_results"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    score: Mapped[Decimal] = mapped_column(DecimalText)
    # When the score came from vote counts: {"满意": n, "基本满意": n, "不满意": n, "权重": [...]}
    votes: Mapped[Any] = mapped_column(JsonText, nullable=True)


class SatisfactionExemption(Base):
    """A unit excused from the round's survey (e.g. reviewed by 履职评议 instead): its final is
    its assessment score, and it is complete without a survey value."""

    __tablename__ = "satisfaction_exemptions"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")


class ChangeLog(Base):
    """Append-only record of every change that can move a result (triggers refuse edits)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(100))
    round_id: Mapped[int | None] = mapped_column(Integer)  # kept even if the round goes
    entity: Mapped[str] = mapped_column(String(50))
    entity_key: Mapped[str] = mapped_column(Text)  # e.g. "单位/指标/评分人"
    action: Mapped[str] = mapped_column(String(20))  # 新增 / 修改 / 删除 / 状态
    old: Mapped[Any] = mapped_column(JsonText, nullable=True)
    new: Mapped[Any] = mapped_column(JsonText, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")  # file or command that made it
    # Tamper evidence: each record carries the previous record's hash and its own.
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    # The sealed state's digest after the transaction this record ends
    # (app.services.access.state_seal); None on the records before it and on earlier records
    # of the same transaction.
    state_digest: Mapped[str | None] = mapped_column(String(64))
