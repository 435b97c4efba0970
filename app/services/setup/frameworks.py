"""Indicator systems: import a 考核细则 workbook, list them, show a tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.io.readers.framework_reader import read_framework
from app.io.records import FrameworkSheet, NodeRecord
from app.io.text_rules import FRAMEWORK, checked
from app.models import Framework, FrameworkNode, UnitCategory
from app.models.database import Database
from app.scoring.tree import leaf_count, total_points
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames, stored_names


@dataclass(frozen=True)
class FrameworkInfo:
    id: int
    name: str
    areas: int
    leaves: int
    points: Decimal
    # At import: (code, name, what was read) for leaves whose rule came from 评分标准.
    rules_read: tuple[tuple[str, str, str], ...] = ()


@dataclass
class TreeNode:
    """A node as shown or printed: plain data, detached from the database."""

    code: str
    name: str
    level: int
    points: Decimal
    method: str
    parameters: str = ""
    tiers: list[list[str]] = field(default_factory=list)
    standard: str = ""
    content: str = ""
    assessment_method: str = ""
    lead_department: str = ""
    categories: list[str] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "points": f"{self.points:.2f}",
            "method": self.method,
            "parameters": self.parameters,
            "tiers": self.tiers,
            "standard": self.standard,
            "lead_department": self.lead_department,
            "categories": self.categories,
            "children": [child.to_json() for child in self.children],
        }


def tree_of_records(records: list[NodeRecord]) -> list[TreeNode]:
    """An imported tree as plain nodes, every field kept: the preview shows it as it will be
    saved, and it is saved from them."""
    return [
        TreeNode(
            code=r.code,
            name=r.name,
            level=r.level,
            points=r.points if r.points is not None else Decimal(0),
            method=str(r.method),
            parameters=r.parameters,
            tiers=[[str(t.threshold), str(t.fraction)] for t in r.tiers],
            standard=r.standard,
            content=r.content,
            assessment_method=r.assessment_method,
            lead_department=r.lead_department,
            categories=list(r.categories),
            children=tree_of_records(r.children),
        )
        for r in records
    ]


def node_row(
    tree: TreeNode, *, framework_id: int, parent_id: int | None, level: int, sort_order: int
) -> FrameworkNode:
    """A node's row in a framework (its children become rows of their own): one mapping for
    an import, an edit's new subtree and a copy."""
    return FrameworkNode(
        framework_id=framework_id,
        parent_id=parent_id,
        code=tree.code,
        name=tree.name,
        level=level,
        sort_order=sort_order,
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


def stored_categories(nodes: list[TreeNode], known: StoredNames) -> None:
    """适用类别 as the categories are stored ("执法部门(一类)" for "执法部门（一类）"), since the
    engine compares a leaf's categories with a unit's; one not known yet stays as written."""
    for node in nodes:
        node.categories = list(dict.fromkeys(known.stored(c) for c in node.categories))
        stored_categories(node.children, known)


def _add_nodes(
    session: Session, framework: Framework, nodes: list[TreeNode], parent_id: int | None
) -> None:
    for order, tree in enumerate(nodes, start=1):
        row = node_row(
            tree, framework_id=framework.id, parent_id=parent_id, level=tree.level, sort_order=order
        )
        session.add(row)
        session.flush()
        _add_nodes(session, framework, tree.children, row.id)


def save_framework(
    session: Session, name: str, sheet: FrameworkSheet, *, replace: bool = False, source: str = ""
) -> Framework:
    """Store a checked tree under a name; rounds keep their own frozen copies, so replacing
    a framework never changes a round's results."""
    name = checked(name, FRAMEWORK)
    if not name:
        raise UserError("指标体系名称不能为空")
    framework = session.scalar(select(Framework).where(Framework.name == name))
    if framework is not None and not replace:
        raise UserError(f"指标体系“{name}”已存在；如需覆盖请选择覆盖", command="--replace")
    old = None
    if framework is not None:
        old = {"叶指标": leaf_count(framework_tree(framework.nodes))}
        session.execute(delete(FrameworkNode).where(FrameworkNode.framework_id == framework.id))
        session.expire(framework, ["nodes"])
    else:
        framework = Framework(name=name)
        session.add(framework)
        session.flush()
    roots = tree_of_records(sheet.roots)
    stored_categories(roots, stored_names(session, UnitCategory))
    _add_nodes(session, framework, roots, None)
    log_change(
        session,
        entity="指标体系",
        key=name,
        action="覆盖" if old else "导入",
        old=old,
        new={"一级指标": len(sheet.roots), "叶指标": leaf_count(sheet.roots)},
        source=source,
    )
    return framework


def import_framework(
    db: Database,
    path: str | Path,
    name: str,
    *,
    replace: bool = False,
    sheet_name: str | None = None,
) -> Done[FrameworkInfo]:
    require(Permission.MANAGE_SETUP)
    sheet = read_framework(Path(path), sheet=sheet_name)
    with backup_before(db, "导入指标体系前"), db.transaction() as session:
        framework = save_framework(session, name, sheet, replace=replace, source=str(path))
        return Done(
            FrameworkInfo(
                framework.id,
                framework.name,
                len(sheet.roots),
                leaf_count(sheet.roots),
                total_points(sheet.roots),
                tuple(_rules_read(sheet.roots)),
            ),
            changes_of(session),
        )


def _rules_read(nodes: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    found = []
    for node in nodes:
        if node.rule_note:
            found.append((node.code, node.name, node.rule_note))
        found += _rules_read(node.children)
    return found


def list_frameworks(db: Database) -> list[FrameworkInfo]:
    with db.reading() as session:
        result = []
        for framework in session.scalars(select(Framework).order_by(Framework.id)):
            roots = framework_tree(framework.nodes)
            result.append(
                FrameworkInfo(
                    framework.id,
                    framework.name,
                    len(roots),
                    leaf_count(roots),
                    total_points(roots),
                )
            )
        return result


def framework_tree(nodes: list[Any]) -> list[TreeNode]:
    """Build the tree from framework or round node rows (both share NodeFields)."""
    by_id: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    pending = sorted(nodes, key=lambda n: (n.level, n.sort_order, n.id))
    children_of: dict[int | None, list[tuple[int, TreeNode]]] = {}
    for node in pending:
        tree_node = TreeNode(
            code=node.code,
            name=node.name,
            level=node.level,
            points=node.points,
            method=node.method,
            parameters=node.parameters,
            tiers=[list(t) for t in node.tiers],
            standard=node.standard,
            content=node.content,
            assessment_method=node.assessment_method,
            lead_department=node.lead_department,
            categories=list(node.categories),
        )
        by_id[node.id] = tree_node
        children_of.setdefault(node.parent_id, []).append((node.sort_order, tree_node))
    for parent_id, items in children_of.items():
        ordered = [tree_node for _, tree_node in sorted(items, key=lambda item: item[0])]
        if parent_id is None or parent_id not in by_id:
            roots += ordered  # a subtree's top node: its parent is not among the rows
        else:
            by_id[parent_id].children = ordered
    return roots


def framework_named(session: Session, name: str) -> Framework:
    """The framework a person names (the window, a command, a new round's source)."""
    framework = session.scalar(select(Framework).where(Framework.name == name))
    if framework is None:
        raise NotFound(f"没有名为“{name}”的指标体系")
    return framework


def get_framework_tree(db: Database, name: str) -> list[TreeNode]:
    with db.reading() as session:
        return framework_tree(framework_named(session, name).nodes)


def export_framework(db: Database, name: str, path: str | Path) -> Path:
    """The tree as a 考核细则 workbook; importing it again gives the identical tree."""
    from app.io.writers.framework_writer import write_framework

    tree = get_framework_tree(db, name)
    return write_framework(Path(path), name, tree)
