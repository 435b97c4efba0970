"""The sealed state (issue 15 §1): one digest per group of result-bearing rows, kept beside the
change log whose last record carries the digest of them all."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class StateSeal(Base):
    """A group's digest as the program last wrote it (e.g. "评分/1/7": one unit's scores in
    round 1). Not round data: sealing a published round's groups is never refused."""

    __tablename__ = "state_seals"

    group_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 over the group's canonical rows
    rows: Mapped[int] = mapped_column(Integer, default=0)
    # The canonical rows themselves for the small groups, so a difference can be named down
    # to the field; None for scores (their cells are named from the change log instead).
    snapshot: Mapped[str | None] = mapped_column(Text)
