"""考核对象 page: edit in place through the service (logged), filter by category, import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import ChangeLog
from app.models.database import Database
from app.services.setup.units import import_units, list_units
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
    qtbot.waitUntil(lambda: "未导入" in page.message.text(), timeout=10000)
    assert "未导入" in page.message.text() and "第 3 行" in page.message.text()


def test_reimport_shows_a_preview_and_can_deactivate_missing_units(
    qtbot, db: Database, tmp_path: Path, monkeypatch
) -> None:
    page = page_with_units(qtbot, db, tmp_path)
    again = write_sheet(
        tmp_path / "again.xlsx",
        ["单位名称", "单位类别"],
        [["市司法局", "政法部门"], ["市税务局", "垂管"]],
    )
    seen = []

    def confirm(preview):
        seen.append(preview)
        return {"name": "", "replace": False, "deactivate_missing": True}

    monkeypatch.setattr(page, "confirm_import", confirm)
    page.import_list(str(again))
    qtbot.waitUntil(lambda: "停用 2 个" in page.message.text(), timeout=10000)
    (preview,) = seen
    assert {m.name for m in preview.missing} == {"市公安局", "市财政局"}
    assert preview.new_categories == ["垂管"]  # 政法部门 is known already
    units = {u.name: u for u in list_units(db)}
    assert len(units) == 4 and not units["市公安局"].active
    assert page.model.rowCount() == 4


def test_the_preview_dialog_lists_units_and_asks_about_missing_ones(
    qtbot, db: Database, tmp_path: Path
) -> None:
    from app.services.setup.unit_import import preview_units
    from app.ui.import_preview import ImportPreviewDialog

    page_with_units(qtbot, db, tmp_path)
    path = write_sheet(tmp_path / "one.xlsx", ["单位名称", "单位类别"], [["市司法局", "政府部门"]])
    dialog = ImportPreviewDialog(preview_units(db, path))
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() and dialog.units_model.rowCount() == 1
    assert "2 个单位" in dialog.deactivate_box.text() and not dialog.deactivate_box.isChecked()
    assert dialog.missing_model.rowCount() == 2


def test_categories_are_managed_on_the_page(qtbot, db: Database, tmp_path: Path) -> None:
    from app.services.setup.units import list_categories

    page = page_with_units(qtbot, db, tmp_path)
    page.new_category("党群部门")
    assert list_categories(db) == ["政府部门", "政法部门", "党群部门"]
    page.category_list.setCurrentRow(2)
    page._move_category(-1)
    assert list_categories(db) == ["政府部门", "党群部门", "政法部门"]
    page.category_list.setCurrentRow(0)
    page.remove_selected_category()  # still has units: refused
    assert "还有 2 个单位" in page.message.text()
    page.category_list.setCurrentRow(0)
    page.rename_selected_category("综合部门")
    assert {u.category for u in list_units(db)} == {"综合部门", "政法部门"}
    assert page.category_box.findText("综合部门") >= 0


def two_sheet_list(path: Path) -> Path:
    """A workbook holding last year's list first and this year's on the second sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "2025年名单"
    first.append(["单位名称", "单位类别"])
    first.append(["市司法局", "政府部门"])
    second = book.create_sheet("2026年名单")
    second.append(["单位名称", "单位类别"])
    second.append(["市司法局", "政府部门"])
    second.append(["市审计局", "政府部门"])
    book.save(path)
    return path


def test_the_user_can_read_another_sheet_from_the_preview(
    qtbot, db: Database, tmp_path: Path, monkeypatch
) -> None:
    from app.services.setup.unit_import import preview_units
    from app.ui.import_preview import READ_OTHER_SHEET, ImportPreviewDialog

    path = two_sheet_list(tmp_path / "名单.xlsx")
    dialog = ImportPreviewDialog(preview_units(db, path))
    qtbot.addWidget(dialog)
    assert "2025年名单" in dialog.summary.text()
    assert [dialog.sheet_box.itemText(i) for i in range(2)] == ["2025年名单", "2026年名单"]
    dialog.sheet_box.textActivated.emit("2026年名单")
    assert dialog.result() == READ_OTHER_SHEET
    assert dialog.choices()["other_sheet"] == "2026年名单"

    page = UnitsPage(db)
    qtbot.addWidget(page)
    seen = []

    def confirm(preview):
        seen.append(preview.sheet)
        other = "2026年名单" if len(seen) == 1 else None
        return {"name": "", "replace": False, "deactivate_missing": False, "other_sheet": other}

    monkeypatch.setattr(page, "confirm_import", confirm)
    page.import_list(str(path))
    qtbot.waitUntil(lambda: "新增 2 个" in page.message.text(), timeout=10000)
    assert seen == ["2025年名单", "2026年名单"]
    assert {u.name for u in list_units(db)} == {"市司法局", "市审计局"}
