"""Assessor consistency (issue 20 §3): α equals the reference implementation, a planted harsh
assessor is found with their leniency, leaving an assessor out is counted exactly."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest

from app.scoring.analysis import agreement
from app.scoring.analysis.agreement import (
    alpha_interval,
    alpha_with_interval,
    analyse_agreement,
    ranks_changed_without,
)
from app.scoring.analysis.cells import round_cells
from app.scoring.types import Entry, Leaf, Rules, Unit

krippendorff = pytest.importorskip("krippendorff")


@pytest.mark.parametrize("seed", range(6))
def test_alpha_matches_the_krippendorff_package_on_random_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    coders, units = rng.integers(2, 7), rng.integers(5, 60)
    data = rng.normal(size=(coders, units)) + rng.normal(size=units) * seed
    data[rng.random(data.shape) < 0.25] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    table = [[None if np.isnan(v) else float(v) for v in column] for column in data.T]
    assert alpha_interval(table) == pytest.approx(expected, abs=1e-9)


def test_alpha_is_one_when_everybody_agrees_and_none_without_variation() -> None:
    assert alpha_interval([[1, 1], [2, 2], [3, None, 3]]) == pytest.approx(1)
    assert alpha_interval([[1, 1], [1, 1]]) is None
    assert alpha_interval([[1], [2]]) is None  # nothing pairable


def planted_round(seed: int = 4):
    """20 units × 10 leaves of 5 points, five assessors on every cell; 考核组5 deducts 0.5 more
    than it would on every cell, the others deduct what the cell deserves ± a little."""
    rng = random.Random(seed)
    leaves = [Leaf(f"{a}.{i}", str(a), Decimal(5)) for a in (1, 2) for i in range(5)]
    units = [Unit(f"单位{n:02d}", "执法部门", n) for n in range(20)]
    entries = []
    for unit in units:
        for leaf in leaves:
            deserved = Decimal(rng.randint(0, 4)) / 2
            for k in range(1, 6):
                noise = Decimal(rng.choice((-1, 0, 0, 1))) / 4
                deduction = max(Decimal(0), deserved + noise + Decimal(1))
                if k == 5:
                    deduction += Decimal("0.5")
                entries.append(Entry(unit.name, leaf.code, f"考核组{k}", deduction=deduction))
    return leaves, units, entries


def test_a_planted_harsh_assessor_is_flagged_with_leniency_near_minus_half() -> None:
    leaves, units, entries = planted_round()
    result = analyse_agreement(round_cells(leaves, units, entries).cells, reps=200)
    by_name = {a.assessor: a for a in result.assessors}
    harsh = by_name["考核组5"]
    assert harsh.cells == 200
    assert harsh.points == pytest.approx(-0.5, abs=0.06)  # the others' noise: ±0.03 or so
    assert harsh.rate == pytest.approx(-0.1, abs=0.012)
    assert harsh.interval[0] < harsh.points < harsh.interval[1] < 0
    assert harsh.flag == "偏严"
    assert all(by_name[f"考核组{k}"].flag == "" for k in range(1, 5))
    assert result.overall.value is not None and 0 < result.overall.value < 1
    low, high = result.overall.interval
    assert low < result.overall.value < high
    assert set(result.areas) == {"1", "2"} and len(result.leaves) == 10
    assert result.disagreements[0].spread >= result.disagreements[-1].spread > 0


def test_an_assessor_alone_on_their_cells_changes_no_rank_when_left_out() -> None:
    leaves, units, entries = planted_round()
    alone = [Leaf("3.1", "3", Decimal(5))]
    rng = random.Random(1)
    entries += [Entry(u.name, "3.1", "独评组", deduction=Decimal(rng.randint(0, 9)) / 2)
                for u in units]  # fmt: skip
    changed = ranks_changed_without(
        leaves + alone, units, entries, Rules(), {}, ["独评组", "考核组5"]
    )
    assert changed["独评组"] == 0
    assert changed["考核组5"] > 0  # five scores are trimmed to three: the harsh one counts


def test_the_interval_of_many_cells_is_the_resampled_one() -> None:
    """From NORMAL_FROM cells a resample's sums are drawn as normal: the interval is the one
    resampling the cells gives, to within what the two decimals show."""
    rng = np.random.default_rng(9)
    truth = rng.random(3000)
    values = [truth[i] + rng.normal(scale=0.2, size=rng.integers(2, 5)) for i in range(3000)]
    quick = alpha_with_interval(values, seed=1)
    agreement.NORMAL_FROM, saved = 10**9, agreement.NORMAL_FROM
    try:
        resampled = alpha_with_interval(values, seed=1)
    finally:
        agreement.NORMAL_FROM = saved
    assert quick.value == resampled.value
    assert quick.interval == pytest.approx(resampled.interval, abs=0.005)


def _plain_ranks_changed(leaves, units, entries, rules, survey, names) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The reference: each assessor's entries on shared cells removed, the round computed
    again from scratch by the engine."""
    from app.scoring.analysis.cells import shared_cells
    from app.scoring.engine import compute_results

    published = {r.unit: r.rank for r in compute_results(leaves, units, entries, rules,
                                                         survey).units}  # fmt: skip
    shared = shared_cells(entries)
    found = {}
    for name in names:
        kept = [e for e in entries if e.assessor != name or (e.unit, e.leaf) not in shared]
        again = compute_results(leaves, units, kept, rules, survey).units
        found[name] = sum(1 for r in again if r.rank != published[r.unit])
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leaving_each_assessor_out_agrees_with_computing_the_round_again(seed: int) -> None:
    """Between two and six assessors per cell (trimmed from five), a bonus leaf, a quota and
    a survey; one assessor marks a shared cell 不适用 and another 否决 on one."""
    from app.scoring.types import Method

    rng = random.Random(seed)
    leaves = [Leaf(f"{a}.{i}", str(a), Decimal(4)) for a in (1, 2, 3) for i in range(4)]
    leaves += [
        Leaf("9.1", "9", Decimal(2), Method.BONUS),
        Leaf("9.2", "9", Decimal(0), Method.VETO),
    ]
    units = [Unit(f"单位{n:02d}", f"类别{n % 2}", n) for n in range(16)]
    names = [f"组{k}" for k in range(6)]
    entries = []
    for unit in units:
        for leaf in leaves[:-1]:
            for name in rng.sample(names, rng.randint(1, 6)):
                if leaf.method is Method.BONUS:
                    entries.append(Entry(unit.name, leaf.code, name,
                                         score=Decimal(rng.randint(0, 4)) / 2))  # fmt: skip
                else:
                    entries.append(Entry(unit.name, leaf.code, name,
                                         deduction=Decimal(rng.randint(0, 6)) / 2))  # fmt: skip
    entries.append(Entry(units[3].name, "1.0", "组1", not_applicable=True))
    entries.append(Entry(units[5].name, "9.2", "组2", veto=True))
    entries.append(Entry(units[5].name, "9.2", "组3"))
    rules = Rules(satisfaction_weight=Decimal("0.2"), top_quota=Decimal("0.3"), bottom_n=2)
    survey = {u.name: Decimal(80 + u.order) for u in units}
    expected = _plain_ranks_changed(leaves, units, entries, rules, survey, names)
    assert ranks_changed_without(leaves, units, entries, rules, survey, names) == expected
    assert any(expected.values())  # the test can tell a wrong answer from a right one
