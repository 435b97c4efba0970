"""Robustness analysis (issue 20 §2): the nominal run is the published one, a seed gives the
same figures, a unit on the quota's cut is 名次敏感 while a runaway leader is stable."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from app.scoring.analysis.robustness import (
    DROPOUT,
    SATISFACTION,
    TRIMMING,
    WEIGHTS,
    RobustnessOptions,
    analyse_robustness,
)
from app.scoring.engine import compute_results
from app.scoring.types import Entry, GradeBand, Leaf, Method, Rules, Tier, Unit

TIERS = (Tier(Decimal("0.95"), Decimal(1)), Tier(Decimal("0.9"), Decimal("0.5")))
METHODS = (Method.DEDUCT, Method.DEDUCT, Method.SCORE, Method.YES_NO, Method.TIER)


def mixed_round(seed: int = 5):
    """30 units in 3 categories, 4 areas of mixed methods, 5 assessors on area 1 (trimmed),
    one elsewhere; bonus, a veto, N/A marks, a survey, per-category bands and a quota."""
    rng = random.Random(seed)
    leaves = [
        Leaf(f"{a}.{i}", str(a), Decimal(2 + i % 3), m, TIERS if m is Method.TIER else ())
        for a in range(1, 5)
        for i, m in enumerate(METHODS)
    ]
    leaves += [
        Leaf("9.1", "9", Decimal(2), Method.BONUS),
        Leaf("9.2", "9", Decimal(0), Method.VETO),
    ]
    units = [Unit(f"单位{n:02d}", f"类别{n % 3}", n) for n in range(30)]
    entries = []
    for unit in units:
        strength = rng.random()
        for leaf in leaves:
            panel = [f"组{k}" for k in range(5)] if leaf.area_code == "1" else ["组0"]
            if leaf.method is Method.VETO:
                if unit.order == 7:
                    entries.append(Entry(unit.name, leaf.code, "组0", veto=True))
                continue
            if leaf.method is Method.BONUS:
                if rng.random() < 0.3:
                    entries.append(Entry(unit.name, leaf.code, "组0", score=Decimal(1)))
                continue
            if leaf.area_code == "4" and rng.random() < 0.05:
                entries.append(Entry(unit.name, leaf.code, "组0", not_applicable=True))
                continue
            for name in panel:
                entries.append(_entry(rng, unit.name, leaf, name, strength))
    survey = {u.name: Decimal(rng.randint(7000, 9900)) / 100 for u in units[1:]}
    rules = Rules(
        satisfaction_weight=Decimal("0.2"),
        bonus_cap=Decimal("1.5"),
        top_quota=Decimal("0.3"),
        bottom_n=2,
        category_grades={"类别1": (GradeBand("优秀", Decimal(85)), GradeBand("合格", Decimal(0)))},
        grades=(GradeBand("优秀", Decimal(80)), GradeBand("良好", Decimal(70)),
                GradeBand("合格", Decimal(0))),
    )  # fmt: skip
    return leaves, units, entries, rules, survey


def _entry(rng: random.Random, unit: str, leaf: Leaf, name: str, strength: float) -> Entry:
    if leaf.method is Method.DEDUCT:
        steps = rng.randint(0, 4) if rng.random() > strength else 0
        return Entry(unit, leaf.code, name, deduction=Decimal(steps) / 2)
    if leaf.method is Method.SCORE:
        return Entry(unit, leaf.code, name, score=Decimal(rng.randint(0, int(leaf.points) * 2)) / 2)
    if leaf.method is Method.YES_NO:
        return Entry(unit, leaf.code, name, answer=rng.random() < 0.5 + strength / 2)
    return Entry(unit, leaf.code, name, measured=Decimal(rng.randint(85, 100)) / 100)


def test_nominal_ranks_are_the_published_ones_and_the_model_reproduces_them() -> None:
    leaves, units, entries, rules, survey = mixed_round()
    published = compute_results(leaves, units, entries, rules, survey)
    result = analyse_robustness(leaves, units, entries, rules, survey, RobustnessOptions(runs=200))
    assert result.model_agrees
    assert [(u.unit, u.nominal_rank, u.grade, u.bottom) for u in result.units] == [
        (r.unit, r.rank, r.grade, r.bottom) for r in published.units
    ]
    assert set(result.varied) == {WEIGHTS, DROPOUT, TRIMMING, SATISFACTION}
    assert result.runs_done == 200 and result.mean_shift > 0
    for u in result.units:
        assert u.low_rank <= u.median_rank <= u.high_rank
        assert 0 <= u.grade_kept <= 1 and 0 <= u.bottom_kept <= 1


def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    leaves, units, entries, rules, survey = mixed_round()
    options = RobustnessOptions(runs=150, seed=11)
    first = analyse_robustness(leaves, units, entries, rules, survey, options)
    again = analyse_robustness(leaves, units, entries, rules, survey, options)
    other = analyse_robustness(
        leaves, units, entries, rules, survey, RobustnessOptions(runs=150, seed=12)
    )
    assert first.units == again.units and first.mean_shift == again.mean_shift
    assert first.units != other.units


def test_nothing_varied_moves_nothing() -> None:
    leaves, units, entries, rules, survey = mixed_round()
    options = RobustnessOptions(
        runs=50, weight_spread=0, dropout=False, trimming=False, satisfaction_spread=0
    )
    result = analyse_robustness(leaves, units, entries, rules, survey, options)
    assert result.varied == ()
    assert result.mean_shift == 0
    assert not result.sensitive
    assert all(u.low_rank == u.high_rank == u.nominal_rank for u in result.units)


def quota_cut_round():
    """Ten units of one category, two areas of 5 leaves × 10 points, two 优秀 places: a
    runaway leader at 100, two close runners-up strong in different areas, the rest ~80."""
    leaves = [Leaf(f"{a}.{i}", str(a), Decimal(10)) for a in (1, 2) for i in range(5)]
    units = [Unit(name, "执法部门", n) for n, name in enumerate(
        ["领先局", "甲局", "乙局", *(f"其他{n}局" for n in range(7))])]  # fmt: skip
    lost = {"甲局": {"1.0": "4"}, "乙局": {"2.0": "4.1"}}
    entries = []
    for unit in units:
        for leaf in leaves:
            deduction = Decimal(lost.get(unit.name, {}).get(leaf.code, "0"))
            if unit.name.startswith("其他"):
                deduction = Decimal(2) + Decimal(unit.order) / 10
            entries.append(Entry(unit.name, leaf.code, "考核组", deduction=deduction))
    return leaves, units, entries, Rules(top_quota=Decimal("0.2")), {}


def test_a_unit_on_the_quota_cut_is_sensitive_and_a_runaway_leader_stable() -> None:
    leaves, units, entries, rules, survey = quota_cut_round()
    result = analyse_robustness(
        leaves, units, entries, rules, survey, RobustnessOptions(runs=400, seed=3)
    )
    by_unit = {u.unit: u for u in result.units}
    leader, second, third = by_unit["领先局"], by_unit["甲局"], by_unit["乙局"]
    assert (second.grade, third.grade) == ("优秀", "良好")  # 96.00 keeps the 2nd place
    assert not leader.sensitive and leader.grade_kept == 1 and leader.high_rank == 1
    assert second.sensitive and third.sensitive
    assert 0.1 < second.grade_kept < 0.9
    assert {u.unit for u in result.sensitive} == {"甲局", "乙局"}
    assert result.varied == (WEIGHTS,)  # one assessor, no survey: only the weights vary
    assert result.main_factor == WEIGHTS


def test_leaving_an_area_out_moves_the_unit_that_lost_its_points_there() -> None:
    leaves, units, entries, rules, survey = quota_cut_round()
    result = analyse_robustness(leaves, units, entries, rules, survey, RobustnessOptions(runs=20))
    without = {a.area: a for a in result.left_out}
    # 甲 lost its points in area 1: without it 100, tied first with the leader
    assert without["1"].rank_changes["甲局"] == 1
    assert without["1"].rank_changes["乙局"] == 0
    assert without["1"].rank_changes["领先局"] == 0
    assert without["1"].grades_changed == ()  # 甲 kept its place, 乙 still beyond the quota
    # without area 2, 乙 ties first and takes the second 优秀 place from 甲
    assert without["2"].rank_changes == {**dict.fromkeys(without["2"].rank_changes, 0),
                                         "乙局": 2, "甲局": -1}  # fmt: skip
    assert set(without["2"].grades_changed) == {"甲局", "乙局"}


@pytest.mark.parametrize("runs", [1, 201])
def test_progress_reports_every_run_and_cancel_stops(runs: int) -> None:
    leaves, units, entries, rules, survey = quota_cut_round()
    seen: list[tuple[int, int]] = []
    result = analyse_robustness(
        leaves, units, entries, rules, survey, RobustnessOptions(runs=runs),
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen[-1] == (runs, runs) and result.runs_done == runs and not result.cancelled
    stopped = analyse_robustness(
        leaves, units, entries, rules, survey, RobustnessOptions(runs=runs),
        cancelled=lambda: True,
    )  # fmt: skip
    assert stopped.cancelled and stopped.runs_done == 0
