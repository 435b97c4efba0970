"""Issued notices (督办函 / 整改通知书) and the office's document settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.enums import NoticeStatus
from app.models.types import JsonText

NOTICE_ISSUED, NOTICE_WITHDRAWN = NoticeStatus


class Notice(Base):
    """One issued notice. Its number is never reused and its content never changes; it can
    only be withdrawn, with a reason (the database refuses anything else)."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("kind", "year", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # 督办函 / 整改通知书
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(100), unique=True)  # 云法办督〔2026〕3号
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    plan_due: Mapped[date | None] = mapped_column(Date)
    result_due: Mapped[date | None] = mapped_column(Date)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_name: Mapped[str] = mapped_column(Text)
    content: Mapped[Any] = mapped_column(JsonText)  # the problems listed, as issued
    status: Mapped[str] = mapped_column(String(10), default=NOTICE_ISSUED)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OfficeSetting(Base):
    """The office's own words: its name, 发文机关标志, 文号 prefixes, contact line, wording."""

    __tablename__ = "office_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonText)
