"""What the demo database holds: the units, categories, assessors and two indicator systems
of the fictional 云州市, read from the data files in resources/demo/ (`app.demo.build` puts
them into a database).

Lead departments (牵头/评分单位) are written as the office writes them: the unit's full name
without the city prefix "云州" (e.g. "市司法局"), so each leaf of the 法治政府建设 tree finds the
assessor (考核组) whose department is that unit.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from typing import Any

from app.errors import BugError
from app.io.records import FrameworkSheet, NodeRecord
from app.paths import resources_dir
from app.scoring.types import Method, Tier

ENFORCEMENT = "行政执法部门"  # the category the 个性指标 of the 法治政府建设 tree are for

LAW_GOVERNMENT_FILE = "law_government.toml"
DEMONSTRATION_FILE = "demonstration.toml"
UNITS_FILE = "units.toml"

Table = dict[str, Any]


def read_data(name: str) -> Table:
    """One of resources/demo/*.toml, its decimals read as Decimal (no binary rounding)."""
    with (resources_dir() / "demo" / name).open("rb") as handle:
        return tomllib.load(handle, parse_float=Decimal)


_UNITS = read_data(UNITS_FILE)
DEMO_CATEGORIES: tuple[str, ...] = tuple(category["name"] for category in _UNITS["category"])
# (full name, short name, category), in the order of the office's list
DEMO_UNITS: tuple[tuple[str, str, str], ...] = tuple(
    (full, short, category["name"])
    for category in _UNITS["category"]
    for full, short in category["units"]
)
# (name, department); every department but the 人大法工委 is one of the units
DEMO_ASSESSORS: tuple[tuple[str, str], ...] = tuple(
    (assessor["name"], assessor["department"]) for assessor in _UNITS["assessor"]
)


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _parse_tiers(text: str) -> tuple[Tier, ...]:
    """ "≥100%:1；≥95%:0.8" -> Tier(1, 1), Tier(0.95, 0.8)."""
    tiers = []
    for part in text.split("；"):
        rate, fraction = part.removeprefix("≥").split(":")
        tiers.append(Tier(Decimal(rate.removesuffix("%")) / 100, Decimal(fraction)))
    return tuple(tiers)


def _leaf(
    name: str,
    points: Decimal,
    standard: str,
    method: Method,
    params: str,
    how: str,
    lead: str,
    cats: tuple[str, ...] = (),
) -> NodeRecord:
    return NodeRecord(
        code="",
        name=name,
        level=0,
        points=Decimal(points),
        method=method,
        parameters=params,
        standard=standard,
        assessment_method=how,
        lead_department=lead,
        categories=cats,
    )


def _tiered(
    name: str, points: Decimal, subject: str, tiers: str, how: str, lead: str, cats: tuple[str, ...]
) -> NodeRecord:
    """A 分档 leaf whose 评分标准 spells out the tiers in points."""
    parsed = _parse_tiers(tiers)
    full = Decimal(points)
    steps = [
        f"{'达到' if i == 0 else ''}{_num(t.threshold * 100)}%"
        f"{'' if t.threshold == 1 else '（含）以上'}的得{_num(full * t.fraction)}分"
        for i, t in enumerate(parsed)
    ]
    standard = f"{subject}{'；'.join(steps)}；低于{_num(parsed[-1].threshold * 100)}%的不得分"
    node = _leaf(name, points, standard, Method.TIER, tiers, how, lead, cats)
    node.tiers = parsed
    return node


def _group(name: str, children: list[NodeRecord]) -> NodeRecord:
    return NodeRecord(code="", name=name, level=0, points=None, children=children)


def _finish(nodes: list[NodeRecord], prefix: str = "", level: int = 1) -> Decimal:
    """Give positional codes and levels; a parent's points are the sum of its scoring
    children (加分 and 否决 leaves do not count). Returns the sum of ``nodes``."""
    total = Decimal(0)
    for position, node in enumerate(nodes, start=1):
        node.code = f"{prefix}{position}"
        node.level = level
        if node.children:
            node.points = _finish(node.children, f"{node.code}.", level + 1)
        if node.children or node.method not in (Method.BONUS, Method.VETO):
            total += node.points or Decimal(0)
    return total


def _check_keys(row: Table, allowed: set[str], where: str) -> None:
    """A misspelt key in a data file would silently fall back to a default: refuse it."""
    unknown = set(row) - allowed
    if unknown:
        raise BugError(f"resources/demo/{where}: {row.get('name')}: unknown {sorted(unknown)}")


_LEAF_KEYS = {"name", "points", "method", "standard", "parameters", "subject", "tiers"}
_LEAF_KEYS |= {"assessment_method", "lead_department", "categories"}


def _law_leaf(row: Table, defaults: Table) -> NodeRecord:
    _check_keys(row, _LEAF_KEYS, LAW_GOVERNMENT_FILE)
    method = Method(row.get("method", defaults["method"]))
    how = row.get("assessment_method", defaults["assessment_method"])
    lead = row.get("lead_department", defaults["lead_department"])
    cats = tuple(row.get("categories", ()))
    if method is Method.TIER:
        return _tiered(row["name"], row["points"], row["subject"], row["tiers"], how, lead, cats)
    params = row.get("parameters", "")
    return _leaf(row["name"], row["points"], row["standard"], method, params, how, lead, cats)


def law_government_framework() -> FrameworkSheet:
    """法治政府建设指标体系: 5 areas, 100 scoring leaves (100 points), plus one 加分 and one
    否决 leaf."""
    data = read_data(LAW_GOVERNMENT_FILE)
    defaults = data["defaults"]
    roots = [
        _group(
            area["name"],
            [
                _group(group["name"], [_law_leaf(leaf, defaults) for leaf in group["leaf"]])
                for group in area["group"]
            ],
        )
        for area in data["area"]
    ]
    _finish(roots)
    return FrameworkSheet(roots=roots, stated_total=Decimal(data["stated_total"]))


_TASK_KEYS = {"method", "points", "name", "standard", "lead_department"}


def _task(row: Table, area_lead: str, defaults: Table) -> NodeRecord:
    """A 重点任务; one written without its 评分标准 gets the usual words (and 评分参数) of its
    method."""
    _check_keys(row, _TASK_KEYS, DEMONSTRATION_FILE)
    method, points, own = Method(row["method"]), row["points"], row.get("standard", "")
    usual = defaults[method.value]
    standard = own or usual["standard"].format(points=points)
    params = "" if own else usual.get("parameters", "")
    lead = row.get("lead_department") or area_lead
    return _leaf(row["name"], points, standard, method, params, usual["assessment_method"], lead)


def demonstration_framework() -> FrameworkSheet:
    """法治云州示范创建指标体系: 9 areas, 155 key tasks, 100 points."""
    data = read_data(DEMONSTRATION_FILE)
    roots = [
        _group(
            area["name"],
            [_task(task, area["lead_department"], data["defaults"]) for task in area["tasks"]],
        )
        for area in data["area"]
    ]
    _finish(roots)
    return FrameworkSheet(roots=roots, stated_total=Decimal(data["stated_total"]))
