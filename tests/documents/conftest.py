"""The demo's 通报 printed once per test run — the 通报 itself, its 附件 of score sheets bound
apart and the workbook, from one write_report — for every test that reads them back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.io.writers.report_input import UnitSheet
from app.models.database import Database
from app.models.opening import open_database
from app.services.publishing.reports import score_sheets, write_report
from app.services.review.results import RoundResults

REPORT_NUMBER = "云法办〔2026〕9号"


@dataclass(frozen=True)
class DemoReport:
    db: Database  # a copy of the demo, the report's number claimed in it
    pdf: Path  # the 通报 itself
    annex: Path  # 附件2, the units' score sheets bound apart
    xlsx: Path
    results: RoundResults  # score_sheets of the round, as the report was printed from
    sheets: list[UnitSheet]


@pytest.fixture(scope="session")
def demo_report(
    demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoReport]:
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(demo_db_file, folder / "demo.db")
    db = open_database(folder / "demo.db")
    pdf, annex, xlsx = folder / "通报.pdf", folder / "通报附件.pdf", folder / "通报.xlsx"
    write_report(db, DEMO_ROUND, pdf, xlsx, annex=annex, number=REPORT_NUMBER)
    results, sheets = score_sheets(db, DEMO_ROUND)
    yield DemoReport(db, pdf, annex, xlsx, results, sheets)
    db.dispose()
