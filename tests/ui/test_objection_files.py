"""申辩复核 page: the units' 初步结果 files with their objections, previewed in the dialog (each
file with its unit and state, a bad file's cells named), the good file applied and the list
showing its objections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.review.objections import list_objections, objection_choices
from app.ui.pages.review.objection_files import ObjectionFilesDialog
from app.ui.pages.review.page import ReviewPage
from tests.services.test_objection_import import UNIT, export_for, fill, leaf_rows


@pytest.fixture
def page(qtbot, demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    widget = ReviewPage(db)
    qtbot.addWidget(widget)
    widget.reload()
    yield widget
    db.dispose()


def test_the_preview_applies_the_good_file_and_names_the_bad_one(
    qtbot, qtmodeltester, page: ReviewPage, monkeypatch, tmp_path: Path
) -> None:
    other = next(u for u in objection_choices(page._db, DEMO_ROUND).units if u != UNIT)
    paths = export_for(page._db, tmp_path, UNIT, other)
    (first, _), (second, _) = list(leaf_rows(paths[UNIT]).items())[:2]
    fill(paths[UNIT], {first: ("已整改到位", None), second: ("材料已补交", 0.5)})
    bad_code, (bad_row, points, _) = next(iter(leaf_rows(paths[other]).items()))
    fill(paths[other], {bad_code: ("理由", float(points) + 5)})
    seen: list[list[tuple[str, ...]]] = []

    def apply(dialog: ObjectionFilesDialog) -> int:
        qtmodeltester.check(dialog.model)
        model = dialog.model
        seen.append(
            [
                tuple(model.index(r, c).data() for c in range(model.columnCount()))
                for r in range(model.rowCount())
            ]
        )
        assert paths[other].name in dialog.summary.text()
        dialog.apply_button.click()
        return dialog.result()

    monkeypatch.setattr(ObjectionFilesDialog, "exec", apply)
    page.import_objection_files([str(paths[UNIT]), str(paths[other])])
    qtbot.waitUntil(lambda: "已导入" in page.message.text(), timeout=60000)

    [rows] = seen
    mine = [r for r in rows if r[0] == paths[UNIT].name]
    assert [(r[1], r[2], r[7]) for r in mine] == [
        (UNIT, "将新增", "已整改到位"),
        (UNIT, "将新增", "材料已补交"),
    ]
    [theirs] = [r for r in rows if r[0] == paths[other].name]
    assert theirs[1:4] == (other, "有问题，不导入", f"第 {bad_row} 行 I 列")
    assert page.model.rowCount() == 2
    assert {(o.unit, o.leaf, o.reason) for o in list_objections(page._db, DEMO_ROUND)} == {
        (UNIT, first, "已整改到位"),
        (UNIT, second, "材料已补交"),
    }
    assert "已导入 2 条申辩（1 个文件）" in page.message.text()
    assert paths[other].name in page.message.text()

    # the same file again: the dialog has nothing to add, and the apply button says so
    def nothing_new(dialog: ObjectionFilesDialog) -> int:
        assert not dialog.apply_button.isEnabled()
        assert {dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())} == {
            "已导入，跳过"
        }
        return 0

    monkeypatch.setattr(ObjectionFilesDialog, "exec", nothing_new)
    page.import_objection_files([str(paths[UNIT])])
    qtbot.waitUntil(lambda: "已取消" in page.message.text(), timeout=60000)
    assert page.model.rowCount() == 2
