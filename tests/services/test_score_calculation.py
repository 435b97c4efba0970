"""A score sheet's calculation, from the engine's explanation: each step as a clerk reads it,
and the rounding note exactly where the sheet's printed figures, added or mixed by hand, miss
the printed total."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from app.scoring.calculation import (
    FINAL_EXACT,
    ROUNDING,
    exact_decimal,
    rounding_gap,
    unit_calculation,
)
from app.scoring.engine import compute_results
from app.scoring.explain import explain_unit
from app.scoring.types import Entry, Leaf, Method, Rules, Unit

NOTE = "注：各项得分按精确值计算、总分只在最后四舍五入一次，故各项相加与总分可能相差 0.01。"
TWO_AREAS = [Leaf("1.1", "1", D(10)), Leaf("2.1", "2", D(10))]


def explained(leaves, units, entries, rules: Rules | None = None, satisfaction=None):
    rules = rules or Rules()
    result = compute_results(leaves, units, entries, rules, satisfaction)
    found = {u.unit: u for u in result.units}
    return {
        u.name: explain_unit(leaves, u, entries, rules, result.full_marks, found[u.name])
        for u in units
    }, result.full_marks


def three_assessors(unit: str, leaf: str, deductions: tuple[str, ...]) -> list[Entry]:
    return [Entry(unit, leaf, a, deduction=D(d)) for a, d in zip("ABC", deductions, strict=True)]


def test_printed_areas_that_add_up_differently_get_the_note_and_whole_ones_do_not() -> None:
    units = [Unit("三分局", "c", 0), Unit("整数局", "c", 1)]
    # each area 29/3 = 9.666…: printed 9.67 + 9.67 = 19.34, the total 58/3 prints 19.33
    entries = three_assessors("三分局", "1.1", ("0", "0", "1"))
    entries += three_assessors("三分局", "2.1", ("0", "0", "1"))
    entries += three_assessors("整数局", "1.1", ("1", "1", "1"))
    entries += three_assessors("整数局", "2.1", ("0", "0", "0"))
    x, full = explained(TWO_AREAS, units, entries)
    thirds = unit_calculation(x["三分局"], full)
    assert thirds.gap == D("0.01") and thirds.note == NOTE
    lines = dict(thirds.lines)
    assert lines[FINAL_EXACT] == "19.333333…" and lines[ROUNDING] == "最终得分 19.33"
    assert lines["指标得分合计"].startswith("≈ 19.33")
    whole = unit_calculation(x["整数局"], full)
    assert whole.gap == 0 and whole.note == ""
    assert dict(whole.lines)[FINAL_EXACT] == "19.00"
    assert dict(whole.lines)["指标得分合计"].startswith("= 19.00")


def test_a_by_hand_mix_of_printed_figures_that_misses_the_total_gets_the_note() -> None:
    leaf = Leaf("1.1", "1", D(100))
    units = [Unit("混合局", "c", 0)]
    # assessment 99.975 prints 99.98; 99.975 × 50 % + 80.01 × 50 % = 89.9925 → 89.99,
    # but 99.98 × 50 % + 80.01 × 50 % = 89.995 → 90.00 by hand
    entries = [Entry("混合局", "1.1", "A"), Entry("混合局", "1.1", "B", deduction=D("0.05"))]
    rules = Rules(satisfaction_weight=D("0.5"))
    x, full = explained([leaf], units, entries, rules, {"混合局": D("80.01")})
    calculation = unit_calculation(x["混合局"], full)
    assert x["混合局"].result.final == D("89.99")
    assert calculation.gap == D("0.01") and calculation.note == NOTE
    lines = dict(calculation.lines)
    assert lines["满意度"] == "考核得分 99.98 × 50% + 满意度 80.01 × 50% ≈ 89.99"
    assert lines[FINAL_EXACT] == "89.9925"


def test_scaling_bonus_cap_and_the_survey_exemptions_are_spelled_out() -> None:
    leaves = [
        Leaf("1.1", "1", D(40)),
        Leaf("1.2", "1", D(10)),
        Leaf("9.1", "9", D(5), Method.BONUS),
    ]
    units = [Unit("折算局", "c", 0), Unit("免测局", "c", 1), Unit("缺测局", "c", 2)]
    entries = [Entry(u.name, "1.2", "A", not_applicable=True) for u in units]
    entries += [Entry(u.name, "9.1", "A", score=D(4)) for u in units]
    entries += [Entry(u.name, "1.1", "A", deduction=D(4)) for u in units]
    rules = Rules(
        satisfaction_weight=D("0.2"),
        bonus_cap=D(3),
        satisfaction_exempt=frozenset({"免测局"}),
    )
    x, full = explained(leaves, units, entries, rules, {"折算局": D(90)})
    lines = dict(unit_calculation(x["折算局"], full, rules.bonus_cap).lines)
    assert lines["适用指标分值"] == "40（满分 50，不适用指标 10 分不计）"
    assert lines["折算系数"] == "满分 50 ÷ 适用分值 40 = 1.25"
    assert lines["基础得分"] == "36.00 × 50 ÷ 40 = 45.00"
    assert lines["加分"] == "加分项合计 4.00，超过上限 3 分，按上限计 3.00"
    assert lines["考核得分"] == "基础得分 + 加分 = 45.00 + 3.00 = 48.00"
    assert lines["满意度"] == "考核得分 48.00 × 80% + 满意度 90.00 × 20% = 56.40"
    assert lines[ROUNDING] == "最终得分 56.40"
    exempt = dict(unit_calculation(x["免测局"], full, rules.bonus_cap).lines)
    assert exempt["满意度"].startswith("满意度免测") and exempt[FINAL_EXACT] == "48.00"
    missing = dict(unit_calculation(x["缺测局"], full, rules.bonus_cap).lines)
    assert missing["满意度"].startswith("满意度缺失")


def test_nothing_applies_and_no_survey_component() -> None:
    units = [Unit("空局", "c", 0)]
    entries = [Entry("空局", leaf.code, "A", not_applicable=True) for leaf in TWO_AREAS]
    x, full = explained(TWO_AREAS, units, entries)
    calculation = unit_calculation(x["空局"], full)
    lines = dict(calculation.lines)
    assert lines["适用指标分值"] == "0（无适用指标）" and lines["折算"].startswith("无适用指标")
    assert "满意度" not in lines and lines["加分"] == "无"
    assert calculation.note == ""


def test_area_subtotals_count_only_where_the_sheet_prints_them() -> None:
    units = [Unit("三分局", "c", 0)]
    entries = three_assessors("三分局", "1.1", ("0", "0", "1"))
    entries += three_assessors("三分局", "2.1", ("0", "0", "1"))
    x, _ = explained(TWO_AREAS, units, entries)
    # one leaf per area: the printed leaves miss the total as the areas do
    assert rounding_gap(x["三分局"], area_subtotals=False) == D("0.01")


def test_exact_decimals_are_cut_never_rounded() -> None:
    assert exact_decimal(D("92.324")) == "92.324"
    assert exact_decimal(D(86)) == "86.00"
    assert exact_decimal(Fraction(2, 3)) == "0.666666…"  # not 0.666667
    assert exact_decimal(Fraction(-1, 8)) == "-0.125"
