"""`check`: is the file sound, and does every tree add up?"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.models import Framework, FrameworkNode, Round, RoundNode, ScoreEntry
from app.models.database import Database
from app.scoring.tree import NON_SCORING_METHODS
from app.scoring.types import Method

METHODS = {m.value for m in Method}


def tree_problems(owner: str, nodes: list[Any]) -> list[str]:
    """Parents equal the sum of their scoring children; methods are known; codes unique."""
    problems: list[str] = []
    children: dict[int | None, list[Any]] = defaultdict(list)
    codes: set[str] = set()
    for node in nodes:
        children[node.parent_id].append(node)
        if node.code in codes:
            problems.append(f"{owner}：编码 {node.code} 重复")
        codes.add(node.code)
        if node.method not in METHODS:
            problems.append(f"{owner}：指标 {node.code} 的评分方式“{node.method}”无效")
        if node.points < 0:
            problems.append(f"{owner}：指标 {node.code} 的分值为负数")
    for node in nodes:
        kids = children.get(node.id)
        if not kids:
            continue
        total = sum(
            (k.points for k in kids if k.method not in NON_SCORING_METHODS or children.get(k.id)),
            Decimal(0),
        )
        if total != node.points:
            problems.append(
                f"{owner}：指标 {node.code}“{node.name}”分值 {node.points} "
                f"与下级合计 {total} 不一致"
            )
    return problems


def check_database(db: Database) -> list[str]:
    from app.services.access.state_verify import verify_database

    problems: list[str] = []
    with db.reading() as session:
        connection = session.connection()
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        if integrity != ["ok"]:
            problems.extend(f"数据库完整性：{line}" for line in integrity)
        for row in connection.exec_driver_sql("PRAGMA foreign_key_check").all():
            problems.append(f"外键不一致：表 {row[0]} 第 {row[1]} 行引用 {row[2]}")
        for framework in session.scalars(select(Framework)):
            nodes = list(
                session.scalars(
                    select(FrameworkNode).where(FrameworkNode.framework_id == framework.id)
                )
            )
            problems.extend(tree_problems(f"指标体系“{framework.name}”", nodes))
        for round_ in session.scalars(select(Round)):
            nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
            problems.extend(tree_problems(f"考核批次“{round_.name}”", nodes))
            parents = {n.parent_id for n in nodes}
            node_ids = {n.id for n in nodes}
            for entry in session.scalars(
                select(ScoreEntry).where(ScoreEntry.round_id == round_.id)
            ):
                if entry.node_id not in node_ids:
                    problems.append(f"考核批次“{round_.name}”：评分 {entry.id} 指向其他批次的指标")
                elif entry.node_id in parents:
                    problems.append(f"考核批次“{round_.name}”：评分 {entry.id} 打在非末级指标上")
        triggers = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='trigger'"
            ).scalars()
        )
        for name in ("change_log_no_update", "change_log_no_delete"):
            if name not in triggers:
                problems.append(f"变更记录保护触发器 {name} 缺失")
    verification = verify_database(db)  # issue 15 §1: the log, and the state against it
    if verification.chain.first_broken is not None:
        problems.append(f"变更记录链校验失败：{verification.chain.problem}")
    if verification.state is not None and not verification.state.ok:
        problems.append("数据与变更记录不一致：数据在程序之外被改动")
        problems.extend(verification.state.summary(limit=50))
    return problems
