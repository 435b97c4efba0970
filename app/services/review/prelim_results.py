"""Preliminary results (初步结果) for each unit before objections: one workbook per unit with
its leaves, scores and reasons. Sending them out takes the 初评 stage of the scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path

from app.filenames import FileNames
from app.io.exchange.prelim_workbook import PrelimLeaf, write_prelim_workbook
from app.models.database import Database
from app.models.review import STAGE_INITIAL
from app.scoring.calculation import two_number, unit_calculation
from app.scoring.engine import unit_leaf_scores
from app.scoring.explain import explain_unit
from app.scoring.types import Entry
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.entry.grid import load_grid
from app.services.review.results import compute_round_results, money
from app.services.rounds.definition import find_round, writable_round
from app.services.rounds.round_data import load_round_data
from app.services.rounds.rules_storage import rules_of
from app.services.rounds.stages import take_stage


def export_prelim(
    db: Database,
    round_name: str,
    folder: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    units: Collection[str] | None = None,
) -> Done[list[Path]]:
    """``units``: only these (a unit's workbook sent again); all the round's by default."""
    require(Permission.MANAGE_ROUNDS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    results = compute_round_results(db, round_name)
    grid = load_grid(db, round_name)
    with db.reading() as session:
        round_ = find_round(session, round_name)
        data = load_round_data(session, round_)
        rules = rules_of(round_)
    leaves = {leaf.code: leaf for leaf in grid.leaves}
    by_unit: dict[str, list[Entry]] = defaultdict(list)
    for entry in data.entries:
        by_unit[entry.unit].append(entry)
    full_marks = results.result.full_marks
    written: list[Path] = []
    names = FileNames(folder)
    chosen = [u for u in results.result.units if units is None or u.unit in units]
    total = len(chosen)
    for done, unit in enumerate(chosen):
        if cancelled is not None and cancelled():
            break
        scoring_unit = next(u for u in data.units if u.name == unit.unit)
        entries = by_unit[unit.unit]
        scores = unit_leaf_scores(data.leaves, scoring_unit, entries, rules)
        x = explain_unit(data.leaves, scoring_unit, entries, rules, full_marks, unit)
        # the workbook prints the leaves, not the area subtotals
        calculation = unit_calculation(x, full_marks, rules.bonus_cap, area_subtotals=False)
        rows = []
        for code, score in scores.items():
            leaf = leaves[code]
            if leaf.method == "否决" or (leaf.method == "加分" and score.state != "已评"):
                continue
            reasons = "；".join(
                dict.fromkeys(
                    v.reason
                    for a in grid.assessors
                    if (v := grid.values.get((unit.unit, code, a))) is not None and v.reason
                )
            )
            rows.append(
                PrelimLeaf(
                    code,
                    leaf.area_name,
                    leaf.name,
                    float(leaf.points),
                    None if score.state == "不适用" else two_number(score.value),
                    reasons,
                )
            )
        summary = [
            f"单位：{unit.unit}（{unit.category}）",
            f"考核得分 {money(unit.assessment)}，满意度 "
            f"{money(unit.satisfaction) if unit.satisfaction is not None else '—'}，"
            f"最终得分 {unit.final:.2f}，类别排名第 {unit.category_rank} 名，等次：{unit.grade}",
        ]
        path = names.path(round_name, unit.unit, "初步结果", suffix=".xlsx")
        written.append(
            write_prelim_workbook(
                path,
                f"{round_name}初步结果",
                summary,
                rows,
                calculation.lines,
                calculation.note,
                round_name=round_name,
                unit=unit.unit,
            )
        )
        if progress is not None:
            progress(done + 1, total)
    with db.transaction() as session:
        take_stage(session, writable_round(session, round_name), STAGE_INITIAL, keep_existing=True)
        changes = changes_of(session)
    return Done(written, changes)
