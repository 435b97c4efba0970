"""A round's results: totals, ranks and grades from the engine, and their JSON form."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from app.models.database import Database
from app.scoring.calculation import two as money  # the window's way to the printed figure
from app.scoring.calculation import two_number
from app.scoring.engine import compute_grouped, compute_results
from app.scoring.round_results import RoundResults
from app.scoring.types import UNSCORED, Leaf, Method, Rules, ScoringInputError, Unit, UnitResult
from app.services.access.permissions import Forbidden, Permission, allowed, require
from app.services.rounds.definition import PUBLISHED, find_round
from app.services.rounds.round_data import RoundData, load_round_scoring
from app.services.rounds.rules_storage import rules_of


def compute_round_results(db: Database, round_name: str) -> RoundResults:
    """The round's results from its entries read as plain rows (load_round_scoring): the same
    engine and the same figures as results_of over a RoundData, without an object per entry."""
    with db.reading() as session:
        round_ = find_round(session, round_name)
        rules = rules_of(round_)
        data = load_round_scoring(session, round_, rules.trim_from)
        status = round_.status
    if len({leaf.code for leaf in data.leaves}) != len(data.leaves):
        raise ScoringInputError("指标编码重复")
    if len({unit.name for unit in data.units}) != len(data.units):
        raise ScoringInputError("单位名称重复")
    result = compute_grouped(
        data.leaves, data.units, data.grouped, rules, data.satisfaction, data.scored
    )
    points = leaf_points(data.leaves, data.units, data.area_names, data.not_applicable())
    return RoundResults(round_name, status, result, data.area_names, points, rules)


def results_of(round_name: str, status: str, data: RoundData, rules: Rules) -> RoundResults:
    """The results of round data already loaded (a caller that needs the data too reads once)."""
    result = compute_results(data.leaves, data.units, data.entries, rules, data.satisfaction)
    return RoundResults(round_name, status, result, data.area_names, area_points(data), rules)


def area_points(data: RoundData) -> dict[str, dict[str, Decimal]]:
    """Per unit and area, the points its scored leaves are out of: leaves of another category
    and those marked 不适用 are left out, bonus and veto leaves never count."""
    marked = {(e.unit, e.leaf) for e in data.entries if e.not_applicable}
    return leaf_points(data.leaves, data.units, data.area_names, marked)


def leaf_points(
    leaves: list[Leaf], units: list[Unit], area_names: dict[str, str], marked: set[tuple[str, str]]
) -> dict[str, dict[str, Decimal]]:
    """area_points of leaves and units, ``marked``: (unit, leaf) marked 不适用."""
    found: dict[str, dict[str, Decimal]] = {}
    for unit in units:
        areas = found[unit.name] = dict.fromkeys(area_names, Decimal(0))
        for leaf in leaves:
            if leaf.method in (Method.BONUS, Method.VETO) or (unit.name, leaf.code) in marked:
                continue
            if leaf.categories is None or unit.category in leaf.categories:
                areas[leaf.area_code] += leaf.points
    return found


def unit_flags(result: UnitResult) -> list[str]:
    """一票否决 and 排名靠后, in the words every ranking (screen, workbook, 通报) gives them."""
    return [text for flag, text in ((result.veto, "一票否决"), (result.bottom, "排名靠后")) if flag]


def unit_notes(result: UnitResult) -> list[str]:
    """A unit's 备注 on screen: its flags, why its result is not complete (publication waits
    for these) and 满意度免测 — the ranking and the unit's calculation say the same."""
    unscored = [f"未评 {result.missing} 项" if r == UNSCORED else r for r in result.incomplete]
    return [*unit_flags(result), *unscored, *(["满意度免测"] if result.satisfaction_exempt else [])]


def results_json(results: RoundResults) -> dict[str, Any]:
    return {
        "round": results.round_name,
        "full_marks": money(results.result.full_marks),
        "units": [
            {
                "unit": u.unit,
                "category": u.category,
                "assessment": money(u.assessment),
                "bonus": money(u.bonus),
                "satisfaction": None if u.satisfaction is None else money(u.satisfaction),
                "final": f"{u.final:.2f}",
                "rank": u.rank,
                "category_rank": u.category_rank,
                "grade": u.grade,
                "veto": u.veto,
                "bottom": u.bottom,
                "missing": u.missing,
                "incomplete": list(u.incomplete),
                "satisfaction_exempt": u.satisfaction_exempt,
                "areas": {code: money(value) for code, value in u.areas.items()},
            }
            for u in results.result.units
        ],
    }


RESULT_HEADER = ("名次", "单位", "类别", "类别名次")


def require_results_visible(db: Database, round_name: str) -> None:
    """Everyone but a 评分人 may read a round's results; a 评分人 once they are published
    (before, they are the office's working figures for every unit)."""
    actor = require(Permission.VIEW)
    if allowed(Permission.ALL_RESULTS, actor):
        return
    with db.reading() as session:
        published = find_round(session, round_name).status == PUBLISHED
    if not published:
        raise Forbidden(
            f"当前用户“{actor.username}”（{actor.role}）在结果发布前不能查看或导出"
            f"考核批次“{round_name}”全部单位的结果"
        )


def visible_round_results(db: Database, round_name: str) -> RoundResults:
    """The round's results, for a person to read or export."""
    require_results_visible(db, round_name)
    return compute_round_results(db, round_name)


def export_results(db: Database, round_name: str, path: str | Path) -> Path:
    """The ranking as the office sends it on: figures 四舍五入 to 2 places, area subtotals."""
    from app.io.writers.results_writer import write_results

    results = visible_round_results(db, round_name)
    areas = list(results.area_names.items())
    header = [
        *RESULT_HEADER,
        *(f"{code} {name}" for code, name in areas),
        "考核得分",
        "加分",
        "满意度",
        "最终得分",
        "等次",
        "备注",
    ]
    rows = []
    for u in results.result.units:
        notes = "；".join([*unit_flags(u), *u.incomplete])
        rows.append(
            [
                u.rank,
                u.unit,
                u.category,
                u.category_rank,
                *(two_number(u.areas.get(code, Fraction(0))) for code, _ in areas),
                two_number(u.assessment),
                two_number(u.bonus),
                None if u.satisfaction is None else two_number(u.satisfaction),
                float(u.final),
                u.grade,
                notes,
            ]
        )
    grade_column = len(header) - 1
    return write_results(Path(path), f"{round_name}结果排名", header, rows, 3, grade_column)
