"""An office's own 台账 into the ledger: the columns as offices write them, a preview, all or
nothing with every bad cell named, the same list twice adds nothing, and `problems import`
telling it from an exported ledger with the units' progress."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.errors import WorkbookError
from app.io.cells import CellError
from app.io.readers.problem_list_reader import day
from app.models.database import Database
from app.models.opening import open_database
from app.services.ledger import problem_registration
from app.services.ledger import problems as ledger
from app.services.ledger.exchange import (
    commit_problem_list,
    import_ledger_file,
    is_progress_workbook,
    preview_problem_list,
)
from tests.services.test_ledger import without_ledger
from tests.workbooks import write_sheet

HEADER = [
    "序号",
    "问题来源",
    "存在问题",
    "整改责任单位",
    "整改措施",
    "整改时限",
    "整改进展",
    "状态",
]
ROWS = [
    [
        1,
        "2025年法治督察",
        "行政复议纠错率偏高",
        "云州市民政局",
        "开展案卷评查",
        "2026年6月",
        "已制定方案",
        "整改中",
    ],
    [
        2,
        "市人大审议意见",
        "规范性文件备案不及时",
        "云州市教育局",
        "建立台账",
        datetime(2026, 3, 31),
        "",
        "未整改",
    ],
    [
        3,
        "群众举报",
        "执法记录仪使用不规范",
        "云州市交通运输局",
        "",
        "长期坚持",
        "已全部整改",
        "已完成",
    ],
    [4, "", "政务公开栏目更新滞后", "云州市商务局", "", "2026.1.15", "", "已销号"],
    ["合计", None, "4个", None, None, None, None, None],
]


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Database:
    database = open_database(without_ledger(demo_db_file, tmp_path / "demo.db"))
    yield database
    database.dispose()


def problem_list(path: Path, rows=ROWS) -> Path:
    return write_sheet(path, HEADER, rows, title="2025年度法治建设问题整改台账")


def test_an_office_list_becomes_new_problems_once(demo: Database, tmp_path: Path) -> None:
    path = problem_list(tmp_path / "台账.xlsx")
    assert not is_progress_workbook(path)
    preview = preview_problem_list(demo, path)
    assert [p.unit for p in preview.new] == [
        "云州市民政局",
        "云州市教育局",
        "云州市交通运输局",
        "云州市商务局",
    ]
    assert preview.already == []
    numbers = commit_problem_list(demo, preview, found_on=date(2026, 1, 5)).value
    assert len(numbers) == 4
    listed = {p.unit: p for p in ledger.list_problems(demo, today=date(2026, 4, 1))}
    assert (listed["云州市民政局"].source, listed["云州市民政局"].status) == ("法治督察", "整改中")
    assert listed["云州市民政局"].result_due == date(2026, 6, 30)  # "2026年6月": the month's end
    assert listed["云州市教育局"].source == "人大审议意见" and listed["云州市教育局"].overdue
    assert (
        listed["云州市交通运输局"].status == "待核验"
        and listed["云州市交通运输局"].result_due is None
    )
    assert listed["云州市交通运输局"].source == "投诉举报"
    assert listed["云州市商务局"].status == "已销号" and listed["云州市商务局"].source == "其他"
    events = ledger.history(demo, listed["云州市民政局"].number)
    assert "台账.xlsx 第 3 行" in events[0].text and events[1].text == "已制定方案"
    again = import_ledger_file(demo, path)
    assert (again.kind, again.count, again.already) == ("问题", 0, 4)
    assert len(ledger.list_problems(demo)) == 4


def test_every_bad_cell_is_named_and_nothing_is_written(demo: Database, tmp_path: Path) -> None:
    bad = [
        [1, "督察", "问题一", "不存在的局", "", "2026-06-30", "", ""],
        [2, "督察", "问题二", "云州市民政局", "", "下个月", "", ""],
        [3, "督察", "问题三", "云州市民政局", "", "2026-02-30", "", ""],
        [4, "督察", "问题四", "云州市民政局", "", "", "", "差不多了"],
        [5, "督察", "", "云州市民政局", "", "", "", ""],
    ]
    with pytest.raises(WorkbookError) as refused:
        preview_problem_list(demo, problem_list(tmp_path / "坏.xlsx", bad))
    messages = [str(p) for p in refused.value.problems]
    assert any("第 4 行" in m and "F 列" in m and "下个月" in m for m in messages)
    assert any("第 5 行" in m and "日期无效" in m for m in messages)
    assert any("第 6 行" in m and "H 列" in m and "差不多了" in m for m in messages)
    assert any("第 7 行" in m and "问题描述为空" in m for m in messages)
    good_cells_only = [row for row in bad if row[3] != "云州市民政局"]
    with pytest.raises(WorkbookError, match="没有考核对象“不存在的局”"):
        preview_problem_list(demo, problem_list(tmp_path / "单位.xlsx", good_cells_only))
    assert ledger.list_problems(demo) == []


def test_an_exported_ledger_with_progress_goes_to_the_progress_import(
    demo: Database, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    problem_registration.add_problem(demo, "云州市民政局", "法治督察", "复议纠错率偏高")
    out = ledger.export_problems(demo, tmp_path / "导出.xlsx", unit="云州市民政局")
    book = load_workbook(out)
    sheet = book.active
    sheet.cell(row=3, column=10, value="已完成案卷评查")
    book.save(out)
    assert is_progress_workbook(out)
    done = import_ledger_file(demo, out)
    assert (done.kind, done.count) == ("进展", 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-06-30", date(2026, 6, 30)),
        ("2026/6/3", date(2026, 6, 3)),
        ("2026年6月30日", date(2026, 6, 30)),
        ("2026年2月", date(2026, 2, 28)),
        ("2026年2月底", date(2026, 2, 28)),
        ("立行立改", None),
        (datetime(2026, 5, 1, 0, 0), date(2026, 5, 1)),
        (None, None),
    ],
)
def test_dates_as_offices_write_them(cell, expected) -> None:
    assert day(cell) == expected


def test_a_date_that_is_not_one() -> None:
    with pytest.raises(CellError, match="不是日期"):
        day("尽快")


def test_the_header_the_programs_own_export_writes_keeps_its_dates(
    demo: Database, tmp_path: Path
) -> None:
    """Seen (issue 17): a list whose column is "完成期限" — the header the program's own ledger
    export writes — imported with every date dropped ("整改时限" worked)."""
    header = [("完成期限" if name == "整改时限" else name) for name in HEADER]
    path = write_sheet(tmp_path / "台账.xlsx", header, ROWS)
    preview = preview_problem_list(demo, path)
    commit_problem_list(demo, preview, found_on=date(2026, 1, 5))
    listed = {p.unit: p for p in ledger.list_problems(demo, today=date(2026, 4, 1))}
    assert listed["云州市民政局"].result_due == date(2026, 6, 30)
    assert listed["云州市教育局"].result_due == date(2026, 3, 31)
