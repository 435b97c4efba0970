"""results --explain: every figure of a unit's result, leaf by leaf and assessor by assessor,
with exact values as fractions ("p/q", "p" when whole) and the one published rounding."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from app.errors import NotFound
from app.models import Assessor, RoundNode, ScoreEntry
from app.models.database import Database
from app.scoring.engine import compute_results
from app.scoring.explain import AssessorValue, LeafExplanation, UnitExplanation, explain_unit
from app.scoring.types import Entry, Rules
from app.services.names import StoredNames
from app.services.review.results import require_results_visible
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import RoundData, load_round_data
from app.services.rounds.rules_storage import rules_of


def exact(value: Fraction | Decimal | int | None) -> str | None:
    """An exact value as a fraction in lowest terms: "173143/2000", "86". (Read from the
    value's own integer ratio: building a Fraction for each of 150,000 figures took a second.)"""
    if value is None:
        return None
    kind = type(value)  # not isinstance: Fraction's is an ABC check, slow 150,000 times
    if kind is Decimal:
        numerator, denominator = value.as_integer_ratio()  # type: ignore[union-attr]
    elif kind is Fraction:
        numerator, denominator = value.numerator, value.denominator  # type: ignore[union-attr]
    else:
        numerator, denominator = int(value), 1
    return str(numerator) if denominator == 1 else f"{numerator}/{denominator}"


def explain_round(
    db: Database, round_name: str, unit: str | None = None
) -> tuple[str, Decimal, list[UnitExplanation]]:
    """(round, full marks, explanations) for every unit in rank order, or for one unit."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        data = load_round_data(session, round_)
        rules = rules_of(round_)
    full_marks, explained = _explain(data, rules, round_name, unit)
    return round_name, full_marks, explained


@dataclass(frozen=True)
class UnitCalculation:
    """One unit's explanation with the names and reasons a reader of the window needs."""

    round_name: str
    explanation: UnitExplanation
    leaf_names: dict[str, str]
    leaf_areas: dict[str, str]  # leaf code -> its first-level code
    area_names: dict[str, str]  # first-level code -> name, in tree order
    reasons: dict[tuple[str, str], str]  # (leaf, assessor) -> the reasons for a deduction


def unit_calculation(db: Database, round_name: str, unit: str) -> UnitCalculation:
    """The calculation behind one unit's result, as the unit detail shows it."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        data = load_round_data(session, round_)
        rules = rules_of(round_)
        unit_id = data.unit_ids.get(unit)
        rows = session.execute(
            select(RoundNode.code, Assessor.name, ScoreEntry.reason)
            .join(RoundNode, ScoreEntry.node_id == RoundNode.id)
            .join(Assessor, ScoreEntry.assessor_id == Assessor.id)
            .where(ScoreEntry.round_id == round_.id, ScoreEntry.unit_id == unit_id)
            .where(ScoreEntry.reason != "")
            .order_by(ScoreEntry.id)
        ).all()
    _, explained = _explain(data, rules, round_name, unit)
    reasons: dict[tuple[str, str], list[str]] = {}
    for code, assessor, reason in rows:
        reasons.setdefault((code, assessor), []).append(reason)
    return UnitCalculation(
        round_name,
        explained[0],
        {code: node.name for code, node in data.leaf_nodes.items()},
        {leaf.code: leaf.area_code for leaf in data.leaves},
        dict(data.area_names),
        {key: "；".join(found) for key, found in reasons.items()},
    )


def _explain(
    data: RoundData, rules: Rules, round_name: str, unit: str | None
) -> tuple[Decimal, list[UnitExplanation]]:
    if unit is not None:
        stored = StoredNames(u.name for u in data.units).find(unit)
        if stored is None:
            raise NotFound(f"单位“{unit}”不是考核批次“{round_name}”的考核对象")
        unit = stored
    result = compute_results(data.leaves, data.units, data.entries, rules, data.satisfaction)
    by_unit = _entries_by_unit(data)
    units = {u.name: u for u in data.units}
    explained = [
        explain_unit(
            data.leaves, units[r.unit], by_unit.get(r.unit, []), rules, result.full_marks, r
        )
        for r in result.units
        if unit is None or r.unit == unit
    ]
    return result.full_marks, explained


def explain_json(db: Database, round_name: str, unit: str | None = None) -> dict[str, Any]:
    require_results_visible(db, round_name)
    name, full_marks, explained = explain_round(db, round_name, unit)
    return {
        "round": name,
        "full_marks": exact(full_marks),
        "units": [unit_json(x) for x in explained],
    }


def unit_json(x: UnitExplanation) -> dict[str, Any]:
    r = x.result
    return {
        "unit": r.unit,
        "category": r.category,
        "rank": r.rank,
        "category_rank": r.category_rank,
        "grade": r.grade,
        "veto": r.veto,
        "bottom": r.bottom,
        "scale": exact(x.scale),
        "leaves": [leaf_json(leaf) for leaf in x.leaves],
        "earned": exact(x.earned),
        "base": exact(r.base),
        "bonus_before_cap": exact(r.bonus_before_cap),
        "bonus": exact(r.bonus),
        "assessment": exact(r.assessment),
        "satisfaction": exact(r.satisfaction),
        "satisfaction_weight": exact(x.satisfaction_weight),
        "satisfaction_exempt": r.satisfaction_exempt,
        "final_exact": exact(r.final_exact),
        "final": f"{r.final:.2f}",
        "incomplete": list(r.incomplete),
    }


def leaf_json(leaf: LeafExplanation) -> dict[str, Any]:
    return {
        "code": leaf.code,
        "method": str(leaf.method),
        "points": exact(leaf.points),
        "status": leaf.status,
        "score": exact(leaf.score),
        "assessors": [assessor_json(a) for a in leaf.assessors],
    }


def assessor_json(value: AssessorValue) -> dict[str, Any]:
    return {
        "assessor": value.assessor,
        "value": exact(value.value),
        "trimmed": value.trimmed,
        "entries": [entry_json(e) for e in value.entries],
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if entry.deduction is not None:
        found["deduction"] = exact(entry.deduction)
    if entry.score is not None:
        found["score"] = exact(entry.score)
    if entry.measured is not None:
        found["measured"] = exact(entry.measured)
    if entry.answer is not None:
        found["answer"] = entry.answer
    if entry.not_applicable:
        found["not_applicable"] = True
    if entry.veto:
        found["veto"] = True
    return found


def _entries_by_unit(data: RoundData) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for entry in data.entries:
        found.setdefault(entry.unit, []).append(entry)
    return found
