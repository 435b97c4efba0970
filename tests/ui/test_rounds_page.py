"""考核批次 page: create a round, move its status forward, refuse a skipped step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.models.opening import open_database
from app.services.rounds import list_rounds
from app.ui.pages.new_round_dialog import NewRoundDialog
from app.ui.pages.rounds_page import RoundsPage


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    widget = RoundsPage(db)
    qtbot.addWidget(widget)
    yield widget
    db.dispose()


def test_forward_button_moves_the_status_and_records_it(page: RoundsPage) -> None:
    assert page.forward_button.text() == "推进到“审核中”"
    page.forward_button.click()
    assert list_rounds(page._db)[0].status == "审核中"
    assert "评分中 → 审核中" in page.details.text()
    assert page.forward_button.text() == "推进到“公示中”"


def test_new_round_dialog_creates_a_round_or_says_why_not(qtbot, page: RoundsPage) -> None:
    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("2026年度示范创建考核")
    dialog.framework_box.setCurrentText("法治云州示范创建指标体系")
    dialog.grades_edit.setText("优秀:90,良好:95")
    dialog.accept()
    assert "从高到低" in dialog.error.text()
    dialog.grades_edit.setText("优秀:85,合格:60,不合格:0")
    dialog.accept()
    created = next(r for r in list_rounds(page._db) if r.name == "2026年度示范创建考核")
    assert created.units == 80
    assert [b.name for b in created.rules.grades] == ["优秀", "合格", "不合格"]
    assert str(created.rules.satisfaction_weight) == "0.2"
