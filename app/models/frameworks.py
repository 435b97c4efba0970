"""Indicator systems (指标体系): editable trees that rounds freeze a copy of."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.types import DecimalText, JsonText


class Framework(Base):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    nodes: Mapped[list[FrameworkNode]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="FrameworkNode.id"
    )


class NodeFields:
    """Columns shared by a framework's nodes and a round's frozen copy of them."""

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[Decimal] = mapped_column(DecimalText)
    method: Mapped[str] = mapped_column(String(10), default="扣分")
    parameters: Mapped[str] = mapped_column(Text, default="")
    tiers: Mapped[list[Any]] = mapped_column(JsonText, default=list)  # [[threshold, fraction]]
    standard: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    assessment_method: Mapped[str] = mapped_column(Text, default="")
    lead_department: Mapped[str] = mapped_column(String(200), default="")
    categories: Mapped[list[str]] = mapped_column(JsonText, default=list)  # empty: all


class FrameworkNode(NodeFields, Base):
    __tablename__ = "framework_nodes"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_nodes.id", ondelete="CASCADE")
    )

    framework: Mapped[Framework] = relationship(back_populates="nodes")
