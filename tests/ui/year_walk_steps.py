"""The steps of the year's walk (tests/ui/test_year_walk.py), one function per step, each done
through the window by the Clerk (year_walk_clerk.py) and each checking what she would see.
Steps that touch pages other sessions are changing (the grid, 申辩复核, the offline workbook
import) are small functions of their own so that they are easy to adapt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from app.ui.itemmodels.ranking_table_model import FINAL, RANK, UNIT
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.pages.assignments_dialog import (
    AssessorDialog,
    AssignmentsDialog,
    NewAssignmentDialog,
)
from app.ui.pages.new_round_dialog import NewRoundDialog
from app.ui.pages.offline_sheets import SheetDiffDialog
from app.ui.pages.review.objection_dialog import ObjectionDialog, ReviewDialog
from app.ui.pages.status_step_dialog import StatusStepDialog
from tests.ui.year_walk_clerk import SLOW, Clerk
from tests.workbooks import FRAMEWORK_HEADER, write_sheet

ROUND = "2025年度法治建设考核"
OFFICE, JUSTICE = "依法治市办考核组", "司法局考核组"  # JUSTICE belongs to 市司法局: 回避


# -- January: the unit list and the indicator system -------------------------------------------
def office_unit_list(path: Path) -> Path:
    """What 组织部 sends: a title row, 序号, a stray space, a 合计 row at the bottom."""
    return write_sheet(
        path,
        ("序号", "单位名称", "单位类别"),
        [
            (1, "市司法局", "执法部门"),
            (2, "市公安局 ", "执法部门"),
            (3, " 市财政局", "综合部门"),
            (4, "市档案馆", "综合部门"),
            ("合计", "4个单位", None),
        ],
        title="2025年度法治建设考核对象名单",
    )


def office_framework(path: Path) -> Path:
    """Last year's 考核细则: six leaves in three areas, the rules written as 评分标准 text."""
    return write_sheet(
        path,
        FRAMEWORK_HEADER,
        [
            (
                "依法履职",
                "制度建设",
                "制度文件",
                20,
                None,
                None,
                "每发现一例扣0.5分，扣完为止",
                None,
            ),
            (None, None, "法律顾问", 10, "是否", None, "未建立法律顾问制度不得分", None),
            (None, "执法监督", "执法案卷", 20, "得分", None, "按案卷质量评分", "执法部门"),
            (
                "依法决策",
                "决策程序",
                "合法性审查",
                30,
                None,
                None,
                "每发现一例扣1分，扣完为止",
                None,
            ),
            (None, None, "公众参与", 20, None, None, "每发现一例扣1分，扣完为止", None),
            ("附加", "加分项", "经验推广", 2, "加分", None, "经验被上级推广的加分", None),
        ],
        title="2025年度法治建设考核细则",
    )


def import_units(clerk: Clerk, path: Path) -> None:
    """首页 → 开始使用 → 导入单位名单…; the preview accepted with its button."""
    home = clerk.go("首页")
    panel = home.getting_started
    assert not panel.isHidden()  # an empty database: the first steps are offered
    previews = []
    clerk.will_choose((str(path), ""))
    clerk.will_fill(type_of_preview(), previews.append)
    clerk.click(panel, "导入单位名单…")
    page = clerk.window.units_page
    assert clerk.window.stack.currentWidget() is page
    clerk.wait_for(page.message, "新增 4 个")
    preview = previews[0]
    assert "新增 4 个" in preview.summary.text() and "跳过 1 行" in preview.summary.text()
    names = {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())}
    assert names == {"市司法局", "市公安局", "市财政局", "市档案馆"}  # spaces gone
    assert "4 个单位" in page.summary.text()


def type_of_preview() -> type:
    from app.ui.import_preview import ImportPreviewDialog

    return ImportPreviewDialog


def import_framework(clerk: Clerk, path: Path, name: str) -> None:
    """指标体系 → 新建 ▾ → 从 Excel 导入…; named in the preview, then imported."""
    page = clerk.go("指标体系")

    def named(preview) -> None:  # type: ignore[no-untyped-def]
        assert "3 个一级指标，6 个末级指标" in preview.summary.text()
        preview.name_edit.setText(name)

    clerk.will_choose((str(path), ""))
    clerk.will_fill(type_of_preview(), named)
    clerk.choose_from_menu(page, "新建 ▾", "从 Excel 导入…")
    clerk.wait_for(page.message, "已导入")
    assert page.framework_box.currentText() == name
    assert "6 个末级指标" in page.message.text()


# -- February: the round and who scores what ---------------------------------------------------
def create_round(clerk: Clerk, framework: str) -> None:
    page = clerk.go("考核批次")

    def fill(dialog: NewRoundDialog) -> None:
        dialog.name_edit.setText(ROUND)
        dialog.year_box.setValue(2025)
        dialog.framework_box.setCurrentText(framework)
        form = dialog.rules_form  # two units a category: 30 % 优秀 rounded, not floored
        form.rounding_box.setCurrentIndex(form.rounding_box.findText("四舍五入"))
        assert "没有优秀名额" not in form.places.text(), form.places.text()
        assert "已选 4 / 4" in dialog.chosen_label.text()

    clerk.will_fill(NewRoundDialog, fill)
    clerk.click(page, "新建考核批次…")
    assert page.current().name == ROUND and page.current().status == "评分中"
    assert page.model.rowCount() == 1


def assign_assessors(clerk: Clerk) -> None:
    """分工…: two assessors added; the office's group scores everything, the 司法局's group
    依法决策 for every unit but its own (回避)."""
    page = clerk.go("考核批次")
    clerk.click(page, "分工…")
    dialog = clerk.open_dialog(AssignmentsDialog)
    assert "尚无评分人的指标 6 项" in dialog.open_leaves.text()
    for name, department, unit in ((OFFICE, "依法治市办", ""), (JUSTICE, "市司法局", "市司法局")):

        def person(d: AssessorDialog, n: str = name, dep: str = department, u: str = unit) -> None:
            d.name.setText(n)
            d.department.setText(dep)
            d.own_unit.setCurrentIndex(max(d.own_unit.findData(u), 0))

        clerk.will_fill(AssessorDialog, person)
        clerk.click(dialog, "添加评分人…")
        assert dialog.message.text() == "已添加评分人"

    def everything(d: NewAssignmentDialog) -> None:
        d.assessor.setCurrentText(OFFICE)
        for row in range(d.nodes.rowCount()):
            d.nodes.item(row).setCheckState(Qt.CheckState.Checked)

    def decisions(d: NewAssignmentDialog) -> None:
        d.assessor.setCurrentText(JUSTICE)
        d.nodes.item(1).setCheckState(Qt.CheckState.Checked)  # 2 依法决策, all units

    clerk.will_fill(NewAssignmentDialog, everything)
    clerk.click(dialog, "添加分工…")
    assert dialog.open_leaves.isHidden()
    clerk.will_fill(NewAssignmentDialog, decisions)
    clerk.click(dialog, "添加分工…")
    assert dialog.message.text() == f"已为“{JUSTICE}”添加分工"
    recused = {dialog.model.index(r, 0).data(): dialog.model.index(r, 1).data() for r in range(2)}
    assert recused == {OFFICE: "", JUSTICE: "市司法局"}  # it never scores its own unit
    cells = {dialog.model.index(r, 0).data(): dialog.model.index(r, 4).data() for r in range(2)}
    assert cells == {OFFICE: "22", JUSTICE: "6"}  # 执法案卷 only for the 2 执法部门
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    close.click()
    assert not dialog.isVisible()


# -- March: scoring in the grid, offline workbooks out and back ---------------------------------
def grid_cell(clerk: Clerk, assessor: str, unit: str, code: str):  # type: ignore[no-untyped-def]
    """The grid of ``assessor`` and its cell for ``unit`` on leaf ``code``."""
    page = clerk.window.scoring_page
    box = page.assessor_box
    box.setCurrentIndex(box.findText(assessor))
    assert box.currentText() == assessor
    model = page.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.code == code)
    column = len(FIXED) + next(c for c, u in enumerate(model.units) if u.name == unit)
    return model.index(row, column)


def type_score(clerk: Clerk, assessor: str, unit: str, code: str, text: str, reason: str) -> None:
    """Select the cell, type the value and Enter, then the reason below the grid and Enter."""
    page = clerk.window.scoring_page
    index = grid_cell(clerk, assessor, unit, code)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.indexWidget(index)  # the cell's editor, open
    assert isinstance(editor, QLineEdit), "单元格没有进入编辑"
    clerk.type_into(editor, text, enter=True)
    clerk.qtbot.waitUntil(lambda: index.data() == text)
    if reason:
        page.view.setCurrentIndex(index)
        clerk.type_into(page.reason_edit, reason, enter=True)
        assert page.model.value_at(index).reason == reason


def score_in_grid(clerk: Clerk) -> None:
    page = clerk.go("评分录入")
    assert page.round_box.currentText() == ROUND
    clerk.qtbot.waitUntil(lambda: "已评" in page.progress.text())  # the ranking is beside it

    def beside(unit: str) -> float:
        return next(float(u.final) for u in page.ranking._rows if u.unit == unit)

    before = beside("市公安局")
    type_score(clerk, OFFICE, "市公安局", "1.1.1", "1", "两件规范性文件未按期备案")
    assert beside("市公安局") < before  # the ranking beside the grid follows the typing
    type_score(clerk, OFFICE, "市档案馆", "1.1.2", "否", "未聘请法律顾问")
    assert f"{OFFICE} 已评 2/18" in page.progress.text(), page.progress.text()  # 加分 not counted


def export_offline_workbooks(clerk: Clerk, folder: Path) -> list[Path]:
    page = clerk.go("考核批次")
    clerk.will_choose(str(folder))
    clerk.choose_from_menu(page, "导出离线评分表…", "只导出评分表…")
    clerk.wait_for(page.message, "已导出 2 份")
    return sorted(folder.glob("*.xlsx"))


# What each assessor writes into the empty cells of their workbook: (unit, code) → (value,
# reason); cells not named get 0 (扣分), 是 (是否), 20 (得分), nothing (加分).
ANSWERS: dict[str, dict[tuple[str, str], tuple[str, str]]] = {
    OFFICE: {
        ("市司法局", "1.2.1"): ("18.5", ""),
        ("市公安局", "1.2.1"): ("17", ""),
        ("市财政局", "2.1.1"): ("1", "一项重大决策未经合法性审查"),
        ("市司法局", "3.1.1"): ("1", "经验被省司法厅推广"),
    },
    JUSTICE: {
        ("市财政局", "2.1.1"): ("2", "两项重大决策未经合法性审查"),
        ("市公安局", "2.1.2"): ("1", "一项决策未公开征求意见"),
    },
}
DEFAULTS = {"扣分": "0", "是否": "是", "得分": "20"}


def fill_workbook(path: Path) -> str:
    """As the assessor does in Excel/WPS: only the 评分 and 扣分理由 columns; the assessor."""
    book = load_workbook(path)
    sheet = book["评分表"]
    assessor = next(a for a in ANSWERS if a in path.name)
    for row in range(4, sheet.max_row + 1):
        unit, code, method = sheet[f"B{row}"].value, sheet[f"C{row}"].value, sheet[f"F{row}"].value
        if unit is None or sheet[f"H{row}"].value not in (None, ""):
            continue
        value, reason = ANSWERS[assessor].get((unit, code), (DEFAULTS.get(method, ""), ""))
        sheet[f"H{row}"], sheet[f"I{row}"] = value or None, reason or None
    book.save(path)
    return assessor


def import_offline_workbooks(clerk: Clerk, paths: list[Path]) -> None:
    """导入离线评分表…: the workbooks chosen, each change shown, then applied. (Adapt here when
    each workbook of a batch is imported on its own.)"""
    page = clerk.go("考核批次")
    shown: list[int] = []

    def looked_at(dialog: SheetDiffDialog) -> None:
        shown.append(dialog.model.rowCount())

    clerk.will_choose(([str(p) for p in paths], ""))
    clerk.will_fill(SheetDiffDialog, looked_at)
    clerk.click(page, "导入离线评分表…")
    clerk.wait_for(page.message, "已导入")
    assert shown and sum(shown) > 20


def satisfaction(clerk: Clerk, path: Path) -> None:
    """文件 → 导入满意度测评结果…, for the round."""
    write_sheet(
        path,
        ("单位名称", "满意度得分"),
        [("市司法局", 92), ("市公安局", 88.5), ("市财政局", 90), ("市档案馆", 86)],
    )
    clerk.will_choose((str(path), ""))
    clerk.will_type(ROUND)
    clerk.menu_bar("文件", "导入满意度测评结果…")
    clerk.qtbot.waitUntil(lambda: bool(clerk.told), timeout=SLOW)
    _title, text = clerk.told.pop()
    assert "4 个单位的满意度有变化" in text and "仍没有满意度得分" not in text, text


# -- April: review and publication --------------------------------------------------------------
def step_forward(clerk: Clerk, target: str, until: date | None = None) -> StatusStepDialog:
    """推进到“…”, the step dialog read and its own button clicked."""
    page = clerk.go("考核批次")
    clerk.click(page, f"推进到“{target}”")
    clerk.qtbot.waitUntil(lambda: page.step_dialog is not None, timeout=SLOW)
    dialog = page.step_dialog
    assert dialog.target == target
    if until is not None:
        dialog.until_box.setDate(QDate(until))
    dialog.ok_button.click()
    clerk.qtbot.waitUntil(lambda: page.current().status == target)
    return dialog


def record_objection(clerk: Clerk, unit: str, code: str, reason: str, asked: str) -> None:
    page = clerk.go("申辩复核")

    def fill(dialog: ObjectionDialog) -> None:
        dialog.unit.setCurrentText(unit)
        dialog.leaf.setCurrentIndex(dialog.leaf.findData(code))
        dialog.reason.setPlainText(reason)
        dialog.requested.setText(asked)

    clerk.will_fill(ObjectionDialog, fill)
    clerk.click(page, "登记申辩…")
    assert "已登记申辩" in page.message.text(), page.message.text()
    assert "待复核 1 件" in page.counts.text()


def accept_objection(clerk: Clerk, score: str, opinion: str) -> None:
    page = clerk.go("申辩复核")
    page.table.selectRow(0)

    def fill(dialog: ReviewDialog) -> None:
        dialog.score.setText(score)
        dialog.opinion.setPlainText(opinion)

    clerk.will_fill(ReviewDialog, fill)
    clerk.click(page, "采纳并改分…")
    assert "已复核：已采纳" in page.message.text(), page.message.text()
    assert "待复核 0 件" in page.counts.text()


def run_gate(clerk: Clerk) -> str:
    """结果排名 → 发布前检查 → 检查."""
    page = clerk.go("结果排名")
    assert page.round_box.currentText() == ROUND
    check = page.gate.check_button
    clerk.qtbot.waitUntil(check.isEnabled, timeout=SLOW)  # the check it ran by itself is done
    clerk.click(page.gate, "检查")
    assert page.gate.summary.text() == "正在检查…"
    clerk.qtbot.waitUntil(check.isEnabled, timeout=SLOW)
    assert page.gate.report is not None
    return page.gate.summary.text()


def ranks(clerk: Clerk) -> dict[str, str]:
    page = clerk.window.results_page
    return {
        page.proxy.index(r, UNIT).data(): page.proxy.index(r, RANK).data()
        for r in range(page.proxy.rowCount())
    }


def week_passes(clerk: Clerk, days: int = 8) -> None:
    """The 公示 runs its seven days: the calendar the publication check reads moves on."""
    import app.services.review.publication_gate as gate

    later = date.today() + timedelta(days=days)

    class Later(date):
        @classmethod
        def today(cls) -> date:
            return later

    clerk.monkeypatch.setattr(gate, "date", Later)


def final_of(clerk: Clerk, unit: str) -> float:
    """The unit's final score on the 结果排名 page."""
    page = clerk.go("结果排名")
    return next(
        float(page.proxy.index(r, FINAL).data())
        for r in range(page.proxy.rowCount())
        if page.proxy.index(r, UNIT).data() == unit
    )
