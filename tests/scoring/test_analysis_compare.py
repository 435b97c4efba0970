"""Year on year (issue 20 §1), the pure part: units, areas and leaves matched (the office's
links, names, codes), nothing dropped, changes, highlights and trends."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from app.scoring.analysis.compare import RoundFigures, UnitFigures, compare_rounds
from app.scoring.analysis.matching import (
    AREA,
    MERGED,
    NEW,
    RENAMED,
    SAME,
    SPLIT,
    UNIT,
    Link,
    match_codes,
    match_units,
)


def test_units_match_by_name_and_by_the_offices_links() -> None:
    links = [
        Link(UNIT, "2024", "市国土资源局", "市自然资源局"),
        Link(UNIT, "2024", "市文化局", "市文旅局"),
        Link(UNIT, "2024", "市旅游局", "市文旅局"),
        Link(UNIT, "2024", "市农委", "市农业局"),
        Link(UNIT, "2024", "市农委", "市乡村振兴局"),
    ]
    later = ["市司法局", "市自然资源局", "市文旅局", "市农业局", "市乡村振兴局", "市数据局"]
    earlier = ["市司法局", "市国土资源局", "市文化局", "市旅游局", "市农委", "市编办"]
    matches, gone = match_units(later, earlier, links)
    assert {name: m.how for name, m in matches.items()} == {
        "市司法局": SAME, "市自然资源局": RENAMED, "市文旅局": MERGED,
        "市农业局": SPLIT, "市乡村振兴局": SPLIT, "市数据局": NEW,
    }  # fmt: skip
    assert matches["市文旅局"].sources == ("市文化局", "市旅游局")
    assert gone == ["市编办"]


def test_areas_match_by_link_then_code_and_name_then_name_then_code() -> None:
    later = {"1": "依法履职", "2": "依法决策", "3": "执法监督", "4": "普法宣传", "5": "数字法治"}
    earlier = {"1": "依法履职", "2": "科学决策", "4": "执法监督", "5": "法治宣传", "6": "旧项"}
    links = [Link(AREA, "2024", "5", "4")]
    found = match_codes(AREA, later, earlier, links)
    assert found.found == {"4": "5", "1": "1", "3": "4", "2": "2"}
    assert found.how == {"4": "对应表", "1": "编码与名称", "3": "名称", "2": "编码"}
    assert found.new == ["5"] and found.gone == ["6"]


def figures(name, year, rows, areas=None):  # type: ignore[no-untyped-def]  # test helper
    units = [
        UnitFigures(unit, cat, Decimal(final), rank, crank, grade, grade == "优秀", bottom,
                    {"1": Fraction(rate)})
        for unit, cat, final, rank, crank, grade, bottom, rate in rows
    ]  # fmt: skip
    return RoundFigures(name, year, units, areas or {"1": "依法履职"}, {"1.1": "制度"})


def test_changes_highlights_flags_and_trends() -> None:
    r2023 = figures("2023", 2023, [
        ("甲", "A", "80", 3, 3, "良好", True, "0.8"), ("乙", "A", "90", 1, 1, "优秀", False, "0.9"),
        ("丙", "A", "85", 2, 2, "良好", False, "0.85")])  # fmt: skip
    r2024 = figures("2024", 2024, [
        ("甲", "A", "84", 3, 3, "良好", True, "0.84"),
        ("乙", "A", "91", 1, 1, "优秀", False, "0.9"),
        ("丙", "A", "86", 2, 2, "良好", False, "0.86")])  # fmt: skip
    r2025 = figures("2025", 2025, [
        ("甲", "A", "92.5", 1, 1, "优秀", False, "0.925"),
        ("乙", "A", "88", 2, 2, "良好", False, "0.88"),
        ("丙", "A", "80", 3, 3, "良好", True, "0.8"),
        ("丁", "A", "70", 4, 4, "合格", True, "0.7")])  # fmt: skip
    c = compare_rounds(r2025, [r2024, r2023])
    assert c.rounds == ["2023", "2024", "2025"]
    rows = {u.unit: u for u in c.units}
    jia = rows["甲"]
    assert jia.final == [Decimal(80), Decimal(84), Decimal("92.5")]
    assert jia.final_change == Decimal("8.5") and jia.rank_change == 2
    assert jia.rate_change["1"] == Fraction("0.925") - Fraction("0.84")
    assert jia.trend == 6.25  # least squares over 80, 84, 92.5
    assert rows["丁"].final == [None, None, Decimal(70)] and rows["丁"].rank_change is None
    assert c.unmatched["2024"].units_new == ["丁"]
    assert c.improved["A"] == ["甲"] and c.fallen["A"] == ["乙", "丙"]
    assert c.fallen_by_score["A"] == ["丙", "乙"]
    assert c.newly_top == ["甲"] and c.no_longer_top == ["乙"]
    assert c.newly_bottom == ["丙"] and c.no_longer_bottom == ["甲"]


def test_a_merged_unit_compares_with_the_mean_of_its_predecessors() -> None:
    earlier = figures("2024", 2024, [
        ("文化局", "A", "80", 2, 2, "良好", False, "0.8"),
        ("旅游局", "A", "90", 1, 1, "优秀", False, "0.9")])  # fmt: skip
    later = figures("2025", 2025, [("文旅局", "A", "88", 1, 1, "良好", False, "0.88")])
    links = [Link(UNIT, "2024", "文化局", "文旅局"), Link(UNIT, "2024", "旅游局", "文旅局")]
    row = compare_rounds(later, [earlier], links).units[0]
    assert row.final == [Decimal(85), Decimal(88)] and row.final_change == Decimal(3)
    assert row.rank == [None, 1] and row.rank_change is None
    assert row.rates["1"] == [Fraction("0.85"), Fraction("0.88")]
