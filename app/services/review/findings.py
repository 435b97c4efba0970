"""What an assessment found at each unit: every lost point with its leaf, reason and assessor.
The notices list these; the ledger will track them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.models.database import Database
from app.services.entry.grid import GridLeaf, load_grid
from app.services.review.results import RoundResults, compute_round_results


@dataclass(frozen=True)
class Finding:
    area_code: str
    area_name: str
    leaf_code: str
    leaf_name: str
    points: Decimal
    lost: Decimal  # the points this assessor's entry takes off
    reason: str
    assessor: str


@dataclass(frozen=True)
class UnitFindings:
    unit: str
    category: str
    final: Decimal
    grade: str
    rank: int
    category_rank: int
    bottom: bool
    findings: list[Finding]


def _lost(leaf: GridLeaf, value) -> tuple[Decimal, str] | None:  # type: ignore[no-untyped-def]
    """Points an entry takes off, with the default wording when no reason was written."""
    if value.not_applicable:
        return None
    if leaf.method == "扣分" and value.deduction:
        return min(value.deduction, leaf.points), "扣分"
    if leaf.method == "是否" and value.answer is False:
        return leaf.points, "未达到要求"
    if leaf.method == "得分" and value.score is not None and value.score < leaf.points:
        return leaf.points - value.score, "未得满分"
    if value.veto:
        return Decimal(0), "一票否决"
    return None


def round_findings(db: Database, round_name: str) -> tuple[RoundResults, list[UnitFindings]]:
    """Per unit, in the round's unit order; units without findings are included (empty)."""
    results = compute_round_results(db, round_name)
    grid = load_grid(db, round_name)
    leaves = {leaf.code: leaf for leaf in grid.leaves}
    order = {leaf.code: index for index, leaf in enumerate(grid.leaves)}
    by_unit: dict[str, list[Finding]] = {u.name: [] for u in grid.units}
    units = {u.name: u for u in grid.units}
    # A leaf that does not apply to the unit, by its category or marked 不适用 by any assessor,
    # counts for nothing in the score: what was entered on it is no finding (issue 14 §1).
    marked = {(unit, code) for (unit, code, _), v in grid.all_values.items() if v.not_applicable}
    for (unit, code, assessor), value in grid.values.items():
        leaf = leaves.get(code)
        if leaf is None or unit not in by_unit:
            continue
        if not grid.applies(leaf, units[unit]) or (unit, code) in marked:
            continue
        lost = _lost(leaf, value)
        if lost is None:
            continue
        points, default_reason = lost
        by_unit[unit].append(
            Finding(
                leaf.area_code,
                leaf.area_name,
                leaf.code,
                leaf.name,
                leaf.points,
                points,
                value.reason.strip() or default_reason,
                assessor,
            )
        )
    outcome = {u.unit: u for u in results.result.units}
    unit_findings = []
    for unit in grid.units:
        result = outcome[unit.name]
        found = sorted(by_unit[unit.name], key=lambda f: (order[f.leaf_code], f.assessor))
        unit_findings.append(
            UnitFindings(
                unit.name,
                unit.category,
                result.final,
                result.grade,
                result.rank,
                result.category_rank,
                result.bottom,
                found,
            )
        )
    return results, unit_findings
