"""Ranks (ties share, 1 2 2 4; vetoed units after all others), grades with per-category bands
and the top-grade quota, and the 排名靠后 flag — the rules of issue 14 §2, in one place."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from app.scoring.rounding import round_half_up
from app.scoring.types import (
    GradeBand,
    QuotaOutcome,
    QuotaRounding,
    QuotaScope,
    QuotaTies,
    Rules,
    UnitResult,
)


def standing(result: UnitResult) -> tuple[bool, object]:
    """What a rank compares: a vetoed unit stands below every unit that is not vetoed, then
    the rounded final decides (equal standings share a rank)."""
    return result.veto, -result.final


def competition_ranks(results: Sequence[UnitResult]) -> list[int]:
    """Ranks of results already ordered by standing: equal standings share a rank."""
    ranks: list[int] = []
    for position, result in enumerate(results):
        if position and standing(result) == standing(results[position - 1]):
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    return ranks


def threshold_grade(result: UnitResult, bands: tuple[GradeBand, ...]) -> int:
    """The position in ``bands`` the rounded final earns by score alone (veto aside)."""
    for position, band in enumerate(bands):
        if result.final >= band.minimum:
            return position
    return len(bands) - 1


def quota_places(quota: Fraction, units: int, rounding: QuotaRounding) -> int:
    """floor(Q × n), or Q × n rounded half up."""
    exact = Fraction(quota) * units
    if rounding is QuotaRounding.HALF_UP:
        return int(round_half_up(exact, 0))
    return math.floor(exact)


def assign_grades_and_ranks(
    results: list[UnitResult], rules: Rules
) -> tuple[list[UnitResult], list[QuotaOutcome]]:
    """Order by standing (equal ones keep the units' order) and fill in the ranks, the grades
    and the bottom flag; returns the ordered results and how the quota worked out."""
    indexed = list(enumerate(results))
    indexed.sort(key=lambda item: (item[1].veto, -item[1].final, item[1].order, item[0]))
    ordered = [result for _, result in indexed]
    for result, rank in zip(ordered, competition_ranks(ordered), strict=True):
        result.rank = rank
    by_category: dict[str, list[UnitResult]] = defaultdict(list)
    for result in ordered:
        by_category[result.category].append(result)
    positions: dict[int, int] = {}  # id(result) -> position in its bands
    for category, members in by_category.items():
        for result, rank in zip(members, competition_ranks(members), strict=True):
            result.category_rank = rank
        bands = rules.bands_for(category)
        for result in members:
            positions[id(result)] = (
                len(bands) - 1 if result.veto else threshold_grade(result, bands)
            )
        _flag_bottom(members, rules.bottom_n)
    quotas: list[QuotaOutcome] = []
    if rules.top_quota is not None:
        scopes = (
            list(by_category.items())
            if rules.quota_scope is QuotaScope.CATEGORY
            else [("", ordered)]
        )
        for scope, members in scopes:
            quotas.append(_apply_quota(scope, members, positions, rules))
    for result in ordered:
        bands = rules.bands_for(result.category)
        result.grade = bands[positions[id(result)]].name
    return ordered, quotas


def _apply_quota(
    scope: str, members: list[UnitResult], positions: dict[int, int], rules: Rules
) -> QuotaOutcome:
    """Candidates are the scope's units whose score earns the top grade and that are not
    vetoed; those beyond the places move to the next grade (ties by the round's rule)."""
    assert rules.top_quota is not None
    places = quota_places(Fraction(rules.top_quota), len(members), rules.quota_rounding)
    candidates = [r for r in members if not r.veto and positions[id(r)] == 0]
    finals = [r.final for r in candidates]
    kept = 0
    for result in candidates:
        position = 1 + sum(1 for f in finals if f > result.final)
        tied = sum(1 for f in finals if f == result.final)
        last = position + tied - 1 if rules.quota_ties is QuotaTies.EXCLUDE else position
        if last <= places:
            kept += 1
        else:
            bands = rules.bands_for(result.category)
            positions[id(result)] = min(1, len(bands) - 1)
    return QuotaOutcome(scope, len(members), places, len(candidates), kept)


def _flag_bottom(members: list[UnitResult], bottom_n: int) -> None:
    """排名靠后: flagged when the last position of the unit's tie group falls within the last
    N of its category; a unit ranked first in its category is never flagged."""
    size = len(members)
    tied: dict[int, int] = defaultdict(int)
    for result in members:
        tied[result.category_rank] += 1
    for result in members:
        last = result.category_rank + tied[result.category_rank] - 1
        result.bottom = bottom_n > 0 and result.category_rank > 1 and last > size - bottom_n
