"""The rules that decided a round's grades and flags, in one paragraph for the 考核结果通报:
rounding and ties, grade thresholds, the top-grade quota (scope, rounding, ties, and what the
ties did this time), veto, the 排名靠后 flag and the satisfaction survey with its exemptions."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.scoring.calculation import points
from app.scoring.calculation import share as percent
from app.scoring.types import GradeBand, QuotaOutcome, QuotaScope, QuotaTies, Rules
from app.services.review.quota import ROUNDING_WORDS
from app.services.review.results import RoundResults

NAMED_EXEMPTIONS = 3  # more exempt units than this are named by the first three and a count


def rules_paragraph(
    rules: Rules, quotas: Sequence[QuotaOutcome], *, vetoed: int, exempt: Sequence[str]
) -> str:
    """The paragraph; ``vetoed`` counts the round's vetoed units and ``exempt`` names the units
    excused from the survey that take part in it (in the round's order). A rule that decided
    nothing this time (no veto, no quota, no 排名靠后, no survey) is left unsaid."""
    clauses = [_grades(rules)]
    if rules.top_quota is not None:
        clauses += _quota(rules, quotas, vetoed)
    if vetoed:
        lowest = rules.grades[-1].name
        top = f"、不占{rules.grades[0].name}名额" if rules.top_quota is not None else ""
        clauses.append(f"被一票否决的单位评为{lowest}{top}，排在其他单位之后")
    if rules.bottom_n > 0:
        clauses.append(
            f"各类别排名最后{rules.bottom_n}位的单位通报为排名靠后"
            "（并列的一并通报，类别内排名第一的除外）"
        )
    if rules.satisfaction_weight is not None:
        clauses.append(_satisfaction(rules.satisfaction_weight, exempt))
    return "；".join(clauses) + "。"


def _bands(bands: Sequence[GradeBand]) -> str:
    steps = [f"{points(b.minimum)}分及以上为{b.name}" for b in bands[:-1]]
    return "、".join(steps) + f"，其余为{bands[-1].name}"


def _grades(rules: Rules) -> str:
    text = (
        "名次和等次按四舍五入保留两位小数后的最终得分确定，得分相同的名次并列；"
        f"{_bands(rules.grades)}"
    )
    for category, bands in rules.category_grades.items():
        text += f"（“{category or '未分类'}”：{_bands(bands)}）"
    return text


def _quota(rules: Rules, quotas: Sequence[QuotaOutcome], vetoed: int) -> list[str]:
    assert rules.top_quota is not None
    top = rules.grades[0].name
    following = rules.grades[min(1, len(rules.grades) - 1)].name
    by_category = rules.quota_scope is QuotaScope.CATEGORY
    counted = "各类别单位数" if by_category else "全部参加考核的单位数"
    if vetoed:
        counted += "（含被一票否决的单位）"
    share = (
        f"{top}等次按{counted}的{percent(rules.top_quota)}确定名额"
        f"（{ROUNDING_WORDS[rules.quota_rounding]}），"
        f"得分达到{top}但超出名额的单位评为{following}"
    )
    empty = [q for q in quotas if q.places == 0 and q.candidates]
    if empty:
        named = "、".join(_scope(q) for q in empty) if by_category else "全部单位"
        share += f"（本次{named}按此没有{top}名额）"
    if rules.quota_ties is QuotaTies.SHARE:
        ties = f"名额分界处同分的单位并列{top}"
    else:
        ties = f"名额分界处同分的单位若一并评为{top}会超出名额，则均评为{following}"
    happened = [f"{_scope(q)}因并列多评{q.kept - q.places}个" for q in quotas if q.exceeded] + [
        f"{_scope(q)}因此空出{q.unused}个名额" for q in quotas if q.unused
    ]
    if happened:
        ties += f"（本次{'，'.join(happened)}）"
    return [share, ties]


def _scope(quota: QuotaOutcome) -> str:
    """A quota's scope as the paragraph names it: “市直部门”, or nothing for the whole round."""
    return f"“{quota.scope}”" if quota.scope else ""


def _satisfaction(weight: Decimal, exempt: Sequence[str]) -> str:
    text = f"满意度测评占{percent(weight)}，考核得分占{percent(1 - weight)}"
    if not exempt:
        return text
    if len(exempt) == 1:
        who = exempt[0]
    elif len(exempt) <= NAMED_EXEMPTIONS:
        who = f"{'、'.join(exempt)}{len(exempt)}个单位"
    else:
        who = f"{'、'.join(exempt[:NAMED_EXEMPTIONS])}等{len(exempt)}个单位"
    return f"{text}；{who}不参加满意度测评，以考核得分为最终得分"


def rules_words(results: RoundResults) -> str:
    """The 通报's paragraph of the rules that decided grades and flags, for these results."""
    units, rules = results.result.units, results.rules
    exempt = [
        u.unit for u in sorted(units, key=lambda u: u.order) if u.unit in rules.satisfaction_exempt
    ]
    return rules_paragraph(
        rules, results.result.quotas, vetoed=sum(u.veto for u in units), exempt=exempt
    )
