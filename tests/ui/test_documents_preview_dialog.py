"""预览与打印: a notice shown page by page in the window, printed at full A4 size, and the
wording being edited previewed on a real notice without being saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QPageSize
from PySide6.QtPrintSupport import QPrinter

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.publishing.notices import RECTIFICATION, preview_notice
from app.services.publishing.office_settings import load_document_settings
from app.services.review.findings import round_findings
from app.ui.pages.documents.page import DocumentsPage
from app.ui.pages.documents.preview_dialog import DocumentPreviewDialog, print_pages
from tests.documents.pdfcheck import A4, compact, text_of


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


@pytest.fixture
def notice_pdf(demo, tmp_path: Path) -> Path:
    _, findings = round_findings(demo, DEMO_ROUND)
    unit = next(f.unit for f in findings if f.findings)
    return preview_notice(demo, DEMO_ROUND, unit, RECTIFICATION, tmp_path / "预览.pdf")


def red_pixels(image, rows: range) -> int:
    return sum(
        1
        for y in rows
        for x in range(0, image.width(), 2)
        if (c := QColor(image.pixel(x, y))).red() > 200 and c.green() < 80 and c.blue() < 80
    )


def test_pages_are_shown_at_their_size_with_the_red_mark(qtbot, notice_pdf: Path) -> None:
    dialog = DocumentPreviewDialog(notice_pdf, "预览")
    qtbot.addWidget(dialog)
    dialog.show()
    pages = len(PdfReader(notice_pdf).pages)
    assert len(dialog.page_labels) == pages > 1
    first = dialog.page_labels[0].pixmap().toImage()
    assert (first.width(), first.height()) == pytest.approx(A4, abs=1)  # 75 % of 96 dpi
    # the 发文机关标志 sits 72 mm from the top edge: red there, none in the top 60 mm
    mm = first.height() / 297
    assert red_pixels(first, range(round(62 * mm), round(90 * mm))) > 100
    assert red_pixels(first, range(0, round(60 * mm))) == 0
    assert len(dialog.rendered) < pages or pages <= 2  # the rest wait until scrolled to
    dialog.zoom_box.setCurrentText("50%")
    assert dialog.page_labels[0].pixmap().width() == pytest.approx(A4[0] * 96 * 0.5 / 72, abs=1)
    dialog.close()


def test_printing_puts_every_page_on_a4_at_full_size(qtbot, notice_pdf: Path, tmp_path) -> None:
    dialog = DocumentPreviewDialog(notice_pdf, "预览")
    qtbot.addWidget(dialog)
    dialog.show()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    sent = print_pages(dialog.pages, printer, dialog)
    printed = PdfReader(tmp_path / "printed.pdf")
    assert sent == len(printed.pages) == len(PdfReader(notice_pdf).pages)
    for page in printed.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=1.5)
    dialog.close()


def test_wording_is_previewed_on_a_notice_without_being_saved(qtbot, demo) -> None:
    page = DocumentsPage(demo)
    qtbot.addWidget(page)
    page.show()
    before = load_document_settings(demo).rectification_intro
    page.setting_widgets["rectification_intro"].setPlainText(
        "经审核，{单位}在{批次}中得分{得分}分，请按下列事项抓紧整改。"
    )
    page.preview_wording()
    assert page.preview_dialog.isVisible()
    text = compact(text_of(page.last_preview, pages=1))
    unit = page.checked_units()[0]
    assert f"经审核，{unit}在《" in text and "请按下列事项抓紧整改" in text
    assert load_document_settings(demo).rectification_intro == before
    page.setting_widgets["rectification_intro"].setPlainText("请{不存在}整改")
    page.preview_wording()
    assert "未知的占位符" in page.message.text()
    page.preview_dialog.close()
