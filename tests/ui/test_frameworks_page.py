"""指标体系 page: edits in place go to the database, undo/redo walk them back and forth, the sum
check marks a parent whose children do not add up, and imports go through the preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.models.database import Database
from app.services.setup.framework_import import commit_framework, preview_framework
from app.services.setup.frameworks import get_framework_tree, list_frameworks
from app.services.setup.units import import_units
from app.ui.itemmodels.framework_tree_model import CATEGORIES, NAME, POINTS
from app.ui.pages.frameworks.page import FrameworksPage
from tests.workbooks import small_framework, small_units, write_sheet


@pytest.fixture
def page(qtbot, db: Database, tmp_path: Path) -> FrameworksPage:
    commit_framework(db, preview_framework(db, small_framework(tmp_path / "f.xlsx")), "细则")
    widget = FrameworksPage(db)
    qtbot.addWidget(widget)
    return widget


def leaf_points(db: Database) -> str:
    return str(get_framework_tree(db, "细则")[0].children[0].children[0].points)


def test_model_passes_qt_checks_while_editing(qtmodeltester, page: FrameworksPage) -> None:
    qtmodeltester.check(page.model)
    page.select_code("1.1.1")
    page.add_node(child=False, name="新增一项")
    qtmodeltester.check(page.model)


def test_edit_undo_redo_and_the_sum_check(page: FrameworksPage, db: Database) -> None:
    model = page.model
    leaf = model.index_of("1.1.1")
    assert model.setData(leaf.siblingAtColumn(POINTS), "3")
    assert leaf_points(db) == "3"
    group = model.index_of("1.1")
    assert "1.1" in model.off  # 3 + 2 under a group stated as 6
    assert model.data(group.siblingAtColumn(POINTS)) == "6（下级 5）"
    assert model.data(group.siblingAtColumn(NAME), Qt.ItemDataRole.ForegroundRole) is not None
    assert "不符" in page.caption.text()
    page.undo_stack.undo()
    assert leaf_points(db) == "4" and model.off == {}
    assert model.data(model.index_of("1.1").siblingAtColumn(POINTS)) == "6"
    page.undo_stack.redo()
    assert leaf_points(db) == "3"


def test_a_refused_edit_leaves_no_undo_step(page: FrameworksPage, db: Database) -> None:
    leaf = page.model.index_of("1.1.1")
    assert not page.model.setData(leaf.siblingAtColumn(POINTS), "四分")
    assert "数字" in page.message.text() and page.undo_stack.count() == 0
    assert leaf_points(db) == "4"


def test_structure_edits_and_their_undo(page: FrameworksPage, db: Database) -> None:
    page.select_code("1.1.2")
    page.indent()  # under 1.1.1
    assert [c.code for c in get_framework_tree(db, "细则")[0].children[0].children] == ["1.1.1"]
    page.undo_stack.undo()
    page.select_code("1.2")
    page.shift(-1)
    assert [c.code for c in get_framework_tree(db, "细则")[0].children] == ["1.2", "1.1"]
    page.select_code("1.2")
    page.remove_selected(confirm=False)
    assert [c.code for c in get_framework_tree(db, "细则")[0].children] == ["1.1"]
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert [c.code for c in get_framework_tree(db, "细则")[0].children] == ["1.1", "1.2"]
    page.select_code("1.1")
    page.add_node(child=True, name="新指标甲")
    assert get_framework_tree(db, "细则")[0].children[0].children[-1].name == "新指标甲"


def test_categories_for_many_leaves_at_once(page: FrameworksPage, db: Database, tmp_path) -> None:
    import_units(db, small_units(tmp_path / "u.xlsx"))
    page.tree.selectionModel().select(
        page.model.index_of("1.1"),
        page.tree.selectionModel().SelectionFlag.Select
        | page.tree.selectionModel().SelectionFlag.Rows,
    )
    page.edit_categories(["执法部门"])
    group = get_framework_tree(db, "细则")[0].children[0]
    assert [leaf.categories for leaf in group.children] == [["执法部门"], ["执法部门"]]
    assert page.model.data(page.model.index_of("1.1.2").siblingAtColumn(CATEGORIES)) == "执法部门"
    page.undo_stack.undo()
    assert all(
        not leaf.categories for leaf in get_framework_tree(db, "细则")[0].children[0].children
    )


def test_stated_total_and_copy(page: FrameworksPage, db: Database) -> None:
    page.total_edit.setText("100")
    page.total_edit.editingFinished.emit()
    assert "与满分 100 分不符" in page.caption.text()
    page.copy_framework("细则2026")
    assert page.framework_box.currentText() == "细则2026"
    assert len(list_frameworks(db)) == 2


def test_import_goes_through_the_preview(
    qtbot, page: FrameworksPage, db: Database, tmp_path: Path, monkeypatch
) -> None:
    path = write_sheet(
        tmp_path / "新细则.xlsx",
        ["一级指标", "二级指标", "分值", "评分标准"],
        [["依法行政（9分）", "权责清单", 2, "未公布的不得分"], [None, "案卷", 3, "每件扣0.5分"]],
    )
    seen = []

    def accept(preview, name):
        seen.append(preview)
        return {"name": "新细则", "replace": False, "deactivate_missing": False}

    monkeypatch.setattr(page, "confirm_import", accept)
    page.import_file(str(path))
    qtbot.waitUntil(lambda: page.framework_box.currentText() == "新细则", timeout=10000)
    (preview,) = seen
    assert [p.blocking for p in preview.problems] == [False] and len(preview.rules) == 2
    assert page.model.rowCount() == 1


def test_the_preview_dialog_blocks_a_bad_file(qtbot, db: Database, tmp_path: Path) -> None:
    from app.ui.import_preview import ImportPreviewDialog

    path = write_sheet(
        tmp_path / "bad.xlsx",
        ["一级指标", "二级指标", "分值"],
        [["甲", "乙", "x"], ["甲", "乙", 1]],
    )
    dialog = ImportPreviewDialog(preview_framework(db, path), name="坏")
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.problems_model.rowCount() == 2
    assert dialog.problems_model.data(dialog.problems_model.index(0, 0)) == "错误"
    assert "必须先在文件中改正" in dialog.summary.text()


def test_template_from_the_page(qtbot, page: FrameworksPage, monkeypatch) -> None:
    monkeypatch.setattr(
        page,
        "confirm_import",
        lambda p, n: {"name": n, "replace": False, "deactivate_missing": False},
    )
    page.new_from_template("ducha-yaodian")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10000)
    assert "34 个末级指标" in page.caption.text()


def test_a_framework_on_another_sheet_can_be_chosen_in_the_preview(
    qtbot, page: FrameworksPage, tmp_path: Path, monkeypatch
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    old = book.active
    old.title = "去年细则"
    old.append(["一级指标", "二级指标", "分值"])
    old.append(["依法行政", "权责清单", 10])
    new = book.create_sheet("今年细则")
    new.append(["一级指标", "二级指标", "分值"])
    new.append(["依法行政", "权责清单", 4])
    new.append([None, "行政执法", 6])
    path = tmp_path / "细则.xlsx"
    book.save(path)
    seen = []

    def choose(preview, name):
        seen.append((preview.sheet, preview.leaves, list(preview.sheets)))
        other = "今年细则" if len(seen) == 1 else None
        return {"name": "今年", "replace": False, "other_sheet": other}

    monkeypatch.setattr(page, "confirm_import", choose)
    page.import_file(str(path))
    qtbot.waitUntil(lambda: page.framework_box.currentText() == "今年", timeout=10000)
    sheets = ["去年细则", "今年细则"]
    assert seen == [("去年细则", 1, sheets), ("今年细则", 2, sheets)]


def test_an_imported_framework_takes_the_title_row_as_its_name(
    qtbot, page: FrameworksPage, tmp_path: Path, monkeypatch
) -> None:
    """Seen: a framework imported from a workbook took the file's name (附件2.xlsx), not the
    title the office wrote over the table."""
    path = write_sheet(
        tmp_path / "附件2.xlsx",
        ["一级指标", "二级指标", "分值", "评分标准"],
        [["依法行政（9分）", "权责清单", 2, "未公布的不得分"]],
        title="附件2：2026年度云州市法治政府建设考核细则",
    )
    offered = []

    def accept(preview, name):
        offered.append(name)
        return None  # cancelled: only the offered name matters here

    monkeypatch.setattr(page, "confirm_import", accept)
    page.import_file(str(path))
    qtbot.waitUntil(lambda: bool(offered), timeout=10000)
    assert offered == ["2026年度云州市法治政府建设考核细则"]
    untitled = write_sheet(
        tmp_path / "细则.xlsx", ["一级指标", "二级指标", "分值"], [["依法行政", "权责清单", 2]]
    )
    page.import_file(str(untitled))
    qtbot.waitUntil(lambda: len(offered) == 2, timeout=10000)
    assert offered[1] == "细则"  # no title row: the file's name, as before
