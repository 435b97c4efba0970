"""Issue 17: a whole year in the window, on an empty database, as the clerk does it — the unit
list and the indicator system imported, a round with its 分工, scores typed in the grid and
offline workbooks out and back, satisfaction, an objection written by the unit in its 初步结果
file, imported and reviewed, the
publication check, 公示 and publication, a notice, the ledger and its statistics. Every step goes
through the window's own pages, buttons and dialogs (tests/ui/year_walk_clerk.py); nothing is
written behind its back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app.models.opening import open_database
from app.ui.fonts import interface_font, register_bundled_fonts
from app.ui.main_window import MainWindow
from tests.ui import year_walk_objections as objections
from tests.ui import year_walk_paper as paper
from tests.ui import year_walk_steps as step
from tests.ui.year_walk_clerk import Clerk


@pytest.fixture
def clerk(qtbot, qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    font = qapp.font()
    register_bundled_fonts()  # as the program starts: Chinese drawn in the screenshots
    qapp.setFont(interface_font())
    db = open_database(tmp_path / "kaoping.db")  # her first start: an empty database
    window = MainWindow(db, "kaoping.db")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield Clerk(qtbot, window, monkeypatch)
    db.dispose()
    qapp.setFont(font)


def test_a_year_in_the_window(clerk: Clerk, tmp_path: Path) -> None:
    # January: the unit list from 组织部 and last year's 考核细则.
    step.import_units(clerk, step.office_unit_list(tmp_path / "2025年考核对象名单.xlsx"))
    step.import_framework(
        clerk, step.office_framework(tmp_path / "考核细则.xlsx"), "2025年指标体系"
    )
    # February: the round, and who scores what.
    step.create_round(clerk, "2025年指标体系")
    step.assign_assessors(clerk)
    # March: a few scores in the grid; the rest in the assessors' workbooks, out and back.
    step.score_in_grid(clerk)
    workbooks = step.export_offline_workbooks(clerk, tmp_path / "离线评分表")
    assert sorted(step.fill_workbook(p) for p in workbooks) == sorted([step.OFFICE, step.JUSTICE])
    step.import_offline_workbooks(clerk, workbooks)
    grid = clerk.go("评分录入")
    assert step.grid_cell(clerk, step.JUSTICE, "市财政局", "2.1.1").data() == "2"
    clerk.qtbot.waitUntil(lambda: "已评" in grid.progress.text())
    clerk.shoot(clerk.window, "1_grid")
    step.satisfaction(clerk, tmp_path / "满意度.xlsx")
    assert grid is clerk.window.scoring_page
    # April: preliminary results, an objection recorded and reviewed, the check, publication.
    step.step_forward(clerk, "审核中")
    before = step.final_of(clerk, "市财政局")
    prelims = objections.export_prelim(clerk, tmp_path / "初步结果")
    (finance,) = [p for p in prelims if "市财政局" in p.name]
    objections.unit_writes_objection(finance, "2.1.1", "其中一项决策已补做合法性审查", "29")
    assert objections.import_objections(clerk, prelims) == ["无申辩"] * 3 + ["将新增"]
    assert "待复核 1 件" in clerk.window.review_page.counts.text()
    step.accept_objection(clerk, "29", "经核实，一项决策已履行合法性审查程序")
    assert step.final_of(clerk, "市财政局") > before  # the ranking follows the review
    summary = step.run_gate(clerk)
    assert summary == "没有发现问题，可以发布。", summary
    step.step_forward(clerk, "公示中", until=date.today() + timedelta(days=7))
    step.week_passes(clerk)
    step.step_forward(clerk, "已发布")
    results = clerk.go("结果排名")
    assert step.ranks(clerk) == {"市司法局": "1", "市财政局": "2", "市公安局": "3", "市档案馆": "4"}
    assert "状态：已发布" in results.caption.text()
    assert "优秀" in results.summary.text()
    clerk.shoot(clerk.window, "2_results")
    # May: the 整改通知书 for the unit whose deduction stood.
    paper.office_wording(clerk)
    paper.issue_notice(clerk, "市财政局", tmp_path / "文书")
    # June to December: the ledger, one problem closed, the statistics.
    found = paper.register_deductions(clerk)
    proof = tmp_path / "审查意见书.pdf"
    proof.write_bytes(b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 20 + b"%%EOF\n")
    paper.close_problem(clerk, "市财政局", proof)
    clerk.shoot(clerk.window, "3_ledger")
    stats = paper.statistics(clerk, found)
    clerk.shoot(stats, "4_statistics")
    stats.reject()
    clerk.all_answered()
