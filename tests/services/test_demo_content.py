"""The demo content: 80 units in 4 categories, 5 assessors and two indicator trees that add up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest

from app.demo import content as demo_content
from app.demo.content import (
    DEMO_ASSESSORS,
    DEMO_CATEGORIES,
    DEMO_UNITS,
    demonstration_framework,
    law_government_framework,
)
from app.io.records import FrameworkSheet, NodeRecord
from app.scoring.tree import leaves, walk
from app.scoring.types import Method

NON_SCORING = (Method.BONUS, Method.VETO)


def _scoring_leaves(sheet: FrameworkSheet) -> list[NodeRecord]:
    return [leaf for leaf in leaves(sheet.roots) if leaf.method not in NON_SCORING]


def _assert_sound(sheet: FrameworkSheet, step: Decimal) -> None:
    """Codes positional and unique, levels right, sibling names unique, parents = sums."""
    codes = [node.code for node in walk(sheet.roots)]
    assert len(codes) == len(set(codes))

    def check(nodes: list[NodeRecord], prefix: str, level: int) -> Decimal:
        names = [node.name for node in nodes]
        assert len(names) == len(set(names)), names
        total = Decimal(0)
        for position, node in enumerate(nodes, start=1):
            assert node.code == f"{prefix}{position}"
            assert node.level == level
            assert node.name.strip() == node.name and node.name
            assert node.points is not None
            if node.children:
                assert node.points == check(node.children, f"{node.code}.", level + 1), node.code
            else:
                assert node.standard, node.code
                assert node.assessment_method, node.code
                assert node.lead_department, node.code
                if node.method is Method.VETO:
                    assert node.points == 0
                else:
                    assert node.points > 0, node.code
                    assert node.points % step == 0, node.code
            if node.children or node.method not in NON_SCORING:
                total += node.points
        return total

    assert check(sheet.roots, "", 1) == Decimal(100)
    assert sheet.stated_total == Decimal(100)


def test_units_are_unique_and_categorised() -> None:
    assert len(DEMO_UNITS) == 80
    assert len({full for full, _, _ in DEMO_UNITS}) == 80
    assert len({short for _, short, _ in DEMO_UNITS}) == 80
    assert len(DEMO_CATEGORIES) == 4
    counts = Counter(category for _, _, category in DEMO_UNITS)
    assert set(counts) == set(DEMO_CATEGORIES)
    assert all(count >= 12 for count in counts.values()), counts
    names = {full for full, _, _ in DEMO_UNITS}
    for expected in ("云州市司法局", "云州市公安局", "云州市市场监督管理局", "云州市委组织部"):
        assert expected in names


def test_assessors_and_lead_departments_match() -> None:
    assert len(DEMO_ASSESSORS) == 5
    assert len({name for name, _ in DEMO_ASSESSORS}) == 5
    units = {full for full, _, _ in DEMO_UNITS}
    assert sum(department in units for _, department in DEMO_ASSESSORS) >= 4
    # the demo finds a leaf's assessor by its department without the "云州" prefix
    assessor_leads = {department.removeprefix("云州") for _, department in DEMO_ASSESSORS}
    assert {leaf.lead_department for leaf in leaves(law_government_framework().roots)} == (
        assessor_leads
    )
    known = assessor_leads | {full.removeprefix("云州") for full in units}
    assert {leaf.lead_department for leaf in leaves(demonstration_framework().roots)} <= known


def test_law_government_framework_shape() -> None:
    sheet = law_government_framework()
    assert len(sheet.roots) == 5
    assert len(_scoring_leaves(sheet)) == 100
    methods = Counter(leaf.method for leaf in leaves(sheet.roots))
    assert methods[Method.BONUS] == 1
    assert methods[Method.VETO] == 1
    for method in (Method.DEDUCT, Method.SCORE, Method.YES_NO, Method.TIER):
        assert methods[method] >= 3, method
    assert methods[Method.DEDUCT] > 50
    for area in sheet.roots:
        assert 3 <= len(area.children) <= 5
        assert all(len(second.children) >= 1 for second in area.children)
    assert all(leaf.level == 3 for leaf in leaves(sheet.roots))
    specific = [leaf for leaf in leaves(sheet.roots) if leaf.categories]
    assert 8 <= len(specific) <= 12
    assert all(leaf.categories == (demo_content.ENFORCEMENT,) for leaf in specific)
    bonus = next(leaf for leaf in leaves(sheet.roots) if leaf.method is Method.BONUS)
    assert bonus.points == 3


def test_law_government_framework_adds_up() -> None:
    _assert_sound(law_government_framework(), Decimal("0.5"))


def test_demonstration_framework_shape_and_sums() -> None:
    sheet = demonstration_framework()
    assert len(sheet.roots) == 9
    assert len(list(leaves(sheet.roots))) == 155
    assert all(leaf.method in (Method.DEDUCT, Method.YES_NO) for leaf in leaves(sheet.roots))
    _assert_sound(sheet, Decimal("0.25"))


@pytest.mark.parametrize("build", [law_government_framework, demonstration_framework])
def test_tier_leaves_descend(build: Callable[[], FrameworkSheet]) -> None:
    for leaf in walk(build().roots):
        if leaf.method is Method.TIER:
            assert leaf.tiers and leaf.parameters
            thresholds = [tier.threshold for tier in leaf.tiers]
            assert thresholds == sorted(thresholds, reverse=True)
            assert len(set(thresholds)) == len(thresholds)
            assert all(0 < tier.fraction <= 1 for tier in leaf.tiers)
            assert all(0 < tier.threshold <= 1 for tier in leaf.tiers)
        else:
            assert leaf.tiers == ()


def test_tier_text_is_parsed() -> None:
    leaf = next(
        leaf
        for leaf in leaves(law_government_framework().roots)
        if leaf.name == "行政机关负责人出庭应诉率"
    )
    assert leaf.parameters == "≥100%:1；≥95%:0.8；≥90%:0.5"
    assert [(t.threshold, t.fraction) for t in leaf.tiers] == [
        (Decimal(1), Decimal(1)),
        (Decimal("0.95"), Decimal("0.8")),
        (Decimal("0.9"), Decimal("0.5")),
    ]


def test_each_call_builds_a_fresh_tree() -> None:
    first = law_government_framework()
    first.roots[0].name = "changed"
    assert law_government_framework().roots[0].name == "依法全面履行政府职能"
