"""Assessment rounds (考核批次) with their frozen tree, participants, assessors and rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.enums import RoundStatus
from app.models.frameworks import NodeFields
from app.models.types import DecimalText, JsonText

if TYPE_CHECKING:
    from app.models.scores import SatisfactionExemption

ROUND_STATUSES = tuple(RoundStatus)  # in the order a round moves through them


class Round(Base):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("frameworks.id", ondelete="SET NULL")
    )
    framework_name: Mapped[str] = mapped_column(String(200))  # as it was when frozen
    status: Mapped[str] = mapped_column(String(10), default=RoundStatus.SCORING)
    satisfaction_weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    bonus_cap: Mapped[Decimal | None] = mapped_column(DecimalText)
    trim_from: Mapped[int] = mapped_column(Integer, default=5)
    grades: Mapped[list[Any]] = mapped_column(
        JsonText, default=list
    )  # [[name, minimum], ...] best first
    category_grades: Mapped[dict[str, Any]] = mapped_column(JsonText, default=dict)
    top_quota: Mapped[Decimal | None] = mapped_column(DecimalText)
    bottom_n: Mapped[int] = mapped_column(Integer, default=0)
    # The quota's scope, rounding and tie rule (app.scoring.types.Quota*): issue 14 §2.
    quota_scope: Mapped[str] = mapped_column(String(10), default="category")
    quota_rounding: Mapped[str] = mapped_column(String(10), default="floor")
    quota_ties: Mapped[str] = mapped_column(String(10), default="share")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    scoring_due: Mapped[date | None] = mapped_column(Date)  # 评分截止
    objection_due: Mapped[date | None] = mapped_column(Date)  # 申辩截止
    publication_due: Mapped[date | None] = mapped_column(Date)  # 公示截止

    nodes: Mapped[list[RoundNode]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundNode.id"
    )
    participants: Mapped[list[RoundUnit]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundUnit.sort_order"
    )
    exemptions: Mapped[list[SatisfactionExemption]] = relationship(
        cascade="all, delete-orphan", order_by="SatisfactionExemption.id"
    )


class RoundNode(NodeFields, Base):
    """A node of the tree as frozen when the round was created."""

    __tablename__ = "round_nodes"
    __table_args__ = (UniqueConstraint("round_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))

    round: Mapped[Round] = relationship(back_populates="nodes")


class RoundUnit(Base):
    """A unit taking part in a round, with the category it is ranked in for that round."""

    __tablename__ = "round_units"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    category_name: Mapped[str] = mapped_column(String(100), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="participants")


class Assessor(Base):
    """A person or department that scores (评分人 / 评分责任单位)."""

    __tablename__ = "assessors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    department: Mapped[str] = mapped_column(String(200), default="")
    # The unit the assessor belongs to: they never score it (回避).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))


class Assignment(Base):
    """Who scores what in a round: an assessor on a leaf, for one unit or (unit None) all."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("round_id", "assessor_id", "node_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessors.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
