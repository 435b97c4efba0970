"""Persistence: the ORM classes, one import point for Alembic and the services."""

from app.models import review as review  # 自评, 申辩 and 复核 tables (import from there)
from app.models.accounts import Account
from app.models.analysis_links import AnalysisLink
from app.models.base import Base
from app.models.document_numbers import DocumentNumber
from app.models.evidence import (
    EvidenceAttachment,
    EvidenceChunk,
    EvidenceFile,
    EvidencePackage,
    EvidenceReview,
    ObjectionFile,
    ProblemEventFile,
)
from app.models.frameworks import Framework, FrameworkNode
from app.models.ledger import Problem, ProblemEvent
from app.models.notices import Notice, OfficeSetting
from app.models.rounds import (
    ROUND_STATUSES,
    Assessor,
    Assignment,
    Round,
    RoundNode,
    RoundUnit,
)
from app.models.scores import ChangeLog, SatisfactionExemption, SatisfactionResult, ScoreEntry
from app.models.seals import StateSeal
from app.models.units import Unit, UnitCategory

__all__ = [
    "ROUND_STATUSES",
    "Account",
    "AnalysisLink",
    "Assessor",
    "Assignment",
    "Base",
    "ChangeLog",
    "DocumentNumber",
    "EvidenceAttachment",
    "EvidenceChunk",
    "EvidenceFile",
    "EvidencePackage",
    "EvidenceReview",
    "Framework",
    "FrameworkNode",
    "Notice",
    "ObjectionFile",
    "OfficeSetting",
    "Problem",
    "ProblemEvent",
    "ProblemEventFile",
    "Round",
    "RoundNode",
    "RoundUnit",
    "SatisfactionExemption",
    "SatisfactionResult",
    "ScoreEntry",
    "StateSeal",
    "Unit",
    "UnitCategory",
]
