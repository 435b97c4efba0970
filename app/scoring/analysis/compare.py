"""Year on year (与上年比较): a round against earlier ones, unit by unit and area by area,
with who improved or fell back most within their category, who newly is or no longer is 优秀
or 排名靠后, and each unit's trend over three or more rounds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from app.scoring.analysis.matching import (
    AREA,
    LEAF,
    MERGED,
    CodeMatches,
    Link,
    UnitMatch,
    match_codes,
    match_units,
)

HIGHLIGHTS = 3  # units named as most improved / most fallen per category


@dataclass(frozen=True, slots=True)
class UnitFigures:
    unit: str
    category: str
    final: Decimal
    rank: int
    category_rank: int
    grade: str
    top: bool  # holds the top grade (优秀)
    bottom: bool  # 排名靠后
    rates: dict[str, Fraction | None]  # area code -> 得分率 (earned / applicable points)


@dataclass(frozen=True, slots=True)
class RoundFigures:
    name: str
    year: int
    units: list[UnitFigures]
    areas: dict[str, str]  # first-level code -> name, in tree order
    leaves: dict[str, str]  # leaf code -> name
    top_grade: str = "优秀"


@dataclass
class UnitComparison:
    unit: str
    category: str
    matches: list[UnitMatch]  # per earlier round, in the rounds' order
    final: list[Decimal | None]  # per round (earliest first, the compared round last)
    rank: list[int | None]
    category_rank: list[int | None]
    top: list[bool | None]
    bottom: list[bool | None]
    rates: dict[str, list[Fraction | None]]
    final_change: Decimal | None = None  # this round − the one before
    rank_change: int | None = None  # the rank before − this rank (+: moved up)
    category_rank_change: int | None = None
    rate_change: dict[str, Fraction | None] = field(default_factory=dict)
    trend: float | None = None  # points a year over 3+ rounds (least squares)


@dataclass
class Unmatched:
    units_new: list[str]
    units_gone: list[str]
    areas: CodeMatches
    leaves: CodeMatches


@dataclass
class Comparison:
    rounds: list[str]  # earliest first; the compared round last
    years: list[int]
    areas: dict[str, str]  # the compared round's areas
    units: list[UnitComparison]
    unmatched: dict[str, Unmatched]  # by earlier round
    improved: dict[str, list[str]]  # category -> units, most category places gained first
    fallen: dict[str, list[str]]
    improved_by_score: dict[str, list[str]]
    fallen_by_score: dict[str, list[str]]
    newly_top: list[str]
    no_longer_top: list[str]
    newly_bottom: list[str]
    no_longer_bottom: list[str]


def compare_rounds(
    current: RoundFigures, earlier: Sequence[RoundFigures], links: Sequence[Link] = ()
) -> Comparison:
    """``current`` against each of ``earlier`` (put in order of year); changes are against
    the latest earlier round."""
    before = sorted(earlier, key=lambda r: r.year)
    rows = {u.unit: _empty_row(u, current.areas) for u in current.units}
    unmatched: dict[str, Unmatched] = {}
    for other in before:
        mine = [link for link in links if link.earlier_round == other.name]
        matches, gone = match_units(list(rows), [u.unit for u in other.units], mine)
        areas = match_codes(AREA, current.areas, other.areas, mine)
        leaves = match_codes(LEAF, current.leaves, other.leaves, mine)
        new = [name for name, m in matches.items() if not m.sources]
        unmatched[other.name] = Unmatched(new, gone, areas, leaves)
        figures = {u.unit: u for u in other.units}
        for name, row in rows.items():
            _add_column(row, matches[name], [figures[s] for s in matches[name].sources], areas)
    for u in current.units:
        _add_column(rows[u.unit], None, [u], None)
    units = [rows[u.unit] for u in current.units]
    years = [r.year for r in before] + [current.year]
    for row in units:
        _changes(row, years)
    comparison = Comparison(
        rounds=[r.name for r in before] + [current.name],
        years=years,
        areas=dict(current.areas),
        units=units,
        unmatched=unmatched,
        improved={},
        fallen={},
        improved_by_score={},
        fallen_by_score={},
        newly_top=_turned(units, "top", True),
        no_longer_top=_turned(units, "top", False),
        newly_bottom=_turned(units, "bottom", True),
        no_longer_bottom=_turned(units, "bottom", False),
    )
    _highlights(comparison)
    return comparison


def _empty_row(unit: UnitFigures, areas: dict[str, str]) -> UnitComparison:
    return UnitComparison(unit.unit, unit.category, [], [], [], [], [], [], {c: [] for c in areas})


def _add_column(
    row: UnitComparison,
    match: UnitMatch | None,
    sources: list[UnitFigures],
    areas: CodeMatches | None,
) -> None:
    """One round's figures for a unit: its own, or those of the units it continues (merged:
    their mean final and rates; no single rank)."""
    if match is not None:
        row.matches.append(match)
    if not sources:
        for column in (row.final, row.rank, row.category_rank, row.top, row.bottom):
            column.append(None)
        for rates in row.rates.values():
            rates.append(None)
        return
    one = sources[0] if len(sources) == 1 else None
    row.final.append(sum((s.final for s in sources), Decimal(0)) / len(sources))
    row.rank.append(one.rank if one else None)
    row.category_rank.append(one.category_rank if one and one.category == row.category else None)
    row.top.append(one.top if one else None)
    row.bottom.append(one.bottom if one else None)
    for code, rates in row.rates.items():
        source = code if areas is None else areas.found.get(code)
        found = [s.rates.get(source) for s in sources] if source is not None else []
        known = [r for r in found if r is not None]
        rates.append(
            sum(known, Fraction(0)) / len(known) if known and len(known) == len(found) else None
        )


def _changes(row: UnitComparison, years: list[int]) -> None:
    if len(row.final) < 2:
        return
    now, then = row.final[-1], row.final[-2]
    if now is not None and then is not None:
        row.final_change = now - then
    if row.rank[-1] is not None and row.rank[-2] is not None:
        row.rank_change = row.rank[-2] - row.rank[-1]
    if row.category_rank[-1] is not None and row.category_rank[-2] is not None:
        row.category_rank_change = row.category_rank[-2] - row.category_rank[-1]
    for code, rates in row.rates.items():
        a, b = rates[-1], rates[-2]
        row.rate_change[code] = a - b if a is not None and b is not None else None
    known = [(y, float(f)) for y, f in zip(years, row.final, strict=True) if f is not None]
    if len(known) >= 3 and len({y for y, _ in known}) > 1:
        mean_year = sum(y for y, _ in known) / len(known)
        mean_final = sum(f for _, f in known) / len(known)
        spread = sum((y - mean_year) ** 2 for y, _ in known)
        row.trend = sum((y - mean_year) * (f - mean_final) for y, f in known) / spread


def _turned(units: list[UnitComparison], flag: str, now: bool) -> list[str]:
    """Units whose flag is ``now`` this round and was the opposite in the round before."""
    found = []
    for row in units:
        column = getattr(row, flag)
        if len(column) >= 2 and column[-1] is now and column[-2] is (not now):
            found.append(row.unit)
    return found


def _highlights(c: Comparison) -> None:
    by_category: dict[str, list[UnitComparison]] = {}
    for row in c.units:
        by_category.setdefault(row.category, []).append(row)
    for category, rows in by_category.items():
        places = [r for r in rows if r.category_rank_change is not None]
        scores = [r for r in rows if r.final_change is not None]
        c.improved[category] = _top(places, lambda r: r.category_rank_change, up=True)
        c.fallen[category] = _top(places, lambda r: r.category_rank_change, up=False)
        c.improved_by_score[category] = _top(scores, lambda r: r.final_change, up=True)
        c.fallen_by_score[category] = _top(scores, lambda r: r.final_change, up=False)


def _top(
    rows: list[UnitComparison], key: Callable[[UnitComparison], Any], *, up: bool
) -> list[str]:
    chosen = [r for r in rows if (key(r) > 0 if up else key(r) < 0)]
    chosen.sort(key=lambda r: -key(r) if up else key(r))
    return [r.unit for r in chosen[:HIGHLIGHTS]]


def merged_sources(row: UnitComparison) -> list[tuple[str, ...]]:
    """The units merged into this one, per earlier round where it was a merger."""
    return [m.sources for m in row.matches if m.how == MERGED]
