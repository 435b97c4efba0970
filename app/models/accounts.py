"""Local accounts (账户): who may do what in this database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

ROLE_ADMIN = "管理员"
ROLE_STAFF = "考核办"
ROLE_ASSESSOR = "评分人"
ROLE_VIEWER = "查看"
ROLES = (ROLE_ADMIN, ROLE_STAFF, ROLE_ASSESSOR, ROLE_VIEWER)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    # An 评分人 account scores as this assessor (and only where the assessor is assigned).
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("assessors.id", ondelete="SET NULL"))
    password_hash: Mapped[str] = mapped_column(Text)  # scrypt, salted; never the password
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
