"""Review of a round: self-assessments beside the scores, objections recorded and reviewed,
the stages' scores kept, preliminary results per unit, and all of it frozen once published."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.demo.build import DEMO_ROUND
from app.errors import UserError, WorkbookError
from app.models.opening import open_database
from app.scoring.calculation import unit_calculation
from app.services.access.audit import list_changes
from app.services.entry.grid import load_grid
from app.services.entry.self_assessment import import_self_assessment
from app.services.review.explain import explain_round
from app.services.review.objections import add_objection, list_objections, review_objection
from app.services.review.prelim_results import export_prelim
from app.services.review.results import compute_round_results
from app.services.rounds.stages import stage_finals
from tests.publishing import publish_now
from tests.workbooks import write_sheet

UNIT = "云州市民政局"


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def leaf_of(db, method: str):
    grid = load_grid(db, DEMO_ROUND)
    unit = next(u for u in grid.units if u.name == UNIT)
    return next(leaf for leaf in grid.leaves if leaf.method == method and grid.applies(leaf, unit))


def final_of(db, unit: str = UNIT) -> Decimal:
    return next(
        u.final for u in compute_round_results(db, DEMO_ROUND).result.units if u.unit == unit
    )


def test_self_assessment_is_shown_not_counted_and_twice_is_once(demo, tmp_path: Path) -> None:
    deduct, yes_no = leaf_of(demo, "扣分"), leaf_of(demo, "是否")
    before = final_of(demo)
    path = write_sheet(
        tmp_path / f"{UNIT}自评表.xlsx",  # no unit column: the unit is in the file name
        ["指标编码", "自评扣分", "自评说明"],
        [[deduct.code, 0.5, "个别案卷不规范"], [yes_no.code, "是", "已建立"]],
    )
    summary = import_self_assessment(demo, path, DEMO_ROUND)
    assert (summary.unit, summary.leaves, summary.changed) == (UNIT, 2, True)
    grid = load_grid(demo, DEMO_ROUND)
    assert grid.self_scores[(UNIT, deduct.code)].score == deduct.points - Decimal("0.5")
    assert grid.self_scores[(UNIT, yes_no.code)].score == yes_no.points
    assert grid.self_scores[(UNIT, deduct.code)].note == "个别案卷不规范"
    assert final_of(demo) == before  # never counted
    log_size = len(list_changes(demo))
    assert import_self_assessment(demo, path, DEMO_ROUND).changed is False
    assert len(list_changes(demo)) == log_size


def test_bad_self_assessment_rows_are_named_and_nothing_is_written(demo, tmp_path: Path) -> None:
    score = leaf_of(demo, "得分")
    path = write_sheet(
        tmp_path / "自评.xlsx",
        ["单位名称", "指标编码", "自评得分"],
        [[UNIT, score.code, float(score.points) + 1], [UNIT, "9.9.9", 1]],
    )
    with pytest.raises(WorkbookError) as error:
        import_self_assessment(demo, path, DEMO_ROUND)
    messages = [str(p) for p in error.value.problems]
    assert any("第 2 行" in m and "C 列" in m and "0 到" in m for m in messages)
    assert any("第 3 行" in m and "9.9.9" in m for m in messages)
    assert not load_grid(demo, DEMO_ROUND).self_scores


def test_accepted_objection_changes_the_score_as_a_logged_change(demo) -> None:
    leaf = leaf_of(demo, "扣分")
    grid = load_grid(demo, DEMO_ROUND)
    scorers = [a for a in grid.assessors if (UNIT, leaf.code, a) in grid.values]
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "已整改到位", leaf.points).value
    pending = list_objections(demo, DEMO_ROUND)[0]
    assert (pending.id, pending.status, pending.requested) == (number, "待复核", leaf.points)
    before = final_of(demo)
    review_objection(
        demo, DEMO_ROUND, number, accept=True, score=leaf.points - Decimal("0.5"), reason="部分采纳"
    )
    done = list_objections(demo, DEMO_ROUND)[0]
    assert done.status == "已采纳" and done.new_score == leaf.points - Decimal("0.5")
    assert done.score_before is not None
    grid = load_grid(demo, DEMO_ROUND)
    for assessor in scorers or ["复核组"]:  # every scorer gets it, so the mean is the new score
        assert grid.values[(UNIT, leaf.code, assessor)].deduction == Decimal("0.5")
    changes = list_changes(demo)
    assert any(c.entity == "评分" and c.source == f"复核（申辩 {number}）" for c in changes)
    assert changes[-1].entity == "申辩" and changes[-1].new["状态"] == "已采纳"
    expected_move = done.new_score - done.score_before
    assert final_of(demo) != before or expected_move == 0
    assert UNIT in stage_finals(demo, DEMO_ROUND)["复核后"]
    with pytest.raises(UserError, match="已复核"):
        review_objection(demo, DEMO_ROUND, number, accept=False, reason="再议")


def test_a_partly_accepted_objection_keeps_the_assessors_finding(demo) -> None:
    """Seen (issue 17 walk): accepting 29 of 30 points replaced the remaining deduction's reason
    with the review's opinion, so the notice and the ledger told the unit to rectify "复核：经
    核实…" instead of the finding. The finding stays; the opinion is kept with the objection."""
    grid = load_grid(demo, DEMO_ROUND)
    unit = next(u for u in grid.units if u.name == UNIT)
    leaf, reasons = next(
        (leaf, found)
        for leaf in grid.leaves
        if leaf.method == "扣分" and grid.applies(leaf, unit)
        for found in [
            {
                a: v.reason
                for (u, code, a), v in grid.values.items()
                if (u, code) == (UNIT, leaf.code) and v.deduction and v.reason
            }
        ]
        if found
    )
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "部分已整改", leaf.points).value
    review_objection(
        demo, DEMO_ROUND, number, accept=True, score=leaf.points - Decimal("0.5"), reason="经核实"
    )
    grid = load_grid(demo, DEMO_ROUND)
    for assessor, reason in reasons.items():
        assert grid.values[(UNIT, leaf.code, assessor)].reason == reason
    assert list_objections(demo, DEMO_ROUND)[0].decision == "经核实"


def test_rejected_objection_needs_a_reason_and_changes_no_score(demo) -> None:
    leaf = leaf_of(demo, "是否")
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "不认可").value
    before = final_of(demo)
    with pytest.raises(UserError, match="理由"):
        review_objection(demo, DEMO_ROUND, number, accept=False)
    with pytest.raises(UserError, match="0 或"):
        review_objection(demo, DEMO_ROUND, number, accept=True, score=leaf.points / 2)
    info = review_objection(demo, DEMO_ROUND, number, accept=False, reason="证据不足").value
    assert (info.status, info.decision) == ("未采纳", "证据不足")
    assert final_of(demo) == before


def test_objections_refuse_what_does_not_exist(demo) -> None:
    with pytest.raises(UserError, match="不在"):
        add_objection(demo, DEMO_ROUND, "不存在的单位", "1.1.1", "理由")
    with pytest.raises(UserError, match="末级指标"):
        add_objection(demo, DEMO_ROUND, UNIT, "1", "理由")
    with pytest.raises(UserError, match="理由"):
        add_objection(demo, DEMO_ROUND, UNIT, "1.1.1", "  ")


@pytest.fixture(scope="module")
def prelim(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory):
    """The demo's preliminary results, sent once for the tests that read them (80 workbooks:
    ~3 s), and the database they were sent from."""
    folder = tmp_path_factory.mktemp("prelim")
    shutil.copy(demo_db_file, folder / "demo.db")
    db = open_database(folder / "demo.db")
    paths = export_prelim(db, DEMO_ROUND, folder / "初步结果").value
    yield db, paths
    db.dispose()


def test_preliminary_results_one_workbook_per_unit_and_the_first_stage_kept(
    prelim, tmp_path: Path
) -> None:
    demo, paths = prelim
    assert len(paths) == 80
    mine = next(p for p in paths if UNIT in p.name)
    sheet = load_workbook(mine).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(UNIT in t for t in texts) and "申辩理由" in texts
    assert f"{final_of(demo):.2f}" in " ".join(texts)
    first = stage_finals(demo, DEMO_ROUND)["初评"]
    assert first[UNIT] == final_of(demo)
    export_prelim(demo, DEMO_ROUND, tmp_path / "再次", units=[UNIT])  # one unit's, sent again
    assert stage_finals(demo, DEMO_ROUND)["初评"] == first  # taken once


def test_preliminary_results_carry_the_calculation_and_the_rounding_note(prelim) -> None:
    demo, written = prelim
    _, full_marks, explained = explain_round(demo, DEMO_ROUND)
    rules = compute_round_results(demo, DEMO_ROUND).rules
    paths = {p.name: p for p in written}
    noted = 0
    for x in explained:
        # the workbook lists the leaves but no area subtotals
        calculation = unit_calculation(x, full_marks, rules.bonus_cap, area_subtotals=False)
        path = next(p for name, p in paths.items() if f"-{x.result.unit}-" in name)
        rows = [
            tuple(v for v in row if v is not None)
            for row in load_workbook(path).active.iter_rows(values_only=True)
        ]
        assert ("四舍五入保留两位小数", f"最终得分 {x.result.final:.2f}") in rows
        assert [r for r in rows if r[:1] == ("最终得分（精确值）",)] == [
            ("最终得分（精确值）", dict(calculation.lines)["最终得分（精确值）"])
        ]
        notes = [r for r in rows if r and str(r[0]).startswith("注：")]
        assert notes == ([(calculation.note,)] if calculation.note else [])
        noted += bool(notes)
    assert 0 < noted < len(explained)


def test_a_published_round_refuses_objections_and_self_assessments(demo, tmp_path: Path) -> None:
    leaf = leaf_of(demo, "扣分")
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "理由").value
    publish_now(demo, DEMO_ROUND)
    with pytest.raises(UserError, match="只读"):
        add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "理由")
    with pytest.raises(UserError, match="只读"):
        review_objection(demo, DEMO_ROUND, number, accept=False, reason="晚了")
    path = write_sheet(tmp_path / f"{UNIT}.xlsx", ["指标编码", "自评得分"], [[leaf.code, 1]])
    with pytest.raises(UserError, match="只读"):
        import_self_assessment(demo, path, DEMO_ROUND)
    with demo.engine.begin() as connection, pytest.raises(Exception, match="只读"):
        connection.exec_driver_sql("UPDATE objections SET status = '已采纳'")
