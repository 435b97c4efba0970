"""Hypothesis: the engine agrees with a deliberately plain Fraction reference on random rounds."""

from __future__ import annotations

import math
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import compute_results
from app.scoring.types import Entry as E
from app.scoring.types import (
    GradeBand,
    Leaf,
    Method,
    QuotaRounding,
    QuotaScope,
    QuotaTies,
    Rules,
    Tier,
    Unit,
)

TIERS = (Tier(D(1), D(1)), Tier(D("0.95"), D("0.8")), Tier(D("0.9"), D("0.5")))
CATEGORIES = ("甲类", "乙类")
ASSESSORS = ("A", "B", "C", "D", "E", "F")
money = st.integers(min_value=0, max_value=400).map(lambda n: D(n) / 20)  # 0..20 in 0.05


def half_up(value: Fraction) -> Fraction:
    scaled = value * 100
    return Fraction(math.floor(scaled + Fraction(1, 2)), 100)


@st.composite
def rounds(draw: st.DrawFn):
    leaves = []
    for index in range(draw(st.integers(1, 6))):
        method = draw(st.sampled_from(list(Method)))
        points = D(0) if method is Method.VETO else draw(money.filter(lambda p: p > 0))
        categories = draw(st.none() | st.just(frozenset({CATEGORIES[0]})))
        leaves.append(
            Leaf(
                f"{index % 2 + 1}.{index}",
                f"{index % 2 + 1}",
                points,
                method,
                TIERS if method is Method.TIER else (),
                categories,
            )
        )
    units = [
        Unit(f"单位{i}", draw(st.sampled_from(CATEGORIES)), i)
        for i in range(draw(st.integers(1, 6)))
    ]
    entries = []
    for unit in units:
        for leaf in leaves:
            for assessor in draw(st.lists(st.sampled_from(ASSESSORS), unique=True, max_size=6)):
                entries.extend(draw(entries_for(unit.name, leaf, assessor)))
    rules = Rules(
        satisfaction_weight=draw(st.none() | st.sampled_from([D("0.1"), D("0.2"), D("0.35")])),
        bonus_cap=draw(st.none() | money),
        trim_from=draw(st.integers(3, 6)),
        top_quota=draw(st.none() | st.sampled_from([D("0.3"), D("0.5")])),
        bottom_n=draw(st.integers(0, 3)),
        quota_scope=draw(st.sampled_from(list(QuotaScope))),
        quota_rounding=draw(st.sampled_from(list(QuotaRounding))),
        quota_ties=draw(st.sampled_from(list(QuotaTies))),
        satisfaction_exempt=frozenset(u.name for u in units if draw(st.integers(0, 4)) == 0),
        grades=(
            GradeBand("优秀", D(90)),
            GradeBand("良好", D(80)),
            GradeBand("合格", D(60)),
            GradeBand("不合格", D(0)),
        ),
    )
    satisfaction = {u.name: draw(money) * 5 for u in units if draw(st.booleans())}
    return leaves, units, entries, rules, satisfaction


@st.composite
def entries_for(draw: st.DrawFn, unit: str, leaf: Leaf, assessor: str) -> list[E]:
    flags = {"not_applicable": draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())}
    if leaf.method is Method.DEDUCT:
        return [
            E(unit, leaf.code, assessor, deduction=draw(money), **flags)
            for _ in range(draw(st.integers(1, 3)))
        ]
    if leaf.method in (Method.SCORE, Method.BONUS):
        value = D(draw(st.integers(0, int(leaf.points * 20)))) / 20
        return [E(unit, leaf.code, assessor, score=value, **flags)]
    if leaf.method is Method.YES_NO:
        return [E(unit, leaf.code, assessor, answer=draw(st.booleans()), **flags)]
    if leaf.method is Method.TIER:
        rate = D(draw(st.integers(80, 105))) / 100
        return [E(unit, leaf.code, assessor, measured=rate, **flags)]
    return [E(unit, leaf.code, assessor, veto=draw(st.booleans()), **flags)]


def assessor_score(leaf: Leaf, mine: list[E]) -> Fraction:
    points = Fraction(leaf.points)
    if leaf.method is Method.DEDUCT:
        return max(Fraction(0), points - sum(Fraction(e.deduction or 0) for e in mine))
    entry = mine[0]
    if leaf.method in (Method.SCORE, Method.BONUS):
        return Fraction(entry.score)
    if leaf.method is Method.YES_NO:
        return points if entry.answer else Fraction(0)
    for tier in leaf.tiers:
        if entry.measured >= tier.threshold:
            return Fraction(tier.fraction) * points
    return Fraction(0)


def reference(leaves, units, entries, rules, satisfaction):
    full = sum(Fraction(f.points) for f in leaves if f.method not in (Method.BONUS, Method.VETO))
    rows = {}
    for unit in units:
        earned = possible = bonus = Fraction(0)
        missing, veto = 0, False
        areas = {f.area_code: Fraction(0) for f in leaves}
        for leaf in leaves:
            mine_all = [e for e in entries if e.unit == unit.name and e.leaf == leaf.code]
            if leaf.categories is not None and unit.category not in leaf.categories:
                continue
            if any(e.not_applicable for e in mine_all):
                continue
            veto = veto or any(e.veto for e in mine_all)
            if leaf.method is Method.VETO:
                continue
            names = sorted({e.assessor for e in mine_all})
            scores = sorted(
                assessor_score(leaf, [e for e in mine_all if e.assessor == a]) for a in names
            )
            if not scores:
                score = Fraction(leaf.points) if leaf.method is Method.DEDUCT else Fraction(0)
                missing += leaf.method in (Method.SCORE, Method.YES_NO, Method.TIER)
            else:
                if len(scores) >= rules.trim_from:
                    scores = scores[1:-1]
                score = sum(scores, Fraction(0)) / len(scores)
            if leaf.method is Method.BONUS:
                bonus += score
                continue
            earned += score
            possible += Fraction(leaf.points)
            areas[leaf.area_code] += score
        base = earned / possible * full if possible else Fraction(0)
        if rules.bonus_cap is not None:
            bonus = min(bonus, Fraction(rules.bonus_cap))
        final = base + bonus
        reasons = []
        exempt = unit.name in rules.satisfaction_exempt
        if rules.satisfaction_weight is not None and not exempt:
            if unit.name in satisfaction:
                w = Fraction(rules.satisfaction_weight)
                final = (1 - w) * final + w * Fraction(satisfaction[unit.name])
            else:
                reasons.append("满意度缺失")
        if missing:
            reasons.append("未评")
        if not possible:
            reasons.append("无适用指标")
        rows[unit.name] = {
            "final": half_up(final),
            "veto": veto,
            "missing": missing,
            "areas": areas,
            "category": unit.category,
            "incomplete": tuple(sorted(reasons)),
        }

    def above(a, b) -> bool:  # a stands above b: not vetoed beats vetoed, then the final
        return (not a["veto"] and b["veto"]) or (a["veto"] == b["veto"] and a["final"] > b["final"])

    names = [b.name for b in rules.grades]
    for row in rows.values():
        row["rank"] = 1 + sum(1 for r in rows.values() if above(r, row))
        peers = [r for r in rows.values() if r["category"] == row["category"]]
        row["category_rank"] = 1 + sum(1 for r in peers if above(r, row))
        same = sum(1 for r in peers if not above(r, row) and not above(row, r))
        n = rules.bottom_n
        row["bottom"] = (
            n > 0 and row["category_rank"] != 1 and row["category_rank"] + same - 1 > len(peers) - n
        )
        by_score = next(b.name for b in rules.grades if row["final"] >= b.minimum)
        row["grade"] = names[-1] if row["veto"] else by_score
    if rules.top_quota is not None:
        scopes = (
            [[r for r in rows.values() if r["category"] == c] for c in CATEGORIES]
            if rules.quota_scope is QuotaScope.CATEGORY
            else [list(rows.values())]
        )
        for scope in scopes:
            share = Fraction(rules.top_quota) * len(scope)
            if rules.quota_rounding is QuotaRounding.FLOOR:
                places = math.floor(share)
            else:
                places = math.floor(share + Fraction(1, 2))
            tops = [r for r in scope if r["grade"] == names[0] and not r["veto"]]
            for row in tops:
                position = 1 + sum(1 for r in tops if r["final"] > row["final"])
                tied = sum(1 for r in tops if r["final"] == row["final"])
                if rules.quota_ties is QuotaTies.EXCLUDE:
                    position += tied - 1
                row["demote"] = position > places
            for row in tops:
                if row.pop("demote"):
                    row["grade"] = names[1]
    return rows


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_engine_matches_reference(data) -> None:
    leaves, units, entries, rules, satisfaction = data
    result = compute_results(leaves, units, entries, rules, satisfaction)
    expected = reference(leaves, units, entries, rules, satisfaction)
    assert len(result.units) == len(units)
    for unit in result.units:
        row = expected[unit.unit]
        assert Fraction(unit.final) == row["final"], unit.unit
        assert (unit.rank, unit.category_rank) == (row["rank"], row["category_rank"])
        assert (unit.grade, unit.veto, unit.bottom, unit.missing) == (
            row["grade"],
            row["veto"],
            row["bottom"],
            row["missing"],
        )
        assert unit.areas == row["areas"]
        assert unit.incomplete == row["incomplete"], unit.unit
    standings = [(u.veto, -u.final) for u in result.units]
    assert standings == sorted(standings)  # vetoed units last, each part by final
