"""考核批次 page: create a round, move its status forward, refuse a skipped step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.rounds.definition import list_rounds
from app.ui.pages.new_round_dialog import NewRoundDialog
from app.ui.pages.rounds_page import RoundsPage
from app.ui.pages.status_step_dialog import StatusStepDialog


def step_dialog(qtbot, page: RoundsPage) -> StatusStepDialog:
    qtbot.waitUntil(
        lambda: page.step_dialog is not None and page.step_dialog.isVisible(), timeout=30000
    )
    assert page.step_dialog is not None
    return page.step_dialog


def double_click(qtbot, button) -> None:
    """What a double-click delivers to a button: two clicks (QTest's mouseDClick sends only
    the double-click event, which a button does not turn into a click)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def confirm(qtbot, page: RoundsPage) -> None:
    step_dialog(qtbot, page).ok_button.click()


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    widget = RoundsPage(db)
    qtbot.addWidget(widget)
    yield widget
    db.dispose()


@pytest.fixture
def sheets_page(qtbot, db_path: Path, tmp_path: Path):
    """The page on a small round with two assessors' offline sheets (tests/small_round.py)."""
    from tests.small_round import build_sheets_round

    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    build_sheets_round(db, tmp_path / "round", ["市司法局", "市公安局", "市财政局"])
    widget = RoundsPage(db)
    qtbot.addWidget(widget)
    yield widget
    db.dispose()


def test_forward_button_moves_the_status_and_records_it(qtbot, page: RoundsPage) -> None:
    assert page.forward_button.text() == "推进到“审核中”"
    page.forward_button.click()
    confirm(qtbot, page)
    assert list_rounds(page._db)[0].status == "审核中"
    assert "评分中 → 审核中" in page.details.text()
    assert page.forward_button.text() == "推进到“公示中”"


def test_new_round_dialog_creates_a_round_or_says_why_not(qtbot, page: RoundsPage) -> None:
    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("2026年度示范创建考核")
    dialog.framework_box.setCurrentText("法治云州示范创建指标体系")
    dialog.rules_form.grades_edit.setText("优秀:90,良好:95")
    dialog.accept()
    assert "从高到低" in dialog.error.text()
    dialog.rules_form.grades_edit.setText("优秀:85,合格:60,不合格:0")
    dialog.accept()
    created = next(r for r in list_rounds(page._db) if r.name == "2026年度示范创建考核")
    assert created.units == 80
    assert [b.name for b in created.rules.grades] == ["优秀", "合格", "不合格"]
    assert str(created.rules.satisfaction_weight) == "0.2"


def test_new_round_for_one_category_with_its_grades_and_deadlines(qtbot, page: RoundsPage) -> None:
    from datetime import date

    from PySide6.QtCore import QDate

    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("2026年度政法部门考核")
    dialog.category_choice.setCurrentText("政法部门")
    dialog.choose(lambda category: category == "政法部门")
    assert "已选 12 / 80" in dialog.chosen_label.text()
    dialog.units_model.item(0).setCheckState(Qt.CheckState.Checked)  # and one more by hand
    dialog.rules_form.category_grades_edit.setPlainText("政法部门=优秀:92,良好:80,合格:60,不合格:0")
    (scoring, scoring_on), (objections, objections_on), _ = dialog.due_boxes
    scoring_on.setChecked(True)
    scoring.setDate(QDate(2026, 12, 20))
    objections_on.setChecked(True)
    objections.setDate(QDate(2026, 12, 1))
    dialog.accept()
    assert "申辩截止" in dialog.error.text() and "不能早于" in dialog.error.text()
    objections.setDate(QDate(2026, 12, 31))
    dialog.accept()
    assert dialog.error.text() == ""
    created = next(r for r in list_rounds(page._db) if r.name == "2026年度政法部门考核")
    assert created.units == 13
    assert created.deadlines.scoring == date(2026, 12, 20)
    assert created.deadlines.publication is None
    assert created.rules.category_grades["政法部门"][0].minimum == 92
    page.reload(keep=created.name)
    assert "评分截止 2026-12-20" in page.details.text()


def test_a_round_without_any_unit_is_refused(qtbot, page: RoundsPage) -> None:
    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("空批次")
    dialog.choose(lambda _category: False)
    dialog.accept()
    assert "没有可参加考核的单位" in dialog.error.text()
    assert all(r.name != "空批次" for r in list_rounds(page._db))


def test_assignments_from_the_rounds_page(qtbot, page: RoundsPage) -> None:
    from app.services.entry.assignment_admin import round_work
    from app.ui.pages.assignments_dialog import NewAssignmentDialog, checked

    dialog = page.edit_assignments()
    qtbot.addWidget(dialog)
    assessors = [dialog.model.row_at(r).assessor for r in range(dialog.model.rowCount())]
    assert "司法局考核组" in assessors  # the default 分工 by 牵头单位
    dialog.new_assessor({"name": "第三方评估组", "department": "评估机构", "own_unit": None})
    picker = NewAssignmentDialog(page._db, dialog.round_name)
    qtbot.addWidget(picker)
    picker.assessor.setCurrentText("第三方评估组")
    first_area = picker.nodes.item(0)
    first_area.child(0).setCheckState(Qt.CheckState.Checked)  # a second-level subtree
    picker.some_units.setChecked(True)
    picker.units.item(0).setCheckState(Qt.CheckState.Checked)
    values = picker.values()
    assert values["leaves"] == [first_area.child(0).data(Qt.ItemDataRole.UserRole + 1)]
    assert checked(picker.units) == [picker.units.item(0).text()]
    dialog.new_assignment(values)
    mine = next(w for w in round_work(page._db, dialog.round_name) if w.assessor == "第三方评估组")
    assert mine.units == [picker.units.item(0).text()] and mine.cells == len(mine.leaves)
    own = next(w for w in round_work(page._db, dialog.round_name) if w.own_unit)
    dialog.new_assignment({"assessor": own.assessor, "leaves": ["1"], "units": [own.own_unit]})
    assert "回避" in dialog.message.text()
    row = next(
        r
        for r in range(dialog.model.rowCount())
        if dialog.model.row_at(r).assessor == "第三方评估组"
    )
    dialog.table.selectRow(row)
    dialog.remove_selected()
    assert "已取消" in dialog.message.text()
    assert all(w.assessor != "第三方评估组" for w in round_work(page._db, dialog.round_name))


def test_offline_sheets_out_and_back_with_the_changes_shown_first(
    qtbot, sheets_page: RoundsPage, tmp_path: Path, monkeypatch
) -> None:
    page = sheets_page
    from openpyxl import load_workbook

    from app.services.entry.grid import load_grid

    folder = tmp_path / "评分表"
    page.export_sheets(str(folder))
    qtbot.waitUntil(lambda: "已导出" in page.message.text(), timeout=60000)
    path = sorted(folder.glob("*.xlsx"))[0]
    book = load_workbook(path)
    sheet = book["评分表"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet[f"H{r}"].value in (None, ""))
    unit, code = sheet[f"B{row}"].value, sheet[f"C{row}"].value
    sheet[f"H{row}"] = "不适用"
    book.save(path)
    shown = []

    def confirm(checks):
        shown.append([(d.unit, d.leaf, d.new) for c in checks for d in c.diffs])
        return len(shown) == 2  # the first time the user cancels

    monkeypatch.setattr(page, "confirm_sheet_diffs", confirm)
    before = dict(load_grid(page._db, page.current().name).values)
    page.import_sheets([str(path)])
    qtbot.waitUntil(lambda: "已取消" in page.message.text(), timeout=30000)
    assert shown[0] == [(unit, code, "不适用")]
    assert dict(load_grid(page._db, page.current().name).values) == before
    page.import_sheets([str(path)])
    qtbot.waitUntil(lambda: "已导入" in page.message.text(), timeout=30000)
    assert "1 格" in page.message.text()
    wrong = tmp_path / "别人的.xlsx"
    book = load_workbook(path)
    book["评分表"]["C4"] = "9.9.9"  # a protected cell edited
    book.save(wrong)
    page.import_sheets([str(wrong)])
    qtbot.waitUntil(lambda: "已取消" in page.message.text(), timeout=30000)
    assert len(shown) == 3 and shown[2] == []  # the bad workbook shown, nothing to apply


def test_one_bad_workbook_does_not_hold_back_the_good_ones(
    qtbot, sheets_page: RoundsPage, tmp_path: Path, monkeypatch
) -> None:
    """Seen (issue 17): one bad workbook in a batch blocked all of them. Each workbook is its
    own all-or-nothing unit: the preview gives each its state, the good ones are applied and
    the bad one is named with its cell."""
    page = sheets_page
    from openpyxl import load_workbook

    from app.services.entry.grid import load_grid
    from app.ui.pages.offline_sheets import SheetDiffDialog

    folder = tmp_path / "评分表"
    page.export_sheets(str(folder))
    qtbot.waitUntil(lambda: "已导出" in page.message.text(), timeout=60000)
    good, bad = sorted(folder.glob("*.xlsx"))[:2]
    edited = {}
    for path, value in ((good, "不适用"), (bad, "不适用")):
        book = load_workbook(path)
        sheet = book["评分表"]
        row = next(r for r in range(4, sheet.max_row + 1) if sheet[f"H{r}"].value in (None, ""))
        sheet[f"H{row}"] = value
        edited[path] = (sheet[f"B{row}"].value, sheet[f"C{row}"].value)
        if path == bad:
            sheet["C4"] = "9.9.9"  # a protected cell edited: this workbook is refused
        book.save(path)
    dialogs = []

    def confirm(checks):
        dialog = SheetDiffDialog(checks, page)
        dialogs.append(dialog)
        return dialog.apply_button.isEnabled()

    monkeypatch.setattr(page, "confirm_sheet_diffs", confirm)
    page.import_sheets([str(bad), str(good)])
    qtbot.waitUntil(lambda: "已导入" in page.message.text(), timeout=30000)
    dialog = dialogs[0]
    states = [dialog.files.index(r, 1).data() for r in range(2)]
    assert "有 1 处问题" in states[0] and "可导入：1 格" in states[1]
    assert "第 4 行，C 列" in dialog.problems.toPlainText()
    message = page.message.text()
    assert "已导入 1 份评分表，1 格" in message and bad.name in message
    values = load_grid(page._db, page.current().name).values
    applied = {(u, leaf) for (u, leaf, _a), v in values.items() if v.not_applicable}
    assert edited[good] in applied and edited[bad] not in applied


def test_a_double_click_moves_one_step_and_enter_cancels(qtbot, page: RoundsPage) -> None:
    """Seen: after 退回, a double-click on 推进 went two steps in one gesture."""
    page.show()
    qtbot.waitExposed(page)
    double_click(qtbot, page.forward_button)
    dialog = step_dialog(qtbot, page)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter does not step: the button does
    qtbot.waitUntil(lambda: page.step_dialog is None)
    assert list_rounds(page._db)[0].status == "评分中"
    double_click(qtbot, page.forward_button)
    qtbot.mouseClick(page.forward_button, Qt.MouseButton.LeftButton)  # and a third, for luck
    confirm(qtbot, page)
    qtbot.wait(50)
    assert page.step_dialog is None
    assert list_rounds(page._db)[0].status == "审核中"


def test_publishing_shows_the_check_and_an_override_needs_a_reason(qtbot, page: RoundsPage) -> None:
    """Seen: publishing took one click, with no confirmation, with the 公示 still running."""
    from app.services.access.audit import list_changes
    from app.services.review.round_status import change_status
    from tests.publishing import AFTER_PUBLICITY

    change_status(page._db, list_rounds(page._db)[0].name, "审核中")
    page.reload()
    page.forward_button.click()
    dialog = step_dialog(qtbot, page)
    assert dialog.target == "公示中" and dialog.ok_button.isEnabled()
    from datetime import date, timedelta

    from PySide6.QtCore import QDate

    dialog.until_box.setDate(QDate(date.today() + timedelta(days=7)))  # 公示 for seven days
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: list_rounds(page._db)[0].status == "公示中")
    assert list_rounds(page._db)[0].deadlines.publication == date.today() + timedelta(days=7)
    assert AFTER_PUBLICITY  # the demo's 公示 runs past today: the check blocks publication
    page.forward_button.click()
    dialog = step_dialog(qtbot, page)
    assert dialog.target == "已发布"
    kinds = [dialog.items.item_at(r).kind for r in range(dialog.items.rowCount())]
    assert "公示未结束" in kinds
    assert not dialog.ok_button.isEnabled()
    dialog.override_box.setChecked(True)
    assert not dialog.ok_button.isEnabled()  # not without a reason
    dialog.reason_edit.setText("市委要求提前发布")
    assert dialog.ok_button.isEnabled()
    dialog.grab().save(str(Path(page._db.path).parent / "publish.png"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: list_rounds(page._db)[0].status == "已发布")
    assert any(r.action == "越过发布检查" for r in list_changes(page._db))


def test_new_round_shows_places_per_scope_and_warns_at_none(qtbot, page: RoundsPage) -> None:
    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    form = dialog.rules_form
    dialog.choose(lambda category: category == "政法部门")
    form.quota_box.setValue(30)
    assert "个名额" in form.places.text()
    dialog.choose(lambda _category: False)
    dialog.units_model.item(0).setCheckState(Qt.CheckState.Checked)  # a category of one unit
    assert "没有优秀名额" in form.places.text()
    form.rounding_box.setCurrentIndex(form.rounding_box.findText("四舍五入"))
    form.quota_box.setValue(50)
    assert "1 个名额" in form.places.text() and "没有优秀名额" not in form.places.text()


def test_rules_and_exemptions_are_edited_until_publication(qtbot, page: RoundsPage) -> None:
    from app.services.access.audit import list_changes
    from app.services.rounds.definition import list_rounds as rounds_now

    dialog = page.edit_rules()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.form.ties_box.setCurrentIndex(dialog.form.ties_box.findData("exclude"))
    dialog.reason_edit.setText("名额线上不再并列")
    unit = dialog.unit_box.itemText(0)
    dialog.exempt_reason.setText("改由履职评议考核")
    dialog.exempt_button.click()
    assert dialog.exemptions.rowCount() == 1 and dialog.unit_box.findText(unit) == -1
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    rules = rounds_now(page._db)[0].rules
    assert str(rules.quota_ties) == "exclude" and rules.satisfaction_exempt == {unit}
    assert "并列超出名额的都不评优秀" in page.details.text()
    logged = [(r.entity, r.reason) for r in list_changes(page._db)]
    assert ("考核规则", "名额线上不再并列") in logged
    assert ("满意度免测", "改由履职评议考核") in logged
    dialog = page.edit_rules()
    qtbot.addWidget(dialog)
    dialog.exemptions_view.selectRow(0)
    dialog.withdraw("已补做测评")
    assert dialog.exemptions.rowCount() == 0


def test_a_new_round_is_corrected_then_deleted_from_the_page(qtbot, page: RoundsPage) -> None:
    """Seen: a round could be neither edited nor deleted after creation."""
    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("2026年度示范创建考核")
    dialog.framework_box.setCurrentText("法治云州示范创建指标体系")
    dialog.accept()
    page.reload("2026年度示范创建考核")
    edit = page.edit_round()
    assert edit is not None and edit.name_edit.text() == "2026年度示范创建考核"
    assert len(edit.chosen_units()) == 80 and edit.rules_form.isHidden()
    edit.name_edit.setText("2026年度示范创建考核（第一批）")
    edit.choose(lambda category: category == edit.category_choice.itemText(0))
    edit.accept()
    assert not edit.isVisible() and page.current().name == "2026年度示范创建考核（第一批）"
    assert page.current().units == len(edit.chosen_units()) < 80
    page.delete_round("建错了")
    assert "2026年度示范创建考核（第一批）" not in [r.name for r in list_rounds(page._db)]
    page.reload(DEMO_ROUND)
    page.delete_round("误删")
    assert "已有评分" in page.message.text() and page.current().name == DEMO_ROUND


def test_a_date_typed_into_a_deadline_is_kept(qtbot, page: RoundsPage) -> None:
    """Seen: a date typed into a deadline field was ignored unless its box was ticked too."""
    from datetime import date

    from PySide6.QtCore import QDate

    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    box, check = dialog.due_boxes[0]
    box.setDate(QDate(2026, 11, 30))
    assert check.isChecked() and dialog.deadlines().scoring == date(2026, 11, 30)


def test_the_assignments_dialog_shows_open_leaves_and_assigns_them_by_lead(
    qtbot, page: RoundsPage
) -> None:
    """Seen: the 分工 dialog said assignment was automatic and showed nothing — the round had
    been made before its assessors, so the automatic 分工 had found nobody."""
    from app.services.entry.assignment_admin import round_work, unassign
    from app.services.rounds.lead_assignments import unassigned_leaves

    dialog = NewRoundDialog(page._db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("2026年度示范创建考核")
    dialog.framework_box.setCurrentText("法治云州示范创建指标体系")
    dialog.accept()
    name = "2026年度示范创建考核"
    for work in round_work(page._db, name):  # as if made before its assessors existed
        unassign(page._db, name, work.assessor)
    page.reload(name)
    assignments = page.edit_assignments()
    assert assignments is not None and assignments.model.rowCount() == 0
    assert "尚无评分人的指标" in assignments.open_leaves.text()
    assignments.assign_by_lead()
    assert assignments.model.rowCount() > 0
    assert unassigned_leaves(page._db, name) == [] or assignments.open_leaves.isVisible()
    assert "已按牵头单位分工" in assignments.message.text()
