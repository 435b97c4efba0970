"""The year's walk from May on (tests/ui/test_year_walk.py): the 整改通知书 issued from 文书报告,
the problems in 整改台账 followed to 销号, and the statistics for the annual report — each step
through the window by the Clerk (year_walk_clerk.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from app.ui.itemmodels.rows_model import OBJECT_ROLE
from app.ui.pages.ledger.dialogs import LedgerStatsDialog
from tests.ui.year_walk_clerk import SLOW, Clerk
from tests.ui.year_walk_steps import ROUND


def office_wording(clerk: Clerk) -> None:
    """文书报告 → 文书设置: the office's name and 机关代字 instead of the ××, saved."""
    page = clerk.go("文书报告")
    page.tabs.setCurrentIndex(page.tabs.indexOf(page.save_settings_button.parentWidget()))
    fields = page.setting_widgets
    for name, text in (
        ("office_name", "云州市全面依法治市委员会办公室"),
        ("file_mark", "云州市全面依法治市委员会办公室文件"),
        ("letter_mark", "云州市全面依法治市委员会办公室"),
        ("rectification_prefix", "云法办"),
        ("contact", "联系人：李敏；联系电话：0871-1234567。"),
    ):
        clerk.type_into(fields[name], text)
        assert fields[name].text() == text
    clerk.click(page, "保存文书设置")
    assert page.message.text() == "文书设置已保存", page.message.text()
    page.tabs.setCurrentIndex(0)


def issue_notice(clerk: Clerk, unit: str, folder: Path) -> Path:
    """文书报告 → 印发督办函/整改通知书: the units with deductions ticked by the rule, all but
    ``unit`` unticked, 印发勾选的单位…, confirmed, a folder chosen."""
    page = clerk.go("文书报告")
    assert page.round_box.currentText() == ROUND
    page.kind_box.setCurrentText("整改通知书")
    page.selection_box.setCurrentIndex(page.selection_box.findData("deducted"))
    ticked = page.checked_units()
    assert unit in ticked and len(ticked) >= 2, ticked  # every unit with a deduction
    for row in range(page.units_model.rowCount()):
        item = page.units_model.item(row)
        if item.data(Qt.ItemDataRole.UserRole) != unit:
            item.setCheckState(Qt.CheckState.Unchecked)
    assert page.checked_units() == [unit]
    folder.mkdir()
    clerk.will_say_yes()  # 将为 1 个单位各印发一份整改通知书…是否继续？
    clerk.will_choose(str(folder))
    clerk.click(page, "印发勾选的单位…")
    clerk.wait_for(page.message, "已印发 1 份")
    assert page.notices_model.rowCount() == 1
    shown = [str(page.notices_model.index(0, c).data()) for c in range(4)]
    assert f"云法办〔{date.today().year}〕1号" in shown, shown
    pdfs = sorted(folder.glob("*整改通知书.pdf"))
    assert len(pdfs) == 1 and pdfs[0].stat().st_size > 10000
    return pdfs[0]


def problems(clerk: Clerk) -> list:  # type: ignore[type-arg]
    page = clerk.window.ledger_page
    return [
        page.model.data(page.model.index(r, 0), OBJECT_ROLE) for r in range(page.model.rowCount())
    ]


def register_deductions(clerk: Clerk) -> int:
    """整改台账 → 由考核扣分生成…: every deduction of the round a problem (once)."""
    page = clerk.go("整改台账")
    notified = len(problems(clerk))  # the notice registered its unit's problems already
    assert notified >= 1
    clerk.will_type(ROUND)
    clerk.click(page, "由考核扣分生成…")
    _title, text = clerk.told.pop()
    assert "已登记" in text, text
    found = problems(clerk)
    assert len(found) > notified
    assert f"共 {len(found)} 个问题" in page.summary.text()
    return len(found)


def close_problem(clerk: Clerk, unit: str, proof: Path) -> str:
    """The unit's problem: 提请核验… with the unit's report and its 整改佐证 (``proof``, a
    PDF), then 核验通过（销号）…."""
    page = clerk.go("整改台账")
    row = next(r for r, p in enumerate(problems(clerk)) if p.unit == unit)
    page.table.selectRow(row)
    number = problems(clerk)[row].number
    assert number in page.detail.toPlainText()
    clerk.will_type("已补做合法性审查并修订决策程序规定")
    clerk.will_choose(([str(proof)], ""))  # the unit's 审查意见书, its 整改佐证
    clerk.click(page, "提请核验…")
    assert f"已记录 {number} 的进展及整改佐证" in page.message.text(), page.message.text()
    assert "审查意见书.pdf" in page.detail.toPlainText()
    clerk.will_type("材料齐全，整改到位")
    clerk.click(page, "核验通过（销号）…")
    assert f"{number} 已销号" in page.message.text(), page.message.text()
    closed = next(p for p in problems(clerk) if p.number == number)
    assert closed.status == "已销号"
    return number


def statistics(clerk: Clerk, found: int) -> LedgerStatsDialog:
    """统计…: the sentence for the annual report."""
    page = clerk.go("整改台账")
    clerk.click(page, "统计…")
    dialog = clerk.open_dialog(LedgerStatsDialog)
    sentence = dialog.sentence.text()
    assert f"共发现问题{found}个，已整改销号1个" in sentence, sentence
    clerk.qtbot.waitUntil(lambda: dialog.isVisible(), timeout=SLOW)
    return dialog
