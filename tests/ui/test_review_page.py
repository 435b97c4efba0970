"""申辩复核 page: an objection registered through its dialog, accepted with a new score (the
ranking moves) or rejected with a reason, the threshold set, and exports run off the thread."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.review.objections import list_objections, objection_choices
from app.services.rounds.review_settings import disagreement_fraction
from app.ui.pages.review.objection_dialog import ObjectionDialog
from app.ui.pages.review.page import ReviewPage
from tests.services.test_review import UNIT, final_of, leaf_of


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    widget = ReviewPage(db)
    qtbot.addWidget(widget)
    widget.reload()
    yield widget
    db.dispose()


def register_through_the_dialog(page: ReviewPage, monkeypatch, leaf_code: str, reason: str):
    def filled(dialog: ObjectionDialog) -> int:
        dialog.unit.setCurrentText(UNIT)
        dialog.leaf.setCurrentIndex(dialog.leaf.findData(leaf_code))
        dialog.reason.setPlainText(reason)
        dialog.accept()  # OK: the dialog submits, and stays open when refused
        return dialog.result()

    monkeypatch.setattr(ObjectionDialog, "exec", filled)
    return page.new_objection()


def test_register_then_accept_with_a_new_score(page: ReviewPage, monkeypatch) -> None:
    db = page._db
    leaf = leaf_of(db, "扣分")
    assert page.round_box.currentText() == DEMO_ROUND
    number = register_through_the_dialog(page, monkeypatch, leaf.code, "已整改到位")
    assert number is not None and page.model.rowCount() == 1
    assert page.selected().id == number and page.accept_button.isEnabled()
    assert "待复核 1 件" in page.counts.text()
    before = final_of(db)
    page.accept_selected(str(leaf.points))  # full points back
    done = list_objections(db, DEMO_ROUND)[0]
    assert done.status == "已采纳" and done.new_score == leaf.points
    assert final_of(db) >= before
    assert not page.accept_button.isEnabled()  # reviewed once, never again
    assert "已复核" in page.message.text()


def test_reject_needs_a_reason_and_bad_input_is_refused(page: ReviewPage, monkeypatch) -> None:
    leaf = leaf_of(page._db, "是否")
    register_through_the_dialog(page, monkeypatch, leaf.code, "不认可")
    page.reject_selected("")
    assert (
        "理由" in page.message.text()
        and list_objections(page._db, DEMO_ROUND)[0].status == "待复核"
    )
    page.accept_selected("很多")
    assert "不是数字" in page.message.text()
    page.reject_selected("证据不足")
    assert list_objections(page._db, DEMO_ROUND)[0].decision == "证据不足"
    page.status_box.setCurrentText("待复核")
    assert page.proxy.rowCount() == 0
    page.status_box.setCurrentText("未采纳")
    assert page.proxy.rowCount() == 1


def test_an_objection_without_a_reason_is_refused(page: ReviewPage, monkeypatch) -> None:
    leaf = leaf_of(page._db, "扣分")
    assert register_through_the_dialog(page, monkeypatch, leaf.code, "  ") is None
    assert "理由" in page.message.text() and page.model.rowCount() == 0


def test_threshold_is_kept_per_round(page: ReviewPage) -> None:
    page.threshold.setValue(45)
    page.apply_threshold()
    assert disagreement_fraction(page._db, DEMO_ROUND) == Decimal("0.45")
    page.threshold.setValue(10)
    page.show_round(DEMO_ROUND)
    assert page.threshold.value() == 45


def test_preliminary_results_export_in_the_background(qtbot, small_db, tmp_path) -> None:
    """On a small round: one workbook per unit (the demo's 80 are read back in test_review)."""
    page = ReviewPage(small_db)
    qtbot.addWidget(page)
    page.reload()
    page.export_prelim(str(tmp_path / "初步结果"))
    qtbot.waitUntil(lambda: "已导出" in page.message.text(), timeout=60000)
    assert len(list((tmp_path / "初步结果").glob("*.xlsx"))) == 3


def test_self_assessments_in_the_background_stop_at_a_bad_file(
    qtbot, page: ReviewPage, tmp_path: Path
) -> None:
    from app.services.entry.grid import load_grid
    from tests.workbooks import write_sheet

    leaf = leaf_of(page._db, "扣分")
    good = write_sheet(
        tmp_path / f"{UNIT}自评表.xlsx", ["指标编码", "自评扣分"], [[leaf.code, 0.5]]
    )
    bad = write_sheet(
        tmp_path / "坏自评.xlsx", ["单位名称", "指标编码", "自评扣分"], [[UNIT, "9.9.9", 1]]
    )
    page.import_self_assessment([str(good), str(bad)])
    qtbot.waitUntil(lambda: "未导入" in page.message.text(), timeout=20000)
    text = page.message.text()
    assert f"已导入：{UNIT}：1 项" in text and "坏自评.xlsx" in text and "9.9.9" in text
    assert set(load_grid(page._db, DEMO_ROUND).self_scores) == {(UNIT, leaf.code)}


def test_enter_in_the_objection_dialog_keeps_what_was_typed(qtbot, page: ReviewPage) -> None:
    """Seen: Enter in a field closed the dialog, the page then refused it and the input was
    lost. Now the dialog submits itself and stays open, with the input, until it is taken."""
    from PySide6.QtCore import Qt

    leaf = leaf_of(page._db, "扣分")
    submitted: list[dict] = []
    dialog = ObjectionDialog(
        objection_choices(page._db, DEMO_ROUND), page, submit=lambda v: submitted.append(v)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit.setCurrentText(UNIT)
    dialog.leaf.setCurrentIndex(dialog.leaf.findData(leaf.code))
    dialog.requested.setText("0.5")
    qtbot.keyClick(dialog.requested, Qt.Key.Key_Return)
    assert dialog.isVisible() and submitted == []
    assert "理由" in dialog.error.text() and dialog.requested.text() == "0.5"
    dialog.reason.setPlainText("已整改")
    qtbot.keyClick(dialog.requested, Qt.Key.Key_Return)
    assert not dialog.isVisible() and submitted[0]["reason"] == "已整改"


def test_accepting_keeps_the_review_opinion(page: ReviewPage, monkeypatch) -> None:
    """Seen: accepting an objection had no field for the review opinion."""
    from app.ui.pages.review.objection_dialog import ReviewDialog

    leaf = leaf_of(page._db, "扣分")
    register_through_the_dialog(page, monkeypatch, leaf.code, "已整改到位")

    def answered(dialog: ReviewDialog) -> int:
        dialog.score.setText(f"{leaf.points.normalize():f}")
        dialog.opinion.setPlainText("核实已整改，恢复满分")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ReviewDialog, "exec", answered)
    page.accept_selected()
    done = list_objections(page._db, DEMO_ROUND)[0]
    assert done.status == "已采纳" and done.decision == "核实已整改，恢复满分"
