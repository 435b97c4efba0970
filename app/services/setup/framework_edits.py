"""Edit an indicator system node by node, each edit one transaction (the editor's undo calls the
inverse edit): a node's fields, the 适用类别 of many leaves, inserting, removing and moving a
subtree, the stated 满分. Nodes are named by their code, which is unique in a framework and
survives removing and re-inserting a subtree; rounds keep frozen copies, so no edit here moves a
round."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete

from app.errors import UserError
from app.io import cells, text_rules
from app.io.text_rules import checked
from app.io.tiers import TierError, parse_tiers
from app.models import FrameworkNode, UnitCategory
from app.models.database import Database
from app.scoring.types import Method
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, Done, changes_of
from app.services.names import stored_names
from app.services.setup.framework_rows import (
    TOTAL,
    Nodes,
    find_framework,
    insert_tree,
    log_edit,
    stated_total,
)
from app.services.setup.frameworks import TreeNode, framework_tree

MAX_DEPTH = 4  # 一级 … 四级, as many as a 考核细则 sheet has level columns
TEXT_FIELDS = ("name", "standard", "content", "assessment_method", "lead_department")
FIELD_NAMES = {
    "code": "编码",
    "name": "名称",
    "points": "分值",
    "method": "评分方式",
    "parameters": "评分参数",
    "standard": "评分标准",
    "content": "考核内容",
    "assessment_method": "考核方式",
    "lead_department": "牵头单位",
    "categories": "适用类别",
}


def _points(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().removesuffix("分"))
    except InvalidOperation:
        raise UserError(f"分值应为数字，而不是“{value}”") from None
    if not number.is_finite() or number < 0:
        raise UserError(f"分值应为不小于 0 的数字，而不是“{value}”")
    try:
        return cells.plausible(number, str(value))
    except cells.CellError as error:
        raise UserError(f"分值{error}") from None


def _apply(nodes: Nodes, node: FrameworkNode, name: str, value: Any) -> tuple[Any, Any]:
    """Set one field after checking it; returns (old, new) as the change log shows them."""
    if name == "code":
        code = checked(str(value), text_rules.CODE)
        if not code:
            raise UserError("编码不能为空")
        if code != node.code and code in nodes.by_code:
            raise UserError(f"编码“{code}”已被指标“{nodes.by_code[code].name}”使用")
        old = node.code
        del nodes.by_code[old]
        node.code = code
        nodes.by_code[code] = node
        return old, code
    if name == "points":
        old_points, node.points = node.points, _points(value)
        return str(old_points), str(node.points)
    if name == "method":
        try:
            method = Method(str(value).strip())
        except ValueError:
            known = "、".join(m.value for m in Method)
            raise UserError(f"评分方式“{value}”无效（可选：{known}）") from None
        old, node.method = node.method, method.value
        return old, node.method
    if name == "parameters":
        old, node.parameters = node.parameters, str(value).strip()
        return old, node.parameters
    if name == "categories":
        items = value if isinstance(value, (list, tuple)) else re.split(r"[、,，;；]", str(value))
        known = stored_names(nodes.session, UnitCategory)  # as stored, which the engine compares
        categories = list(
            dict.fromkeys(
                known.stored(checked(str(c), text_rules.CATEGORY)) for c in items if str(c).strip()
            )
        )
        old, node.categories = list(node.categories), categories
        return old, categories
    if name in TEXT_FIELDS:
        text = checked(str(value), text_rules.NODE if name == "name" else text_rules.TEXT)
        if name == "name" and not text:
            raise UserError("指标名称不能为空")
        old = getattr(node, name)
        setattr(node, name, text)
        return old, text
    raise UserError(f"不能修改“{name}”")


def _retier(node: FrameworkNode, parameters_given: bool) -> None:
    """Keep the parsed tiers in step with a 分档 leaf's parameters. Switching a leaf to 分档
    drops parameters written for its old method (the undo has them); tiers typed by the user
    must parse."""
    if node.method != Method.TIER.value:
        node.tiers = []
        return
    try:
        tiers = parse_tiers(node.parameters)
    except TierError as exc:
        if not parameters_given or not node.parameters:
            node.parameters, node.tiers = "", []  # the tiers are typed next
            return
        raise UserError(f"分档参数{exc}") from None
    node.tiers = [[str(t.threshold), str(t.fraction)] for t in tiers]


def update_node(db: Database, framework_id: int, code: str, changes: dict[str, Any]) -> Changes:
    """Change fields of one node (e.g. {"points": "5"}); refused whole if any value is wrong."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        nodes = Nodes(session, framework)
        node = nodes.get(code)
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for name, value in changes.items():
            before, after = _apply(nodes, node, name, value)
            if before != after:
                old[FIELD_NAMES[name]], new[FIELD_NAMES[name]] = before, after
        if {"method", "parameters"} & set(changes):
            _retier(node, "parameters" in changes)
        if old:
            log_edit(session, framework, code, "修改指标", old, new)
        return changes_of(session)


def set_categories(db: Database, framework_id: int, categories: dict[str, list[str]]) -> Changes:
    """适用类别 of many leaves at once (分类考核, 共性/个性指标): {code: categories}."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        nodes = Nodes(session, framework)
        changed = {}
        for code, wanted in categories.items():
            node = nodes.get(code)
            before, after = _apply(nodes, node, "categories", wanted)
            if before != after:
                changed[code] = (before, after)
        if changed:
            log_edit(
                session,
                framework,
                "",
                "修改适用类别",
                {c: b for c, (b, _) in changed.items()},
                {c: a for c, (_, a) in changed.items()},
            )
        return changes_of(session)


def _check_depth(nodes: Nodes, parent: FrameworkNode | None, height: int) -> int:
    level = 1 if parent is None else parent.level + 1
    if level + height - 1 > MAX_DEPTH:
        raise UserError(f"指标最多分 {MAX_DEPTH} 级")
    return level


def _check_names(tree: TreeNode) -> None:
    checked(tree.name, text_rules.NODE)
    checked(tree.code, text_rules.CODE)
    for child in tree.children:
        _check_names(child)


def _height(tree: TreeNode) -> int:
    return 1 + max((_height(c) for c in tree.children), default=0)


def insert_node(
    db: Database, framework_id: int, parent_code: str | None, position: int, tree: TreeNode
) -> Changes:
    """Insert a node (with its subtree) as the parent's child number position (0-based)."""
    require(Permission.MANAGE_SETUP)
    if not tree.name.strip():
        raise UserError("指标名称不能为空")
    _check_names(tree)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        nodes = Nodes(session, framework)
        parent = nodes.get(parent_code) if parent_code else None
        level = _check_depth(nodes, parent, _height(tree))
        siblings = nodes.children(parent.id if parent else None)
        insert_tree(nodes, tree, parent, level)
        siblings.insert(max(0, min(position, len(siblings))), nodes.by_code[tree.code])
        nodes.renumber(siblings)
        log_edit(session, framework, tree.code, "新增指标", None, {"名称": tree.name})
        return changes_of(session)


def remove_node(
    db: Database, framework_id: int, code: str
) -> Done[tuple[str | None, int, TreeNode]]:
    """Remove a node and its subtree; returns (parent code, position, subtree) to undo it."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        nodes = Nodes(session, framework)
        node = nodes.get(code)
        parent = nodes.by_id.get(node.parent_id) if node.parent_id else None
        siblings = nodes.children(node.parent_id)
        position = siblings.index(node)
        subtree_rows = [node]
        stack = [node]
        while stack:
            kids = nodes.children(stack.pop().id)
            subtree_rows += kids
            stack += kids
        tree = framework_tree(subtree_rows)[0]
        ids = [row.id for row in subtree_rows]
        session.execute(delete(FrameworkNode).where(FrameworkNode.id.in_(ids)))
        nodes.renumber([s for s in siblings if s is not node])
        log_edit(session, framework, code, "删除指标", {"名称": node.name}, None)
        return Done(((parent.code if parent else None), position, tree), changes_of(session))


def move_node(
    db: Database, framework_id: int, code: str, parent_code: str | None, position: int
) -> Done[tuple[str | None, int]]:
    """Move a node (with its subtree) under another parent or to another place among its
    siblings; returns where it was, so the move can be undone."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        nodes = Nodes(session, framework)
        node = nodes.get(code)
        parent = nodes.get(parent_code) if parent_code else None
        if parent is not None and (parent is node or node in nodes.ancestors(parent)):
            raise UserError("不能把指标移到它自己的下级")
        old_parent = nodes.by_id.get(node.parent_id) if node.parent_id else None
        old_siblings = nodes.children(node.parent_id)
        old_position = old_siblings.index(node)
        level = _check_depth(nodes, parent, nodes.depth_below(node))
        old_siblings.remove(node)
        nodes.renumber(old_siblings)
        node.parent_id = parent.id if parent else None
        siblings = [s for s in nodes.children(node.parent_id) if s is not node]
        siblings.insert(max(0, min(position, len(siblings))), node)
        nodes.renumber(siblings)
        nodes.set_level(node, level)
        where = (old_parent.code if old_parent else "顶层", parent.code if parent else "顶层")
        log_edit(session, framework, code, "移动指标", where[0], where[1])
        return Done(((old_parent.code if old_parent else None), old_position), changes_of(session))


def set_stated_total(db: Database, framework_id: int, total: Decimal | None) -> Changes:
    """The 满分 the office states (kept in the description as "满分 100 分")."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = find_framework(session, framework_id)
        old = stated_total(framework.description)
        rest = TOTAL.sub("", framework.description or "").strip()
        text = f"满分 {total.normalize():f} 分" if total is not None else ""
        framework.description = " ".join(p for p in (text, rest) if p)
        log_edit(session, framework, "", "修改满分", str(old), str(total))
        return changes_of(session)
