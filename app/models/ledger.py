"""The rectification ledger (整改台账): problems found and every step of their follow-up."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.enums import ProblemStatus

SOURCES = ("考核扣分", "法治督察", "人大审议意见", "执法监督", "投诉举报", "其他")
TO_DO, IN_PROGRESS, TO_VERIFY, CLOSED = ProblemStatus
STATUSES = (TO_DO, IN_PROGRESS, TO_VERIFY, CLOSED)


class Problem(Base):
    """One problem a unit must rectify. 逾期 is never stored: it follows from today's date."""

    __tablename__ = "problems"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        Index("ix_problems_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # 2026-0007
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str] = mapped_column(Text, default="")  # round and leaf, or a document
    # Problems made from a round's deductions carry a key, so making them again adds none.
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    co_units: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text)
    found_on: Mapped[date] = mapped_column(Date)
    notice_number: Mapped[str] = mapped_column(String(100), default="")
    plan_due: Mapped[date | None] = mapped_column(Date)
    result_due: Mapped[date | None] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text, default="")
    person: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10), default=TO_DO)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProblemEvent(Base):
    """A dated step: a progress report, a verification, a status change, a 回头看."""

    __tablename__ = "problem_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # 进展 / 核验通过 / 核验退回 / 状态 / 回头看
    text: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # file names the unit sent
    user: Mapped[str] = mapped_column(String(100))
    from_status: Mapped[str] = mapped_column(String(10), default="")
    to_status: Mapped[str] = mapped_column(String(10), default="")
