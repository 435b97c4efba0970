"""A framework's rows inside one transaction, shared by its edits and its copy: the framework
by id, its nodes by code and by parent (``Nodes``), a subtree inserted, the stated 满分 read
from the description, and the rule for logging an edit (only frameworks rounds were made from)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.models import Framework, FrameworkNode, Round
from app.services.access.audit import log_change
from app.services.setup.frameworks import TreeNode, node_row

TOTAL = re.compile(r"满分\s*(\d+(?:\.\d+)?)\s*分")


def stated_total(description: str) -> Decimal | None:
    match = TOTAL.search(description or "")
    return Decimal(match.group(1)) if match else None


def find_framework(session: Session, framework_id: int) -> Framework:
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise NotFound("该指标体系已被删除")
    return framework


class Nodes:
    """A framework's node rows, by code and by parent, inside one transaction."""

    def __init__(self, session: Session, framework: Framework) -> None:
        self.session = session
        self.framework = framework
        rows = session.scalars(
            select(FrameworkNode).where(FrameworkNode.framework_id == framework.id)
        ).all()
        self.by_code = {n.code: n for n in rows}
        self.by_id = {n.id: n for n in rows}

    def get(self, code: str) -> FrameworkNode:
        node = self.by_code.get(code)
        if node is None:
            raise NotFound(f"指标体系“{self.framework.name}”中没有编码为“{code}”的指标")
        return node

    def children(self, parent_id: int | None) -> list[FrameworkNode]:
        kids = [n for n in self.by_id.values() if n.parent_id == parent_id]
        return sorted(kids, key=lambda n: (n.sort_order, n.id))

    def renumber(self, kids: list[FrameworkNode]) -> None:
        for order, node in enumerate(kids, start=1):
            node.sort_order = order

    def depth_below(self, node: FrameworkNode) -> int:
        kids = self.children(node.id)
        return 1 + max((self.depth_below(k) for k in kids), default=0)

    def set_level(self, node: FrameworkNode, level: int) -> None:
        node.level = level
        for kid in self.children(node.id):
            self.set_level(kid, level + 1)

    def ancestors(self, node: FrameworkNode) -> list[FrameworkNode]:
        found = []
        while node.parent_id is not None:
            node = self.by_id[node.parent_id]
            found.append(node)
        return found


def log_edit(
    session: Session, framework: Framework, code: str, action: str, old: Any, new: Any
) -> None:
    """Only frameworks that rounds were made from are logged: those edits matter later."""
    used = session.scalar(select(Round.id).where(Round.framework_id == framework.id).limit(1))
    if used is not None:
        log_change(
            session,
            entity="指标体系",
            key=f"{framework.name} {code}".strip(),
            action=action,
            old=old,
            new=new,
        )


def insert_tree(nodes: Nodes, tree: TreeNode, parent: FrameworkNode | None, level: int) -> None:
    if tree.code in nodes.by_code:
        raise UserError(f"编码“{tree.code}”已被指标“{nodes.by_code[tree.code].name}”使用")
    row = node_row(
        tree,
        framework_id=nodes.framework.id,
        parent_id=parent.id if parent else None,
        level=level,
        sort_order=0,
    )
    nodes.session.add(row)
    nodes.session.flush()
    nodes.by_code[row.code] = row
    nodes.by_id[row.id] = row
    for order, child in enumerate(tree.children, start=1):
        insert_tree(nodes, child, row, level + 1)
        nodes.by_code[child.code].sort_order = order
