"""Evidence (佐证材料, issue 19): every file stored once by its SHA-256, attached to a round's
unit and leaf (or to an objection, or to a ledger problem's progress report), the assessor's
review of a unit's evidence per leaf, and the packages a unit sent.

The content itself is not in these rows: a local file keeps it in a folder beside the
database, a server in ``evidence_chunks`` (app.models.evidence_store decides)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

REVIEW_ACCEPTED, REVIEW_RETURNED = "认可", "退回补充"
REVIEW_STATUSES = (REVIEW_ACCEPTED, REVIEW_RETURNED)


class EvidenceFile(Base):
    """One content, whatever name it came under: the same file attached twice is one row."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))  # PDF / OFD / 图片 / Word / Excel / WPS / 文本
    first_name: Mapped[str] = mapped_column(Text)  # the name it first came under
    stored_by: Mapped[str] = mapped_column(String(100), default="")
    stored_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EvidenceChunk(Base):
    """A server's copy of a file's content, in pieces (every client reads the same)."""

    __tablename__ = "evidence_chunks"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class EvidencePackage(Base):
    """A unit's package (自评包) as imported: its digest makes a second import a no-op."""

    __tablename__ = "evidence_packages"
    __table_args__ = (Index("ix_evidence_packages_round_unit", "round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    digest: Mapped[str] = mapped_column(String(64))  # over the workbook's values and files
    name: Mapped[str] = mapped_column(Text)  # the zip or folder it came as
    files: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EvidenceAttachment(Base):
    """A file a unit gave as evidence for one leaf of a round, under the name it gave it."""

    __tablename__ = "evidence_attachments"
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "node_id", "name"),
        Index("ix_evidence_attachments_file", "file_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"))
    name: Mapped[str] = mapped_column(Text)
    package_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_packages.id", ondelete="SET NULL")
    )
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EvidenceReview(Base):
    """The assessor's word on a unit's evidence for a leaf: 认可, or 退回补充 with what is
    missing and by when (the unit's next package lists it)."""

    __tablename__ = "evidence_reviews"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    node_id: Mapped[int] = mapped_column(ForeignKey("round_nodes.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    missing: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ObjectionFile(Base):
    """A file an objection (申辩) carries."""

    __tablename__ = "objection_files"
    __table_args__ = (UniqueConstraint("objection_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"))
    name: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProblemEventFile(Base):
    """A file a progress report on a ledger problem carries (整改佐证)."""

    __tablename__ = "problem_event_files"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("problem_events.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"))
    name: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
