"""Whole indicator systems for the editor: one loaded with its rounds and stated 满分, one
created (blank or copied from another), one deleted; and what the editor shows of a tree: the
next free code under a parent, the parents whose children do not add up."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete, select

from app.errors import UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models import Framework, FrameworkNode, Round
from app.models.database import Database
from app.scoring.tree import counts_toward_parent
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, Done, changes_of
from app.services.setup.framework_rows import Nodes, insert_tree, stated_total
from app.services.setup.frameworks import TreeNode, framework_named, framework_tree


@dataclass
class EditableFramework:
    id: int
    name: str
    stated_total: Decimal | None  # the 满分 the office states, checked against the roots' sum
    rounds: list[str]  # rounds created from it (they keep their own copy)
    roots: list[TreeNode] = field(default_factory=list)


def load_framework(db: Database, name: str) -> EditableFramework:
    with db.reading() as session:
        framework = framework_named(session, name)
        rounds = session.scalars(select(Round.name).where(Round.framework_id == framework.id))
        return EditableFramework(
            framework.id,
            framework.name,
            stated_total(framework.description),
            list(rounds),
            framework_tree(framework.nodes),
        )


def create_framework(db: Database, name: str, *, copy_of: str | None = None) -> Done[int]:
    """A blank framework, or a copy of another (e.g. to start next year's from this year's)."""
    require(Permission.MANAGE_SETUP)
    name = checked(name, text_rules.FRAMEWORK)
    if not name:
        raise UserError("指标体系名称不能为空")
    with db.transaction() as session:
        if session.scalar(select(Framework.id).where(Framework.name == name)) is not None:
            raise UserError(f"指标体系“{name}”已存在")
        framework = Framework(name=name)
        if copy_of is not None:
            source = framework_named(session, copy_of)
            framework.description = source.description
        session.add(framework)
        session.flush()
        if copy_of is not None:
            nodes = Nodes(session, framework)
            for order, tree in enumerate(framework_tree(source.nodes), start=1):
                insert_tree(nodes, tree, None, 1)
                nodes.by_code[tree.code].sort_order = order
        log_change(
            session,
            entity="指标体系",
            key=name,
            action="复制" if copy_of else "新建",
            old=copy_of,
            new=name,
        )
        return Done(framework.id, changes_of(session))


def delete_framework(db: Database, name: str) -> Changes:
    """Rounds made from it keep their frozen copies (their link is cleared)."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = framework_named(session, name)
        session.execute(delete(FrameworkNode).where(FrameworkNode.framework_id == framework.id))
        session.expire(framework, ["nodes"])
        session.delete(framework)
        log_change(session, entity="指标体系", key=name, action="删除", old=name, new=None)
        return changes_of(session)


def new_code(roots: list[TreeNode], parent: TreeNode | None) -> str:
    """The next free code under a parent: "2.3" after "2.1", "2.2"; unique in the tree."""
    used = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        used.add(node.code)
        stack += node.children
    prefix = f"{parent.code}." if parent else ""
    number = len(parent.children if parent else roots) + 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


@dataclass(frozen=True)
class Imbalance:
    """A parent whose children do not add up to its stated points."""

    code: str
    stated: Decimal
    children_sum: Decimal


def imbalances(roots: list[TreeNode]) -> dict[str, Imbalance]:
    """Every parent whose scoring children's points differ from its own (bonus and veto
    leaves stand outside the sum)."""
    found: dict[str, Imbalance] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.children:
            inner = sum((c.points for c in node.children if counts_toward_parent(c)), Decimal(0))
            if inner != node.points:
                found[node.code] = Imbalance(node.code, node.points, inner)
            stack += node.children
    return found
