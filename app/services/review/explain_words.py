"""A unit's calculation in words a clerk can read aloud, from its UnitExplanation (no Qt), for the
window, the command line and the score sheets alike."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from app.scoring.explain import NOT_APPLICABLE, SCORED, UNSCORED, VETOED, UnitExplanation
from app.scoring.types import MISSING_SURVEY, NOTHING_APPLIES, Method
from app.scoring.types import UNSCORED as UNSCORED_REASON

COUNTED = (Method.DEDUCT, Method.SCORE, Method.YES_NO, Method.TIER)  # in 折算 and the areas
MAX_DECIMALS = 6  # a longer exact decimal reads better as a fraction
LISTED = 10  # leaf codes named in one sentence before "等"


def figure(value: Fraction | Decimal | int) -> str:
    """A value as read aloud: its exact decimal where it has one ("82.5", "86"), else four
    decimals and an ellipsis, then the exact fraction: "86.8421…（= 1650/19）"."""
    exact = Fraction(value)
    sign = "-" if exact < 0 else ""
    p, q = abs(exact.numerator), exact.denominator
    digits = _decimals(q)
    if digits is not None and digits <= MAX_DECIMALS:
        whole, rest = divmod(p * 10**digits // q, 10**digits)
        return f"{sign}{whole}" + (f".{rest:0{digits}d}" if digits else "")
    shown = p * 10**4 // q
    return f"{sign}{shown // 10**4}.{shown % 10**4:04d}…（= {sign}{p}/{q}）"


def _decimals(denominator: int) -> int | None:
    """How many decimals 1/denominator needs, or None when its decimal never ends."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def percent(value: Fraction | Decimal) -> str:
    return f"{figure(Fraction(value) * 100)}%"


def explanation_lines(x: UnitExplanation) -> list[str]:
    """The calculation from the leaves to the published final, one sentence a line."""
    return [
        _leaves_line(x),
        *_trim_lines(x),
        _base_line(x),
        _assessment_line(x),
        _mix_line(x),
        _rounding_line(x),
        *_flag_lines(x),
    ]


def _codes(codes: list[str]) -> str:
    named = "、".join(codes[:LISTED])
    return named + ("等" if len(codes) > LISTED else "")


def _leaves_line(x: UnitExplanation) -> str:
    counted = [leaf for leaf in x.leaves if leaf.method in COUNTED]
    scored = [leaf for leaf in counted if leaf.status in (SCORED, VETOED)]
    parts = [f"评分 {len(scored)} 项"]
    untouched = [leaf for leaf in scored if leaf.method is Method.DEDUCT and not leaf.assessors]
    if untouched:
        parts[0] += f"（其中扣分项无人扣分的 {len(untouched)} 项按满分计）"
    unscored = [leaf for leaf in counted if leaf.status == UNSCORED]
    if unscored:
        parts.append(f"未评 {len(unscored)} 项（计 0 分）")
    excluded = [leaf for leaf in counted if leaf.status == NOT_APPLICABLE]
    if excluded:
        points = sum((leaf.points for leaf in excluded), Decimal(0))
        parts.append(f"不适用 {len(excluded)} 项（共 {figure(points)} 分，不计入适用分值）")
    return f"计分指标 {len(counted)} 项：" + "，".join(parts) + "。"


def _trim_lines(x: UnitExplanation) -> list[str]:
    trimmed = [leaf for leaf in x.leaves if any(a.trimmed for a in leaf.assessors)]
    several = [leaf for leaf in x.leaves if len(leaf.assessors) > 1]
    enough = f" {x.trim_from} 位及以上" if x.trim_from else "多位"
    if trimmed:
        return [
            f"其中 {len(trimmed)} 项有{enough}评分人，去掉一个最高分、一个最低分后取平均"
            "（表中划线的分值）；其余各项取评分人的平均分。"
        ]
    if several:
        fewer = f"（评分人少于 {x.trim_from} 位，不去掉最高分和最低分）" if x.trim_from else ""
        return [f"有多位评分人的 {len(several)} 项取评分人的平均分{fewer}。"]
    return []


def _base_line(x: UnitExplanation) -> str:
    r = x.result
    if x.scale is None:
        return "本单位没有适用的计分指标，基础分为 0。"
    points = r.applicable_points
    full = x.scale * Fraction(points)
    earned = f"适用指标分值合计 {figure(points)} 分，得分 {figure(x.earned)}"
    if x.scale == 1:
        return f"{earned}；适用分值即满分，不折算，基础分 {figure(r.base)}。"
    factor = f"{figure(full)}/{figure(points)}"
    return (
        f"{earned}；折算系数 = 满分 {figure(full)} ÷ 适用分值 {figure(points)} = {factor}；"
        f"基础分 = {figure(x.earned)} × {factor} = {figure(r.base)}。"
    )


def _assessment_line(x: UnitExplanation) -> str:
    r = x.result
    before, bonus = r.bonus_before_cap, r.bonus
    if not before:
        return f"无加分；考核得分 = 基础分 = {figure(r.assessment)}。"
    if bonus < before:
        added = f"加分 {figure(before)} 分（封顶 {figure(bonus)} 分，计 {figure(bonus)} 分）"
    elif x.bonus_cap is not None:
        added = f"加分 {figure(bonus)} 分（未超过封顶 {figure(x.bonus_cap)} 分）"
    else:
        added = f"加分 {figure(bonus)} 分"
    return (
        f"{added}；考核得分 = 基础分 + 加分 = {figure(r.base)} + {figure(bonus)}"
        f" = {figure(r.assessment)}。"
    )


def _mix_line(x: UnitExplanation) -> str:
    r = x.result
    weight = x.satisfaction_weight
    if weight is None:
        return f"本批次不计满意度：最终得分 = 考核得分 = {figure(r.final_exact)}。"
    if r.satisfaction_exempt:
        return f"满意度免测（不参加满意度测评）：最终得分 = 考核得分 = {figure(r.final_exact)}。"
    if r.satisfaction is None:
        return (
            f"满意度缺失：最终得分暂按考核得分计 = {figure(r.final_exact)}，"
            "补录满意度前结果不完整。"
        )
    return (
        f"满意度 {figure(r.satisfaction)} × {percent(weight)} + "
        f"考核得分 {figure(r.assessment)} × {percent(1 - Fraction(weight))}"
        f" = 最终得分 {figure(r.final_exact)}。"
    )


def _rounding_line(x: UnitExplanation) -> str:
    r = x.result
    if Fraction(r.final) == r.final_exact:
        return f"最终得分 {r.final:.2f}（精确值，无需舍入）。"
    return (
        f"最终得分精确值 {figure(r.final_exact)}，四舍五入保留两位小数为 {r.final:.2f}"
        "（此前各步均不舍入，只舍入这一次）。"
    )


def _flag_lines(x: UnitExplanation) -> list[str]:
    r = x.result
    lines = []
    if r.veto:
        vetoed = [leaf for leaf in x.leaves if leaf.status == VETOED]
        by = sorted({a.assessor for leaf in vetoed for a in leaf.assessors})
        lines.append(
            f"一票否决：指标 {_codes([leaf.code for leaf in vetoed])} 被评为否决"
            f"（{'、'.join(by)}），等次为{r.grade or '最低等次'}，排在未被否决的单位之后。"
        )
    reasons = []
    for reason in r.incomplete:
        if reason == UNSCORED_REASON:
            codes = [leaf.code for leaf in x.leaves if leaf.status == UNSCORED]
            reasons.append(f"未评 {len(codes)} 项（{_codes(codes)}）")
        elif reason == NOTHING_APPLIES:
            reasons.append("无适用指标")
        elif reason == MISSING_SURVEY:
            reasons.append("满意度缺失")
        else:
            reasons.append(reason)
    if reasons:
        lines.append("结果不完整：" + "；".join(reasons) + "。")
    return lines
