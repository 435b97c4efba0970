"""Names and texts that cannot be what they seem are refused where they enter, at their cell
(issue 15 §2): control characters (a NUL from the ``_x0000_`` escape broke six exports),
bidirectional overrides in names ("\u202e局法司市州云" shows as 云州市司法局), and names past
their maximum length (a 10,002-character unit name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.io.readers.framework_reader import read_framework
from app.io.readers.scores_reader import read_scores
from app.io.readers.units_reader import read_units
from tests.io.books import book, refused
from tests.workbooks import FRAMEWORK_HEADER, SCORES_HEADER, UNITS_HEADER

SPOOF = "\u202e局法司市州云"  # shows as 云州市司法局


def units_book(path: Path, name: str, category: str = "执法部门") -> Path:
    return book(path, [UNITS_HEADER, (1, "市公安局", "执法部门", None), (2, name, category, None)])


def test_a_nul_from_the_x0000_escape_is_refused_at_its_cell(tmp_path: Path) -> None:
    """openpyxl writes "_x0000_" as it is; Excel and calamine read it as NUL."""
    message = refused(read_units, units_book(tmp_path / "名单.xlsx", "市司法局_x0000_"))
    assert "名单.xlsx" in message and "工作表“Sheet1”" in message
    assert "第 3 行，B 列" in message and "U+0000" in message and "控制字符" in message


def test_a_control_character_in_a_reason_is_refused_but_line_breaks_are_kept(
    tmp_path: Path,
) -> None:
    row = ("市司法局", "1.1.1", None, 1, None, None, None, None)
    bad = book(tmp_path / "bad.xlsx", [SCORES_HEADER, (*row, "制度未更新_x001B_")])
    message = refused(read_scores, bad)
    assert "第 2 行，I 列" in message and "U+001B" in message
    good = book(tmp_path / "good.xlsx", [SCORES_HEADER, (*row, "制度未更新；\n\t文件未备案")])
    (record,) = read_scores(good)
    assert record.reason == "制度未更新；\n\t文件未备案"


@pytest.mark.parametrize("invisible", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200b"])
def test_invisible_direction_marks_are_refused_in_unit_names(
    tmp_path: Path, invisible: str
) -> None:
    name = f"{invisible}局法司市州云"
    message = refused(read_units, units_book(tmp_path / "名单.xlsx", name))
    assert f"U+{ord(invisible):04X}" in message and "第 3 行，B 列" in message


def test_a_spoofed_category_assessor_and_indicator_are_refused(tmp_path: Path) -> None:
    message = refused(read_units, units_book(tmp_path / "u.xlsx", "市司法局", SPOOF))
    assert "单位类别" in message and "C 列" in message
    scores = book(
        tmp_path / "s.xlsx",
        [SCORES_HEADER, ("市司法局", "1.1.1", SPOOF, 1, None, None, None, None, None)],
    )
    message = refused(read_scores, scores)
    assert "评分人名称" in message and "C 列" in message and "U+202E" in message
    framework = book(
        tmp_path / "f.xlsx",
        [FRAMEWORK_HEADER, ("依法履职", "制度建设", SPOOF, 4, "扣分", None, None, None)],
    )
    message = refused(read_framework, framework)
    assert "指标名称" in message and "第 2 行，C 列" in message


@pytest.mark.parametrize("length", [101, 10_002])
def test_unit_names_past_the_limit_are_refused(tmp_path: Path, length: int) -> None:
    name = "云" * length
    message = refused(read_units, units_book(tmp_path / "名单.xlsx", name))
    assert f"有 {length} 个字，超过上限 100 个字" in message and "第 3 行，B 列" in message
    assert len(read_units(units_book(tmp_path / "ok.xlsx", "云" * 100))) == 2


def test_the_limits() -> None:
    from app.io.text_rules import ASSESSOR, NODE, UNIT, text_problem

    assert text_problem("云" * 100, UNIT) is None
    assert text_problem("云" * 101, UNIT) is not None
    assert text_problem("组" * 101, ASSESSOR) is not None
    assert text_problem("指" * 500, NODE) is None
    assert text_problem("指" * 501, NODE) is not None
    assert text_problem('=HYPERLINK("http://x","y")', UNIT) is None  # text is text
