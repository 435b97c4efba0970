"""Issue 14 §1–2: the rules at the cut-offs (veto, quota, bottom flag, missing surveys), each
case as it was seen, worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

from app.scoring.engine import compute_results
from app.scoring.types import (
    Entry,
    Leaf,
    Method,
    QuotaRounding,
    QuotaScope,
    QuotaTies,
    Rules,
    Unit,
)

HUNDRED = Leaf("1.1", "1", D(100))
VETO = Leaf("9.1", "9", D(0), Method.VETO)


def scored(finals: dict[str, str], category: str = "c", veto: tuple[str, ...] = ()):
    """Units in the given order with the given finals on a one-leaf 100-point tree."""
    units = [Unit(name, category, i) for i, name in enumerate(finals)]
    entries = [Entry(n, "1.1", "A", deduction=D(100) - D(f)) for n, f in finals.items()]
    entries += [Entry(n, "9.1", "A", veto=True) for n in veto]
    return units, entries


def by_name(result):
    return {u.unit: u for u in result.units}


def test_the_only_unit_of_a_category_is_never_flagged_bottom() -> None:
    units, entries = scored({"独局": "100"}, category="独类")
    result = compute_results([HUNDRED], units, entries, Rules(top_quota=D("0.3"), bottom_n=1))
    alone = by_name(result)["独局"]
    assert alone.bottom is False
    # floor(0.3 × 1) = 0 places: the rule as chosen leaves none; the round says so.
    assert [(q.scope, q.units, q.places) for q in result.quotas] == [("独类", 1, 0)]
    assert alone.grade == "良好"


def test_a_tie_for_last_place_flags_every_unit_in_it() -> None:
    units, entries = scored({"甲": "99", "乙": "98", "丙": "97", "丁": "90", "戊": "90"})
    result = by_name(compute_results([HUNDRED], units, entries, Rules(bottom_n=1)))
    assert [result[n].category_rank for n in "甲乙丙丁戊"] == [1, 2, 3, 4, 4]
    assert [n for n in "甲乙丙丁戊" if result[n].bottom] == ["丁", "戊"]


def test_bottom_flag_counts_the_last_position_of_a_tie_group() -> None:
    # ranks 1, 2, 2, 4, bottom 3: positions 2..3 are tied, their last position 3 > 4 - 3
    units, entries = scored({"甲": "99", "乙": "95", "丙": "95", "丁": "90"})
    result = by_name(compute_results([HUNDRED], units, entries, Rules(bottom_n=3)))
    assert [n for n in "甲乙丙丁" if result[n].bottom] == ["乙", "丙", "丁"]
    # everyone tied for first: nobody is flagged, whatever N is
    units, entries = scored({"甲": "90", "乙": "90"})
    result = by_name(compute_results([HUNDRED], units, entries, Rules(bottom_n=2)))
    assert not any(u.bottom for u in result.values())


def test_a_vetoed_unit_takes_no_top_place_and_stands_after_the_rest() -> None:
    units, entries = scored({"否决局": "95", "次局": "91", "末局": "70"}, veto=("否决局",))
    result = compute_results(
        [HUNDRED, VETO], units, entries, Rules(top_quota=D("0.34"), bottom_n=1)
    )
    found = by_name(result)
    assert [u.unit for u in result.units] == ["次局", "末局", "否决局"]
    assert (found["否决局"].rank, found["否决局"].category_rank) == (3, 3)
    assert found["否决局"].grade == "不合格"
    assert found["次局"].grade == "优秀"  # floor(0.34 × 3) = 1 place, and it is 次局's
    assert found["否决局"].bottom is True
    assert found["末局"].bottom is False


def test_vetoed_units_rank_among_themselves_by_final() -> None:
    units, entries = scored({"甲": "80", "乙": "99", "丙": "99", "丁": "60"}, veto=("乙", "丙"))
    result = by_name(compute_results([HUNDRED, VETO], units, entries, Rules()))
    assert [result[n].rank for n in "甲丁乙丙"] == [1, 2, 3, 3]


SEVEN = {"甲": "98", "乙": "96", "丙": "96", "丁": "92", "戊": "85", "己": "80", "庚": "70"}


def test_a_tie_at_the_quota_cut_is_shared_by_default_and_the_result_says_so() -> None:
    units, entries = scored(SEVEN)
    result = compute_results([HUNDRED], units, entries, Rules(top_quota=D("0.3")))
    top = [u.unit for u in result.units if u.grade == "优秀"]
    assert top == ["甲", "乙", "丙"]  # 2 places, 乙 and 丙 tied at the cut both keep it
    assert by_name(result)["丁"].grade == "良好"
    (outcome,) = result.quotas
    assert (outcome.places, outcome.candidates, outcome.kept) == (2, 4, 3)
    assert outcome.exceeded and not outcome.unused


def test_exclude_never_splits_a_tie_and_leaves_the_place_unused() -> None:
    units, entries = scored(SEVEN)
    rules = Rules(top_quota=D("0.3"), quota_ties=QuotaTies.EXCLUDE)
    result = compute_results([HUNDRED], units, entries, rules)
    assert [u.unit for u in result.units if u.grade == "优秀"] == ["甲"]
    (outcome,) = result.quotas
    assert (outcome.places, outcome.kept, outcome.unused) == (2, 1, 1)


def test_half_up_quota_rounding_and_round_scope() -> None:
    # 0.3 × 5 = 1.5: floor gives 1 place, half up 2
    units, entries = scored({"甲": "99", "乙": "97", "丙": "95", "丁": "93", "戊": "91"})
    floor = compute_results([HUNDRED], units, entries, Rules(top_quota=D("0.3")))
    half = compute_results(
        [HUNDRED],
        units,
        entries,
        Rules(top_quota=D("0.3"), quota_rounding=QuotaRounding.HALF_UP),
    )
    assert sum(u.grade == "优秀" for u in floor.units) == 1
    assert sum(u.grade == "优秀" for u in half.units) == 2
    # Round scope: places from all 4 units of two categories, best of the whole round keep it
    units = [Unit("A1", "A", 1), Unit("A2", "A", 2), Unit("B1", "B", 3), Unit("B2", "B", 4)]
    entries = [
        Entry(n, "1.1", "X", deduction=D(d))
        for n, d in (("A1", 1), ("A2", 2), ("B1", 3), ("B2", 9))
    ]
    per_category = compute_results([HUNDRED], units, entries, Rules(top_quota=D("0.5")))
    whole = compute_results(
        [HUNDRED], units, entries, Rules(top_quota=D("0.5"), quota_scope=QuotaScope.ROUND)
    )
    assert [u.unit for u in per_category.units if u.grade == "优秀"] == ["A1", "B1"]
    assert [u.unit for u in whole.units if u.grade == "优秀"] == ["A1", "A2"]
    assert [(q.scope, q.places) for q in whole.quotas] == [("", 2)]


def test_missing_survey_and_exemption() -> None:
    units, entries = scored({"甲": "90", "乙": "90", "丙": "90"})
    rules = Rules(satisfaction_weight=D("0.2"), satisfaction_exempt=frozenset({"丙"}))
    result = by_name(compute_results([HUNDRED], units, entries, rules, {"甲": D(100)}))
    assert result["甲"].final == D("92.00")
    assert result["乙"].final == D("90.00")  # not 72: no survey is not a survey of 0
    assert result["乙"].incomplete == ("满意度缺失",)
    assert (result["丙"].final, result["丙"].incomplete) == (D("90.00"), ())
    assert result["丙"].satisfaction_exempt is True


def test_nothing_applicable_and_unscored_leaves_make_a_unit_incomplete() -> None:
    leaves = [
        Leaf("1.1", "1", D(60), categories=frozenset({"执法"})),
        Leaf("1.2", "1", D(40), Method.SCORE),
        Leaf("2.1", "2", D(3), Method.BONUS),
    ]
    units = [Unit("全不适用局", "执法", 1), Unit("未评局", "综合", 2)]
    entries = [
        Entry("全不适用局", "1.1", "A", not_applicable=True),
        Entry("全不适用局", "1.2", "A", not_applicable=True),
        Entry("全不适用局", "2.1", "A", score=D(2)),
    ]
    result = by_name(compute_results(leaves, units, entries, Rules()))
    assert result["全不适用局"].incomplete == ("无适用指标",)
    assert result["未评局"].incomplete == ("未评",)


def test_quota_options_given_as_text_mean_what_they_say() -> None:
    """Qt hands a StrEnum back as a plain str: "half-up" must not silently mean floor."""
    rules = Rules(quota_scope="round", quota_rounding="half-up", quota_ties="exclude")  # type: ignore[arg-type]
    assert rules.quota_rounding is QuotaRounding.HALF_UP
    assert rules.quota_scope is QuotaScope.ROUND and rules.quota_ties is QuotaTies.EXCLUDE
