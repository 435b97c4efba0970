"""Editing an imported framework node by node: each edit is checked, undone by its inverse,
logged when rounds use the framework, and never changes a round's frozen tree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.models import ChangeLog
from app.models.database import Database
from app.scoring.types import Rules
from app.services.rounds.definition import create_round
from app.services.setup import framework_admin as admin
from app.services.setup import framework_edits as edits
from app.services.setup.framework_import import commit_framework, preview_framework
from app.services.setup.frameworks import TreeNode, get_framework_tree
from app.services.setup.units import import_units
from tests.workbooks import small_framework, small_units


@pytest.fixture
def framework(db: Database, tmp_path: Path) -> admin.EditableFramework:
    commit_framework(db, preview_framework(db, small_framework(tmp_path / "f.xlsx")), "细则")
    return admin.load_framework(db, "细则")


def shape(db: Database) -> list[tuple[str, str, int, Decimal]]:
    out = []
    stack = list(reversed(get_framework_tree(db, "细则")))
    while stack:
        node = stack.pop()
        out.append((node.code, node.name, node.level, node.points))
        stack += reversed(node.children)
    return out


def test_field_edits_are_checked(db: Database, framework) -> None:
    edits.update_node(db, framework.id, "1.1.1", {"points": "5", "name": "规范性文件备案"})
    node = get_framework_tree(db, "细则")[0].children[0].children[0]
    assert (node.name, node.points) == ("规范性文件备案", 5)
    with pytest.raises(UserError, match="数字"):
        edits.update_node(db, framework.id, "1.1.1", {"points": "五分"})
    with pytest.raises(UserError, match="已被"):
        edits.update_node(db, framework.id, "1.1.1", {"code": "1.1.2"})
    with pytest.raises(UserError, match="分档参数"):
        edits.update_node(db, framework.id, "1.1.1", {"method": "分档", "parameters": "很高:1"})
    edits.update_node(db, framework.id, "1.1.1", {"method": "分档", "parameters": "≥90%:1"})
    leaf = get_framework_tree(db, "细则")[0].children[0].children[0]
    assert leaf.method == "分档" and leaf.tiers == [["0.9", "1"]]


def test_remove_and_reinsert_restores_the_tree(db: Database, framework) -> None:
    before = shape(db)
    parent, position, subtree = edits.remove_node(db, framework.id, "1.1").value
    assert (parent, position) == ("1", 0) and len(subtree.children) == 2
    assert all(not code.startswith("1.1") for code, *_ in shape(db))
    edits.insert_node(db, framework.id, parent, position, subtree)
    assert shape(db) == before


def test_move_and_indent_keep_levels_and_can_be_undone(db: Database, framework) -> None:
    before = shape(db)
    old_parent, old_position = edits.move_node(db, framework.id, "1.2.1", "1.1", 0).value
    moved = get_framework_tree(db, "细则")[0].children[0].children[0]
    assert (moved.code, moved.level) == ("1.2.1", 3)
    edits.move_node(db, framework.id, "1.2.1", old_parent, old_position)
    assert shape(db) == before
    edits.move_node(db, framework.id, "2.1", None, 5)  # a second-level group to the top
    assert [n.code for n in get_framework_tree(db, "细则")][-1] == "2.1"
    assert get_framework_tree(db, "细则")[-1].children[0].level == 2
    with pytest.raises(UserError, match="自己的下级"):
        edits.move_node(db, framework.id, "1", "1.1", 0)


def test_many_leaves_get_their_categories_at_once(db: Database, framework) -> None:
    edits.set_categories(
        db, framework.id, {"1.1.1": ["执法部门"], "1.1.2": ["执法部门", "综合部门"]}
    )
    group = get_framework_tree(db, "细则")[0].children[0].children
    assert [leaf.categories for leaf in group] == [["执法部门"], ["执法部门", "综合部门"]]


def test_sum_check_marks_the_parents_that_do_not_add_up(db: Database, framework) -> None:
    assert admin.imbalances(admin.load_framework(db, "细则").roots) == {}
    edits.update_node(db, framework.id, "1.1.1", {"points": "3"})
    found = admin.imbalances(admin.load_framework(db, "细则").roots)
    assert set(found) == {"1.1"} and found["1.1"].children_sum == 5
    edits.set_stated_total(db, framework.id, Decimal(100))
    assert admin.load_framework(db, "细则").stated_total == 100


def test_new_codes_are_unique() -> None:
    leaf = TreeNode("1.1", "a", 2, Decimal(1), "扣分")
    area = TreeNode("1", "A", 1, Decimal(1), "扣分", children=[leaf])
    assert admin.new_code([area], area) == "1.2"
    assert admin.new_code([area], None) == "2"


def test_copy_for_next_year_and_edits_never_touch_a_round(
    db: Database, framework, tmp_path: Path
) -> None:
    import_units(db, small_units(tmp_path / "u.xlsx"))
    create_round(db, name="2025年度", framework="细则", year=2025, rules=Rules())
    admin.create_framework(db, "2026细则", copy_of="细则")
    assert admin.load_framework(db, "2026细则").roots == get_framework_tree(db, "细则")
    edits.update_node(db, framework.id, "1.1.1", {"points": "9"})
    edits.remove_node(db, framework.id, "2")
    with db.reading() as session:
        from app.models import RoundNode

        frozen = session.scalars(select(RoundNode.points).where(RoundNode.code == "1.1.1"))
        assert list(frozen) == [4]
        logged = session.scalars(
            select(ChangeLog.action).where(ChangeLog.entity == "指标体系")
        ).all()
    assert "修改指标" in logged and "删除指标" in logged
    assert admin.load_framework(db, "细则").rounds == ["2025年度"]
    admin.delete_framework(db, "2026细则")
    with pytest.raises(Exception, match="没有名为"):
        admin.load_framework(db, "2026细则")
