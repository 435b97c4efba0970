"""The sealed state (issue 15 §1): what the results and the published record are made of, as
groups of rows with a SHA-256 digest each, kept in ``state_seals``; the digest of all of them is
carried by the change log's last record (app.services.access.sealing writes both at every commit).

A group's digest is taken over its rows in a canonical text form: each row the literal (repr)
of a tuple of the values exactly as the database holds them (no ORM conversion, so a value the
program would refuse to read still digests, and is reported), rows sorted, joined by newlines.
Row ids are left out where another column names the row, so deleting and re-adding the same
rows (as an import does) leaves a digest unchanged. Volatile columns (when a row was entered, failed
sign-ins, a lock-out) are left out: they change without changing any result.
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from app.models import StateSeal

SCORES = "评分"  # per round and unit
SATISFACTION = "满意度"  # per round: survey values and exemptions
STAGES = "阶段得分"  # per round
OBJECTIONS = "申辩"  # per round
ROUND = "批次"  # per round: status, rules, deadlines, frozen tree, units, assignments
ACCOUNTS = "账户"  # one group
NOTICES = "文书"  # per BUCKET notices (by id)
LEDGER = "台账"  # per BUCKET problems (by id), with their events
KINDS = (SCORES, SATISFACTION, STAGES, OBJECTIONS, ROUND, ACCOUNTS, NOTICES, LEDGER)
ROUND_KINDS = (SCORES, SATISFACTION, STAGES, OBJECTIONS, ROUND)
EMPTY_STATE = hashlib.sha256(b"").hexdigest()
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
            ("round_id", "unit_id"),
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


@dataclass(frozen=True)
class Group:
    key: str
    digest: str
    rows: int
    snapshot: str | None


def _text(value: Any) -> str:
    """A date, time or Decimal (as PostgreSQL's driver hands them back) as its text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _plain(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        v if v is None or isinstance(v, (str, int, float, bytes)) else _text(v) for v in values
    )


def _line(table: Table, values: tuple[Any, ...], plain: bool = True) -> str:
    """A row as the literal of its values (SQLite hands back only str, int, float and None:
    repr is exact, unambiguous, and two to three times faster than JSON)."""
    if not plain:
        values = _plain(values)
    if table.name == "accounts":  # the hash of a hash: enough to see a password replaced
        row = list(values)
        index = table.columns.index(PASSWORD)
        row[index] = hashlib.sha256(str(row[index]).encode()).hexdigest()[:16]
        values = tuple(row)
    return repr((table.name, *values) if table.tagged else values)


def parse_line(line: str) -> tuple[Table, list[Any]]:
    row = list(ast.literal_eval(line))
    if row and isinstance(row[0], str) and row[0] in TABLE_OF and TABLE_OF[row[0]].tagged:
        return TABLE_OF[row[0]], row[1:]
    return TABLES[SCORES][0], row


def _where(table: Table, prefixes: list[Prefix]) -> str:
    """The WHERE clause that reads exactly the groups under ``prefixes`` (any () reads all).
    The key parts are integers, written into the statement as such (int() on each)."""
    if not prefixes or any(not p for p in prefixes) or not table.scope:
        return ""

    def listed(values: Iterable[int]) -> str:
        return ", ".join(str(int(v)) for v in sorted(values))

    conditions = []
    whole = {p[0] for p in prefixes if len(p) == 1}
    if whole:
        conditions.append(f"{table.scope[0]} IN ({listed(whole)})")
    narrower: dict[int, set[int]] = defaultdict(set)
    for prefix in prefixes:
        if len(prefix) == 2 and prefix[0] not in whole:
            narrower[prefix[0]].add(prefix[1])
    for first, seconds in sorted(narrower.items()):
        conditions.append(
            f"({table.scope[0]} = {int(first)} AND {table.scope[1]} IN ({listed(seconds)}))"
        )
    return " WHERE " + " OR ".join(conditions)


def read_lines(
    connection: Connection, kind: str, prefixes: list[Prefix] | None = None
) -> dict[str, list[str]]:
    """Each group's canonical rows, one query per table of the kind, through the driver's own
    cursor (a third faster than result rows) in the connection's transaction."""
    lines: dict[str, list[str]] = defaultdict(list)
    plain = connection.dialect.name == "sqlite"
    for table in TABLES[kind]:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(table.sql(_where(table, prefixes or [()])))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        width = len(table.scope)
        keys: dict[tuple[Any, ...], list[str]] = {}
        for row in rows:
            scope = tuple(row[:width])
            found = keys.get(scope)
            if found is None:
                found = keys[scope] = lines[group_key(kind, scope)]
            found.append(_line(table, tuple(row[width:]), plain))
    return lines


def digest_of(lines: list[str]) -> tuple[str, str]:
    body = "\n".join(sorted(lines))
    return hashlib.sha256(body.encode("utf-8")).hexdigest(), body


def compute(
    connection: Connection, kind: str, prefixes: list[Prefix] | None = None
) -> dict[str, Group]:
    """The groups under ``prefixes`` as the database holds them now (absent: no rows)."""
    groups = {}
    for key, lines in read_lines(connection, kind, prefixes).items():
        digest, body = digest_of(lines)
        groups[key] = Group(key, digest, len(lines), body if kind in SNAPSHOT_KINDS else None)
    return groups


def depth(kind: str) -> int:
    """How many parts a group's key has after its kind (2 for scores: round and unit)."""
    return len(TABLES[kind][0].scope)


def sealed(
    connection: Connection, kind: str | None = None, prefixes: list[Prefix] | None = None
) -> dict[str, Group]:
    """The seals under ``prefixes`` (all of the kind, or every seal when kind is None)."""
    table = StateSeal.__table__
    query = select(table.c.group_key, table.c.digest, table.c.rows, table.c.snapshot)
    if kind is not None and (not prefixes or any(not p for p in prefixes)):
        query = query.where(
            (table.c.group_key == kind) | table.c.group_key.startswith(kind + "/", autoescape=True)
        )
    elif kind is not None:
        assert prefixes is not None
        exact = [group_key(kind, p) for p in prefixes if len(p) == depth(kind)]
        under = [group_key(kind, p) + "/" for p in prefixes if len(p) < depth(kind)]
        conditions = [table.c.group_key.startswith(u, autoescape=True) for u in under]
        for start in range(0, len(exact), 500):
            conditions.append(table.c.group_key.in_(exact[start : start + 500]))
        query = query.where(or_(*conditions))
    return {
        key: Group(key, digest, rows, snapshot)
        for key, digest, rows, snapshot in connection.execute(query)
    }


def groups_under(
    connection: Connection, kind: str, prefixes: list[Prefix]
) -> tuple[dict[str, Group], dict[str, Group]]:
    """(now, sealed) for the groups under ``prefixes``."""
    return compute(connection, kind, prefixes), sealed(connection, kind, prefixes)


def write_seals(connection: Connection, groups: list[Group], removed: list[str]) -> None:
    table = StateSeal.__table__
    keys = [g.key for g in groups] + removed
    for start in range(0, len(keys), 500):
        connection.execute(delete(table).where(table.c.group_key.in_(keys[start : start + 500])))
    if groups:
        connection.execute(
            insert(table),
            [
                {"group_key": g.key, "digest": g.digest, "rows": g.rows, "snapshot": g.snapshot}
                for g in groups
            ],
        )


def reseal(
    connection: Connection, kind: str, prefixes: list[Prefix], keep: set[str] = frozenset()
) -> list[str]:
    """Seal the groups under ``prefixes`` as they are now, except those in ``keep`` (found
    changed behind the program's back before this transaction touched them: their seal stays,
    so a later write never launders an edit made outside). Returns the keys whose seal changed."""
    now, before = groups_under(connection, kind, prefixes)
    changed = [g for key, g in now.items() if key not in keep and before.get(key, None) != g]
    removed = [key for key in before if key not in now and key not in keep]
    write_seals(connection, changed, removed)
    return sorted([g.key for g in changed] + removed)


def whole_digest(connection: Connection) -> str:
    """The state's digest: SHA-256 over every (group, digest) pair in key order."""
    table = StateSeal.__table__
    pairs = sorted(map(tuple, connection.execute(select(table.c.group_key, table.c.digest))))
    body = "".join(f"{key}\t{digest}\n" for key, digest in pairs)
    return hashlib.sha256(body.encode("utf-8")).hexdigest() if pairs else EMPTY_STATE


def seal_everything(connection: Connection) -> list[str]:
    """Seal every group as it is (a migration's first sealing, an administrator's reseal)."""
    changed: list[str] = []
    for kind in KINDS:
        changed += reseal(connection, kind, [()])
    return changed


def all_lines(connection: Connection) -> Iterator[tuple[str, dict[str, list[str]]]]:
    for kind in KINDS:
        yield kind, read_lines(connection, kind)
