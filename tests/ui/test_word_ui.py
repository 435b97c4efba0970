"""Word in the window (文书报告): 另存为 Word beside each PDF action, the batch format chosen
once and remembered, and the office's template dialog in 文书设置 — its placeholders listed,
unknown ones refused by name, a sample, removal; careless moves (a double-click, Enter, a
file that is no template) register nothing twice and nothing wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.models.scores import ChangeLog
from app.services.publishing.word_templates import list_templates
from app.settings import load_settings
from app.ui.pages.documents.formats import FormatBox
from app.ui.pages.documents.page import DocumentsPage
from tests.documents.test_word_templates import office_template


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    widget = DocumentsPage(db)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    db.dispose()


def template_log(page: DocumentsPage, action: str) -> int:
    with page._db.reading() as session:
        return session.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == action)
        )


def text_of(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_the_batch_format_is_chosen_once_and_a_batch_adds_word_copies(
    page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.format_box.setCurrentIndex(page.format_box.findData("both"))
    assert load_settings().document_formats == "both"
    assert FormatBox().currentData() == "both"  # the next start shows her choice
    page.selection_box.setCurrentIndex(page.selection_box.findData("deducted"))
    first = page.checked_units()[0]
    for row in range(page.units_model.rowCount()):
        item = page.units_model.item(row)
        if item.data(Qt.ItemDataRole.UserRole) != first:
            item.setCheckState(Qt.CheckState.Unchecked)
    page.combined_box.setCurrentIndex(1)  # no 合订本
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.issue(str(tmp_path / "印发"))
    qtbot.waitUntil(lambda: "已印发" in page.message.text(), timeout=60000)
    (pdf,) = (tmp_path / "印发").glob("*.pdf")
    docx = pdf.with_suffix(".docx")
    assert "Word 副本 1 份" in page.message.text()
    number = page.notices_model.row_at(0).number
    assert number in text_of(docx) and f"{first}：" in text_of(docx)
    page.notices_view.selectRow(0)  # 已印发文书: the copy made again from the record
    page.issued_as_word(str(tmp_path / "再次.docx"))
    qtbot.waitUntil(lambda: "Word 副本（以 PDF 为准）" in page.message.text(), timeout=30000)
    assert text_of(tmp_path / "再次.docx") == text_of(docx)
    page.format_box.setCurrentIndex(page.format_box.findData("pdf"))
    assert FormatBox().wants_pdf and not FormatBox().wants_docx


def test_save_as_word_beside_the_notice_preview_and_the_unit_sheet(
    page, qtbot, tmp_path: Path
) -> None:
    page.units_view.setCurrentIndex(page.units_model.index(0, 0))
    unit = page.units_model.item(0).data(Qt.ItemDataRole.UserRole)
    page.preview_as_word(str(tmp_path / "预览"))  # the suffix is added
    qtbot.waitUntil(lambda: "已另存为 Word" in page.message.text(), timeout=30000)
    text = text_of(tmp_path / "预览.docx")
    assert "（预览）号" in text and f"{unit}：" in text
    page.sheet_unit_box.setCurrentText(unit)
    page.save_unit_sheet(".docx", str(tmp_path / "明细.docx"))
    qtbot.waitUntil(lambda: "已保存" in page.message.text(), timeout=30000)
    sheet = Document(str(tmp_path / "明细.docx"))
    assert unit in "\n".join(p.text for p in sheet.paragraphs)
    assert len(sheet.tables[0].rows) > 10  # the unit's leaves


def test_the_report_as_word_on_its_own(page, qtbot, tmp_path: Path) -> None:
    page.report_number.setText("云法办〔2026〕9号")
    page.report_as_word(str(tmp_path / "通报.docx"))
    qtbot.waitUntil(lambda: "已另存为 Word" in page.message.text(), timeout=90000)
    text = text_of(tmp_path / "通报.docx")
    assert "云法办〔2026〕9号" in text and "结果的通报" in text


def test_an_unknown_placeholder_is_shown_by_name_and_enter_registers_nothing(
    page, qtbot, tmp_path: Path
) -> None:
    wrong = office_template(tmp_path / "错.docx", "联系人：{{ 联系人 }}")
    page.templates_panel.choose_template(str(wrong))
    dialog = page.templates_panel.dialog
    rows = [dialog.model.row_at(r) for r in range(dialog.model.rowCount())]
    assert ("联系人", False, "") in rows and ("文号", True, rows[3][2]) in rows
    assert "{{ 联系人 }}" in dialog.verdict.text()
    assert not dialog.register_button.isEnabled() and not dialog.sample_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and list_templates(page._db) == []


def test_a_file_that_is_no_template_is_refused_before_any_dialog(page, tmp_path: Path) -> None:
    old = tmp_path / "红头.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(200))
    page.templates_panel.choose_template(str(old))
    assert "另存为 .docx" in page.message.text()
    text = tmp_path / "说明.docx"
    text.write_text("不是 Word 文件", encoding="utf-8")
    page.templates_panel.choose_template(str(text))
    assert "不是可用的 Word 模板" in page.message.text()
    assert page.templates_panel.dialog is None and list_templates(page._db) == []


def test_register_by_double_click_once_sample_and_remove(
    page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.templates_panel.choose_template(str(office_template(tmp_path / "红头.docx")))
    dialog = page.templates_panel.dialog
    assert "均可使用" in dialog.verdict.text()
    dialog.make_sample()
    qtbot.waitUntil(lambda: dialog.sample_made is not None, timeout=30000)
    shown = dialog.sample_text.toPlainText()
    assert DEMO_ROUND in dialog.sample_label.text() and "（样例）号" in shown
    assert "{{" not in shown and "一、存在的问题" in shown
    dialog.save_sample(str(tmp_path / "样例"))
    assert (tmp_path / "样例.docx").is_file()
    button = dialog.register_button  # a double-click: a click, then a second press and release
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert template_log(page, "登记Word模板") == 1
    assert page.templates_panel.model.rowCount() == 1
    assert "已登记整改通知书的 Word 模板" in page.message.text()
    page.templates_panel.view.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.templates_panel.remove_selected()
    assert list_templates(page._db) == [] and template_log(page, "删除Word模板") == 1
    assert page.templates_panel.model.rowCount() == 0


def test_enter_registers_a_good_template_and_a_row_opens_it_again(
    page, qtbot, tmp_path: Path
) -> None:
    page.templates_panel.choose_template(str(office_template(tmp_path / "红头.docx")))
    dialog = page.templates_panel.dialog
    dialog.kind_box.setCurrentText("督办函")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert [t.kind for t in list_templates(page._db)] == ["督办函"]
    page.tabs.setCurrentIndex(page.tabs.indexOf(page.templates_panel.parentWidget()))
    view = page.templates_panel.view
    cell = view.visualRect(page.templates_panel.model.index(0, 1)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a double-click
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    shown = page.templates_panel.dialog
    assert shown is not dialog and not shown.register_button.isVisible()
    assert shown.model.rowCount() == 8 and not shown.kind_box.isEnabled()


def test_the_example_fills_a_template_when_no_round_has_findings(qtbot, tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.db")
    page = DocumentsPage(db)
    qtbot.addWidget(page)
    page.show()
    page.templates_panel.choose_template(str(office_template(tmp_path / "红头.docx")))
    dialog = page.templates_panel.dialog
    dialog.make_sample()
    qtbot.waitUntil(lambda: dialog.sample_made is not None, timeout=30000)
    assert "示例数据" in dialog.sample_label.text()
    assert "云州市示例局：" in dialog.sample_text.toPlainText()
    db.dispose()


def test_the_ledger_statistics_save_as_word(qtbot, demo_db_file: Path, tmp_path: Path) -> None:
    from app.ui.pages.ledger.dialogs import LedgerStatsDialog

    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    dialog = LedgerStatsDialog(db)
    qtbot.addWidget(dialog)
    dialog.export_docx(str(tmp_path / "统计.docx"))
    qtbot.waitUntil(lambda: "已保存到" in dialog.message.text(), timeout=30000)
    assert Document(str(tmp_path / "统计.docx")).tables
    db.dispose()


def test_a_report_template_is_checked_again_when_its_kind_is_chosen(
    page, qtbot, tmp_path: Path
) -> None:
    from tests.documents.test_word_templates import report_template

    page.templates_panel.choose_template(str(report_template(tmp_path / "通报红头.docx")))
    dialog = page.templates_panel.dialog
    assert "{{ 排名列表 }}" in dialog.verdict.text() and not dialog.register_button.isEnabled()
    dialog.kind_box.setCurrentText("考核结果通报")
    assert "均可使用" in dialog.verdict.text() and dialog.register_button.isEnabled()
    dialog.make_sample()
    qtbot.waitUntil(lambda: dialog.sample_made is not None, timeout=60000)
    assert "一、考核结果" in dialog.sample_text.toPlainText()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert [t.kind for t in list_templates(page._db)] == ["考核结果通报"]
