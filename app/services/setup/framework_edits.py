"""Edit an indicator system node by node, each edit one transaction (the editor's undo calls the
inverse edit). Nodes are named by their code, which is unique in a framework and survives
removing and re-inserting a subtree; rounds keep frozen copies, so no edit here moves a round."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.io import cells, text_rules
from app.io.text_rules import checked
from app.io.tiers import TierError, parse_tiers
from app.models import Framework, FrameworkNode, Round
from app.models.database import Database
from app.scoring.tree import counts_toward_parent
from app.scoring.types import Method
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
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
_TOTAL = re.compile(r"满分\s*(\d+(?:\.\d+)?)\s*分")


@dataclass
class EditableFramework:
    id: int
    name: str
    stated_total: Decimal | None  # the 满分 the office states, checked against the roots' sum
    rounds: list[str]  # rounds created from it (they keep their own copy)
    roots: list[TreeNode] = field(default_factory=list)


def stated_total(description: str) -> Decimal | None:
    match = _TOTAL.search(description or "")
    return Decimal(match.group(1)) if match else None


def _framework(session: Session, framework_id: int) -> Framework:
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise NotFound("该指标体系已被删除")
    return framework


def load_framework(db: Database, name: str) -> EditableFramework:
    with db.reading() as session:
        framework = session.scalar(select(Framework).where(Framework.name == name))
        if framework is None:
            raise NotFound(f"没有名为“{name}”的指标体系")
        rounds = session.scalars(select(Round.name).where(Round.framework_id == framework.id))
        return EditableFramework(
            framework.id,
            framework.name,
            stated_total(framework.description),
            list(rounds),
            framework_tree(framework.nodes),
        )


class _Nodes:
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


def _log(
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


def _apply(nodes: _Nodes, node: FrameworkNode, name: str, value: Any) -> tuple[Any, Any]:
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
        categories = list(
            dict.fromkeys(checked(str(c), text_rules.CATEGORY) for c in items if str(c).strip())
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


def update_node(db: Database, framework_id: int, code: str, changes: dict[str, Any]) -> None:
    """Change fields of one node (e.g. {"points": "5"}); refused whole if any value is wrong."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        nodes = _Nodes(session, framework)
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
            _log(session, framework, code, "修改指标", old, new)


def set_categories(db: Database, framework_id: int, categories: dict[str, list[str]]) -> None:
    """适用类别 of many leaves at once (分类考核, 共性/个性指标): {code: categories}."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        nodes = _Nodes(session, framework)
        changed = {}
        for code, wanted in categories.items():
            node = nodes.get(code)
            before, after = _apply(nodes, node, "categories", wanted)
            if before != after:
                changed[code] = (before, after)
        if changed:
            _log(
                session,
                framework,
                "",
                "修改适用类别",
                {c: b for c, (b, _) in changed.items()},
                {c: a for c, (_, a) in changed.items()},
            )


def _check_depth(nodes: _Nodes, parent: FrameworkNode | None, height: int) -> int:
    level = 1 if parent is None else parent.level + 1
    if level + height - 1 > MAX_DEPTH:
        raise UserError(f"指标最多分 {MAX_DEPTH} 级")
    return level


def _insert(nodes: _Nodes, tree: TreeNode, parent: FrameworkNode | None, level: int) -> None:
    if tree.code in nodes.by_code:
        raise UserError(f"编码“{tree.code}”已被指标“{nodes.by_code[tree.code].name}”使用")
    row = FrameworkNode(
        framework_id=nodes.framework.id,
        parent_id=parent.id if parent else None,
        code=tree.code,
        name=tree.name,
        level=level,
        sort_order=0,
        points=tree.points,
        method=tree.method,
        parameters=tree.parameters,
        tiers=[list(t) for t in tree.tiers],
        standard=tree.standard,
        content=tree.content,
        assessment_method=tree.assessment_method,
        lead_department=tree.lead_department,
        categories=list(tree.categories),
    )
    nodes.session.add(row)
    nodes.session.flush()
    nodes.by_code[row.code] = row
    nodes.by_id[row.id] = row
    for order, child in enumerate(tree.children, start=1):
        _insert(nodes, child, row, level + 1)
        nodes.by_code[child.code].sort_order = order


def _check_names(tree: TreeNode) -> None:
    checked(tree.name, text_rules.NODE)
    checked(tree.code, text_rules.CODE)
    for child in tree.children:
        _check_names(child)


def _height(tree: TreeNode) -> int:
    return 1 + max((_height(c) for c in tree.children), default=0)


def insert_node(
    db: Database, framework_id: int, parent_code: str | None, position: int, tree: TreeNode
) -> None:
    """Insert a node (with its subtree) as the parent's child number position (0-based)."""
    require(Permission.MANAGE_SETUP)
    if not tree.name.strip():
        raise UserError("指标名称不能为空")
    _check_names(tree)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        nodes = _Nodes(session, framework)
        parent = nodes.get(parent_code) if parent_code else None
        level = _check_depth(nodes, parent, _height(tree))
        siblings = nodes.children(parent.id if parent else None)
        _insert(nodes, tree, parent, level)
        siblings.insert(max(0, min(position, len(siblings))), nodes.by_code[tree.code])
        nodes.renumber(siblings)
        _log(session, framework, tree.code, "新增指标", None, {"名称": tree.name})


def remove_node(db: Database, framework_id: int, code: str) -> tuple[str | None, int, TreeNode]:
    """Remove a node and its subtree; returns (parent code, position, subtree) to undo it."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        nodes = _Nodes(session, framework)
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
        _log(session, framework, code, "删除指标", {"名称": node.name}, None)
        return (parent.code if parent else None), position, tree


def move_node(
    db: Database, framework_id: int, code: str, parent_code: str | None, position: int
) -> tuple[str | None, int]:
    """Move a node (with its subtree) under another parent or to another place among its
    siblings; returns where it was, so the move can be undone."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        nodes = _Nodes(session, framework)
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
        _log(session, framework, code, "移动指标", where[0], where[1])
        return (old_parent.code if old_parent else None), old_position


def set_stated_total(db: Database, framework_id: int, total: Decimal | None) -> None:
    """The 满分 the office states (kept in the description as "满分 100 分")."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = _framework(session, framework_id)
        old = stated_total(framework.description)
        rest = _TOTAL.sub("", framework.description or "").strip()
        text = f"满分 {total.normalize():f} 分" if total is not None else ""
        framework.description = " ".join(p for p in (text, rest) if p)
        _log(session, framework, "", "修改满分", str(old), str(total))


def create_framework(db: Database, name: str, *, copy_of: str | None = None) -> int:
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
            source = session.scalar(select(Framework).where(Framework.name == copy_of))
            if source is None:
                raise NotFound(f"没有名为“{copy_of}”的指标体系")
            framework.description = source.description
        session.add(framework)
        session.flush()
        if copy_of is not None:
            nodes = _Nodes(session, framework)
            for order, tree in enumerate(framework_tree(source.nodes), start=1):
                _insert(nodes, tree, None, 1)
                nodes.by_code[tree.code].sort_order = order
        log_change(
            session,
            entity="指标体系",
            key=name,
            action="复制" if copy_of else "新建",
            old=copy_of,
            new=name,
        )
        return framework.id


def delete_framework(db: Database, name: str) -> None:
    """Rounds made from it keep their frozen copies (their link is cleared)."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        framework = session.scalar(select(Framework).where(Framework.name == name))
        if framework is None:
            raise NotFound(f"没有名为“{name}”的指标体系")
        session.execute(delete(FrameworkNode).where(FrameworkNode.framework_id == framework.id))
        session.expire(framework, ["nodes"])
        session.delete(framework)
        log_change(session, entity="指标体系", key=name, action="删除", old=name, new=None)


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
