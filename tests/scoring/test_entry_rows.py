"""Hypothesis: a round scored from plain rows (entry_rows.group_rows, as the results read the
database) gives exactly the results of compute_results over Entry objects, and refuses exactly
what it refuses: usual rows, and rows with values in the wrong field, out of range, negative,
several from one assessor, marked 不适用 or 否决."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import compute_grouped, compute_results
from app.scoring.entry_rows import group_rows
from app.scoring.types import Entry, Leaf, Method, Rules, ScoringInputError, Tier, Unit

TIERS = (Tier(D(1), D(1)), Tier(D("0.95"), D("0.8")))
ASSESSORS = ("A", "B", "C", "D", "E")
# 0 .. 15 in quarters, and the edges: negative, zero, far over any leaf's points
amount = st.integers(0, 60).map(lambda n: D(n) / 4) | st.sampled_from([D("-0.5"), D(0), D(99)])


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[Leaf], list[Unit], list[tuple], Rules]:
    leaves = []
    for index in range(draw(st.integers(1, 5))):
        method = draw(st.sampled_from(list(Method)))
        points = D(0) if method is Method.VETO else D(draw(st.integers(1, 40))) / 4
        categories = draw(st.none() | st.just(frozenset({"甲类"})))
        tiers = TIERS if method is Method.TIER else ()
        leaves.append(
            Leaf(f"{index % 2 + 1}.{index}", f"{index % 2 + 1}", points, method, tiers, categories)
        )
    units = [
        Unit(f"单位{i}", draw(st.sampled_from(("甲类", "乙类"))), i)
        for i in range(draw(st.integers(1, 4)))
    ]
    rows = []
    for unit in units:
        for leaf in leaves:
            for assessor in draw(st.lists(st.sampled_from(ASSESSORS), unique=True, max_size=5)):
                for _ in range(draw(st.integers(1, 2))):
                    rows.append(draw(row_for(unit.name, leaf, assessor)))
    rows = draw(st.permutations(rows))
    rules = Rules(satisfaction_weight=D("0.2"), trim_from=draw(st.integers(3, 5)), bottom_n=1)
    return leaves, units, rows, rules


@st.composite
def row_for(draw: st.DrawFn, unit: str, leaf: Leaf, assessor: str) -> tuple:
    """Mostly the value the leaf's method wants; else that field with any value (negative, over
    the points), one wrong field, or anything at all."""
    kind = draw(st.integers(0, 9))
    fields = {"deduction": None, "score": None, "answer": None, "measured": None}
    right = {
        Method.DEDUCT: "deduction",
        Method.SCORE: "score",
        Method.BONUS: "score",
        Method.YES_NO: "answer",
        Method.TIER: "measured",
        Method.VETO: None,
    }[leaf.method]
    if kind >= 4 and right is not None:  # the usual value
        fields[right] = {
            "deduction": draw(st.none() | amount.filter(lambda v: v >= 0)),
            "score": draw(amount.filter(lambda v: 0 <= v <= leaf.points)),
            "answer": draw(st.booleans()),
            "measured": D(draw(st.integers(80, 105))) / 100,
        }[right]
    elif kind >= 1:  # one field, mostly the right one, any value
        name = right if kind > 1 and right is not None else draw(st.sampled_from(sorted(fields)))
        fields[name] = draw(st.booleans()) if name == "answer" else draw(amount)
    else:
        fields = {name: draw(st.none() | amount) for name in fields}
        fields["answer"] = draw(st.none() | st.booleans())
    odd = draw(st.integers(0, 9)) == 0
    flags = (odd and draw(st.booleans()), odd and draw(st.booleans()))
    values = (fields["deduction"], fields["score"], fields["answer"], fields["measured"])
    return (unit, leaf.code, assessor, *values, *flags)


def as_stored(row: tuple) -> tuple:
    """The row as SQLite hands it back: decimals as their text, booleans as 0/1."""
    unit, leaf, assessor, deduction, score, answer, measured, na, veto = row

    def text(value: D | None) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    yes = None if answer is None else int(answer)
    return (
        unit,
        leaf,
        assessor,
        text(deduction),
        text(score),
        yes,
        text(measured),
        int(na),
        int(veto),
    )


def outcome(work):  # type: ignore[no-untyped-def]
    try:
        result = work()
    except ScoringInputError as error:
        return "refused", str(error)
    return "scored", result.units, result.quotas, result.full_marks


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_rows_score_as_entries_do(case: tuple[list[Leaf], list[Unit], list[tuple], Rules]) -> None:
    leaves, units, rows, rules = case
    survey = {u.name: D(90) for u in units[::2]}
    entries = [Entry(*row) for row in rows]
    expected = outcome(lambda: compute_results(leaves, units, entries, rules, survey))

    def from_rows():  # type: ignore[no-untyped-def]
        grouped, scored = group_rows(
            [as_stored(r) for r in rows],
            {leaf.code: leaf for leaf in leaves},
            {u.name: u.name for u in units},
            {a: a for a in ASSESSORS},
            rules.trim_from,
        )
        return compute_grouped(leaves, units, grouped, rules, survey, scored)

    assert outcome(from_rows) == expected


def test_a_row_of_a_unit_or_leaf_not_in_the_round_is_refused() -> None:
    leaf = Leaf("1.1", "1", D(5))
    rows = [("单位9", "1.1", "A", "1", None, None, None, 0, 0)]
    for units, leaves in (({}, {"1.1": leaf}), ({"单位9": "单位9"}, {})):
        try:
            group_rows(rows, leaves, units, {"A": "A"}, 5)
        except ScoringInputError as error:
            assert "不在本批次中" in str(error)
        else:
            raise AssertionError("a row outside the round was scored")
