"""Line breaking follows the punctuation rules a Chinese document is judged by."""

from __future__ import annotations

from app.documents.textfit import NO_LINE_END, NO_LINE_START, break_lines


def cells(text: str) -> float:
    """One cell per Chinese character, half a cell per Latin character or digit."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def test_lines_fill_to_the_width_and_keep_every_character() -> None:
    text = "根据2025年度法治建设考核结果，你单位存在以下问题，请认真整改并按期报送整改情况。" * 3
    lines = break_lines(text, 28, cells, first_indent=2)
    assert "".join(lines) == text
    assert cells(lines[0]) <= 26 + 1 and all(cells(x) <= 28 + 1 for x in lines)
    assert all(cells(x) >= 26 for x in lines[1:-1])


def test_no_closing_mark_starts_a_line_and_no_opening_mark_ends_one() -> None:
    for width in range(5, 30):
        text = "请于（2026年1月31日）前报送《整改方案》，逾期未报的，予以通报。"
        lines = break_lines(text, width, cells)
        assert "".join(lines) == text
        assert all(line[0] not in NO_LINE_START for line in lines[1:] if line)
        assert all(line[-1] not in NO_LINE_END for line in lines if line)


def test_numbers_stay_whole() -> None:
    lines = break_lines("扣分合计12.5分，得分率87.50%", 9, cells)
    assert "".join(lines) == "扣分合计12.5分，得分率87.50%"
    assert any("12.5" in line for line in lines) and any("87.50%" in line for line in lines)


def test_at_most_one_mark_hangs_past_the_edge() -> None:
    for width in range(6, 20):
        text = "请于期限内整改（扣1分）。请报送（附佐证材料）。" * 2
        lines = break_lines(text, width, cells)
        assert "".join(lines) == text
        for line in lines:
            assert cells(line) <= width + 1, (width, line)
            assert line[0] not in NO_LINE_START
