"""文书报告 page: choosing units, issuing a batch off the GUI thread, withdrawing, wording."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.publishing.notice_register import list_notices
from app.ui.pages.documents.page import DocumentsPage


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    widget = DocumentsPage(db)
    qtbot.addWidget(widget)
    widget.show()  # the page computes its data when shown
    yield widget
    db.dispose()


@pytest.fixture
def small_page(qtbot, small_db):
    """The page on a small round of three units (every one with a finding): for what does not
    need the demo's 80 units, whose 通报 and 附件 take ~10 s to count and print."""
    widget = DocumentsPage(small_db)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_selection_ticks_the_units_a_rule_picks(page, qtmodeltester) -> None:
    qtmodeltester.check(page.notices_model)
    assert page.round_box.currentText() == DEMO_ROUND
    page.selection_box.setCurrentIndex(page.selection_box.findData("bottom"))
    bottom = page.checked_units()
    assert 0 < len(bottom) < page.units_model.rowCount()
    page.selection_box.setCurrentIndex(page.selection_box.findData("all"))
    assert len(page.checked_units()) == page.units_model.rowCount() == 80


def test_issue_a_batch_then_withdraw_one(
    page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.selection_box.setCurrentIndex(page.selection_box.findData("bottom"))
    for row in range(page.units_model.rowCount()):  # keep only the first two ticked
        item = page.units_model.item(row)
        if item.checkState() == Qt.CheckState.Checked and len(page.checked_units()) > 2:
            item.setCheckState(Qt.CheckState.Unchecked)
    units = page.checked_units()
    assert len(units) == 2
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    out = tmp_path / "印发"
    out.mkdir()
    page.issue(str(out))
    qtbot.waitUntil(lambda: "已印发" in page.message.text(), timeout=60000)
    assert len(list(out.glob("*整改通知书.pdf"))) == 2
    assert list(out.glob("*合订本*.pdf"))
    assert page.notices_model.rowCount() == 2
    page.notices_view.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("名称有误", True))
    page.withdraw()
    assert list_notices(page._db)[0].status == "已撤回"
    assert "已撤回" in page.notices_model.index(0, 6).data()


def test_wording_with_an_unknown_placeholder_is_refused(page) -> None:
    page.setting_widgets["demands"].setPlainText("请于{截止日期}前报送")
    page.save_settings()
    assert "未知的占位符" in page.message.text()
    page.setting_widgets["contact"].setText("联系人：张三；电话：123。")
    page.setting_widgets["demands"].setPlainText("请于{计划期限}前报送整改方案。")
    page.save_settings()
    assert page.message.text() == "文书设置已保存"


def test_fonts_tab_names_a_face_for_every_role(page) -> None:
    page.tabs.setCurrentWidget(page.fonts_tab)
    assert page.fonts_model.rowCount() == 5
    assert all(page.fonts_model.index(r, 1).data() for r in range(5))


def test_charts_tab_draws_every_chart(page) -> None:
    page.tabs.setCurrentWidget(page.charts)
    for kind in range(page.charts.kind_box.count()):
        page.charts.kind_box.setCurrentIndex(kind)
        assert page.charts.canvas is not None
        assert page.charts.canvas.figure.axes  # something was drawn
    assert page.charts.unit_box.count() == 80


def test_a_seal_image_is_chosen_saved_and_cleared(page, tmp_path) -> None:
    from app.services.publishing.office_settings import load_document_settings
    from tests.documents.test_seal import red_seal

    page.choose_seal(str(tmp_path / "没有.png"))
    assert "无法读取" in page.message.text()
    page.choose_seal(str(red_seal(tmp_path / "印章.png")))
    assert not page.seal_label.pixmap().isNull()
    assert not load_document_settings(page._db).seal_png  # not until saved
    page.save_settings()
    assert load_document_settings(page._db).seal_bytes() == (tmp_path / "印章.png").read_bytes()
    page._set_seal("")
    page.save_settings()
    assert load_document_settings(page._db).seal_png == ""
    assert "手工盖章" in page.seal_label.text()


def test_unit_score_sheets_from_the_window_and_cancel(page, qtbot, tmp_path: Path) -> None:
    out = tmp_path / "得分明细"
    page.make_unit_sheets(str(out))
    qtbot.waitUntil(lambda: len(list(out.glob("*.xlsx"))) >= 2, timeout=60000)
    from PySide6.QtWidgets import QPushButton

    page.progress.findChild(QPushButton).click()  # 取消: what is written stays whole
    qtbot.waitUntil(lambda: "已生成" in page.message.text(), timeout=60000)
    pdfs, books = sorted(out.glob("*.pdf")), sorted(out.glob("*.xlsx"))
    assert 2 <= len(books) < 80 and len(pdfs) == len(books)
    assert all("得分明细" in p.name for p in pdfs)
    assert f"{len(pdfs) + len(books)} 个文件" in page.message.text()


def test_the_report_shows_its_page_counts_before_it_is_written(
    small_page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk sees how many pages the 通报 and its 附件 will take before confirming, and
    those are the pages written (the demo's, counted and printed, in test_report_print)."""
    from pypdf import PdfReader

    page = small_page

    asked: list[str] = []

    def question(parent, title, text, *rest):  # type: ignore[no-untyped-def] - Qt's signature
        asked.append(text)
        assert page.report_pages_label.text() in text  # shown in the tab as it asks
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    out = tmp_path / "通报.pdf"
    page.make_report(str(out))  # counted, then declined: nothing written
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=60000)
    assert not out.exists()
    page.make_report(str(out))
    qtbot.waitUntil(lambda: "已生成" in page.message.text(), timeout=120000)
    annex = next(tmp_path.glob("通报-附件2*.pdf"))
    report_pages, annex_pages = len(PdfReader(out).pages), len(PdfReader(annex).pages)
    assert report_pages != annex_pages  # so that neither count can pass for the other
    assert f"通报 {report_pages} 页" in asked[1] and f"附件 {annex_pages} 页" in asked[1]
    assert out.with_suffix(".xlsx").exists() and page.report_preview_button.isEnabled()


def test_a_notice_for_a_unit_named_with_a_slash_is_previewed(
    qtbot, db_path: Path, tmp_path: Path
) -> None:
    """Seen (issue 17): previewing a notice for "市住建局/市人防办" failed "文件夹不存在", the
    name taken for a folder; the preview's file is named by app/filenames like a batch's."""
    from tests.documents.pdfcheck import compact, text_of
    from tests.small_round import build_small_round

    db = open_database(db_path)
    build_small_round(db, tmp_path, ["市住建局/市人防办", "市司法局"])
    page = DocumentsPage(db)
    qtbot.addWidget(page)
    page.show()
    row = next(
        r
        for r in range(page.units_model.rowCount())
        if page.units_model.item(r).data(Qt.ItemDataRole.UserRole) == "市住建局/市人防办"
    )
    page.units_view.setCurrentIndex(page.units_model.index(row, 0))
    page.preview()
    assert page.last_preview.exists() and page.last_preview.parent.is_dir()
    assert "/" not in page.last_preview.name
    assert "关于市住建局/市人防办" in compact(text_of(page.last_preview, pages=1))
    page.preview_dialog.close()
    db.dispose()


def test_a_report_number_already_on_a_notice_is_refused_in_the_window(
    small_page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: the 通报's 文号 typed in the 考核结果通报 tab, already on a notice, is refused
    at once, naming the notice, and nothing is written."""
    from app.services.publishing.notices import RECTIFICATION, issue_notices
    from tests.small_round import ROUND

    page = small_page
    unit = next(f.unit for f in page._findings if f.findings)
    (notice,) = issue_notices(page._db, ROUND, RECTIFICATION, tmp_path, units=[unit])
    page.report_number.setText(notice.number)
    pdf = tmp_path / "通报.pdf"
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.make_report(str(pdf))  # the pages counted and confirmed, then the 文号 checked
    qtbot.waitUntil(lambda: "已用于" in page.message.text(), timeout=60000)
    assert f"文号“{notice.number}”已用于" in page.message.text()
    assert "整改通知书" in page.message.text() and not pdf.exists()
