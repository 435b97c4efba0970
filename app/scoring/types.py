"""Plain data that goes into and comes out of the scoring engine (no Qt, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Method(StrEnum):
    """How a leaf is scored (评分方式); values are the words the office writes."""

    DEDUCT = "扣分"
    SCORE = "得分"
    YES_NO = "是否"
    TIER = "分档"
    BONUS = "加分"
    VETO = "否决"


@dataclass(frozen=True, slots=True)
class Tier:
    """One step of a 分档 rule: a measured rate >= threshold earns fraction x points."""

    threshold: Decimal  # a rate: 0.95 means 95 %
    fraction: Decimal  # share of the leaf's points, 0..1


@dataclass(frozen=True, slots=True)
class Leaf:
    """A scorable indicator of a (frozen) tree."""

    code: str
    area_code: str  # code of its first-level ancestor (一级指标)
    points: Decimal
    method: Method = Method.DEDUCT
    tiers: tuple[Tier, ...] = ()  # ordered as written; the first met tier applies
    categories: frozenset[str] | None = None  # None: applies to every category


@dataclass(frozen=True, slots=True)
class Unit:
    """An assessed unit (考核对象) as it takes part in a round."""

    name: str
    category: str
    order: int = 0


@dataclass(frozen=True, slots=True)
class Entry:
    """One score entry by one assessor for one unit and leaf.

    Only the field that fits the leaf's method carries a value: ``deduction`` (扣分),
    ``score`` (得分, 加分), ``answer`` (是否: True = 是), ``measured`` (分档, a rate).
    An entry may also only mark the leaf 不适用 or 否决.
    """

    unit: str
    leaf: str
    assessor: str
    deduction: Decimal | None = None
    score: Decimal | None = None
    answer: bool | None = None
    measured: Decimal | None = None
    not_applicable: bool = False
    veto: bool = False


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A grade (等次) and the lowest rounded final that earns it."""

    name: str
    minimum: Decimal


DEFAULT_GRADES: tuple[GradeBand, ...] = (
    GradeBand("优秀", Decimal(90)),
    GradeBand("良好", Decimal(80)),
    GradeBand("合格", Decimal(60)),
    GradeBand("不合格", Decimal(0)),
)


class QuotaScope(StrEnum):
    """Where the 优秀 quota counts its places: each category, or the whole round."""

    CATEGORY = "category"
    ROUND = "round"


class QuotaRounding(StrEnum):
    """How a quota share becomes a number of places: floor(Q × n) or Q × n rounded half up."""

    FLOOR = "floor"
    HALF_UP = "half-up"


class QuotaTies(StrEnum):
    """A tie at the quota's cut: all tied keep the top grade (share), or none do (exclude)."""

    SHARE = "share"
    EXCLUDE = "exclude"


# The reasons a unit's result is not complete (results --json "incomplete").
MISSING_SURVEY = "满意度缺失"
UNSCORED = "未评"
NOTHING_APPLIES = "无适用指标"


@dataclass(frozen=True, slots=True)
class Rules:
    """A round's rules; bands are listed best first, the last one is the lowest grade."""

    satisfaction_weight: Decimal | None = None  # w in 0..1; None: no satisfaction component
    bonus_cap: Decimal | None = None
    trim_from: int = 5  # with this many assessors or more, drop one highest and one lowest
    grades: tuple[GradeBand, ...] = DEFAULT_GRADES
    category_grades: dict[str, tuple[GradeBand, ...]] = field(default_factory=dict)
    top_quota: Decimal | None = None  # share of a scope that may keep the top grade
    bottom_n: int = 0  # the last N of each category are flagged 排名靠后
    quota_scope: QuotaScope = QuotaScope.CATEGORY
    quota_rounding: QuotaRounding = QuotaRounding.FLOOR
    quota_ties: QuotaTies = QuotaTies.SHARE
    # Units excused from the survey (e.g. reviewed by 履职评议 instead): final = assessment.
    satisfaction_exempt: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """The quota options as their enums even when given as text ("half-up"): compared by
        identity, a plain string would silently mean the default."""
        object.__setattr__(self, "quota_scope", QuotaScope(self.quota_scope))
        object.__setattr__(self, "quota_rounding", QuotaRounding(self.quota_rounding))
        object.__setattr__(self, "quota_ties", QuotaTies(self.quota_ties))

    def bands_for(self, category: str) -> tuple[GradeBand, ...]:
        return self.category_grades.get(category, self.grades)


@dataclass(slots=True)
class UnitResult:
    """Everything the ranking table, reports and JSON show for one unit."""

    unit: str
    category: str
    order: int
    base: Fraction  # scaled (折算) score of the non-bonus leaves
    bonus: Fraction  # after the cap
    assessment: Fraction  # base + bonus
    satisfaction: Decimal | None  # the survey value mixed in; None when none is (or is excused)
    final_exact: Fraction
    final: Decimal  # rounded half up to 2 places, once, from final_exact
    veto: bool
    missing: int  # applicable 得分/是否/分档 leaves nobody scored (未评)
    applicable_points: Decimal  # points of the applicable non-bonus leaves
    areas: dict[str, Fraction]  # first-level code -> sum of leaf scores (unscaled)
    incomplete: tuple[str, ...] = ()  # sorted reasons (MISSING_SURVEY, UNSCORED, NOTHING_APPLIES)
    satisfaction_exempt: bool = False
    bonus_before_cap: Fraction = Fraction(0)
    rank: int = 0
    category_rank: int = 0
    grade: str = ""
    bottom: bool = False


@dataclass(frozen=True, slots=True)
class QuotaOutcome:
    """How the top-grade quota worked out in one scope, so a report can say it in words."""

    scope: str  # the category, or "" for the whole round
    units: int  # n: the units of the scope, vetoed included
    places: int
    candidates: int  # units whose score earns the top grade and are not vetoed
    kept: int  # candidates that keep the top grade

    @property
    def exceeded(self) -> bool:
        """A tie at the cut let more units keep the top grade than there are places."""
        return self.kept > self.places

    @property
    def unused(self) -> int:
        """Places left empty although candidates were demoted (a tie excluded at the cut)."""
        return self.places - self.kept if self.candidates > self.kept < self.places else 0


@dataclass(slots=True)
class RoundResult:
    full_marks: Decimal
    units: list[UnitResult]  # ordered by rank, then by the units' order
    quotas: list[QuotaOutcome] = field(default_factory=list)


class ScoringInputError(ValueError):
    """The data handed to the engine breaks a scoring rule (a bug upstream, or bad input)."""
