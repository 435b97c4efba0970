"""A unit's score sheet on its own (report unit-sheet): one PDF and one workbook per unit, each
with the leaves, the calculation to the exact final and its one rounding, and the rounding
note only where the printed figures miss the total."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.publishing.reports import UnitSheet, score_sheets
from app.services.publishing.unit_sheets import write_unit_sheets
from tests.documents.pdfcheck import compact, text_of, unembedded_fonts


@pytest.fixture(scope="module")
def demo(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("unit-sheets")
    shutil.copy(demo_db_file, folder / "demo.db")
    db = open_database(folder / "demo.db")
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def two_kinds(demo: Database) -> tuple[UnitSheet, UnitSheet]:
    """A unit whose sheet needs the rounding note and one whose sheet does not."""
    _, sheets = score_sheets(demo, DEMO_ROUND)
    noted = next(s for s in sheets if s.calculation.note)
    plain = next(s for s in sheets if not s.calculation.note)
    return noted, plain


def rows_of(path: Path) -> list[tuple]:
    sheet = load_workbook(path).active
    return [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_carries_the_calculation_and_prints_like_the_others(
    demo: Database, two_kinds, tmp_path: Path
) -> None:
    for sheet in two_kinds:
        [path] = write_unit_sheets(demo, DEMO_ROUND, tmp_path, unit=sheet.unit, pdf=False)
        assert path.suffix == ".xlsx" and sheet.unit in path.name
        rows = rows_of(path)
        lines = dict(sheet.calculation.lines)
        assert ("最终得分（精确值）", lines["最终得分（精确值）"]) in rows
        assert ("四舍五入保留两位小数", f"最终得分 {sheet.final:.2f}") in rows
        for what, how in sheet.calculation.lines:
            assert (what, how) in rows
        notes = [r for r in rows if r and str(r[0]).startswith("注：")]
        assert notes == ([(sheet.calculation.note,)] if sheet.calculation.note else [])
        leaves = [r for r in rows if r and r[0] == sheet.rows[0].code]
        assert leaves and isinstance(leaves[0][3], int | float)  # numbers as numbers
        printed = load_workbook(path).active
        assert printed.print_title_rows.replace("$", "") == "3:3"
        assert str(printed.page_setup.paperSize) == printed.PAPERSIZE_A4
        assert printed.page_setup.fitToWidth == 1 and printed.page_setup.orientation == "landscape"
        assert "变更记录校验码" in printed.oddFooter.left.text


def test_the_pdf_carries_the_calculation_and_the_note_only_where_it_applies(
    demo: Database, two_kinds, tmp_path: Path
) -> None:
    for sheet in two_kinds:
        [path] = write_unit_sheets(demo, DEMO_ROUND, tmp_path, unit=sheet.unit, xlsx=False)
        text = compact(text_of(path))
        assert compact(f"{sheet.unit}{DEMO_ROUND}得分明细") in text
        assert "得分计算算式与结果" in text
        for what, how in sheet.calculation.lines:
            assert compact(what + how) in text, what
        assert ("注：各项得分按精确值计算" in text) == bool(sheet.calculation.note)
        assert unembedded_fonts(path) == []


def test_every_unit_by_default_and_an_unknown_unit_is_refused(
    db_path: Path, tmp_path: Path
) -> None:
    """On a small round (the demo's 80 workbooks took 5 s)."""
    from tests.small_round import ROUND, build_small_round

    units = ["市司法局", "市公安局", "市财政局"]
    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    try:
        build_small_round(db, tmp_path / "round", units)
        written = write_unit_sheets(db, ROUND, tmp_path / "out", pdf=False)
        assert len(written) == 3 and all(p.suffix == ".xlsx" for p in written)
        assert sorted(next(u for u in units if u in p.name) for p in written) == sorted(units)
        with pytest.raises(UserError, match="不是考核批次"):
            write_unit_sheets(db, ROUND, tmp_path, unit="没有这个局")
        with pytest.raises(UserError):
            write_unit_sheets(db, ROUND, tmp_path, pdf=False, xlsx=False)
    finally:
        db.dispose()


def test_cli_report_unit_sheet(run_cli, demo_db_file: Path, db_path: Path, tmp_path: Path) -> None:
    shutil.copy(demo_db_file, db_path)
    unit = "云州市司法局"
    out = tmp_path / "明细"
    code, printed, err = run_cli(
        "report", "unit-sheet", "--round", DEMO_ROUND, "--unit", unit, "--out", str(out), "--xlsx"
    )
    assert code == 0, err
    assert [p.suffix for p in out.iterdir()] == [".xlsx"] and unit in printed
    code, _, err = run_cli("report", "unit-sheet", "--round", DEMO_ROUND, "--unit", unit,
                           "--out", str(tmp_path / "两种"))  # fmt: skip
    assert code == 0, err
    assert sorted(p.suffix for p in (tmp_path / "两种").iterdir()) == [".pdf", ".xlsx"]
    code, _, err = run_cli("report", "unit-sheet", "--round", DEMO_ROUND, "--unit", "没有这个局",
                           "--out", str(out))  # fmt: skip
    assert code == 2 and "没有这个局" in err
    code, _, err = run_cli("report", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 2 and "--round" in err
