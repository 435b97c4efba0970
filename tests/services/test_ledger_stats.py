"""The ledger's numbers: found, closed, rate and overdue, by unit, source, area and month, and
the .xlsx and PDF that carry them (fonts embedded, Chinese text present)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from app.demo.build import DEMO_ROUND
from app.models.database import Database
from app.models.opening import open_database
from app.services.ledger import problem_registration, problem_status
from app.services.ledger.statistics import export_ledger_report, ledger_report, ledger_report_pdf
from tests.documents.pdfcheck import unembedded_fonts
from tests.services.test_ledger import without_ledger


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Database:
    database = open_database(without_ledger(demo_db_file, tmp_path / "demo.db"))
    yield database
    database.dispose()


def test_counts_by_unit_source_area_and_month(demo: Database) -> None:
    made = problem_registration.create_from_round(
        demo, DEMO_ROUND, found_on=date(2026, 1, 10)
    ).value
    number = problem_registration.add_problem(
        demo, "云州市民政局", "法治督察", "复议纠错率高",
        found_on=date(2026, 2, 3), result_due=date(2026, 3, 31),
    ).value  # fmt: skip
    problem_status.report_progress(demo, number, "已整改", "", done=True)
    problem_status.verify(demo, number, True, "到位")
    report = ledger_report(demo, today=date(2026, 4, 1))
    assert report.total.found == made + 1 and report.total.closed == 1
    assert report.by_source["法治督察"].closed == 1 and report.by_source["考核扣分"].found == made
    assert sum(t.found for t in report.by_unit.values()) == made + 1
    assert sum(t.found for t in report.by_area.values()) == made + 1
    assert report.by_area["非考核扣分"].found == 1
    assert len([a for a in report.by_area if a != "非考核扣分"]) == 5  # the demo's five areas
    assert report.by_month["2026-01"].found == made and report.by_month["2026-02"].found == 1
    closed_month = f"{date.today():%Y-%m}"  # verified today
    assert report.by_month[closed_month].closed == 1
    assert f"共发现问题{made + 1}个" in report.sentence() and "整改率" in report.sentence()


def test_overdue_counts_follow_the_date(demo: Database) -> None:
    problem_registration.add_problem(
        demo,
        "云州市民政局",
        "法治督察",
        "一",
        found_on=date(2026, 1, 1),
        result_due=date(2026, 3, 1),
    )
    assert ledger_report(demo, today=date(2026, 2, 1)).total.overdue == 0
    later = ledger_report(demo, today=date(2026, 3, 2))
    assert later.total.overdue == 1 and later.by_unit["云州市民政局"].overdue == 1


def test_workbook_and_pdf(demo: Database, tmp_path: Path) -> None:
    problem_registration.create_from_round(demo, DEMO_ROUND, found_on=date(2026, 1, 10))
    report = ledger_report(demo, today=date(2026, 4, 1))
    book = load_workbook(export_ledger_report(demo, tmp_path / "统计.xlsx", date(2026, 4, 1)))
    assert book.sheetnames == ["按单位", "按来源", "按领域", "按月份"]
    units = book["按单位"]
    assert units["A1"].value == report.sentence()
    assert units.max_row - 2 == len(report.by_unit)
    assert units["B3"].value == next(iter(report.by_unit.values())).found
    pdf = ledger_report_pdf(demo, tmp_path / "统计.pdf", date(2026, 4, 1))
    assert unembedded_fonts(pdf) == []
    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "整改台账统计" in compact and f"共发现问题{report.total.found}个" in compact
    assert next(iter(report.by_unit)) in compact
