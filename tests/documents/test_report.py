"""The 考核结果通报: its score sheets add up to the published results, and the PDF and the
workbook carry every unit, embedded fonts, vector charts and print settings."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from app.models.opening import open_database
from app.services.demo import DEMO_ROUND
from app.services.reports import average_rates, score_sheets, write_report
from tests.documents.pdfcheck import compact, pdffonts_unembedded, text_of, unembedded_fonts


@pytest.fixture(scope="module")
def report(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(demo_db_file, folder / "demo.db")
    db = open_database(folder / "demo.db")
    pdf, xlsx = folder / "通报.pdf", folder / "通报.xlsx"
    write_report(db, DEMO_ROUND, pdf, xlsx, number="云法办〔2026〕9号", issued_on=date(2026, 4, 30))
    yield db, pdf, xlsx
    db.dispose()


def test_score_sheets_add_up_to_the_published_area_subtotals(report) -> None:
    db, _, _ = report
    results, sheets = score_sheets(db, DEMO_ROUND)
    outcome = {u.unit: u for u in results.result.units}
    assert len(sheets) == len(outcome) == 80
    for sheet in sheets:
        for area in results.area_names:
            counted = sum(
                (r.score for r in sheet.rows if r.area == area and r.counted), Fraction(0)
            )
            assert counted == outcome[sheet.unit].areas[area], (sheet.unit, area)


def test_pdf_has_every_unit_embedded_fonts_and_vector_charts(report) -> None:
    db, pdf, _ = report
    text = compact(text_of(pdf, pages=12))  # the 通报 itself; the score sheets follow
    results, _ = score_sheets(db, DEMO_ROUND)
    for unit in results.result.units:
        # a long name wraps inside its cell, so its start is what stands in one piece
        assert compact(unit.unit)[:10] in text and f"{unit.final:.2f}" in text
    assert "关于2025年度法治政府建设考核结果的通报" in text and "云法办〔2026〕9号" in text
    assert unembedded_fonts(pdf) == []
    assert pdffonts_unembedded(pdf) in ([], None)  # poppler agrees, where it is installed
    with pdfplumber.open(pdf) as document:
        chart_pages = [
            p
            for p in document.pages
            if compact(p.extract_text() or "").startswith("附件1考核结果图表")
        ]
        assert chart_pages
        chart = chart_pages[0]
        assert len(chart.rects) + len(chart.curves) > 80  # bars drawn as paths, not a picture
        assert not chart.images
        assert len(document.pages) > 80  # a score sheet for every unit


def test_workbook_has_the_ranking_and_details_ready_to_print(report) -> None:
    _, _, xlsx = report
    workbook = load_workbook(xlsx)
    ranking = workbook["考核结果"]
    values = [row for row in ranking.iter_rows(min_row=3, values_only=True) if row[1]]
    assert len(values) == 80
    assert all(isinstance(row[3], int | float) for row in values)  # numbers as numbers
    assert ranking.print_title_rows.replace("$", "") == "2:2" and ranking.freeze_panes == "C3"
    assert str(ranking.page_setup.paperSize) == ranking.PAPERSIZE_A4
    detail = workbook["得分明细"]
    assert detail.max_row > 80 * 50


def test_cli_report_needs_an_output(run_cli, demo_db_file: Path, db_path: Path) -> None:
    shutil.copy(demo_db_file, db_path)
    code, _, err = run_cli("report", "--round", DEMO_ROUND)
    assert code == 2 and "--pdf" in err


def test_every_score_sheet_has_its_radar_against_the_average(report) -> None:
    db, pdf, _ = report
    results, sheets = score_sheets(db, DEMO_ROUND)
    average = average_rates(sheets, results.area_names)
    outcome = {u.unit: u for u in results.result.units}
    for code in results.area_names:  # the mean of the units' published area rates
        rates = [
            outcome[s.unit].areas[code] / s.area_points[code]
            for s in sheets
            if s.area_points.get(code)
        ]
        assert average[code] == pytest.approx(float(sum(rates) / len(rates)))
    with pdfplumber.open(pdf) as document:
        start = next(
            i
            for i, page in enumerate(document.pages)
            if compact(page.extract_text() or "").startswith("附件2各单位得分明细")
        )
        page = document.pages[start]
        text = compact(page.extract_text())
        assert "本单位" in text and "全部单位平均" in text
        assert compact(next(iter(results.area_names.values())))[:11] in text  # axis labels
        assert not page.images and len(page.lines) + len(page.curves) > 20  # vector lines
