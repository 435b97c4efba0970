"""The top-grade quota as the office sets a round up: how many places each scope has, and a
warning where the rule leaves none (e.g. floor(30 % × 1) = 0 in a category of one unit)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.models.database import Database
from app.scoring.ranking import quota_places
from app.scoring.types import QuotaRounding, QuotaScope, Rules
from app.services.rounds.definition import find_round
from app.services.rounds.rules_storage import rules_of

ROUNDING_WORDS = {QuotaRounding.FLOOR: "向下取整", QuotaRounding.HALF_UP: "四舍五入"}


@dataclass(frozen=True)
class ScopePlaces:
    scope: str  # a category, or "全体" for the whole round
    units: int
    places: int


def places_by_scope(rules: Rules, categories: Counter[str]) -> list[ScopePlaces]:
    """Places per scope for units counted by category (vetoed units count too)."""
    if rules.top_quota is None:
        return []
    share = Fraction(rules.top_quota)
    if rules.quota_scope is QuotaScope.ROUND:
        total = sum(categories.values())
        return [ScopePlaces("全体", total, quota_places(share, total, rules.quota_rounding))]
    return [
        ScopePlaces(name or "未分类", count, quota_places(share, count, rules.quota_rounding))
        for name, count in categories.items()
    ]


def quota_warnings_for(rules: Rules, categories: Counter[str]) -> list[str]:
    found = []
    for scope in places_by_scope(rules, categories):
        if scope.places == 0:
            found.append(
                f"“{scope.scope}”共 {scope.units} 个单位，按优秀比例 {_percent(rules.top_quota)}"
                f"（{ROUNDING_WORDS[rules.quota_rounding]}）没有优秀名额；" + _advice(rules)
            )
    return found


def categories_of(db: Database, round_name: str) -> Counter[str]:
    """The round's units counted by category: what its places are computed from."""
    with db.reading() as session:
        return Counter(p.category_name for p in find_round(session, round_name).participants)


def quota_warnings(db: Database, round_name: str) -> list[str]:
    with db.reading() as session:
        rules = rules_of(find_round(session, round_name))
    return quota_warnings_for(rules, categories_of(db, round_name))


def _percent(share: Decimal | None) -> str:
    return "" if share is None else f"{(share * 100).normalize():f}%"


def _advice(rules: Rules) -> str:
    ways = []
    if rules.quota_rounding is QuotaRounding.FLOOR:
        ways.append("改为四舍五入")
    if rules.quota_scope is QuotaScope.CATEGORY:
        ways.append("按全体单位计算名额")
    ways.append("提高比例")
    return "如需名额，可" + "、".join(ways)
