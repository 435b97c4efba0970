"""Live results after random edits equal a full compute_results over the same entries."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import compute_results
from app.scoring.incremental import (
    LiveResults,
    aggregate_score,
    assessor_scores,
    disagreement,
)
from app.scoring.types import Entry as E
from app.scoring.types import Leaf, Method, RoundResult
from tests.scoring.test_engine_reference import ASSESSORS, entries_for, rounds


def snapshot(result: RoundResult) -> list[tuple]:
    return [
        (
            u.unit,
            u.final_exact,
            u.final,
            u.rank,
            u.category_rank,
            u.grade,
            u.bottom,
            u.veto,
            u.missing,
            dict(u.areas),
            u.bonus,
            u.satisfaction,
        )
        for u in result.units
    ]


@st.composite
def edited_rounds(draw: st.DrawFn):
    leaves, units, entries, rules, satisfaction = draw(rounds())
    edits = []
    for _ in range(draw(st.integers(1, 12))):
        unit = draw(st.sampled_from(units))
        leaf = draw(st.sampled_from(leaves))
        assessor = draw(st.sampled_from(ASSESSORS))
        new = draw(st.just([]) | entries_for(unit.name, leaf, assessor))
        edits.append((unit.name, leaf.code, assessor, new))
    return leaves, units, entries, rules, satisfaction, edits


@settings(max_examples=150, deadline=None)
@given(edited_rounds())
def test_every_edit_gives_what_a_full_compute_gives(case) -> None:
    leaves, units, entries, rules, satisfaction, edits = case
    live = LiveResults(leaves, units, entries, rules, satisfaction)
    assert snapshot(live.result()) == snapshot(
        compute_results(leaves, units, entries, rules, satisfaction)
    )
    current = list(entries)
    for unit, leaf, assessor, new in edits:
        live.set_cell(unit, leaf, assessor, new)
        current = [
            e for e in current if not (e.unit == unit and e.leaf == leaf and e.assessor == assessor)
        ] + new
        full = compute_results(leaves, units, current, rules, satisfaction)
        assert snapshot(live.result()) == snapshot(full)
    first = units[0].name
    live.set_satisfaction(first, D("55.5"))
    expected = compute_results(leaves, units, current, rules, {**satisfaction, first: D("55.5")})
    assert snapshot(live.result()) == snapshot(expected)


def test_each_assessor_and_the_trimmed_mean_and_the_disagreement_flag() -> None:
    leaf = Leaf("1.1", "1", D(4), Method.DEDUCT)
    entries = [
        E("甲", "1.1", "A", deduction=D(1)),
        E("甲", "1.1", "A", deduction=D("0.5")),
        E("甲", "1.1", "B", deduction=D(0)),
        E("甲", "1.1", "C", deduction=D(5)),  # 扣完为止: 0, not -1
    ]
    scores = assessor_scores(leaf, entries)
    assert scores == {"A": D("2.5"), "B": D(4), "C": D(0)}
    assert aggregate_score(leaf, entries, trim_from=5) == Fraction(13, 6)  # (2.5 + 4 + 0) / 3
    assert aggregate_score(leaf, entries, trim_from=3) == D("2.5")  # one top, one bottom gone
    assert disagreement(scores, leaf.points, D("0.3"))  # spread 4 > 1.2
    assert not disagreement({"A": D(4), "B": D("2.8")}, leaf.points, D("0.3"))  # 1.2 is not above
    assert disagreement({"A": D(4), "B": D("2.75")}, leaf.points, D("0.3"))
    assert not disagreement({"A": D(1)}, leaf.points, D("0.3"))
