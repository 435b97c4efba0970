"""A round's rules as it stores them: read from its columns (``rules_of``), written to them,
checked, and its grade bands parsed from the office's text (the window and the command line
both take grades as text)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.errors import UserError
from app.models import Round
from app.scoring.types import (
    DEFAULT_GRADES,
    GradeBand,
    QuotaRounding,
    QuotaScope,
    QuotaTies,
    Rules,
)


def parse_grades(text: str) -> tuple[GradeBand, ...]:
    """ "优秀:90,良好:80,合格:60,不合格:0" -> bands, best first (full-width marks accepted)."""
    bands = []
    for part in text.replace("，", ",").replace("：", ":").split(","):
        if not part.strip():
            continue
        name, sep, minimum = part.partition(":")
        if not sep or not name.strip():
            raise UserError(f"等次设置“{part}”应写成 名称:分数，例如 优秀:90")
        try:
            bands.append(GradeBand(name.strip(), Decimal(minimum.strip())))
        except InvalidOperation:
            raise UserError(f"等次“{name.strip()}”的分数“{minimum.strip()}”不是数字") from None
    if not bands:
        raise UserError("等次设置为空")
    ordered = sorted(bands, key=lambda b: b.minimum, reverse=True)
    if ordered != bands:
        raise UserError("等次须按分数从高到低排列")
    if len({b.name for b in bands}) != len(bands):
        raise UserError("等次名称重复")
    return tuple(bands)


def parse_category_grades(text: str) -> dict[str, tuple[GradeBand, ...]]:
    """One category per line (or separated by ；): "政法部门=优秀:92,良好:80,合格:60,不合格:0".
    Categories not named use the round's general grades."""
    found: dict[str, tuple[GradeBand, ...]] = {}
    for line in text.replace("；", "\n").replace(";", "\n").splitlines():
        if not line.strip():
            continue
        category, sep, bands = line.replace("＝", "=").partition("=")
        if not sep or not category.strip():
            raise UserError(f"分类等次“{line.strip()}”应写成 类别=优秀:90,良好:80,…")
        if category.strip() in found:
            raise UserError(f"类别“{category.strip()}”的等次设置重复")
        found[category.strip()] = parse_grades(bands)
    return found


def rules_of(round_: Round) -> Rules:
    def bands(raw: list[list[str]]) -> tuple[GradeBand, ...]:
        return tuple(GradeBand(name, Decimal(minimum)) for name, minimum in raw)

    return Rules(
        satisfaction_weight=round_.satisfaction_weight,
        bonus_cap=round_.bonus_cap,
        trim_from=round_.trim_from,
        grades=bands(round_.grades) if round_.grades else DEFAULT_GRADES,
        category_grades={k: bands(v) for k, v in (round_.category_grades or {}).items()},
        top_quota=round_.top_quota,
        bottom_n=round_.bottom_n,
        quota_scope=QuotaScope(round_.quota_scope),
        quota_rounding=QuotaRounding(round_.quota_rounding),
        quota_ties=QuotaTies(round_.quota_ties),
        satisfaction_exempt=frozenset(e.unit.name for e in round_.exemptions),
    )


def rules_columns(rules: Rules) -> dict[str, object]:
    """The round's columns that hold its rules (exemptions live in their own table)."""
    return {
        "satisfaction_weight": rules.satisfaction_weight,
        "bonus_cap": rules.bonus_cap,
        "trim_from": rules.trim_from,
        "grades": [[b.name, str(b.minimum)] for b in rules.grades],
        "category_grades": {
            k: [[b.name, str(b.minimum)] for b in v] for k, v in rules.category_grades.items()
        },
        "top_quota": rules.top_quota,
        "bottom_n": rules.bottom_n,
        "quota_scope": str(rules.quota_scope),
        "quota_rounding": str(rules.quota_rounding),
        "quota_ties": str(rules.quota_ties),
    }


def check_rules(rules: Rules) -> None:
    weight = rules.satisfaction_weight
    if weight is not None and not Decimal(0) <= weight <= Decimal(1):
        raise UserError(f"满意度权重应在 0 到 1 之间（例如 0.2），而不是 {weight}")
    if rules.bonus_cap is not None and rules.bonus_cap < 0:
        raise UserError("加分上限不能为负数")
    if rules.trim_from < 3:
        raise UserError("去掉最高最低分的评分人数下限至少为 3")
    if rules.top_quota is not None and not Decimal(0) < rules.top_quota <= Decimal(1):
        raise UserError(f"优秀比例应在 0 到 1 之间（例如 0.3），而不是 {rules.top_quota}")
    if rules.bottom_n < 0:
        raise UserError("排名靠后的数量不能为负数")
