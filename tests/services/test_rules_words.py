"""The 通报's paragraph of rules says each option as the round chose it, and what the quota's
ties did this time — worked out from real results of the engine where the quota is involved."""

from __future__ import annotations

from decimal import Decimal as D

from app.scoring.engine import compute_results
from app.scoring.types import (
    GradeBand,
    QuotaOutcome,
    QuotaRounding,
    QuotaScope,
    QuotaTies,
    Rules,
)
from app.services.review.rules_words import rules_paragraph
from tests.scoring.test_engine_fairness import HUNDRED, VETO, scored

QUOTA = D("0.3")


def words(rules: Rules, quotas=(), vetoed: int = 0, exempt=()) -> str:
    return rules_paragraph(rules, list(quotas), vetoed=vetoed, exempt=list(exempt))


def test_the_plain_rules_say_rounding_ties_and_thresholds_and_nothing_unused() -> None:
    text = words(Rules())
    assert text.startswith("名次和等次按四舍五入保留两位小数后的最终得分确定，得分相同的名次并列")
    assert "90分及以上为优秀、80分及以上为良好、60分及以上为合格，其余为不合格" in text
    for unsaid in ("名额", "一票否决", "排名靠后", "满意度"):
        assert unsaid not in text
    assert text.endswith("。") and "\n" not in text  # one paragraph


def test_a_category_with_its_own_thresholds_is_named() -> None:
    bands = (GradeBand("优秀", D(92)), GradeBand("良好", D(80)), GradeBand("不合格", D(0)))
    text = words(Rules(category_grades={"党群部门": bands}))
    assert "（“党群部门”：92分及以上为优秀、80分及以上为良好，其余为不合格）" in text


def test_quota_by_category_floor_share() -> None:
    text = words(Rules(top_quota=QUOTA))
    assert "优秀等次按各类别单位数的30%确定名额（向下取整），" in text
    assert "得分达到优秀但超出名额的单位评为良好" in text
    assert "名额分界处同分的单位并列优秀" in text
    assert "本次" not in text  # no tie exceeded, no place empty


def test_quota_over_the_round_half_up_exclude() -> None:
    rules = Rules(
        top_quota=QUOTA,
        quota_scope=QuotaScope.ROUND,
        quota_rounding=QuotaRounding.HALF_UP,
        quota_ties=QuotaTies.EXCLUDE,
    )
    text = words(rules)
    assert "优秀等次按全部参加考核的单位数的30%确定名额（四舍五入）" in text
    assert "名额分界处同分的单位若一并评为优秀会超出名额，则均评为良好" in text
    assert "各类别单位数" not in text and "并列优秀" not in text


def test_ties_that_exceeded_the_quota_are_said_in_words() -> None:
    # 7 units, 30 %: 2 places; the second and third are tied at the cut
    finals = {"甲": "96", "乙": "94", "丙": "94", "丁": "85", "戊": "80", "己": "70", "庚": "65"}
    units, entries = scored(finals, category="市直部门")
    rules = Rules(top_quota=QUOTA)
    result = compute_results([HUNDRED], units, entries, rules)
    assert [(q.places, q.kept) for q in result.quotas] == [(2, 3)]
    text = words(rules, result.quotas)
    assert "名额分界处同分的单位并列优秀（本次“市直部门”因并列多评1个）" in text


def test_places_a_tie_left_empty_are_said_in_words() -> None:
    finals = {"甲": "96", "乙": "94", "丙": "94", "丁": "85", "戊": "80", "己": "70", "庚": "65"}
    units, entries = scored(finals, category="市直部门")
    rules = Rules(top_quota=QUOTA, quota_ties=QuotaTies.EXCLUDE)
    result = compute_results([HUNDRED], units, entries, rules)
    assert [(q.places, q.kept, q.unused) for q in result.quotas] == [(2, 1, 1)]
    text = words(rules, result.quotas)
    assert "则均评为良好（本次“市直部门”因此空出1个名额）" in text
    rules = Rules(top_quota=QUOTA, quota_ties=QuotaTies.EXCLUDE, quota_scope=QuotaScope.ROUND)
    result = compute_results([HUNDRED], units, entries, rules)
    assert "（本次因此空出1个名额）" in words(rules, result.quotas)  # no scope to name


def test_a_scope_without_places_is_named_when_it_demoted_someone() -> None:
    units, entries = scored({"独局": "100"}, category="独类")
    rules = Rules(top_quota=QUOTA)
    result = compute_results([HUNDRED], units, entries, rules)
    assert "（本次“独类”按此没有优秀名额）" in words(rules, result.quotas)
    nobody = [QuotaOutcome("独类", 1, 0, 0, 0)]  # no candidate: it decided nothing
    assert "没有优秀名额" not in words(rules, nobody)


def test_veto_is_said_only_when_a_unit_was_vetoed() -> None:
    assert "一票否决" not in words(Rules(top_quota=QUOTA), vetoed=0)
    units, entries = scored({"甲": "95", "乙": "91"}, veto=("甲",))
    rules = Rules(top_quota=QUOTA)
    result = compute_results([HUNDRED, VETO], units, entries, rules)
    vetoed = sum(u.veto for u in result.units)
    text = words(rules, result.quotas, vetoed=vetoed)
    assert "被一票否决的单位评为不合格、不占优秀名额，排在其他单位之后" in text
    assert "各类别单位数（含被一票否决的单位）的30%" in text
    without_quota = words(Rules(), vetoed=1)
    assert "被一票否决的单位评为不合格，排在其他单位之后" in without_quota


def test_bottom_flag_only_when_n_is_set() -> None:
    assert "排名靠后" not in words(Rules(bottom_n=0))
    text = words(Rules(bottom_n=2))
    assert "各类别排名最后2位的单位通报为排名靠后（并列的一并通报，类别内排名第一的除外）" in text


def test_satisfaction_weight_and_exemptions() -> None:
    rules = Rules(satisfaction_weight=D("0.2"))
    assert words(rules).endswith("满意度测评占20%，考核得分占80%。")
    one = words(rules, exempt=["市审计局"])
    assert "市审计局不参加满意度测评，以考核得分为最终得分。" in one
    two = words(rules, exempt=["市审计局", "市统计局"])
    assert "市审计局、市统计局2个单位不参加满意度测评" in two
    many = words(rules, exempt=["甲局", "乙局", "丙局", "丁局", "戊局"])
    assert "甲局、乙局、丙局等5个单位不参加满意度测评" in many and "丁局" not in many
    assert "满意度" not in words(Rules(), exempt=["市审计局"])  # no survey in the round


def test_the_paragraph_of_the_issue_example() -> None:
    rules = Rules(
        satisfaction_weight=D("0.2"),
        top_quota=QUOTA,
        bottom_n=2,
        satisfaction_exempt=frozenset({"市XX局", "市YY局"}),
    )
    quotas = [QuotaOutcome("市直部门", 7, 2, 3, 3), QuotaOutcome("县区", 10, 3, 2, 2)]
    text = words(rules, quotas, vetoed=1, exempt=["市XX局", "市YY局"])
    order = [
        "名次和等次",
        "优秀等次按各类别单位数",
        "（本次“市直部门”因并列多评1个）",
        "被一票否决的单位评为不合格",
        "各类别排名最后2位",
        "满意度测评占20%",
        "市XX局、市YY局2个单位不参加满意度测评，以考核得分为最终得分。",
    ]
    assert [text.index(p) for p in order] == sorted(text.index(p) for p in order)
    assert "县区" not in text  # its quota worked out as written
