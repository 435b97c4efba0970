"""The scoring contract, rule by rule, with figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from app.scoring.engine import compute_results, round_half_up
from app.scoring.types import (
    Entry,
    GradeBand,
    Leaf,
    Method,
    Rules,
    ScoringInputError,
    Tier,
    Unit,
)

TIERS = (Tier(D(1), D(1)), Tier(D("0.95"), D("0.8")), Tier(D("0.9"), D("0.5")))


def leaf(code: str, points: str, method: Method = Method.DEDUCT, **kw: object) -> Leaf:
    return Leaf(code=code, area_code=code.split(".")[0], points=D(points), method=method, **kw)  # type: ignore[arg-type]


def one(result, name: str):
    return next(u for u in result.units if u.unit == name)


def test_deductions_beyond_the_points_stop_at_zero() -> None:
    leaves = [leaf("1.1", "2"), leaf("1.2", "8")]
    entries = [
        Entry("甲", "1.1", "A", deduction=D("1.5")),
        Entry("甲", "1.1", "A", deduction=D("1.5")),  # an assessor's deductions add up: 3 > 2
    ]
    result = compute_results(leaves, [Unit("甲", "c")], entries, Rules())
    assert one(result, "甲").areas["1"] == 8  # 0 + 8 untouched
    assert one(result, "甲").final == D("8.00")  # on a 10-point tree
    assert result.full_marks == D(10)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([], "10.00"),  # 扣分 leaf with no entry keeps full points
        ([Entry("甲", "1.1", "A", deduction=D("0.5"))], "9.50"),
        (
            [Entry("甲", "1.1", "A", deduction=D("0.5")), Entry("甲", "1.1", "B", deduction=D(1))],
            "9.25",
        ),  # mean of 9.5 and 9 over the 10 points
    ],
)
def test_deduction_leaf(entries: list[Entry], expected: str) -> None:
    result = compute_results([leaf("1.1", "10")], [Unit("甲", "c")], entries, Rules())
    assert str(one(result, "甲").final) == expected


def test_not_applicable_leaves_are_rescaled_by_category_and_by_flag() -> None:
    leaves = [
        leaf("1.1", "40"),
        leaf("1.2", "40", categories=frozenset({"执法"})),
        leaf("2.1", "20"),
    ]
    units = [Unit("执法局", "执法", 1), Unit("综合办", "综合", 2), Unit("档案馆", "综合", 3)]
    entries = [
        Entry("执法局", "1.1", "A", deduction=D(4)),
        Entry("综合办", "1.1", "A", deduction=D(4)),  # 36 of the 60 points that apply
        Entry("档案馆", "2.1", "A", not_applicable=True),
        Entry("档案馆", "1.1", "A", deduction=D(10)),  # 30 of 40
    ]
    result = compute_results(leaves, units, entries, Rules())
    assert one(result, "执法局").final == D("96.00")
    assert one(result, "综合办").final == D("93.33")  # 56/60*100 = 93.333…
    assert one(result, "综合办").applicable_points == D(60)
    assert one(result, "档案馆").final == D("75.00")
    assert one(result, "档案馆").areas == {"1": 30, "2": 0}


def test_trimmed_mean_from_five_assessors() -> None:
    deductions = {"A": "0", "B": "1", "C": "2", "D": "3", "E": "10"}
    entries = [Entry("甲", "1.1", a, deduction=D(d)) for a, d in deductions.items()]
    result = compute_results([leaf("1.1", "10")], [Unit("甲", "c")], entries, Rules(trim_from=5))
    # scores 10, 9, 8, 7, 0: drop 10 and 0 -> mean(9, 8, 7) = 8
    assert one(result, "甲").final == D("8.00")
    four = [e for e in entries if e.assessor != "E"]
    result = compute_results([leaf("1.1", "10")], [Unit("甲", "c")], four, Rules(trim_from=5))
    assert one(result, "甲").final == D("8.50")  # no trimming below five: mean(10,9,8,7)


def test_total_at_exactly_half_a_cent_after_averaging_rounds_up() -> None:
    # Leaf of 100 points, three assessors: 100-0.005*... use a 200-point leaf scaled to 100:
    # scores 99.99 and 100 -> mean 99.995 on a 100-point tree -> 四舍五入 gives 100.00
    entries = [
        Entry("甲", "1.1", "A", deduction=D("0.01")),
        Entry("甲", "1.1", "B", deduction=D(0)),
    ]
    result = compute_results([leaf("1.1", "100")], [Unit("甲", "c")], entries, Rules())
    assert one(result, "甲").final_exact == Fraction("99.995")
    assert one(result, "甲").final == D("100.00")  # banker's rounding would give 100.00 too…
    entries = [
        Entry("甲", "1.1", "A", deduction=D("0.03")),
        Entry("甲", "1.1", "B", deduction=D("0.02")),
    ]
    result = compute_results([leaf("1.1", "100")], [Unit("甲", "c")], entries, Rules())
    assert one(result, "甲").final_exact == Fraction("99.975")
    assert one(result, "甲").final == D("99.98")  # …but here it would give 99.98 vs float 99.97


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction("2.675"), "2.68"),  # float(2.675) rounds to 2.67
        (Fraction("0.125"), "0.13"),  # banker's gives 0.12
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction("-0.005"), "-0.01"),
        (D("89.995"), "90.00"),
    ],
)
def test_round_half_up(value, expected: str) -> None:
    assert str(round_half_up(value, 2)) == expected


def test_ties_share_ranks_and_keep_unit_order() -> None:
    units = [Unit(n, "执法" if n in "甲乙" else "综合", i) for i, n in enumerate("甲乙丙丁")]
    deductions = {"甲": "1", "乙": "0", "丙": "1", "丁": "3"}
    entries = [Entry(u, "1.1", "A", deduction=D(d)) for u, d in deductions.items()]
    result = compute_results([leaf("1.1", "10")], units, entries, Rules())
    assert [(u.unit, u.rank) for u in result.units] == [("乙", 1), ("甲", 2), ("丙", 2), ("丁", 4)]
    assert {u.unit: u.category_rank for u in result.units} == {"乙": 1, "甲": 2, "丙": 1, "丁": 2}


def test_top_quota_with_ties_at_the_boundary() -> None:
    units = [Unit(f"单位{i}", "c", i) for i in range(10)]
    finals = ["0", "0", "5", "5", "10", "10", "10", "20", "30", "40"]  # on 100 points
    entries = [Entry(f"单位{i}", "1.1", "A", deduction=D(d)) for i, d in enumerate(finals)]
    rules = Rules(top_quota=D("0.3"))  # floor(0.3 * 10) = 3 may be 优秀
    result = compute_results([leaf("1.1", "100")], units, entries, rules)
    grades = {u.unit: (u.category_rank, u.grade) for u in result.units}
    # finals 100,100,95,95,90,90,90,...: ranks 1,1,3,3,5,5,5
    assert grades["单位0"] == (1, "优秀")
    assert grades["单位2"] == (3, "优秀")
    assert grades["单位3"] == (3, "优秀")  # tied at the boundary: both keep it
    assert grades["单位4"] == (5, "良好")  # 90 earns 优秀 by score, but the quota is used up
    assert grades["单位7"] == (8, "良好")  # 80
    assert grades["单位9"] == (10, "合格")  # 60


def test_grade_bands_differ_by_category_and_veto_gets_the_lowest() -> None:
    units = [Unit("市局", "市级", 1), Unit("县局", "县级", 2), Unit("否决局", "县级", 3)]
    entries = [
        Entry("市局", "1.1", "A", deduction=D(20)),
        Entry("县局", "1.1", "A", deduction=D(20)),
        Entry("否决局", "9.1", "A", veto=True),
    ]
    county = (GradeBand("优秀", D(75)), GradeBand("合格", D(60)), GradeBand("不合格", D(0)))
    rules = Rules(category_grades={"县级": county})
    leaves = [leaf("1.1", "100"), leaf("9.1", "0", Method.VETO)]
    result = compute_results(leaves, units, entries, rules)
    assert one(result, "市局").grade == "良好"  # 80 with the default bands
    assert one(result, "县局").grade == "优秀"  # 80 >= 75 for counties
    assert one(result, "否决局").final == D("100.00")
    assert one(result, "否决局").veto is True
    assert one(result, "否决局").grade == "不合格"
    assert result.full_marks == D(100)


def test_bonus_per_leaf_and_round_cap() -> None:
    leaves = [leaf("1.1", "100"), leaf("2.1", "2", Method.BONUS), leaf("2.2", "3", Method.BONUS)]
    entries = [
        Entry("甲", "2.1", "A", score=D(2)),
        Entry("甲", "2.2", "A", score=D("2.5")),
        Entry("乙", "2.1", "A", score=D(1)),
    ]
    units = [Unit("甲", "c", 1), Unit("乙", "c", 2)]
    result = compute_results(leaves, units, entries, Rules(bonus_cap=D(3)))
    assert one(result, "甲").bonus == 3  # 4.5 capped at 3
    assert one(result, "甲").final == D("103.00")
    assert one(result, "乙").final == D("101.00")
    assert result.full_marks == D(100)
    with pytest.raises(ScoringInputError):
        compute_results(leaves, units, [Entry("甲", "2.1", "A", score=D(5))], Rules())


def test_score_yes_no_and_tier_leaves_and_missing() -> None:
    leaves = [
        leaf("1.1", "10", Method.SCORE),
        leaf("1.2", "10", Method.YES_NO),
        leaf("1.3", "10", Method.TIER, tiers=TIERS),
        leaf("1.4", "10", Method.TIER, tiers=TIERS),
    ]
    entries = [
        Entry("甲", "1.1", "A", score=D("7.5")),
        Entry("甲", "1.2", "A", answer=True),
        Entry("甲", "1.3", "A", measured=D("0.97")),  # >= 95 % -> 0.8 * 10
        Entry("甲", "1.4", "A", measured=D("0.85")),  # below every tier -> 0
        Entry("乙", "1.2", "A", answer=False),
    ]
    units = [Unit("甲", "c", 1), Unit("乙", "c", 2)]
    result = compute_results(leaves, units, entries, Rules())
    assert one(result, "甲").final == D("25.50")  # 7.5 + 10 + 8 + 0 on a 40-point tree
    assert one(result, "甲").missing == 0
    assert one(result, "乙").final == D("0.00")
    assert one(result, "乙").missing == 3  # 得分 and both 分档 leaves unscored


def test_satisfaction_weight() -> None:
    entries = [Entry("甲", "1.1", "A", deduction=D(10))]
    units = [Unit("甲", "c", 1), Unit("乙", "c", 2)]
    rules = Rules(satisfaction_weight=D("0.2"))
    result = compute_results([leaf("1.1", "100")], units, entries, rules, {"甲": D("95.5")})
    # 0.8 * 90 + 0.2 * 95.5 = 72 + 19.1
    assert one(result, "甲").final == D("91.10")
    # A missing survey is never a 0 (issue 14 §2): the final is the assessment alone, and the
    # unit is incomplete until a survey value or an exemption arrives.
    assert one(result, "乙").final == D("100.00")
    assert one(result, "乙").satisfaction is None
    assert one(result, "乙").incomplete == ("满意度缺失",)
    assert one(result, "甲").incomplete == ()


def test_bottom_flag_within_each_category() -> None:
    units = [Unit(f"{c}{i}", c, i) for c in "AB" for i in range(4)]
    entries = [Entry(u.name, "1.1", "X", deduction=D(u.order)) for u in units]
    result = compute_results([leaf("1.1", "10")], units, entries, Rules(bottom_n=1))
    assert sorted(u.unit for u in result.units if u.bottom) == ["A3", "B3"]


def test_wrong_input_is_refused_not_clamped() -> None:
    units = [Unit("甲", "c")]
    with pytest.raises(ScoringInputError):
        compute_results(
            [leaf("1.1", "5", Method.SCORE)], units, [Entry("甲", "1.1", "A", score=D(6))], Rules()
        )
    with pytest.raises(ScoringInputError):
        compute_results(
            [leaf("1.1", "5")], units, [Entry("甲", "1.1", "A", deduction=D(-1))], Rules()
        )
    with pytest.raises(ScoringInputError):
        compute_results(
            [leaf("1.1", "5")], units, [Entry("乙", "1.1", "A", deduction=D(1))], Rules()
        )
    with pytest.raises(ScoringInputError):
        compute_results(
            [leaf("1.1", "5", Method.SCORE)],
            units,
            [Entry("甲", "1.1", "A", score=D(1)), Entry("甲", "1.1", "A", score=D(2))],
            Rules(),
        )
