"""Cell parsing: exact decimals from floats, numbers typed as text, rates, 是/否, tier rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.io import cells
from app.io.readers.framework_tree import split_stated_points
from app.io.text_rules import name_key
from app.io.tiers import TierError, parse_tiers
from app.scoring.types import Tier


def test_a_formula_result_with_endless_decimals_is_refused_saying_why() -> None:
    """Issue 15: at most 4 decimal places (a cell holding =1/3 used to read 0.333333333333333;
    1e-61 made whole rounds fail). The clerk rounds it in the workbook."""
    with pytest.raises(cells.CellError, match="最多 4 位小数"):
        cells.decimal(1 / 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1"),  # the float's shortest form, not 0.1000000000000000055…
        (9.9, "9.9"),
        (3.0, "3"),
        (0.1 + 0.2, "0.3"),  # formula noise beyond Excel's 15 digits is dropped
        (7, "7"),
        ("５", "5"),  # full-width digits
        ("０．５", "0.5"),
        (" 2.5　", "2.5"),  # ASCII and full-width spaces
        ("1,234.5", "1234.5"),
        ("－1", "-1"),
        ("\u22121", "-1"),
        ("", None),
        (None, None),
    ],
)
def test_decimal_reads_the_number_the_clerk_sees(value, expected) -> None:
    result = cells.decimal(value)
    assert (None if result is None else str(result)) == expected


def test_a_float_tenth_is_exactly_one_tenth() -> None:
    assert cells.decimal(0.1) == Decimal("0.1")
    assert cells.decimal(0.1) != Decimal(0.1)  # noqa: RUF032  (the float, on purpose)
    assert sum([cells.decimal(0.1)] * 10, Decimal(0)) == 1


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("五分", "不是数字"),
        ("1,5", "不是数字"),  # a comma is only accepted as a thousands separator
        ("#DIV/0!", "公式错误"),
        (dt.date(2025, 1, 1), "日期"),
        (True, "应为数字"),
        ("NaN", "不是数字"),
    ],
)
def test_decimal_refuses_what_is_not_a_number(value, fragment) -> None:
    with pytest.raises(cells.CellError, match=fragment):
        cells.decimal(value)


def test_points_may_carry_the_unit() -> None:
    assert cells.points("5分") == 5
    assert cells.points("０.５分") == Decimal("0.5")
    assert cells.points(2.5) == Decimal("2.5")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("97%", "0.97"), ("９７％", "0.97"), (0.97, "0.97"), ("0.97", "0.97"), ("100%", "1")],
)
def test_rates(value, expected) -> None:
    assert cells.rate(value) == Decimal(expected)


@pytest.mark.parametrize("value", [85, "85", 1.2, "１２０"])
def test_a_bare_rate_above_one_asks_whether_a_percent_was_meant(value) -> None:
    shown = cells.text(value)
    with pytest.raises(cells.CellError, match=f"是否指 {shown}%？"):
        cells.rate(value)
    assert cells.rate(f"{shown}%") == Decimal(shown) / 100


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("√", True),
        ("Y", True),
        (True, True),
        ("否", False),
        ("×", False),
        ("N", False),
        ("", None),
        (None, None),
    ],
)
def test_yes_no(value, expected) -> None:
    assert cells.yes_no(value) is expected


def test_yes_no_refuses_other_words() -> None:
    with pytest.raises(cells.CellError, match="应填“是”或“否”"):
        cells.yes_no("也许")
    assert cells.yes_no("不适用", frozenset({"不适用"})) is True


def test_category_lists() -> None:
    assert cells.category_list("执法部门、综合部门") == ("执法部门", "综合部门")
    assert cells.category_list("执法部门, 综合部门；政法部门") == (
        "执法部门",
        "综合部门",
        "政法部门",
    )
    assert cells.category_list(" ") == ()


def test_names_lose_stray_spaces() -> None:
    assert cells.name(" 市 公安局　") == "市公安局"
    # Issue 17: kept as written; this test used to expect the ASCII "(法治办)", the bug itself.
    assert cells.name("市司法局\n（法治办）") == "市司法局（法治办）"
    assert cells.name("ABC  Group 市分公司") == "ABC Group 市分公司"
    assert cells.header("单位\n名 称") == "单位名称"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("市司法局(法治办)", "市司法局（法治办）"),
        ("市司法局 （法治办）", "市司法局(法治办)"),
        ("ＡＢＣ集团　市分公司", "ABC集团市分公司"),
        ("执法部门（一类）", "执法部门 (一类)"),
    ],
)
def test_names_are_compared_by_their_key(written: str, stored: str) -> None:
    assert name_key(written) == name_key(stored)
    assert name_key("市司法局（法治办）") != name_key("市司法局（法制办）")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥100%:1；≥95%:0.8；≥90%:0.5", [("1", "1"), ("0.95", "0.8"), ("0.9", "0.5")]),
        (">=100%:1;>=95%:0.8", [("1", "1"), ("0.95", "0.8")]),
        ("≥１００％：１；≥９５％：０．８", [("1", "1"), ("0.95", "0.8")]),
        ("≧0.95:80%", [("0.95", "0.8")]),
        ("95%以上:1、90%以上:0.5", [("0.95", "1"), ("0.9", "0.5")]),
    ],
)
def test_tiers(text: str, expected) -> None:
    assert parse_tiers(text) == tuple(Tier(Decimal(t), Decimal(f)) for t, f in expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "为空"),
        ("很高:1", "无法识别"),
        ("≥95%:2", "0 到 1"),
        ("≥90%:0.5；≥95%:0.8", "从高到低"),
        (">95%:1", "≥"),
    ],
)
def test_bad_tiers(text: str, fragment: str) -> None:
    with pytest.raises(TierError, match=fragment):
        parse_tiers(text)


def test_stated_points_in_a_name() -> None:
    assert split_stated_points("依法全面履行政府职能（20分）") == ("依法全面履行政府职能", 20)
    assert split_stated_points("依法决策(12.5分)") == ("依法决策", Decimal("12.5"))
    assert split_stated_points("组织领导（１０分）") == ("组织领导", 10)
    assert split_stated_points("扣分项") == ("扣分项", None)
