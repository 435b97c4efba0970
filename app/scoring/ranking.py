"""Ranks (ties share, 1 2 2 4), grades with per-category bands and quota, the bottom flag."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from app.scoring.types import GradeBand, Rules, UnitResult


def competition_ranks(results: Sequence[UnitResult]) -> list[int]:
    """Ranks of results already ordered by final descending: equal finals share a rank."""
    ranks: list[int] = []
    for position, result in enumerate(results):
        if position and result.final == results[position - 1].final:
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    return ranks


def _grade(result: UnitResult, bands: tuple[GradeBand, ...], quota_size: int | None) -> str:
    if result.veto:
        return bands[-1].name
    for position, band in enumerate(bands):
        if result.final >= band.minimum:
            if position == 0 and quota_size is not None and result.category_rank > quota_size:
                return bands[min(1, len(bands) - 1)].name
            return band.name
    return bands[-1].name


def assign_grades_and_ranks(results: list[UnitResult], rules: Rules) -> list[UnitResult]:
    """Order by rounded final (equal finals keep the units' order) and fill in the ranks,
    the grades and the bottom flag."""
    indexed = list(enumerate(results))
    indexed.sort(key=lambda item: (-item[1].final, item[1].order, item[0]))
    ordered = [result for _, result in indexed]
    for result, rank in zip(ordered, competition_ranks(ordered), strict=True):
        result.rank = rank
    by_category: dict[str, list[UnitResult]] = defaultdict(list)
    for result in ordered:
        by_category[result.category].append(result)
    for category, members in by_category.items():
        for result, rank in zip(members, competition_ranks(members), strict=True):
            result.category_rank = rank
        size = len(members)
        quota_size = math.floor(rules.top_quota * size) if rules.top_quota is not None else None
        bands = rules.bands_for(category)
        for result in members:
            result.grade = _grade(result, bands, quota_size)
            result.bottom = rules.bottom_n > 0 and result.category_rank > size - rules.bottom_n
    return ordered
