"""佐证材料 as the clerk uses it: the units' progress, several returned packages previewed per
package, per indicator and per file before anything is written, the good ones imported and a
bad one named; packages, lists and the round's evidence exported; the home page's list of what
the units owe."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from app.models.database import Database
from app.services.evidence.package_batch import check_packages, packages_in_folder
from app.services.evidence.reviews import review_evidence
from app.ui.pages.evidence.package_preview import PackagePreviewDialog
from app.ui.pages.evidence.page import EvidencePage
from app.ui.pages.home_page import HomePage
from tests import evidence_packages as unit
from tests.small_round import ROUND
from tests.ui.evidence_round import evidence_year, real_pdf, returned_package


@pytest.fixture
def year(db: Database, tmp_path: Path) -> Database:
    return evidence_year(db, tmp_path)


@pytest.fixture
def page(qtbot, year: Database):
    widget = EvidencePage(year)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def two_returned(db: Database, folder: Path) -> list[Path]:
    good = returned_package(
        db, folder, "市教育局", {"1.1.1": (9, "已落实")}, {"1.1.1": {"通知.pdf": real_pdf("a")}}
    )
    bad = returned_package(
        db, folder, "市财政局", {"1.1.1": (7, "")}, {"2.1.1": {"说明.pdf": unit.EXE}}
    )
    return [good, bad]


def row_of(page: EvidencePage, name: str):
    return next(
        page.units.row_at(r)
        for r in range(page.units.rowCount())
        if page.units.row_at(r).unit == name
    )


def test_the_units_progress(page: EvidencePage) -> None:
    assert page.units.rowCount() == 3
    civil = row_of(page, "市民政局")
    assert (civil.with_files, civil.files, civil.pending, civil.packages) == (2, 3, 2, 1)
    assert "3 个单位中 1 个已交回自评包" in page.summary.text()
    education = next(r for r in range(3) if page.units.row_at(r).unit == "市教育局")
    assert page.units.data(page.units.index(education, 9)) == "未交回"


def test_the_preview_shows_each_package_leaf_and_file_before_writing(
    qtbot, year: Database, tmp_path: Path
) -> None:
    checked = check_packages(year, ROUND, two_returned(year, tmp_path))
    dialog = PackagePreviewDialog(checked)
    qtbot.addWidget(dialog)
    assert dialog.apply_button.text() == "导入 1 个无误的包" and dialog.apply_button.isEnabled()
    states = [dialog.packages.data(dialog.packages.index(r, 2)) for r in range(2)]
    assert states == ["无误，可导入", "有 1 处问题，不导入"]
    leaf = dialog.leaves.row_at(0)  # the first package chosen: its changed leaves
    assert (leaf.code, leaf.score_before, leaf.score) == ("1.1.1", "", "9")
    assert dialog.leaves.data(dialog.leaves.index(0, 2)) == "— → 9"
    assert "新增 1" in dialog.leaves.data(dialog.leaves.index(0, 5))
    assert [dialog.files.data(dialog.files.index(0, c)) for c in (0, 3)] == ["通知.pdf", "新增"]
    assert dialog.problems.isHidden()

    dialog.packages_view.selectRow(1)  # the refused package: its problem named
    assert not dialog.problems.isHidden()
    assert "说明.pdf" in dialog.problems.toPlainText()
    assert "可执行程序" in dialog.problems.toPlainText()
    dialog.reject()
    for package in checked:
        package.discard()


def test_importing_several_packages_applies_the_good_and_names_the_bad(
    qtbot, page: EvidencePage, year: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    monkeypatch.setattr(page, "confirm", lambda packages: shown.append(len(packages)) or True)
    with qtbot.waitSignal(page.changes_made, timeout=20000):
        page.import_packages([str(p) for p in two_returned(year, tmp_path)])
    qtbot.waitUntil(lambda: "已导入" in page.message.text())
    assert shown == [2]
    assert "已导入 1 个材料包" in page.message.text() and "市财政局.zip" in page.message.text()
    assert row_of(page, "市教育局").files == 1  # the page read again
    assert row_of(page, "市财政局").files == 0


def test_a_folder_of_packages_is_found(year: Database, tmp_path: Path) -> None:
    zips = two_returned(year, tmp_path)
    stick = tmp_path / "U盘"
    stick.mkdir()
    for path in zips:
        (stick / path.name).write_bytes(path.read_bytes())
    unzipped = stick / "市民政局"
    with zipfile.ZipFile(zips[0]) as archive:
        archive.extractall(unzipped)  # a unit's unzipped package: the workbook one folder down
    assert [p.name for p in packages_in_folder(stick)] == [
        "市教育局.zip",
        "市民政局",
        "市财政局.zip",
    ]
    (inner,) = unzipped.iterdir()
    assert packages_in_folder(inner) == [inner]


def test_exports_packages_lists_and_the_round(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    out = tmp_path / "自评包"
    page.export_packages(selected=False, folder=str(out))
    qtbot.waitUntil(lambda: "已导出 3 个自评包" in page.message.text(), timeout=20000)
    assert len(list(out.glob("*.zip"))) == 3

    page.units_view.selectRow(0)
    lists = tmp_path / "目录"
    page.write_index(folder=str(lists))
    qtbot.waitUntil(lambda: "佐证材料目录" in page.message.text(), timeout=20000)
    assert sorted(p.suffix for p in lists.iterdir()) == [".pdf", ".xlsx"]

    whole = tmp_path / "检查材料"
    page.export_round(folder=str(whole))
    qtbot.waitUntil(lambda: "个文件" in page.message.text(), timeout=20000)
    assert "已导出 1 个单位的 3 个文件" in page.message.text()
    assert (whole / "市民政局").is_dir()


def test_items_sent_back_show_on_the_page_and_the_home_page(
    qtbot, page: EvidencePage, year: Database
) -> None:
    review_evidence(
        year, ROUND, "市民政局", "2.1.1", "退回补充", "缺少会议签到表", date(2020, 1, 1)
    )
    page.reload()
    assert page.returned.rowCount() == 1 and "已逾期" in page.returned.data(
        page.returned.index(0, 3)
    )
    assert "其中逾期 1" in page.returned_box.title()
    with qtbot.waitSignal(page.cell_requested) as asked:
        page.returned_view.doubleClicked.emit(page.returned.index(0, 0))
    assert asked.args == [ROUND, "市民政局", "2.1.1"]

    home = HomePage(year)
    qtbot.addWidget(home)
    assert home.owed_model.rowCount() == 1 and "其中逾期 1" in home.owed_box.title()
    assert home.owed_model.data(home.owed_model.index(0, 3)) == "缺少会议签到表"


def test_offline_workbooks_go_out_with_their_evidence_folders(
    qtbot, year: Database, tmp_path: Path
) -> None:
    from app.services.entry.assignments import assign
    from app.ui.pages.rounds_page import RoundsPage
    from tests.small_round import ASSESSOR

    assign(year, ROUND, ASSESSOR, ["1", "2"])
    rounds = RoundsPage(year)
    qtbot.addWidget(rounds)
    out = tmp_path / "评分表"
    rounds.export_sheets(str(out), with_evidence=True)
    qtbot.waitUntil(lambda: "已导出 1 份评分表" in rounds.message.text(), timeout=20000)
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    assert folder.name.endswith("-佐证材料")
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [
        "会议台账.xlsx",
        "公示照片.png",
        "权责清单.pdf",
    ]
