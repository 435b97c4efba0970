"""The offline assessor workbook lists the units' evidence for each of its cells (names and
SHA-256), and the files can go with it in a folder beside the workbook; the workbook still
comes back in as before."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models.database import Database
from app.services.entry.assessor_evidence import evidence_folder_for
from app.services.entry.assessor_sheets import export_sheets, preview_sheet
from app.services.entry.assignments import assign
from app.services.evidence.package_batch import apply_packages, check_packages
from app.services.evidence.package_export import export_packages
from tests import evidence_packages as unit
from tests.small_round import ASSESSOR, ROUND, build_small_round


@pytest.fixture
def year(db: Database, tmp_path: Path) -> Database:
    build_small_round(db, tmp_path, ["市民政局", "市教育局"])
    assign(db, ROUND, ASSESSOR, ["1", "2"])
    (package,) = export_packages(db, ROUND, tmp_path / "out", ["市民政局"])
    top = unit.unpack(package.path, tmp_path / "unpacked")
    unit.put(top, "1.1.1", "制度.pdf", unit.pdf("制度"))
    unit.put(top, "1.1.1", "照片.png", unit.PNG)
    apply_packages(db, check_packages(db, ROUND, [top]))
    return db


def test_the_workbook_lists_each_cells_files_with_their_hashes(
    year: Database, tmp_path: Path
) -> None:
    (path,) = export_sheets(year, ROUND, tmp_path / "sheets")
    book = load_workbook(path)
    sheet = book["评分表"]
    assert sheet["J3"].value == "佐证材料"
    cells = {(r[1], r[2]): r[9] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert sorted(cells[("市民政局", "1.1.1")].split("\n")) == ["制度.pdf", "照片.png"]
    assert cells[("市教育局", "1.1.1")] in (None, "")
    listed = list(book["佐证材料"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[1], r[3], r[5], r[6]) for r in listed} == {
        ("市民政局", "1.1.1", "制度.pdf", unit.sha256(unit.pdf("制度")), "待审核"),
        ("市民政局", "1.1.1", "照片.png", unit.sha256(unit.PNG), "待审核"),
    }
    assert all(r[7] in (None, "") for r in listed)  # no folder asked for
    assert not evidence_folder_for(path).exists()
    assert preview_sheet(year, ROUND, path) == []  # it still comes back in unchanged


def test_with_evidence_the_files_go_in_a_folder_beside_the_workbook(
    year: Database, tmp_path: Path
) -> None:
    (path,) = export_sheets(year, ROUND, tmp_path / "sheets", with_evidence=True)
    listed = list(load_workbook(path)["佐证材料"].iter_rows(min_row=2, values_only=True))
    for row in listed:
        copy = path.parent / row[7]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == row[5]
    folder = evidence_folder_for(path)
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["制度.pdf", "照片.png"]
    export_sheets(year, ROUND, tmp_path / "sheets", with_evidence=True)  # again: no clash


@pytest.mark.sqlite_only  # the command line opens the test's SQLite file
def test_the_command_line_flag(run_cli, year: Database, tmp_path: Path) -> None:
    code, out, _ = run_cli(
        "sheets", "export", "--round", ROUND, "--out", str(tmp_path / "s"), "--with-evidence"
    )
    assert code == 0 and "佐证材料：" in out
