"""计算过程: a unit's calculation in the window — trimmed values struck through, each leaf's mean
with its exact value, the words ending on the ranking's final — opened from the ranking, the
score grid and the objections page for the right unit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from app.demo.build import DEMO_ROUND
from app.models.database import Database
from app.models.opening import open_database
from app.scoring.explain import NOT_APPLICABLE
from app.services.review.explain import exact, unit_calculation
from app.services.review.results import compute_round_results, money
from app.ui import tasks
from app.ui.itemmodels.ranking_table_model import FINAL, OBJECT_ROLE, UNIT
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.itemmodels.unit_calculation_model import STATUS, UnitCalculationModel
from app.ui.pages.results_page import ResultsPage
from app.ui.pages.review.page import ReviewPage
from app.ui.pages.scoring.page import ScoringPage
from app.ui.pages.unit_calculation_dialog import UnitCalculationDialog, show_unit_calculation

LOADED = 20000  # ms: the calculation is read off the GUI thread


@pytest.fixture
def db(demo_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    database = open_database(tmp_path / "demo.db")
    yield database
    database.dispose()


def loaded(qtbot, dialog: UnitCalculationDialog | None, unit: str) -> UnitCalculationDialog:
    assert dialog is not None and dialog.unit == unit and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.calculation is not None, timeout=LOADED)
    assert dialog.calculation.explanation.result.unit == unit
    return dialog


def double_click(qtbot, view, index: QModelIndex) -> None:
    """As a person does it: the press that picks the row, then the double-click."""
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def leaf_rows(model: UnitCalculationModel) -> list[QModelIndex]:
    return [
        model.index(row, 0, model.index(area, 0))
        for area in range(model.rowCount())
        for row in range(model.rowCount(model.index(area, 0)))
    ]


def test_the_model_passes_qt_checks(qtmodeltester, db: Database) -> None:
    model = UnitCalculationModel()
    unit = compute_round_results(db, DEMO_ROUND).result.units[0].unit
    model.set_calculation(unit_calculation(db, DEMO_ROUND, unit))
    qtmodeltester.check(model)
    assert model.rowCount() == 5  # the demo's five areas, each a parent row
    assert len(leaf_rows(model)) == 102


def test_trimmed_values_are_struck_through_and_the_words_end_on_the_rankings_final(
    qtbot, db: Database
) -> None:
    ranking = compute_round_results(db, DEMO_ROUND).result.units
    unit = ranking[0].unit
    page = ResultsPage(db)
    qtbot.addWidget(page)
    dialog = show_unit_calculation(page, db, DEMO_ROUND, unit)
    assert dialog.calculation is None  # nothing blocks: the figures arrive by signal
    loaded(qtbot, dialog, unit)
    model = dialog.model
    struck = kept = 0
    for index in leaf_rows(model):
        leaf = model.leaf_at(index)
        assert leaf is not None
        for column in range(len(model.assessors)):
            cell = index.siblingAtColumn(STATUS + 1 + column)
            value = next((a for a in leaf.assessors if a.assessor == model.assessors[column]), None)
            font = cell.data(Qt.ItemDataRole.FontRole)
            if value is not None and value.trimmed:
                struck += 1
                assert font.strikeOut()
                assert "去掉一个最高分" in cell.data(Qt.ItemDataRole.ToolTipRole) or (
                    "去掉一个最低分" in cell.data(Qt.ItemDataRole.ToolTipRole)
                )
            elif value is not None:
                kept += 1
                assert font is None or not font.strikeOut()
        score = index.siblingAtColumn(model.score_column)
        if leaf.status == NOT_APPLICABLE:
            assert score.data() == "—"
        elif leaf.score is not None:
            assert score.data() == money(leaf.score)
            assert exact(leaf.score) in score.data(Qt.ItemDataRole.ToolTipRole)
    assert struck > 0 and struck % 2 == 0 and kept > struck
    final = f"{ranking[0].final:.2f}"
    words = dialog.summary.text()
    assert f"四舍五入保留两位小数为 {final}" in words or f"最终得分 {final}（精确值" in words
    assert "折算系数" in words or "不折算" in words
    assert f"最终得分 {final}" in dialog.heading.text() and "第 1 名" in dialog.heading.text()
    subtotal = model.index(0, model.score_column)
    assert subtotal.data() == money(ranking[0].areas[model.index(0, 0).data()])
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().splitlines()[1:] == words.splitlines()


def test_a_vetoed_unit_says_so(qtbot, db: Database) -> None:
    vetoed = next(u for u in compute_round_results(db, DEMO_ROUND).result.units if u.veto)
    page = ResultsPage(db)
    qtbot.addWidget(page)
    dialog = loaded(qtbot, show_unit_calculation(page, db, DEMO_ROUND, vetoed.unit), vetoed.unit)
    assert "一票否决：指标" in dialog.summary.text() and "一票否决" in dialog.heading.text()


def test_closing_before_the_figures_arrive_is_harmless(qtbot, db: Database) -> None:
    page = ResultsPage(db)
    qtbot.addWidget(page)
    dialog = show_unit_calculation(page, db, DEMO_ROUND, page.proxy.index(0, UNIT).data())
    dialog.close()
    qtbot.waitUntil(lambda: not tasks._running, timeout=LOADED)


def test_an_unknown_unit_is_said_plainly(qtbot, db: Database) -> None:
    page = ResultsPage(db)
    qtbot.addWidget(page)
    dialog = show_unit_calculation(page, db, DEMO_ROUND, "不存在的单位")
    qtbot.waitUntil(lambda: "无法计算" in dialog.heading.text(), timeout=LOADED)
    assert "不是考核批次" in dialog.summary.text()


def test_the_ranking_opens_the_row_double_clicked_or_chosen(qtbot, db: Database) -> None:
    page = ResultsPage(db)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    assert not page.detail_button.isEnabled()  # nothing chosen yet
    index = page.proxy.index(3, UNIT)
    unit, final = index.data(), page.proxy.index(3, FINAL).data()
    double_click(qtbot, page.table, index)
    dialog = loaded(qtbot, page.findChild(UnitCalculationDialog), unit)
    assert f"为 {final}" in dialog.summary.text() or f"最终得分 {final}（" in dialog.summary.text()
    dialog.close()
    page.table.selectRow(5)
    assert page.detail_button.isEnabled()
    page.detail_button.click()
    other = page.proxy.index(5, UNIT).data()
    found = [d for d in page.findChildren(UnitCalculationDialog) if d.isVisible()]
    loaded(qtbot, found[-1], other)


def test_the_grid_opens_the_unit_of_its_column(qtbot, db: Database) -> None:
    page = ScoringPage(db)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    qtbot.waitUntil(lambda: page.ranking.rowCount() > 0, timeout=LOADED)
    assert page.unit_menu(page.model.index(0, 0)) is None  # the code column has no unit
    index = page.model.index(0, len(FIXED) + 2)
    unit = page.model.unit_at(index)
    menu = page.unit_menu(index)
    assert menu is not None and unit.short_name in menu.actions()[0].text()
    menu.actions()[0].trigger()
    loaded(qtbot, page.findChild(UnitCalculationDialog), unit.name)
    page.view.setCurrentIndex(index)
    assert page.calculation_button.isEnabled()
    first = page.ranking.index(0, UNIT)
    dialog = page.show_calculation(page.ranking.data(first, OBJECT_ROLE).unit)
    loaded(qtbot, dialog, first.data())


def test_the_ranking_beside_the_grid_opens_on_a_double_click(qtbot, db: Database) -> None:
    page = ScoringPage(db)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    qtbot.waitUntil(lambda: page.ranking.rowCount() > 0, timeout=LOADED)
    index = page.ranking.index(2, UNIT)
    double_click(qtbot, page.ranking_view, index)
    loaded(qtbot, page.findChild(UnitCalculationDialog), page.ranking._rows[2].unit)


def test_the_objections_page_opens_the_objecting_unit(qtbot, db: Database) -> None:
    page = ReviewPage(db)
    qtbot.addWidget(page)
    assert not page.calculation_button.isEnabled()
    unit = compute_round_results(db, DEMO_ROUND).result.units[7].unit
    page.new_objection({"unit": unit, "leaf": "1.1.1", "reason": "已整改", "requested": None})
    assert page.selected() is not None and page.calculation_button.isEnabled()
    page.calculation_button.click()
    loaded(qtbot, page.findChild(UnitCalculationDialog), unit)
