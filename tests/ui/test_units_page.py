"""考核对象 page: edit in place through the service (logged), filter by category, import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import ChangeLog
from app.models.database import Database
from app.services.units import import_units, list_units
from app.ui.itemmodels.units_table_model import ACTIVE, CATEGORY, ORDER, SHORT
from app.ui.pages.units_page import UnitsPage
from tests.workbooks import write_sheet

UNITS = [
    ["市司法局", "政府部门", "司法局"],
    ["市公安局", "政法部门", ""],
    ["市财政局", "政府部门", ""],
]


def page_with_units(qtbot, db: Database, tmp_path: Path) -> UnitsPage:
    import_units(db, write_sheet(tmp_path / "u.xlsx", ["单位名称", "单位类别", "简称"], UNITS))
    page = UnitsPage(db)
    qtbot.addWidget(page)
    return page


def test_edits_are_saved_and_logged(qtbot, qtmodeltester, db: Database, tmp_path: Path) -> None:
    page = page_with_units(qtbot, db, tmp_path)
    qtmodeltester.check(page.model)
    model = page.model
    assert model.setData(model.index(1, SHORT), "公安局")
    assert model.setData(model.index(1, CATEGORY), "执法部门")  # a new category
    assert model.setData(
        model.index(2, ACTIVE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert not model.setData(model.index(0, ORDER), "第一")
    assert "整数" in model.last_error
    units = {u.name: u for u in list_units(db)}
    assert units["市公安局"].short_name == "公安局" and units["市公安局"].category == "执法部门"
    assert not units["市财政局"].active
    with db.reading() as session:
        logged = session.scalars(
            select(ChangeLog.entity_key).where(
                ChangeLog.entity == "考核对象", ChangeLog.action == "修改"
            )
        )
        assert sorted(logged) == ["市公安局", "市公安局", "市财政局"]


def test_filter_by_category(qtbot, db: Database, tmp_path: Path) -> None:
    page = page_with_units(qtbot, db, tmp_path)
    assert page.proxy.rowCount() == 3
    page.category_box.setCurrentText("政府部门")
    assert page.proxy.rowCount() == 2
    assert "2 个单位" in page.summary.text()


def test_import_from_the_page_names_bad_rows(qtbot, db: Database, tmp_path: Path) -> None:
    page = page_with_units(qtbot, db, tmp_path)
    bad = write_sheet(
        tmp_path / "bad.xlsx", ["单位名称", "单位类别"], [["市司法局", "A"], ["市司法局", "B"]]
    )
    page.import_list(str(bad))
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=10000)
    assert "未导入" in page.message.text() and "第 3 行" in page.message.text()
