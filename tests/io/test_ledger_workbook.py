"""The ledger goes out to a unit and comes back with progress: applied all or nothing, every
refusal named by row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import WorkbookError
from app.models.database import Database
from app.models.ledger import CLOSED, IN_PROGRESS, TO_VERIFY
from app.services.ledger import problem_registration, progress_import
from app.services.ledger import problems as ledger


@pytest.fixture
def two_problems(db: Database, tmp_path: Path) -> tuple[str, str]:
    from app.models import Unit

    with db.transaction() as session:
        session.add_all([Unit(name="市民政局"), Unit(name="市公安局")])
    first = problem_registration.add_problem(
        db, "市民政局", "法治督察", "复议决定未履行", plan_due=date(2026, 3, 1)
    ).value
    second = problem_registration.add_problem(db, "市民政局", "执法监督", "裁量基准未修订").value
    problem_registration.add_problem(db, "市公安局", "投诉举报", "未出示执法证")
    return first, second


def fill(path: Path, answers: dict[str, tuple[str, str, str]]) -> Path:
    workbook = load_workbook(path)
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=3):
        number = row[0].value
        if number in answers:
            row[9].value, row[10].value, row[11].value = answers[number]
    workbook.save(path)
    return path


def test_a_units_progress_comes_back(db: Database, tmp_path: Path, two_problems) -> None:
    first, second = two_problems
    path = ledger.export_problems(db, tmp_path / "民政局.xlsx", unit="市民政局")
    rows = list(load_workbook(path).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [first, second]  # only this unit's problems
    fill(path, {first: ("已履行复议决定", "履行记录.pdf", "是"), second: ("正在修订", "", "")})
    assert progress_import.import_progress(db, path).value == 2
    status = {p.number: p.status for p in ledger.list_problems(db)}
    assert status[first] == TO_VERIFY and status[second] == IN_PROGRESS
    events = ledger.history(db, first)
    assert events[-1].evidence == "履行记录.pdf"


def test_a_wrong_row_refuses_the_whole_file(db: Database, tmp_path: Path, two_problems) -> None:
    path = ledger.export_problems(db, tmp_path / "全部.xlsx")
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet.cell(3, 10, "已整改")
    sheet.cell(4, 10, "已整改")
    sheet.cell(4, 4, "市公安局")  # a row claimed by another unit
    sheet.cell(5, 1, "2026-9999")  # a number that does not exist
    sheet.cell(5, 10, "已整改")
    sheet.cell(3, 12, "也许")  # not 是/否
    workbook.save(path)
    with pytest.raises(WorkbookError) as error:
        progress_import.import_progress(db, path)
    text = str(error.value)
    assert "第 3 行" in text and "L 列" in text
    assert all(p.status not in (IN_PROGRESS, TO_VERIFY) for p in ledger.list_problems(db))
    sheet.cell(3, 12, "是")
    workbook.save(path)
    with pytest.raises(WorkbookError) as error:
        progress_import.import_progress(db, path)
    messages = [str(p) for p in error.value.problems]
    assert any("第 4 行" in m and "责任单位" in m for m in messages)
    assert any("第 5 行" in m and "2026-9999" in m for m in messages)
    assert all(p.status not in (IN_PROGRESS, TO_VERIFY, CLOSED) for p in ledger.list_problems(db))
