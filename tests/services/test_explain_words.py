"""A unit's calculation in words: every step named with its real figures, exact fractions where a
decimal would not end, and the one rounding to the published final."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.scoring.engine import compute_results
from app.scoring.explain import UnitExplanation, explain_unit
from app.scoring.types import Entry, Leaf, Method, Rules, Unit
from app.services.review.explain import explain_round, unit_calculation
from app.services.review.explain_words import explanation_lines, figure
from app.services.review.results import compute_round_results

D = Decimal
TEAMS = ("甲组", "乙组", "丙组", "丁组", "戊组")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(165, 2), "82.5"),
        (86, "86"),
        (D("12.50"), "12.5"),
        (D("0.05"), "0.05"),
        (Fraction(1650, 19), "86.8421…（= 1650/19）"),
        (Fraction(1, 3), "0.3333…（= 1/3）"),
        (Fraction(1, 128), "0.0078…（= 1/128）"),  # seven decimals read better as a fraction
        (Fraction(-1, 4), "-0.25"),
    ],
)
def test_a_figure_is_its_exact_decimal_or_a_fraction(value, text: str) -> None:
    assert figure(value) == text


def explained(
    entries: list[Entry],
    *,
    rules: Rules | None = None,
    satisfaction: dict[str, Decimal] | None = None,
    leaves: list[Leaf] | None = None,
) -> UnitExplanation:
    """The one unit 甲局 of a small round: 95 of its 100 points apply (the 5-point leaf is
    for another category), five teams score the 10-point leaf."""
    leaves = leaves or [
        Leaf("1.1", "1", D(10), Method.SCORE),
        Leaf("1.2", "1", D(85), Method.DEDUCT),
        Leaf("2.1", "2", D(5), Method.DEDUCT, categories=frozenset({"政法部门"})),
        Leaf("3.1", "3", D(5), Method.BONUS),
        Leaf("3.2", "3", D(0), Method.VETO),
    ]
    units = [Unit("甲局", "行政执法部门"), Unit("乙局", "行政执法部门", 1)]
    rules = rules or Rules(satisfaction_weight=D("0.2"), bonus_cap=D(2))
    result = compute_results(leaves, units, entries, rules, satisfaction)
    mine = next(r for r in result.units if r.unit == "甲局")
    return explain_unit(leaves, units[0], entries, rules, result.full_marks, mine)


def five_scores(*values: str) -> list[Entry]:
    return [Entry("甲局", "1.1", t, score=D(v)) for t, v in zip(TEAMS, values, strict=True)]


def test_the_lines_read_the_whole_calculation_aloud() -> None:
    x = explained(
        [
            *five_scores("10", "6", "7", "8", "9"),  # 6 and 10 dropped: 8
            Entry("甲局", "1.2", "甲组", deduction=D("10.5")),
            Entry("甲局", "3.1", "甲组", score=D(3)),
        ],
        satisfaction={"甲局": D(90), "乙局": D(90)},
    )
    r = x.result
    lines = explanation_lines(x)
    text = "\n".join(lines)
    assert lines[0] == "计分指标 3 项：评分 2 项，不适用 1 项（共 5 分，不计入适用分值）。"
    assert "其中 1 项有 5 位及以上评分人，去掉一个最高分、一个最低分后取平均" in lines[1]
    assert lines[2] == (
        "适用指标分值合计 95 分，得分 82.5；折算系数 = 满分 100 ÷ 适用分值 95 = 100/95；"
        "基础分 = 82.5 × 100/95 = 86.8421…（= 1650/19）。"
    )
    assert lines[3] == (
        "加分 3 分（封顶 2 分，计 2 分）；考核得分 = 基础分 + 加分 = 86.8421…（= 1650/19）"
        " + 2 = 88.8421…（= 1688/19）。"
    )
    assert lines[4] == (
        "满意度 90 × 20% + 考核得分 88.8421…（= 1688/19） × 80% = 最终得分 89.0736…（= 8462/95）。"
    )
    assert r.final_exact == Fraction(8462, 95) and f"{r.final:.2f}" == "89.07"
    assert lines[5].startswith("最终得分精确值 89.0736…（= 8462/95），四舍五入保留两位小数为 89.07")
    assert "否决" not in text and "不完整" not in text


def test_a_final_with_two_decimals_is_not_rounded_and_a_bonus_under_the_cap_is_said() -> None:
    x = explained(
        [
            Entry("甲局", "1.2", "甲组", deduction=D("1.5")),
            Entry("甲局", "3.1", "甲组", score=D(1)),
        ],
        rules=Rules(bonus_cap=D(2)),
        leaves=[Leaf("1.2", "1", D(100)), Leaf("3.1", "3", D(5), Method.BONUS)],
    )
    lines = explanation_lines(x)
    assert lines[0] == "计分指标 1 项：评分 1 项。"
    assert lines[1] == "适用指标分值合计 100 分，得分 98.5；适用分值即满分，不折算，基础分 98.5。"
    assert lines[2] == "加分 1 分（未超过封顶 2 分）；考核得分 = 基础分 + 加分 = 98.5 + 1 = 99.5。"
    assert lines[3] == "本批次不计满意度：最终得分 = 考核得分 = 99.5。"
    assert lines[4] == "最终得分 99.50（精确值，无需舍入）。"


def test_missing_survey_unscored_leaves_and_untouched_deductions_are_named() -> None:
    x = explained(five_scores("10", "6", "7", "8", "9")[:2])  # no survey, 1.2 nobody deducted
    lines = explanation_lines(x)
    assert "其中扣分项无人扣分的 1 项按满分计" in lines[0]
    assert (
        "有多位评分人的 1 项取评分人的平均分（评分人少于 5 位，不去掉最高分和最低分）" in lines[1]
    )
    assert "无加分" in lines[3]
    assert lines[4].startswith("满意度缺失：最终得分暂按考核得分计")
    assert lines[-1] == "结果不完整：满意度缺失。"
    nobody = explained([], satisfaction={"甲局": D(80)})
    assert "未评 1 项（计 0 分）" in explanation_lines(nobody)[0]
    assert explanation_lines(nobody)[-1] == "结果不完整：未评 1 项（1.1）。"


def test_exempt_vetoed_and_nothing_applies() -> None:
    exempt = explained(
        [Entry("甲局", "3.2", "甲组", veto=True)],
        rules=Rules(satisfaction_weight=D("0.2"), satisfaction_exempt=frozenset({"甲局"})),
    )
    lines = explanation_lines(exempt)
    assert any(
        line.startswith("满意度免测（不参加满意度测评）：最终得分 = 考核得分") for line in lines
    )
    assert "一票否决：指标 3.2 被评为否决（甲组），等次为不合格，排在未被否决的单位之后。" in lines
    empty = explained(
        [Entry("甲局", "1.1", "甲组", not_applicable=True)],
        leaves=[Leaf("1.1", "1", D(100), Method.SCORE)],
        rules=Rules(),
    )
    lines = explanation_lines(empty)
    assert "本单位没有适用的计分指标，基础分为 0。" in lines
    assert lines[-1] == "结果不完整：无适用指标。"


def test_every_demo_units_words_end_on_the_rankings_final(demo_db_file: Path) -> None:
    db = open_database(demo_db_file)
    try:
        ranking = {
            u.unit: f"{u.final:.2f}" for u in compute_round_results(db, DEMO_ROUND).result.units
        }
        _, _, units = explain_round(db, DEMO_ROUND)
        for x in units:
            final = ranking[x.result.unit]
            said = "\n".join(explanation_lines(x))
            assert f"四舍五入保留两位小数为 {final}" in said or f"最终得分 {final}（精确值" in said
        trimmed = sum("表中划线的分值" in "".join(explanation_lines(x)) for x in units)
        assert trimmed > len(units) // 2  # five teams score some leaves of most demo units
    finally:
        db.dispose()


def test_one_units_calculation_carries_names_areas_and_reasons(demo_db_file: Path) -> None:
    db = open_database(demo_db_file)
    try:
        unit = compute_round_results(db, DEMO_ROUND).result.units[0].unit
        found = unit_calculation(db, DEMO_ROUND, unit)
    finally:
        db.dispose()
    x = found.explanation
    assert x.result.unit == unit and x.result.rank == 1
    assert set(found.leaf_names) == set(found.leaf_areas) == {leaf.code for leaf in x.leaves}
    assert set(found.leaf_areas.values()) <= set(found.area_names)
    assert all(reason for reason in found.reasons.values())
    assert {code for code, _ in found.reasons} <= set(found.leaf_names)
