"""The register of every 文号 given to a document, whatever issued it (a notice, a 催办函, a
通报 whose number was typed by hand): one number, one document, enforced by a unique index on
the number as it is compared."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

# Brackets a clerk may type for the 六角括号 (after NFKC, full-width ones are ASCII).
_BRACKETS = str.maketrans("[(【〖])】〗", "〔〔〔〔〕〕〕〕")


def number_key(number: str) -> str:
    """A 文号 as it is compared: 云法办[2026]015号 and 云法办〔2026〕15号 are one number."""
    text = unicodedata.normalize("NFKC", number)
    text = re.sub(r"\s+", "", text).translate(_BRACKETS)
    text = re.sub(r"第(?=\d+号)", "", text)  # GB/T 9704: no 第 …
    return re.sub(r"(?<!\d)0+(?=\d)", "", text)  # … and no leading zeros


class DocumentNumber(Base):
    """A 文号 in use. Never deleted (a withdrawn notice keeps its number) nor given again."""

    __tablename__ = "document_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100))  # as printed
    number_key: Mapped[str] = mapped_column(String(100), unique=True)  # as compared
    kind: Mapped[str] = mapped_column(String(20))  # 整改通知书 / 督办函 / 通报
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))  # None: a 通报
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
