"""Score and satisfaction sheets: values as typed, and each unreadable cell named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.io.readers.satisfaction_reader import read_satisfaction
from app.io.readers.scores_reader import read_scores
from tests.io.books import book, refused

# A..I
HEADER = ["单位名称", "指标编码", "评分人", "扣分", "得分", "实际值", "不适用", "否决", "扣分理由"]


def test_every_field_knows_its_column(tmp_path: Path) -> None:
    path = book(
        tmp_path / "s.xlsx",
        [
            ["2025年度评分表（市司法局填报）"],
            HEADER,
            ["市 司法局", "１.１.１", " 甲组 ", "0.5", None, None, None, None, "未备案，见附件。"],
            ["市司法局", 1.2, None, None, True, None, "不适用", "否", None],
            ["市司法局", "2.1", None, None, None, "９７％", None, None, None],
            ["合计", None, None, 0.5],
            ["填报人：李四"],
        ],
        merges=["A1:I1"],
    )
    first, second, third = read_scores(path)
    assert (first.unit, first.leaf_code, first.assessor) == ("市司法局", "1.1.1", "甲组")
    assert first.deduction == Decimal("0.5") and first.reason == "未备案，见附件。"
    assert first.source.columns == {
        "unit": "A",
        "leaf_code": "B",
        "assessor": "C",
        "deduction": "D",
        "score": "E",
        "measured": "F",
        "not_applicable": "G",
        "veto": "H",
        "reason": "I",
    }
    assert first.source.row == 3 and first.source.at("reason").column == "I"
    assert (second.leaf_code, second.answer, second.score) == ("1.2", True, None)
    assert second.not_applicable is True and second.veto is False and second.assessor is None
    assert third.measured == Decimal("0.97")


def test_score_column_holds_numbers_or_yes_no(tmp_path: Path) -> None:
    path = book(
        tmp_path / "s.xlsx",
        [
            HEADER,
            ["甲", "1", None, None, "否"],
            ["甲", "2", None, None, "２.5"],
            ["甲", "3", None, None, 0.1],
        ],
    )
    answers = [(r.score, r.answer) for r in read_scores(path)]
    assert answers == [(None, False), (Decimal("2.5"), None), (Decimal("0.1"), None)]


def test_synonym_headers(tmp_path: Path) -> None:
    path = book(
        tmp_path / "s.xlsx",
        [
            ["被考核单位", "编码", "考核组", "扣分值", "扣分原因"],
            ["市司法局", "1.1", "乙组", 2, "x"],
        ],
    )
    (record,) = read_scores(path)
    assert (record.assessor, record.deduction, record.reason) == ("乙组", 2, "x")


@pytest.mark.parametrize(
    ("row", "cell", "fragment"),
    [
        (["市司法局", "1.1", None, "一分"], "D", "扣分“一分”不是数字"),
        ([None, "1.1", None, 1], "A", "缺少单位名称"),
        (["市司法局", None, None, 1], "B", "缺少指标编码"),
        (["市司法局", "1.1", None, None, "好"], "E", "得分"),
        (["市司法局", "1.1", None, None, None, "高"], "F", "实际值"),
        (["市司法局", "1.1", None, None, None, None, "也许"], "G", "不适用"),
        (["市司法局", "1.1", None, None, None, None, None, "可能"], "H", "否决"),
    ],
)
def test_bad_cells_are_named(tmp_path: Path, row: list, cell: str, fragment: str) -> None:
    path = book(tmp_path / "s.xlsx", [HEADER, ["市公安局", "1.1", None, 1], row])
    message = refused(read_scores, path)
    assert f"s.xlsx，工作表“Sheet1”，第 3 行，{cell} 列" in message and fragment in message
    assert "第 2 行" not in message


def test_satisfaction_scores(tmp_path: Path) -> None:
    path = book(
        tmp_path / "m.xlsx",
        [
            ["单位名称", "满意度"],
            ["市司法局", 95.5],
            ["市公安局", "８８"],
            [None, None],
            ["平均", None],
        ],
    )
    records = read_satisfaction(path)
    assert [(r.unit, r.score) for r in records[:2]] == [
        ("市司法局", Decimal("95.5")),
        ("市公安局", Decimal(88)),
    ]
    assert records[0].source.columns == {"unit": "A", "score": "B"}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(100.5, "0 到 100"), (-1, "0 到 100"), ("优", "不是数字"), (None, "缺少满意度得分")],
)
def test_bad_satisfaction(tmp_path: Path, value, fragment: str) -> None:
    path = book(
        tmp_path / "m.xlsx", [["单位名称", "满意度得分"], ["市司法局", 90], ["市公安局", value]]
    )
    message = refused(read_satisfaction, path)
    assert "第 3 行，B 列" in message and fragment in message
