"""The explanation of a unit adds up, leaf by leaf, to the figures compute_results publishes."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings

from app.scoring.engine import compute_results
from app.scoring.explain import NOT_APPLICABLE, UNSCORED, explain_unit
from app.scoring.types import Method
from tests.scoring.test_engine_reference import rounds


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_explanation_adds_up_to_the_result(data) -> None:
    leaves, units, entries, rules, satisfaction = data
    result = compute_results(leaves, units, entries, rules, satisfaction)
    for unit in units:
        found = next(u for u in result.units if u.unit == unit.name)
        x = explain_unit(leaves, unit, entries, rules, result.full_marks, found)
        areas = dict.fromkeys(found.areas, Fraction(0))
        bonus = Fraction(0)
        for leaf in x.leaves:
            if leaf.status == NOT_APPLICABLE or leaf.score is None:
                continue
            if leaf.method is Method.BONUS:
                bonus += leaf.score
            else:
                areas[next(f.area_code for f in leaves if f.code == leaf.code)] += leaf.score
            kept = [a.value for a in leaf.assessors if not a.trimmed]
            if kept:
                assert leaf.score == sum(map(Fraction, kept), Fraction(0)) / len(kept)
            dropped = sum(a.trimmed for a in leaf.assessors)
            assert dropped == (2 if len(leaf.assessors) >= rules.trim_from else 0)
        assert areas == found.areas
        assert bonus == found.bonus_before_cap
        assert sum(leaf.status == UNSCORED for leaf in x.leaves) == found.missing
        if x.scale is None:
            assert found.base == 0 and "无适用指标" in found.incomplete
        else:
            assert x.earned * x.scale == found.base
        mixed = found.satisfaction is not None and rules.satisfaction_weight is not None
        if mixed:
            w = Fraction(rules.satisfaction_weight)
            expected = (1 - w) * found.assessment + w * Fraction(found.satisfaction)
        else:
            expected = found.assessment
        assert found.final_exact == expected
