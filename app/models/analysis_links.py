"""The office's links for comparing a round with an earlier one (与上年比较, issue 20): a unit
of the earlier round that the compared round continues under another name (更名, 合并, 分设),
or a first-level area or leaf whose code changed. Units are linked by id, so renaming a unit
later keeps its link; areas and leaves by the code in each round's frozen tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AnalysisLink(Base):
    """``earlier`` (in ``earlier_round_id``) is ``later`` (in ``round_id``). They change no
    score, rank or grade: only how the comparison pairs the rounds' rows."""

    __tablename__ = "analysis_links"
    __table_args__ = (Index("ix_analysis_links_rounds", "round_id", "earlier_round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    earlier_round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # unit / area / leaf (scoring.analysis.matching)
    earlier_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    later_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    earlier_code: Mapped[str | None] = mapped_column(String(50))
    later_code: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
