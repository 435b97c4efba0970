"""Hypothesis: a round scored from plain rows (entry_rows.group_rows, as the results read the
database) gives exactly the results of compute_results over Entry objects, and refuses exactly
what it refuses: usual rows, and rows with values in the wrong field, out of range, negative,
several from one assessor, marked 不适用 or 否决."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import compute_grouped, compute_results
from app.scoring.entry_rows import add_entries, score_rows
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
            "deduction": draw(st.none() | st.integers(0, 12).map(lambda n: D(n) / 4)),
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
    """The row as SQLite hands it back, its group named by one key: decimals as their text,
    booleans as 0/1."""
    unit, leaf, assessor, deduction, score, answer, measured, na, veto = row

    def text(value: D | None) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    yes = None if answer is None else int(answer)
    return (
        (unit, leaf),
        assessor,
        text(deduction),
        text(score),
        yes,
        text(measured),
        int(na),
        int(veto),
    )


def usual(stored: tuple) -> bool:
    """round_data.USUAL: nothing but a deduction that is not negative, and no mark."""
    _, _, deduction, score, answer, measured, na, veto = stored
    return (
        score is None and answer is None and measured is None and not na and not veto
        and (deduction is None or not deduction.startswith("-"))
    )  # fmt: skip


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
        stored = [as_stored(r) for r in rows]
        by_code = {leaf.code: leaf for leaf in leaves}
        names = {u.name for u in units}

        def place(key: tuple[str, str]) -> tuple[str, Leaf]:
            unit, code = key
            if unit not in names or code not in by_code:
                raise ScoringInputError(f"{key} 不在本批次中")
            return unit, by_code[code]

        found = score_rows(
            [r[:3] for r in stored if usual(r)],
            [r for r in stored if not usual(r)],
            place,
            rules.trim_from,
        )
        again = [r for r in stored if r[0] in found.unusual]  # as read again: in order
        add_entries(found, again, place, lambda name: name)
        return compute_grouped(leaves, units, found.grouped, rules, survey, found.scored)

    assert outcome(from_rows) == expected


def refused_both_ways(leaf: Leaf, row: tuple) -> bool:
    units = [Unit("单位", "甲类", 0)]
    expected = outcome(lambda: compute_results([leaf], units, [Entry(*row)], Rules()))
    stored = as_stored(row)
    assert not usual(stored)

    def place(key: object) -> tuple[str, Leaf]:
        return "单位", leaf

    found = score_rows([], [stored], place, 5)
    add_entries(found, [stored] if stored[0] in found.unusual else [], place, str)
    got = outcome(
        lambda: compute_grouped([leaf], units, found.grouped, Rules(), None, found.scored)
    )
    return got == expected and expected[0] == "refused"


def test_a_negative_rate_or_deduction_is_refused_as_entries_refuse_it() -> None:
    tier = Leaf("1.1", "1", D(5), Method.TIER, TIERS)
    assert refused_both_ways(tier, ("单位", "1.1", "A", None, None, None, D("-0.5"), 0, 0))
    deduct = Leaf("1.2", "1", D(5))
    assert refused_both_ways(deduct, ("单位", "1.2", "A", D("-0.5"), None, None, None, 0, 0))
