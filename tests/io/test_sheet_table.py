"""Finding the table: which sheet, which header row, which column is which."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import WorkbookError
from app.io.readers.satisfaction_reader import read_satisfaction
from app.io.readers.scores_reader import read_scores
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.readers.units_reader import read_units
from tests.io.books import book, refused


def test_header_below_title_rows_and_merged_title(tmp_path: Path) -> None:
    path = book(
        tmp_path / "m.xlsx",
        [
            ["2025年度满意度测评结果"],
            ["测评单位：市统计局", None, "日期：2025年12月"],
            [None],
            ["序号", "被考核\n单位", " 满意度 得分 "],
            [1, "市司法局", "９５.５"],
        ],
        merges=["A1:C1"],
    )
    (record,) = read_satisfaction(path)
    assert (record.unit, str(record.score)) == ("市司法局", "95.5")
    assert (record.source.row, record.source.columns) == (5, {"unit": "B", "score": "C"})


def test_data_on_a_later_sheet_and_hidden_sheets_are_passed_over(tmp_path: Path) -> None:
    path = book(
        tmp_path / "m.xlsx",
        [["单位名称", "满意度得分"], ["市司法局", 90]],
        title="测评结果",
        before={
            "说明": [["本表由统计局提供"]],
            "旧数据": [["单位名称", "满意度得分"], ["市司法局", 10]],
        },
        hidden=["旧数据"],
    )
    (record,) = read_satisfaction(path)
    assert record.score == 90 and record.source.sheet == "测评结果"


def test_a_sheet_can_be_named(tmp_path: Path) -> None:
    path = book(
        tmp_path / "m.xlsx",
        [["单位名称", "满意度得分"], ["市司法局", 90]],
        before={"上半年": [["单位名称", "满意度得分"], ["市司法局", 80]]},
    )
    assert read_satisfaction(path)[0].score == 80
    assert read_satisfaction(path, sheet="Sheet1")[0].score == 90
    with pytest.raises(WorkbookError, match="没有名为“下半年”的工作表"):
        read_satisfaction(path, sheet="下半年")


def test_headers_with_markers_and_units_in_brackets(tmp_path: Path) -> None:
    path = book(tmp_path / "m.xlsx", [["*单位名称", "满意度得分（百分制）"], ["市司法局", 88]])
    assert read_satisfaction(path)[0].score == 88


def test_a_second_header_row_under_a_merged_group_is_not_data(tmp_path: Path) -> None:
    """扣分/得分 under a merged "评分情况": the lower row still names the columns."""
    path = book(
        tmp_path / "s.xlsx",
        [
            ["单位名称", "指标编码", "评分情况", None, "扣分理由"],
            [None, None, "扣分", "得分", None],
            ["市司法局", "1.1.1", 0.5, None, "未备案"],
        ],
        merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2"],
    )
    (record,) = read_scores(path)
    assert record.deduction == pytest.approx(0.5) and str(record.deduction) == "0.5"
    assert record.source.columns["deduction"] == "C" and record.source.columns["score"] == "D"
    assert record.source.row == 3


def test_missing_column_is_named_with_the_sheet_and_row(tmp_path: Path) -> None:
    path = book(tmp_path / "s.xlsx", [["标题"], ["单位名称", "扣分"], ["市司法局", 1]])
    message = refused(read_scores, path)
    assert "s.xlsx" in message and "Sheet1" in message and "第 2 行" in message
    assert "缺少列“指标编码”" in message


def test_no_header_at_all(tmp_path: Path) -> None:
    path = book(tmp_path / "u.xlsx", [["名单"], ["市司法局"]])
    message = refused(read_units, path)
    assert "u.xlsx" in message and "没有找到" in message and "“单位名称”" in message


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.xlsx", b"", "空的"),
        ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
        ("list.xlsx", "单位名称,满意度得分\n市司法局,90\n".encode(), "CSV"),
        ("broken.xlsx", b"PK\x03\x04" + b"\0" * 100, "损坏"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, name, content, fragment) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = refused(read_satisfaction, path)
    assert name in message and fragment in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "文件不存在" in refused(read_units, tmp_path / "nowhere.xlsx")
    (tmp_path / "dir.xlsx").mkdir()
    assert "文件夹" in refused(read_units, tmp_path / "dir.xlsx")


def test_zip_without_a_workbook_inside(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "other.xlsx" in refused(read_units, path)


def test_workbook_saved_as_xls_by_name_is_sniffed(tmp_path: Path) -> None:
    """WPS users rename files; the content decides the format, not the extension."""
    path = book(tmp_path / "u.xlsx", [["单位名称"], ["市司法局"]])
    renamed = path.rename(tmp_path / "u.xls")
    assert [r.name for r in read_units(renamed)] == ["市司法局"]


def test_horizontal_merge_is_one_cell_and_vertical_merge_fills_down(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["名称", "组", "备注"])
    sheet.append(["a", "甲", None])
    sheet.append(["b", None, None])
    sheet.append(["c", "乙", None])
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("B4:C4")
    workbook.save(tmp_path / "t.xlsx")
    columns = (
        Column("name", ("名称",), required=True),
        Column("group", ("组",), fill_merged=True),
        Column("note", ("备注",), fill_merged=True),
    )
    table = open_table(tmp_path / "t.xlsx", columns, "测试")
    got = [
        (table.value(v, "name"), table.value(v, "group"), table.value(v, "note"))
        for _, v in table.rows
    ]
    assert got == [("a", "甲", None), ("b", "甲", None), ("c", "乙", None)]
    assert table.from_merge(3, "group") and not table.from_merge(2, "group")
