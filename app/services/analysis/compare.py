"""与上年比较: a round against earlier ones, with the office's links for renamed, merged and
split units and changed trees; as JSON (figures as the results command writes them)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from app.errors import UserError
from app.models.database import Database
from app.scoring.analysis.compare import Comparison, RoundFigures, UnitFigures, compare_rounds
from app.scoring.analysis.matching import Link
from app.scoring.calculation import two
from app.services.analysis.round_inputs import read_round
from app.services.review.results import results_of


def round_figures(db: Database, round_name: str) -> RoundFigures:
    inputs = read_round(db, round_name)
    results = results_of(inputs.name, inputs.status, inputs.data, inputs.rules)
    units = []
    for u in results.result.units:
        points = results.area_points.get(u.unit, {})
        rates: dict[str, Fraction | None] = {
            code: (u.areas.get(code, Fraction(0)) / Fraction(points[code]))
            if points.get(code)
            else None
            for code in results.area_names
        }
        top = inputs.rules.bands_for(u.category)[0].name
        units.append(
            UnitFigures(
                u.unit,
                u.category,
                u.final,
                u.rank,
                u.category_rank,
                u.grade,
                u.grade == top,
                u.bottom,
                rates,
            )
        )
    return RoundFigures(
        inputs.name, inputs.year, units, dict(inputs.data.area_names), inputs.leaf_names
    )


def compare_with(
    db: Database,
    round_name: str,
    earlier: Sequence[str],
    links: Sequence[Link] = (),
    *,
    stored: bool = True,
) -> Comparison:
    """``links`` add to the office's stored ones (``stored``) for this comparison only."""
    from app.services.analysis.links import links_for

    if not earlier:
        raise UserError(
            "请至少指定一个用来比较的考核批次", command="analysis compare --with 以前的批次"
        )
    if round_name in earlier or len(set(earlier)) != len(earlier):
        raise UserError("比较的考核批次不能重复")
    current = round_figures(db, round_name)
    every = [*(links_for(db, round_name, earlier) if stored else ()), *links]
    return compare_rounds(
        current, [round_figures(db, name) for name in earlier], list(dict.fromkeys(every))
    )


def _signed(value: Fraction | None) -> str | None:
    return None if value is None else ("+" if value > 0 else "") + two(value)


def _rate(value: Fraction | None) -> str | None:
    return None if value is None else two(value * 100)


def comparison_json(c: Comparison) -> dict[str, Any]:
    """Lists run over the rounds, earliest first; 得分率 in percent; a rank change is the
    places gained (+) or lost (−)."""
    from app.services.analysis.words import comparison_sentences

    return {
        "rounds": c.rounds,
        "years": c.years,
        "units": [
            {
                "unit": u.unit,
                "category": u.category,
                "match": [{"how": m.how, "from": list(m.sources)} for m in u.matches],
                "final": [None if f is None else f"{two(f)}" for f in u.final],
                "rank": u.rank,
                "category_rank": u.category_rank,
                "change": {
                    "final": _signed(None if u.final_change is None else Fraction(u.final_change)),
                    "rank": u.rank_change,
                    "category_rank": u.category_rank_change,
                },
                "areas": {
                    code: {
                        "rate": [_rate(r) for r in rates],
                        "change": _signed(
                            None if u.rate_change.get(code) is None else u.rate_change[code] * 100
                        ),
                    }
                    for code, rates in u.rates.items()
                },
                "trend": None if u.trend is None else _signed(Fraction(repr(u.trend))),
            }
            for u in c.units
        ],
        "unmatched": {
            name: {
                "units_new": m.units_new,
                "units_gone": m.units_gone,
                "areas_new": m.areas.new,
                "areas_gone": m.areas.gone,
                "areas_matched": {
                    code: [m.areas.found[code], m.areas.how[code]] for code in m.areas.found
                },
                "leaves_new": m.leaves.new,
                "leaves_gone": m.leaves.gone,
            }
            for name, m in c.unmatched.items()
        },
        "improved": c.improved,
        "fallen": c.fallen,
        "improved_by_score": c.improved_by_score,
        "fallen_by_score": c.fallen_by_score,
        "newly_top": c.newly_top,
        "no_longer_top": c.no_longer_top,
        "newly_bottom": c.newly_bottom,
        "no_longer_bottom": c.no_longer_bottom,
        "sentences": comparison_sentences(c),
    }
