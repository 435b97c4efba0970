"""考核细则 sheets: levels in columns, merged cells, heading rows, codes, and every check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.io.readers.framework_reader import read_framework
from app.io.records import NodeRecord
from app.scoring.types import Method, Tier
from tests.io.books import book, refused

# A..K: 序号 一级 二级 三级 分值 编码 评分方式 评分参数 评分标准 牵头单位 适用类别
HEADER = [
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "编码",
    "评分方式",
    "评分参数",
    "评分标准",
    "牵头单位",
    "适用类别",
]


def rows_of(*rows: list) -> list[list]:
    return [HEADER, *rows]


def flat(nodes: list[NodeRecord]) -> list[tuple]:
    out = []
    for node in nodes:
        out.append((node.code, node.name, node.level, node.points))
        out += flat(node.children)
    return out


def test_heading_rows_state_the_parents_points(tmp_path: Path) -> None:
    """An area on a row of its own with its 分值, its items on the rows below."""
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [None, "一、依法履职", None, None, 10],
            [1, None, "制度建设", "文件备案", "６"],
            [2, None, None, "法律顾问", "4分"],
            [None, "二、依法决策（5分）"],
            [3, None, "决策程序", "合法性审查", 5, None, None, None, "未审查不得分"],
            ["合计", None, None, None, 15],
        ),
    )
    sheet = read_framework(path)
    assert flat(sheet.roots) == [
        ("1", "一、依法履职", 1, 10),
        ("1.1", "制度建设", 2, 10),
        ("1.1.1", "文件备案", 3, 6),
        ("1.1.2", "法律顾问", 3, 4),
        ("2", "二、依法决策", 1, 5),
        ("2.1", "决策程序", 2, 5),
        ("2.1.1", "合法性审查", 3, 5),
    ]
    assert sheet.stated_total == 15
    assert sheet.roots[1].children[0].children[0].standard == "未审查不得分"


def test_heading_row_points_that_disagree(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of([None, "依法履职", None, None, 12], [1, None, "制度建设", "文件备案", 10]),
    )
    message = refused(read_framework, path)
    assert "第 2 行，E 列" in message and "标明 12 分" in message and "10 分" in message


def test_four_levels_codes_categories_and_synonyms(tmp_path: Path) -> None:
    header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "四级指标",
        "标准分",
        "指标编码",
        "评分方式",
        "评分参数",
        "考核\n标准",
        "牵头（评分）单位",
        "适用类别",
        "考核内容",
        "考核方式",
    ]
    path = book(
        tmp_path / "f.xlsx",
        [
            header,
            [
                "依法行政",
                "执法",
                "案卷",
                "评查",
                3,
                "A-01",
                "得分",
                None,
                "按评查结果",
                "司法局",
                "执法部门、综合部门",
                "案卷评查",
                "抽查",
            ],
            [None, None, None, "公示", 1, None, "是否", None, None, "司法局", None, None, None],
            [
                None,
                None,
                "复议",
                None,
                2,
                "A-03",
                "分档",
                "≥100%:1；≥90%:0.5",
                None,
                None,
                "执法部门",
                None,
                None,
            ],
        ],
        merges=["A2:A4", "B2:B4", "C2:C3"],
    )
    (root,) = read_framework(path).roots
    assert root.points == 6
    case, review = root.children[0].children
    assert (case.code, case.points, review.code) == ("1.1.1", 4, "A-03")
    first, second = case.children
    assert (first.code, first.level, first.method) == ("A-01", 4, Method.SCORE)
    assert first.categories == ("执法部门", "综合部门") and second.categories == ()
    assert (first.standard, first.content, first.assessment_method) == (
        "按评查结果",
        "案卷评查",
        "抽查",
    )
    assert first.lead_department == "司法局" and first.source is not None
    assert first.source.row == 2 and first.source.columns["code"] == "F"
    assert (second.code, second.method) == ("1.1.1.2", Method.YES_NO)
    assert review.tiers == (Tier(Decimal(1), Decimal(1)), Tier(Decimal("0.9"), Decimal("0.5")))


def test_bonus_and_veto_stand_outside_the_sums(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职（10分）", "制度", "文件", 10],
            [2, None, "否决", "重大违法", None, None, "一票否决"],
            [3, "附加项（3分）", "加分", "经验推广", 1, None, "加分"],
            [4, None, None, "示范命名", 2, None, "加分"],
            ["合计", None, None, None, 10],
        ),
        merges=["B2:B3", "B4:B5", "C4:C5"],
    )
    duty, extra = read_framework(path).roots
    assert duty.points == 10 and extra.points == 0
    veto = duty.children[1].children[0]
    assert (veto.method, veto.points) == (Method.VETO, 0)


def test_rows_continuing_a_merged_leaf_add_to_its_texts(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职", "制度建设", "文件备案", 4, None, None, None, "未备案每件扣1分"],
            [None, None, None, None, None, None, None, None, "逾期备案每件扣0.5分"],
            [2, None, None, "法律顾问", 2],
        ),
        merges=["B2:B4", "C2:C4", "D2:D3", "E2:E3"],
    )
    filing, adviser = read_framework(path).roots[0].children[0].children
    assert filing.standard == "未备案每件扣1分\n逾期备案每件扣0.5分"
    assert (filing.points, adviser.code) == (4, "1.1.2")


def test_every_problem_is_listed_with_row_and_column(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职", "制度建设", "文件备案", None],  # E2: no points
            [2, None, None, "法律顾问", "两分"],  # E3: not a number
            [3, None, None, "法律顾问", 1],  # D4: duplicate sibling
            [4, None, None, "规范执法", -1],  # E5: negative
            [5, None, None, "执法公示", 1, None, "抽签"],  # G6: unknown method
            [6, None, None, "应诉率", 1, None, "分档", "高:1"],  # H7: tiers
            [7, None, None, "复议", 1, "X1"],
            [8, None, None, "调解", 1, "X1"],  # F9: duplicate code
        ),
    )
    message = refused(read_framework, path)
    for cell, fragment in [
        ("第 2 行，E 列", "缺少分值"),
        ("第 3 行，E 列", "不是数字"),
        ("第 4 行，D 列", "重复（第 3 行已有）"),
        ("第 5 行，E 列", "负数"),
        ("第 6 行，G 列", "评分方式“抽签”无法识别"),
        ("第 7 行，H 列", "分档参数"),
        ("第 9 行，F 列", "编码“X1”重复"),
    ]:
        line = next((x for x in message.splitlines() if cell in x), "")
        assert fragment in line, (cell, message)
    assert "f.xlsx" in message and "Sheet1" in message


def test_an_area_that_comes_back_later_is_a_duplicate(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职", "制度建设", "文件备案", 4],
            [2, "依法决策", "程序", "审查", 4],
            [3, "依法履职", "执法", "案卷", 2],
        ),
    )
    message = refused(read_framework, path)
    assert "第 4 行，B 列" in message and "依法履职" in message and "第 2 行已有" in message


def test_a_given_code_clashing_with_a_position_code(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of([1, "依法履职", "制度建设", "文件备案", 4, "1.1"]),
    )
    message = refused(read_framework, path)
    assert "第 2 行，F 列" in message and "编码“1.1”重复" in message


def test_a_blank_level_under_a_changed_parent_is_refused(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of([1, "依法履职", "制度建设", "文件备案", 4], [2, "依法决策", None, "审查", 4]),
    )
    message = refused(read_framework, path)
    assert "第 3 行，C 列" in message and "二级指标为空" in message


def test_stated_total_excludes_bonus(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职", "制度建设", "文件备案", 4],
            [2, "附加", "加分", "推广", 2, None, "加分"],
            ["合 计", None, None, None, 6],
        ),
    )
    message = refused(read_framework, path)
    assert "第 4 行，E 列" in message and "合计标明 6 分" in message and "为 4 分" in message


def test_leaf_name_stating_other_points_than_its_cell(tmp_path: Path) -> None:
    path = book(tmp_path / "f.xlsx", rows_of([1, "依法履职", "制度建设", "文件备案（3分）", 4]))
    message = refused(read_framework, path)
    assert "第 2 行，E 列" in message and "3 分不一致" in message


def test_subtotal_and_note_rows_are_skipped(tmp_path: Path) -> None:
    path = book(
        tmp_path / "f.xlsx",
        rows_of(
            [1, "依法履职", "制度建设", "文件备案", 0.1],
            [2, None, None, "法律顾问", 0.2],
            ["小计", None, None, None, 0.3],
            ["合计", None, None, None, "0.3"],
            ["注：分值由考核办确定。"],
        ),
    )
    sheet = read_framework(path)
    assert sheet.roots[0].points == Decimal("0.3") and sheet.stated_total == Decimal("0.3")


def test_empty_framework(tmp_path: Path) -> None:
    path = book(tmp_path / "f.xlsx", [HEADER])
    assert "没有任何指标" in refused(read_framework, path)
