"""Readers take workbooks as offices really write them, and say exactly where a file is wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import WorkbookError
from app.io.readers.framework_reader import read_framework
from app.io.readers.satisfaction_reader import read_satisfaction
from app.io.readers.scores_reader import read_scores
from app.io.readers.units_reader import read_units
from app.scoring.types import Method, Tier


def office_units(path: Path) -> Path:
    """Title rows, category merged over each group, stray spaces, a 合计 row, data on sheet 2."""
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["本表由组织部提供"])
    sheet = workbook.create_sheet("名单")
    sheet.append(["2025年度法治建设考核对象名单"])
    sheet.merge_cells("A1:D1")
    sheet.append(["填报单位：市委组织部"])
    sheet.append(["序 号", "单位\n名称", "类别", "简称"])
    sheet.append([1, " 市司法局 ", "行政执法部门", "司法局"])
    sheet.append([2, "市 公安局", None, None])
    sheet.append(["３", "市财政局", "综合管理部门", None])
    sheet.append([None, None, None, None])
    sheet.append([4, "市审计局", None, None])
    sheet.append(["合计", "4个单位", None, None])
    sheet.merge_cells("C4:C5")
    sheet.merge_cells("C6:C8")
    workbook.save(path)
    return path


def test_unit_list_as_offices_write_it(tmp_path: Path) -> None:
    records = read_units(office_units(tmp_path / "units.xlsx"))
    assert [(r.name, r.category, r.order) for r in records] == [
        ("市司法局", "行政执法部门", 1),
        ("市公安局", "行政执法部门", 2),
        ("市财政局", "综合管理部门", 3),
        ("市审计局", "综合管理部门", 4),
    ]
    assert records[1].source.sheet == "名单"
    assert records[1].source.row == 5
    assert records[0].short_name == "司法局"


def test_duplicate_unit_is_named_with_both_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["单位名称"])
    sheet.append(["市司法局"])
    sheet.append(["市司法局 "])
    workbook.save(tmp_path / "dup.xlsx")
    with pytest.raises(WorkbookError) as error:
        read_units(tmp_path / "dup.xlsx")
    assert "第 3 行，A 列" in str(error.value) and "第 2 行已有" in str(error.value)


def office_framework(path: Path, area_points: str = "20") -> Path:
    """A two-row header with 指标 merged over the levels, merged level cells, text numbers."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2025年度法治政府建设考核细则"])
    sheet.append(
        ["序号", "指标", None, None, "分值", "评分方式", "评分参数", "评分标准", "牵头单位"]
    )
    sheet.append([None, "一级指标", "二级指标", "三级指标"])
    sheet.merge_cells("B2:D2")
    rows = [
        (
            1,
            f"依法履职（{area_points}分）",
            "制度建设",
            "规范性文件备案",
            "５",
            None,
            "每项0.5",
            "每发现一例扣0.5分，扣完为止",
            "市司法局",
        ),
        (2, None, None, "法律顾问", 5, "是否", None, "未建立不得分", "市司法局"),
        (3, None, "执法监督", "复议纠错率", "0.1", "得分", None, None, "市司法局"),
        (4, None, None, "出庭应诉率", 9.9, "分档", "≥100%:1；≥95%:0.8", None, "市司法局"),
        (5, "附加项", "加分", "经验推广", 3, "加分项", None, None, None),
        ("合计", None, None, None, 20, None, None, None, None),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("B4:B7")
    sheet.merge_cells("C4:C5")
    workbook.save(path)
    return path


def test_framework_with_merged_levels_and_two_row_header(tmp_path: Path) -> None:
    sheet = read_framework(office_framework(tmp_path / "fw.xlsx"))
    area, extra = sheet.roots
    assert (area.code, area.name, area.points) == ("1", "依法履职", Decimal(20))
    assert [c.name for c in area.children] == ["制度建设", "执法监督"]
    first, second = area.children[0].children
    assert (first.code, first.points, first.method) == ("1.1.1", Decimal(5), Method.DEDUCT)
    assert second.method is Method.YES_NO
    rate, tiered = area.children[1].children
    assert rate.points == Decimal("0.1")  # exactly one tenth, not a float
    assert tiered.tiers == (Tier(Decimal(1), Decimal(1)), Tier(Decimal("0.95"), Decimal("0.8")))
    assert extra.children[0].children[0].method is Method.BONUS
    assert extra.points == 0
    assert sheet.stated_total == 20
    assert first.source is not None and first.source.row == 4


def test_framework_whose_area_points_disagree_names_the_cell(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as error:
        read_framework(office_framework(tmp_path / "fw.xlsx", area_points="19.5"))
    text = str(error.value)
    assert "fw.xlsx" in text and "第 4 行，B 列" in text and "19.5" in text and "20" in text


def test_framework_total_row_must_agree(tmp_path: Path) -> None:
    path = office_framework(tmp_path / "fw.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.active["E9"] = 25  # type: ignore[index]
    workbook.save(path)
    with pytest.raises(WorkbookError, match="合计标明 25"):
        read_framework(path)


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"E": "五分"}, "E", "不是数字"),
        ({"F": "按比例打分吧"}, "F", "无法识别"),
        ({"F": "分档", "G": "很高:1"}, "G", "分档参数"),
        ({"E": -1}, "E", "负数"),
    ],
)
def test_bad_framework_cells(tmp_path: Path, cells: dict, column: str, fragment: str) -> None:
    path = office_framework(tmp_path / "fw.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for letter, value in cells.items():
        workbook.active[f"{letter}5"] = value  # type: ignore[index]
    workbook.save(path)
    with pytest.raises(WorkbookError) as error:
        read_framework(path)
    assert f"第 5 行，{column} 列" in str(error.value)
    assert fragment in str(error.value)


def test_scores_read_rates_answers_and_flags(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["单位", "指标编码", "评分人", "扣分", "得分", "实际值", "不适用", "否决", "扣分理由"]
    )
    sheet.append(["市司法局", "1.1.1", "甲组", 0.1, None, None, None, None, " 未备案 "])
    sheet.append(["市司法局", "1.1.2", None, None, "是", None, None, None, None])
    sheet.append(["市司法局", "1.2.2", None, None, None, "97%", None, None, None])
    sheet.append(["市司法局", "1.2.1", None, None, "２.5", 0.97, "否", "√", None])
    workbook.save(tmp_path / "s.xlsx")
    first, second, third, fourth = read_scores(tmp_path / "s.xlsx")
    assert first.deduction == Decimal("0.1") and first.reason == "未备案"
    assert first.assessor == "甲组" and second.assessor is None
    assert second.answer is True and second.score is None
    assert third.measured == Decimal("0.97")
    assert fourth.score == Decimal("2.5") and fourth.measured == Decimal("0.97")
    assert fourth.veto is True and fourth.not_applicable is False
    assert fourth.source.at("veto").column == "H"


def test_satisfaction_out_of_range_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["单位名称", "满意度得分"])
    sheet.append(["市司法局", 101])
    workbook.save(tmp_path / "m.xlsx")
    with pytest.raises(WorkbookError, match="第 2 行，B 列"):
        read_satisfaction(tmp_path / "m.xlsx")


def test_old_xls_files_are_read(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("单位")
    sheet.write_merge(0, 0, 0, 2, "考核对象名单")
    for col, text in enumerate(["序号", "单位名称", "单位类别"]):
        sheet.write(1, col, text)
    sheet.write(2, 0, 1)
    sheet.write(2, 1, "市司法局")
    sheet.write_merge(2, 3, 2, 2, "行政执法部门")
    sheet.write(3, 0, 2)
    sheet.write(3, 1, "市公安局")
    book.save(str(tmp_path / "units.xls"))
    records = read_units(tmp_path / "units.xls")
    assert [(r.name, r.category) for r in records] == [
        ("市司法局", "行政执法部门"),
        ("市公安局", "行政执法部门"),
    ]


def test_not_a_workbook_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(b"this is a text file, not a workbook")
    with pytest.raises(WorkbookError, match=r"renamed\.xlsx"):
        read_units(path)
