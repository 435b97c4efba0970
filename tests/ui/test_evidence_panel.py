"""The evidence beside the score grid, as an assessor uses it: cells with evidence marked, the
selected cell's self-assessment and files shown, a PDF's pages and a photo drawn in place, an
Excel file opened from a temporary copy (never the store's), 认可 and 退回补充 written there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.evidence.reviews import returned_items
from app.ui.itemmodels.score_grid_model import EVIDENCE_ROLE, FIXED
from app.ui.pages.scoring.page import ScoringPage
from tests.small_round import ROUND
from tests.ui.evidence_round import evidence_year


@pytest.fixture
def page(qtbot, db: Database, tmp_path: Path):
    evidence_year(db, tmp_path)
    widget = ScoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1500, 800)
    widget.show()
    return widget


def cell(page: ScoringPage, unit: str, code: str):
    model = page.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.code == code)
    column = len(FIXED) + next(i for i, u in enumerate(model.units) if u.name == unit)
    return model.index(row, column)


def choose(qtbot, page: ScoringPage, unit: str, code: str) -> None:
    page.view.setCurrentIndex(cell(page, unit, code))
    panel = page.evidence_panel
    qtbot.waitUntil(lambda: panel.evidence is not None and panel.evidence.code == code)


def test_cells_with_evidence_are_marked(page: ScoringPage) -> None:
    mark = cell(page, "市民政局", "1.1.1").data(EVIDENCE_ROLE)
    assert (mark.files, mark.review) == (2, "待审核")
    assert cell(page, "市民政局", "1.1.1").data(Qt.ItemDataRole.DecorationRole) is not None
    assert "佐证材料 2 个文件" in cell(page, "市民政局", "1.1.1").data(Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "市教育局", "1.1.1").data(EVIDENCE_ROLE) is None
    assert cell(page, "市教育局", "1.1.1").data(Qt.ItemDataRole.DecorationRole) is None


def test_selecting_a_cell_shows_the_self_score_and_draws_the_pdf_and_photo(
    qtbot, page: ScoringPage
) -> None:
    panel = page.evidence_panel
    choose(qtbot, page, "市民政局", "1.1.1")
    assert "市民政局" in panel.title.text() and "1.1.1" in panel.title.text()
    assert "8" in panel.own.text() and "已建立制度并公开" in panel.own.text()
    assert "待审核" in panel.review_state.text()
    names = [panel.files.row_at(r).name for r in range(panel.files.rowCount())]
    assert sorted(names) == ["公示照片.png", "权责清单.pdf"]
    view = panel.file_view
    qtbot.waitUntil(lambda: view.shown is not None)
    assert view.file.name == "权责清单.pdf"
    pages = view.page_labels()
    assert len(pages) == 2 and not pages[0].pixmap().isNull()  # both pages drawn
    assert pages[0].pixmap().width() > 200
    assert "共 2 页" in view.note.text()
    assert panel.timings  # the time from the click to the first page is kept

    panel.files_view.selectRow(names.index("公示照片.png"))
    qtbot.waitUntil(lambda: view.shown is not None and view.file.name == "公示照片.png")
    (photo,) = view.page_labels()
    assert (photo.pixmap().width(), photo.pixmap().height()) == (320, 200)


def test_an_excel_file_opens_from_a_temporary_copy_never_the_store(
    qtbot, page: ScoringPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(
        "app.ui.pages.evidence.file_view.open_externally", lambda path: opened.append(path)
    )
    choose(qtbot, page, "市民政局", "2.1.1")
    view = page.evidence_panel.file_view
    assert "不能在本程序中显示" in view.note.text()  # not drawn: the system's viewer opens it
    view.open_button.click()
    qtbot.waitUntil(lambda: bool(opened))
    (path,) = opened
    store = Path(content_store(db).where)
    assert store not in path.parents and path.name == "会议台账.xlsx"
    assert path.read_bytes()[:2] == b"PK"


def test_send_back_and_accept_from_the_panel(qtbot, page: ScoringPage, db: Database) -> None:
    panel = page.evidence_panel
    choose(qtbot, page, "市民政局", "1.1.1")
    panel.missing_edit.clear()
    assert not panel.review(REVIEW_RETURNED := "退回补充")  # what is missing must be said
    assert "缺少的材料" in panel.message.text() and returned_items(db, ROUND) == []

    panel.missing_edit.setText("缺少制度公开的网页截图")
    panel.due_edit.setDate(QDate(2026, 3, 31))
    with qtbot.waitSignal(page.changes_made):
        panel.return_button.click()
    (item,) = returned_items(db, ROUND)
    assert (item.unit, item.leaf, item.missing, item.due) == (
        "市民政局",
        "1.1.1",
        "缺少制度公开的网页截图",
        date(2026, 3, 31),
    )
    assert cell(page, "市民政局", "1.1.1").data(EVIDENCE_ROLE).review == REVIEW_RETURNED
    assert "退回补充" in panel.review_state.text()

    panel.accept_button.click()
    assert returned_items(db, ROUND) == []
    assert cell(page, "市民政局", "1.1.1").data(EVIDENCE_ROLE).review == "认可"


def test_a_cell_without_evidence_says_so(qtbot, page: ScoringPage) -> None:
    choose(qtbot, page, "市教育局", "1.1.1")
    panel = page.evidence_panel
    assert panel.files.rowCount() == 0
    assert "未就此指标提交佐证材料" in panel.file_view.note.text()
    assert "未填" in panel.own.text()


def test_another_clients_evidence_change_keeps_what_the_assessor_is_typing(
    qtbot, page: ScoringPage
) -> None:
    """Seen in review: any evidence change elsewhere read the panel again and wiped the
    missing-material text being typed, the date picked and the file being read."""
    from app.services.changes import Changes, Topic

    panel = page.evidence_panel
    choose(qtbot, page, "市民政局", "1.1.1")
    reading = panel.files.rowCount() - 1
    panel.files_view.selectRow(reading)
    panel.missing_edit.setText("缺少会议记录")
    panel.missing_edit.setModified(True)  # as typing leaves it
    panel.due_edit.setDate(QDate(2026, 4, 30))
    panel.due_edit.editingFinished.emit()
    assert page.refresh_evidence(Changes.of(Topic.EVIDENCE, rounds=[1]))
    qtbot.waitUntil(lambda: panel.evidence is not None)
    assert panel.missing_edit.text() == "缺少会议记录"
    assert panel.due_edit.date() == QDate(2026, 4, 30)
    assert panel.files_view.currentIndex().row() == reading
