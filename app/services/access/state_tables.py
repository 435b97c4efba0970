"""What the sealed state is made of (issue 15 §1): the kinds of group, and for each kind the
tables, the columns that pick a row's group (round, unit, or a bucket of ids) and the columns
sealed, with their labels for a person; and the group keys built from them. Sealing and
verifying (state_seal, state_verify) read the database through these definitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCORES = "评分"  # per round, unit and assessor
SATISFACTION = "满意度"  # per round: survey values and exemptions
STAGES = "阶段得分"  # per round
OBJECTIONS = "申辩"  # per round
ROUND = "批次"  # per round: status, rules, deadlines, frozen tree, units, assignments
ACCOUNTS = "账户"  # one group
NOTICES = "文书"  # per BUCKET notices (by id)
LEDGER = "台账"  # per BUCKET problems (by id), with their events
EVIDENCE = "佐证"  # per round and unit: the files attached (by hash) and the reviews (issue 19)
KINDS = (SCORES, SATISFACTION, STAGES, OBJECTIONS, ROUND, ACCOUNTS, NOTICES, LEDGER, EVIDENCE)
ROUND_KINDS = (SCORES, SATISFACTION, STAGES, OBJECTIONS, ROUND, EVIDENCE)
# Notices and problems are sealed in buckets of this many ids: a group per problem would make
# thousands of seals to hash at every commit, one per year would reread the whole ledger at
# every step of one problem.
BUCKET = 64

Prefix = tuple[int, ...]  # the leading parts of a group's key: () is the whole kind


@dataclass(frozen=True)
class Table:
    """One table's share of a kind: which columns pick the group, and the row's columns."""

    name: str
    kind: str
    scope: tuple[str, ...]  # SQL expressions giving the group's key parts (round, unit / year)
    columns: tuple[str, ...]  # SQL expressions of the row; the first ``identity`` name it
    labels: tuple[str, ...]  # the columns as a person reads them
    identity: int
    source: str = ""  # FROM clause, when not just the table
    tagged: bool = True  # rows carry the table's name (a group made of several tables)

    def sql(self, where: str) -> str:
        columns = ", ".join((*self.scope, *self.columns))
        return f"SELECT {columns} FROM {self.source or self.name}{where}"


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TABLES: dict[str, tuple[Table, ...]] = {
    SCORES: (
        Table(
            "score_entries",
            SCORES,
            # One group per assessor's share of a unit: on a server an 评分人 reads only their
            # own rows (row-level security), and must seal exactly what they can read.
            ("round_id", "unit_id", "assessor_id"),
            words("node_id assessor_id deduction score answer measured not_applicable veto reason"),
            words("指标 评分人 扣分 得分 是否 实际值 不适用 否决 理由"),
            2,
            tagged=False,
        ),
    ),
    SATISFACTION: (
        Table(
            "satisfaction_results",
            SATISFACTION,
            ("round_id",),
            words("unit_id score votes"),
            words("单位 满意度得分 票数"),
            1,
        ),
        Table(
            "satisfaction_exemptions",
            SATISFACTION,
            ("round_id",),
            words("unit_id reason"),
            words("免测单位 免测理由"),
            1,
        ),
    ),
    STAGES: (
        Table(
            "stage_scores",
            STAGES,
            ("round_id",),
            words("unit_id stage final leaves"),
            words("单位 阶段 最终得分 各指标得分"),
            2,
        ),
    ),
    OBJECTIONS: (
        Table(
            "objections",
            OBJECTIONS,
            ("round_id",),
            words(
                "id unit_id node_id reason requested score_before status new_score decision "
                "filed_by reviewed_by"
            ),
            words("申辩 单位 指标 申辩理由 申请分数 原得分 状态 复核后得分 复核意见 申辩人 复核人"),
            1,
        ),
    ),
    ROUND: (
        Table(
            "rounds",
            ROUND,
            ("id",),
            words(
                "id name year framework_name status satisfaction_weight bonus_cap trim_from "
                "grades category_grades top_quota bottom_n quota_scope quota_rounding quota_ties "
                "scoring_due objection_due publication_due published_at"
            ),
            words(
                "批次 名称 年度 指标体系 状态 满意度权重 加分上限 去极值人数 等次 分类等次 "
                "优秀比例 末位名额 名额范围 名额取整 并列规则 评分截止 申辩截止 公示截止 发布时间"
            ),
            1,
        ),
        Table(
            "round_nodes",
            ROUND,
            ("round_id",),
            words(
                "code id parent_id name level sort_order points method parameters tiers standard "
                "content assessment_method lead_department categories"
            ),
            words(
                "指标 编号 上级 名称 层级 顺序 分值 评分方式 参数 分档 评分标准 考核内容 "
                "考核方法 牵头部门 适用类别"
            ),
            1,
        ),
        Table(
            "round_units",
            ROUND,
            ("round_id",),
            words("unit_id category_name sort_order"),
            words("考核对象 类别 顺序"),
            1,
        ),
        Table(
            "assignments",
            ROUND,
            ("round_id",),
            words("assessor_id node_id unit_id"),
            words("分工评分人 分工指标 分工单位"),
            3,
        ),
    ),
    ACCOUNTS: (
        Table(
            "accounts",
            ACCOUNTS,
            (),
            words(
                "username display_name role assessor_id password_hash must_change_password active"
            ),
            words("账户 显示名 角色 评分人 密码 须改密码 启用"),
            1,
        ),
    ),
    NOTICES: (
        Table(
            "notices",
            NOTICES,
            (f"id / {BUCKET}",),
            words(
                "number kind year serial unit_id title issued_on plan_due result_due pdf_sha256 "
                "pdf_name content status withdraw_reason issued_by"
            ),
            words(
                "文号 类型 年度 序号 单位 标题 印发日期 方案期限 完成期限 文件摘要 文件名 内容 "
                "状态 撤回理由 印发人"
            ),
            1,
        ),
    ),
    LEDGER: (
        Table(
            "problems",
            LEDGER,
            (f"id / {BUCKET}",),
            words(
                "number year serial source source_ref source_key unit_id co_units description "
                "found_on notice_number plan_due result_due measures person status"
            ),
            words(
                "问题 年度 序号 来源 来源说明 来源键 单位 协办单位 问题描述 发现日期 通知文号 "
                "方案期限 完成期限 整改措施 责任人 状态"
            ),
            1,
        ),
        Table(
            "problem_events",
            LEDGER,
            (f"e.problem_id / {BUCKET}",),
            words('p.number e.at e.kind e.text e.evidence e."user" e.from_status e.to_status'),
            words("问题 时间 事项 说明 佐证 操作人 原状态 新状态"),
            3,
            source="problem_events e JOIN problems p ON p.id = e.problem_id",
        ),
    ),
    EVIDENCE: (
        Table(
            "evidence_attachments",
            EVIDENCE,
            ("a.round_id", "a.unit_id"),
            words("a.node_id a.name f.sha256 f.size"),
            words("指标 文件名 SHA-256 大小"),
            2,
            source="evidence_attachments a JOIN evidence_files f ON f.id = a.file_id",
        ),
        Table(
            "evidence_reviews",
            EVIDENCE,
            ("round_id", "unit_id"),
            words("node_id status missing due reviewed_by"),
            words("指标 审核 缺少的材料 补充期限 审核人"),
            1,
        ),
    ),
}
TABLE_OF = {table.name: table for tables in TABLES.values() for table in tables}
KIND_OF_TABLE = {table.name: table.kind for table in TABLE_OF.values()}
SNAPSHOT_KINDS = frozenset(KINDS) - {SCORES}  # scores are named from the change log instead
PASSWORD = "password_hash"


def group_key(kind: str, parts: Iterable[Any]) -> str:
    return "/".join((kind, *(str(p) for p in parts)))


def key_parts(key: str) -> tuple[str, Prefix]:
    kind, *parts = key.split("/")
    return kind, tuple(int(p) for p in parts)


def covers(prefix: Prefix, parts: Prefix) -> bool:
    return parts[: len(prefix)] == prefix
