"""Every shipped template loads through the normal reader with the counts it promises, its
points add up, its rules are ones the scoring understands, and the CLI lists and imports it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.io.readers.framework_reader import read_framework
from app.io.tiers import parse_tiers
from app.models.database import Database
from app.scoring.tree import counts_toward_parent, leaf_count, leaves, total_points, walk
from app.scoring.types import Method
from app.services.setup.frameworks import get_framework_tree
from app.services.setup.templates import find_template, import_template, list_templates

PROMISED = {  # key: (一级指标, 末级指标) as the issue lists them
    "fazhi-zhengfu": (8, 100),
    "fazhi-zhengfu-5": (5, 100),
    "shifan-chuangjian": (9, 155),
    "fazhi-shehui": (6, 88),
    "ducha-yaodian": (4, 34),
}


def test_the_five_templates_are_listed() -> None:
    assert sorted(t.key for t in list_templates()) == sorted(PROMISED)


@pytest.mark.parametrize("key", sorted(PROMISED))
def test_template_reads_cleanly_with_its_counts_and_sums(key: str) -> None:
    template = find_template(key)
    sheet = read_framework(template.path)  # refuses any problem, a sum that is off included
    assert (len(sheet.roots), leaf_count(sheet.roots)) == PROMISED[key]
    assert (template.areas, template.leaves) == PROMISED[key]
    assert total_points(sheet.roots) == sheet.stated_total == template.points
    for node in walk(sheet.roots):
        if node.children:
            inner = sum((c.points for c in node.children if counts_toward_parent(c)), Decimal(0))
            assert inner == node.points, node.name
    names = [(n.name, len(n.children)) for n in walk(sheet.roots)]
    assert len({n for n, _ in names}) > 0.9 * len(names)  # real names, not one repeated
    for leaf in leaves(sheet.roots):
        assert leaf.points > 0 and leaf.standard and leaf.lead_department
        if leaf.method is Method.TIER:
            assert parse_tiers(leaf.parameters)
        if leaf.parameters.startswith("酌情"):
            high = Decimal(leaf.parameters.split("-")[1])
            assert high <= leaf.points  # a 酌情 range never deducts more than the leaf holds


def test_import_from_a_template(db: Database) -> None:
    info = import_template(db, "ducha-yaodian", "2025年法治督察").value
    assert (info.areas, info.leaves) == (4, 34)
    assert leaf_count(get_framework_tree(db, "2025年法治督察")) == 34


def test_cli_lists_and_imports_templates(run_cli) -> None:
    code, out, _ = run_cli("template", "list", "--json")
    assert code == 0 and {t["key"] for t in json.loads(out)} == set(PROMISED)
    code, out, _ = run_cli("template", "import", "fazhi-zhengfu", "--name", "2025法治政府")
    assert code == 0 and "8 个一级指标，100 个末级指标" in out
    code, out, err = run_cli("template", "import", "no-such", "--name", "x")
    assert code == 2 and "没有模板" in err
    code, out, _ = run_cli("framework", "show", "2025法治政府", "--json")
    assert len(json.loads(out)["children"]) == 8
