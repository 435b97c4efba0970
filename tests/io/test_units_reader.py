"""Unit lists as 组织部/依法治市办 send them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.io.readers.units_reader import group_heading, read_units
from tests.io.books import book, refused


def test_group_heading_rows_give_the_category(tmp_path: Path) -> None:
    path = book(
        tmp_path / "u.xlsx",
        [
            ["2025年度法治建设考核对象"],
            ["序号", "单位名称", "简称"],
            ["一、行政执法部门（2个）"],
            [1, "市 司法局", "司法局"],
            [2, "市公安局", None],
            ["二、综合管理部门"],
            ["３", "市财政局", None],
            ["合计：3个单位"],
            ["注：类别按市委文件划分。"],
            ["填表人：张三", "联系电话：1234"],
        ],
        merges=["A1:C1", "A3:C3", "A6:C6", "A8:C8", "A9:C9"],
    )
    records = read_units(path)
    assert [(r.name, r.category, r.order, r.short_name) for r in records] == [
        ("市司法局", "行政执法部门", 1, "司法局"),
        ("市公安局", "行政执法部门", 2, None),
        ("市财政局", "综合管理部门", 3, None),
    ]
    assert records[2].source.row == 7
    assert records[2].source.columns == {"name": "B", "short_name": "C", "order": "A"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("一、行政执法部门", "行政执法部门"),
        ("（二）综合管理部门（共12家）", "综合管理部门"),
        ("第三类：政法部门", "政法部门"),
        ("市司法局", None),
    ],
)
def test_group_headings(text: str, category: str | None) -> None:
    assert group_heading(text) == category


def test_synonyms_and_a_category_merged_over_its_group(tmp_path: Path) -> None:
    path = book(
        tmp_path / "u.xlsx",
        [
            ["分类", "被考核单位", "排序"],
            ["党群部门", "市委办", 1],
            [None, "市委组织部", 2],
            [None, "市委宣传部", 3],
            ["政法部门", "市法院", 4],
        ],
        merges=["A2:A4"],
    )
    assert [(r.name, r.category) for r in read_units(path)] == [
        ("市委办", "党群部门"),
        ("市委组织部", "党群部门"),
        ("市委宣传部", "党群部门"),
        ("市法院", "政法部门"),
    ]


def test_blank_category_that_is_not_merged_stays_blank(tmp_path: Path) -> None:
    path = book(tmp_path / "u.xlsx", [["单位名称", "单位类别"], ["市司法局", "执法"], ["市委办"]])
    assert [r.category for r in read_units(path)] == ["执法", None]


def test_duplicate_after_normalising_spaces(tmp_path: Path) -> None:
    path = book(tmp_path / "u.xlsx", [["单位名称"], ["市司法局"], ["市公安局"], ["市　司法局 "]])
    message = refused(read_units, path)
    assert "第 4 行，A 列" in message and "第 2 行已有" in message and "市司法局" in message


def test_old_xls_with_title_merged_category_and_text_numbers(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    workbook = xlwt.Workbook()
    workbook.add_sheet("说明").write(0, 0, "见下一页")
    sheet = workbook.add_sheet("名单")
    sheet.write_merge(0, 0, 0, 3, "2025年度考核对象名单")
    for col, text in enumerate(["序号", "单位\n名称", "单位类别", "简称"]):
        sheet.write(1, col, text)
    sheet.write(2, 0, "１")
    sheet.write(2, 1, " 市司法局　")
    sheet.write_merge(2, 4, 2, 2, "行政执法部门")
    sheet.write(3, 0, 2)
    sheet.write(3, 1, "市 公安局")
    sheet.write(4, 0, 3.0)
    sheet.write(4, 1, "市交通运输局")
    sheet.write(4, 3, "交通局")
    sheet.write(5, 0, "合计")
    workbook.save(str(tmp_path / "units.xls"))
    records = read_units(tmp_path / "units.xls")
    assert [(r.name, r.category, r.order, r.short_name) for r in records] == [
        ("市司法局", "行政执法部门", 1, None),
        ("市公安局", "行政执法部门", 2, None),
        ("市交通运输局", "行政执法部门", 3, "交通局"),
    ]
    assert records[1].source.sheet == "名单" and records[1].source.row == 4
