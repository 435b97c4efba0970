"""The 分析 page (issue 20) on a small year: the comparison lists what found no counterpart
and a link picked there pairs it (and is kept); the simulation and the assessors' analysis run
off the GUI thread, show their tables, sentences and charts, stop on 取消 and export."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.models.database import Database
from app.models.opening import open_database
from app.services.changes import Topic
from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.analysis.page import AnalysisPage
from tests.analysis_year import EARLIER, NOW, OLD, ROUND, STRICT, UNITS, build_analysis_year
from tests.small_round import ASSESSOR


@pytest.fixture(scope="module")
def year_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_analysis_year(tmp_path_factory.mktemp("analysis-year"))


@pytest.fixture
def page(year_file: Path, tmp_path: Path, qtbot: QtBot) -> Iterator[AnalysisPage]:
    shutil.copy(year_file, tmp_path / "year.db")
    db: Database = open_database(tmp_path / "year.db")
    shown = AnalysisPage(db)
    qtbot.addWidget(shown)
    shown.resize(1300, 850)
    shown.show()
    shown.round_box.setCurrentText(ROUND)
    yield shown
    shown.close()
    db.dispose()


def test_compare_lists_the_unmatched_and_a_link_picked_there_pairs_them(
    page: AnalysisPage, qtbot: QtBot, qtmodeltester
) -> None:
    tab = page.compare_tab
    assert tab.earlier_box.currentText() == EARLIER
    qtbot.waitUntil(lambda: tab.model.rowCount() == len(UNITS), timeout=20000)
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.unmatched_model)
    rows = [tab.unmatched_model.row_at(r) for r in range(tab.unmatched_model.rowCount())]
    assert {(r["label"], r["side"]) for r in rows} == {(OLD, "gone"), (NOW, "new")}
    assert "未能对应的单位" in tab.sentences.text()
    assert tab.chart.canvas is not None  # the arrows are drawn
    tab.unmatched.setCurrentIndex(tab.unmatched_model.index(
        next(i for i, r in enumerate(rows) if r["side"] == "gone"), 0))  # fmt: skip
    with qtbot.waitSignal(page.changes_made) as announced:
        tab.link_selected(choice=NOW)
    assert announced.args[0].touches(Topic.ANALYSIS)
    qtbot.waitUntil(lambda: tab.links_model.rowCount() == 1, timeout=20000)
    assert tab.unmatched_model.rowCount() == 0
    row = next(tab.model.row_at(r) for r in range(tab.model.rowCount())
               if tab.model.row_at(r)["unit"] == NOW)  # fmt: skip
    assert row["match"] == [{"how": "更名", "from": [OLD]}]
    assert tab.model.index(UNITS.index(NOW), tab.model.columnCount() - 1).data() is not None
    tab.links.setCurrentIndex(tab.links_model.index(0, 0))
    with qtbot.waitSignal(page.changes_made):
        tab.unlink_selected()
    qtbot.waitUntil(lambda: tab.unmatched_model.rowCount() == 2, timeout=20000)
    assert tab.links_model.rowCount() == 0


def test_the_simulation_runs_in_the_background_stops_on_cancel_and_exports(
    page: AnalysisPage, qtbot: QtBot, qtmodeltester, tmp_path: Path
) -> None:
    tab = page.robustness_tab
    page.tabs.setCurrentWidget(tab)
    tab.runs.setValue(100_000)
    dialog = tab.run()
    dialog.findChild(QPushButton).click()  # 取消, before the first batch of runs
    qtbot.waitUntil(lambda: tab.progress is None, timeout=20000)
    assert "已取消" in tab.message.text() and "模拟未完成" in tab.sentences.text()
    tab.runs.setValue(60)
    tab.run()
    qtbot.waitUntil(lambda: tab.found is not None and tab.progress is None, timeout=20000)
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == len(UNITS)
    first = tab.model.row_at(0)
    assert first["rank"] == 1 and tab.model.index(0, 1).data() == first["unit"]
    assert "60 次模拟" in tab.sentences.text() and tab.chart.canvas is not None
    tab.export(str(tmp_path / "稳健性.xlsx"))
    assert load_workbook(tmp_path / "稳健性.xlsx").sheetnames[:2] == ["说明", "各单位"]


def test_the_assessors_analysis_flags_the_strict_assessor(
    page: AnalysisPage, qtbot: QtBot, qtmodeltester, tmp_path: Path
) -> None:
    tab = page.assessors_tab
    page.tabs.setCurrentWidget(tab)
    tab.run()
    qtbot.waitUntil(lambda: tab.found is not None and tab.progress is None, timeout=20000)
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.alpha_model)
    rows = {tab.model.row_at(r)["assessor"]: tab.model.row_at(r) for r in range(2)}
    assert rows[STRICT]["flag"] == "偏严" and rows[ASSESSOR]["flag"] == "偏宽"
    assert tab.model.index(0, 6).data() != "—"  # each assessor was left out in turn
    assert STRICT in tab.sentences.text()
    assert tab.alpha_model.index(0, 0).data() == "全部"
    assert tab.leniency_chart.canvas is not None and tab.alpha_chart.canvas is not None
    tab.export(str(tmp_path / "一致性.xlsx"))
    assert "各考核组" in load_workbook(tmp_path / "一致性.xlsx").sheetnames
    assert tab.table.currentIndex().data(OBJECT_ROLE) is None  # nothing chosen by the test


def test_a_change_elsewhere_clears_a_simulation_of_older_data(page: AnalysisPage, qtbot) -> None:
    tab = page.robustness_tab
    tab.runs.setValue(50)
    tab.run()
    qtbot.waitUntil(lambda: tab.found is not None and tab.progress is None, timeout=20000)
    from app.services.changes import Changes

    page.refresh_for(Changes.of(Topic.SCORES))
    assert tab.found is None and tab.model.rowCount() == 0


def test_three_rounds_draw_each_units_trend_in_its_row(qtbot: QtBot) -> None:
    """Issue 20 §1: with three or more rounds, each unit's trend (a small line per unit)."""
    from PySide6.QtWidgets import QTableView

    from app.ui.itemmodels.analysis_table_models import TREND_ROLE, ComparisonTableModel
    from app.ui.pages.analysis.trend_delegate import TrendDelegate

    def unit(name: str, finals: list[str | None], trend: str | None) -> dict:
        return {
            "unit": name, "category": "市直部门", "final": finals, "rank": [1, 2, 1],
            "category_rank": [1, 2, 1], "match": [{"how": "同名", "from": [name]}],
            "change": {"final": "+1.00", "rank": 1, "category_rank": 1}, "trend": trend,
        }  # fmt: skip

    model = ComparisonTableModel()
    model.set_comparison({"years": [2024, 2025], "units": [unit("市司法局", ["90", "91"], None)]})
    assert model.trend_column is None  # two rounds: a change, not a trend
    rows = [unit("市司法局", ["88.50", "90.00", "91.25"], "+1.38"),
            unit("市档案馆", [None, "86.00", "84.00"], "-2.00")]  # fmt: skip
    model.set_comparison({"years": [2023, 2024, 2025], "units": rows})
    column = model.trend_column
    assert column == model.columnCount() - 1
    assert model.headerData(column, Qt.Orientation.Horizontal) == "趋势"
    assert model.index(0, column).data(TREND_ROLE) == [88.5, 90.0, 91.25]
    assert model.index(1, column).data(TREND_ROLE) == [None, 86.0, 84.0]
    assert model.index(0, column).data() == "每年 +1.38"
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(column, TrendDelegate(view))
    view.resize(1200, 200)
    view.show()
    image = view.grab().toImage()
    assert not image.isNull()
