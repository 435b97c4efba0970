"""A unit's score worked out as a clerk reads it aloud, for its score sheet (PDF and .xlsx):
applicable points, what the leaves earned, 折算, bonus before and after the cap, the
satisfaction mix, the exact final and its one rounding — and whether the 2-decimal figures the
sheet prints, added or mixed by hand, miss the printed total (they may: the total is rounded
once, from exact values)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.scoring.explain import NOT_APPLICABLE, UnitExplanation
from app.scoring.rounding import round_half_up
from app.scoring.types import Method

EXACT_DIGITS = 6  # decimals of an exact value shown before "…"
FINAL_EXACT = "最终得分（精确值）"
ROUNDING = "四舍五入保留两位小数"


@dataclass(frozen=True)
class Calculation:
    lines: tuple[tuple[str, str], ...]  # (what, how it is worked out)
    gap: Decimal  # the largest miss of a by-hand figure against the printed final; 0: none

    @property
    def note(self) -> str:
        """The sheet's footnote, only where adding the printed figures misses the total."""
        if not self.gap:
            return ""
        return (
            "注：各项得分按精确值计算、总分只在最后四舍五入一次，"
            f"故各项相加与总分可能相差 {self.gap:.2f}。"
        )


def two(value: Fraction | Decimal) -> str:
    """A figure as printed: 四舍五入 to two decimals. The one spelling of a score in every
    page, sheet, notice and JSON, so a figure reads the same wherever it is shown."""
    return f"{round_half_up(value, 2):.2f}"


def two_number(value: Fraction | Decimal) -> float:
    """The printed figure as a workbook's number (a cell that adds up like the page reads)."""
    return float(round_half_up(value, 2))


def about(value: Fraction | Decimal) -> str:
    """The printed figure after "=" where it is the exact value, after "≈" where rounded."""
    sign = "=" if Fraction(value) == Fraction(round_half_up(value, 2)) else "≈"
    return f"{sign} {two(value)}"


def exact_decimal(value: Fraction | Decimal, digits: int = EXACT_DIGITS) -> str:
    """The exact value in decimals, at least two; cut (not rounded) after ``digits`` with "…"
    when it goes on, so that the rounding shown next to it is the only one."""
    exact = Fraction(value)
    sign = "-" if exact < 0 else ""
    exact = abs(exact)
    whole, rest = divmod(exact.numerator, exact.denominator)
    figures = ""
    while rest and len(figures) < digits:
        rest *= 10
        figure, rest = divmod(rest, exact.denominator)
        figures += str(figure)
    figures = figures.ljust(2, "0")
    return f"{sign}{whole}.{figures}{'…' if rest else ''}"


def points(value: Decimal) -> str:
    """Points as written: 95, 2.5."""
    return f"{value.normalize():f}"


def share(weight: Decimal) -> str:
    """A weight as a percentage: 0.2 -> 20%."""
    return f"{(weight * 100).normalize():f}%"


def unit_calculation(
    x: UnitExplanation,
    full_marks: Decimal,
    bonus_cap: Decimal | None = None,
    *,
    area_subtotals: bool = True,
) -> Calculation:
    """The lines and the rounding gap; ``area_subtotals``: the sheet also prints each area's
    subtotal (the score sheets do, the 初步结果 workbook lists only the leaves)."""
    r = x.result
    lines: list[tuple[str, str]] = []
    applicable = r.applicable_points
    left_out = full_marks - applicable
    if not applicable:
        lines.append(("适用指标分值", "0（无适用指标）"))
    elif left_out:
        lines.append(
            ("适用指标分值", f"{points(applicable)}（满分 {points(full_marks)}，"
             f"不适用指标 {points(left_out)} 分不计）")
        )  # fmt: skip
    else:
        lines.append(("适用指标分值", f"{points(applicable)}（全部指标适用）"))
    lines.append(("指标得分合计", f"{about(x.earned)}（各指标得分按精确值相加）"))
    if x.scale is None:
        lines.append(("折算", "无适用指标，基础得分为 0"))
    elif x.scale == 1:
        lines.append(("折算", "全部指标适用，不折算"))
    else:
        lines.append(
            ("折算系数", f"满分 {points(full_marks)} ÷ 适用分值 {points(applicable)} "
             f"= {exact_decimal(x.scale)}")
        )  # fmt: skip
    if x.scale is not None and x.scale != 1:
        lines.append(
            ("基础得分", f"{two(x.earned)} × {points(full_marks)} ÷ {points(applicable)} "
             f"{about(r.base)}")
        )  # fmt: skip
    else:
        lines.append(("基础得分", f"{about(r.base)}"))
    lines.append(("加分", _bonus(x, bonus_cap)))
    lines.append(
        ("考核得分", f"基础得分 + 加分 = {two(r.base)} + {two(r.bonus)} {about(r.assessment)}")
    )
    weight = x.satisfaction_weight
    if weight is not None:
        lines.append(("满意度", _mix(x, weight)))
    lines.append((FINAL_EXACT, exact_decimal(r.final_exact)))
    lines.append((ROUNDING, f"最终得分 {r.final:.2f}"))
    return Calculation(tuple(lines), rounding_gap(x, area_subtotals=area_subtotals))


def _bonus(x: UnitExplanation, cap: Decimal | None) -> str:
    r = x.result
    if not r.bonus_before_cap:
        return "无"
    limit = f"上限 {points(cap)} 分" if cap is not None else "不设上限"
    if r.bonus < r.bonus_before_cap:
        return f"加分项合计 {two(r.bonus_before_cap)}，超过{limit}，按上限计 {two(r.bonus)}"
    return f"加分项合计 {two(r.bonus)}（{limit}）"


def _mix(x: UnitExplanation, weight: Decimal) -> str:
    r = x.result
    if r.satisfaction_exempt:
        return "满意度免测：该单位不参加满意度测评，以考核得分为最终得分"
    if r.satisfaction is None:
        return "满意度缺失：尚无满意度测评结果，暂以考核得分为最终得分"
    return (
        f"考核得分 {two(r.assessment)} × {share(1 - weight)} + 满意度 {two(r.satisfaction)} × "
        f"{share(weight)} {about(r.final_exact)}"
    )


def _printed(value: Fraction | Decimal) -> Fraction:
    return Fraction(round_half_up(value, 2))


def rounding_gap(x: UnitExplanation, *, area_subtotals: bool = True) -> Decimal:
    """How far the printed final is from what a clerk gets from the sheet's printed figures:
    adding the leaf scores (or the area subtotals, or the printed 指标得分合计), scaling,
    adding the bonus and mixing the survey value — each step from 2-decimal figures."""
    r = x.result
    final = Fraction(r.final)
    bonus = _printed(r.bonus)
    # (weight, printed survey value) where the final mixes them in; None: final = assessment
    survey = (
        (Fraction(x.satisfaction_weight), _printed(r.satisfaction))
        if x.satisfaction_weight is not None and r.satisfaction is not None
        else None
    )

    def mix(assessment: Fraction) -> Fraction:
        if survey is None:
            return assessment
        w, value = survey
        return _printed((1 - w) * assessment + w * value)

    def scaled(earned: Fraction) -> Fraction:
        if x.scale is None:
            return Fraction(0)
        return earned if x.scale == 1 else _printed(earned * x.scale)

    counted = [
        leaf.score
        for leaf in x.leaves
        if leaf.score is not None
        and leaf.status != NOT_APPLICABLE
        and leaf.method not in (Method.BONUS, Method.VETO)
    ]
    sums: list[Fraction] = [_sum(map(_printed, counted)), _printed(x.earned)]
    if area_subtotals:
        sums.append(_sum(map(_printed, r.areas.values())))
    by_hand = [mix(scaled(s) + bonus) for s in sums]
    by_hand += [mix(_printed(r.base) + bonus), mix(_printed(r.assessment))]
    gap = max(abs(h - final) for h in by_hand)
    return round_half_up(gap, 2) if gap else Decimal(0)


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))
