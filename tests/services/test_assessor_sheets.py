"""Offline assessor workbooks: out with exactly the assignment, back in checked and diffed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import WorkbookError
from app.io.writers.sheet_writing import set_value
from app.models import Assessor
from app.models.database import Database
from app.scoring.types import Rules
from app.services.access.audit import list_changes
from app.services.entry.assessor_sheets import export_sheets, import_sheet, preview_sheet
from app.services.entry.assignments import assign
from app.services.entry.cell_changes import NamedChange
from app.services.entry.cells import CellValue
from app.services.entry.checks import REASON_PENDING
from app.services.entry.grid import apply_named_changes
from app.services.review.results import compute_round_results
from app.services.rounds.definition import create_round
from app.services.setup.frameworks import import_framework
from app.services.setup.units import import_units
from tests.workbooks import UNITS_HEADER, small_framework, small_units, write_sheet

ROUND = "2025年度"


@pytest.fixture
def exported(db: Database, tmp_path: Path) -> dict[str, Path]:
    import_units(db, small_units(tmp_path / "units.xlsx"))
    import_framework(db, small_framework(tmp_path / "fw.xlsx"), "小体系")
    with db.transaction() as session:
        session.add(Assessor(name="甲组", department="市司法局", unit_id=1))
        session.add(Assessor(name="乙组", department="市财政局"))
    create_round(db, name=ROUND, framework="小体系", year=2025, rules=Rules())
    assign(db, ROUND, "甲组", ["1", "2"])
    assign(db, ROUND, "乙组", ["2.1.2"], ["市司法局", "市公安局"])
    paths = export_sheets(db, ROUND, tmp_path / "out")
    return {p.name.split("-")[1]: p for p in paths}


def rows_of(path: Path) -> list[tuple]:
    sheet = load_workbook(path)["评分表"]
    return [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] is not None]


def set_cell(path: Path, address: str, value: object) -> None:
    workbook = load_workbook(path)
    workbook["评分表"][address] = value
    workbook.save(path)


def row_of(path: Path, unit: str, code: str) -> int:
    return next(i for i, r in enumerate(rows_of(path), start=4) if r[1] == unit and r[2] == code)


def test_workbook_holds_exactly_the_assignment_and_is_protected(exported) -> None:
    group_a = rows_of(exported["甲组"])
    units = {r[1] for r in group_a}
    assert "市司法局" not in units  # 回避: 甲组 belongs to the 司法局
    # 1.2.1 applies to 执法部门 only: just the 公安局 of the three other units
    assert sum(1 for r in group_a if r[2] == "1.2.1") == 1
    assert len(group_a) == 3 * 4 + 1  # three units x (1.1.1, 1.1.2, 2.1.1, 2.1.2) + 1.2.1
    assert [(r[1], r[2]) for r in rows_of(exported["乙组"])] == [
        ("市司法局", "2.1.2"),
        ("市公安局", "2.1.2"),
    ]
    workbook = load_workbook(exported["甲组"])
    sheet = workbook["评分表"]
    assert sheet.protection.sheet is True
    assert sheet["H4"].protection.locked is False and sheet["B4"].protection.locked is True
    assert workbook["签名"].sheet_state == "veryHidden"
    assert any("H4" in str(dv.sqref) for dv in sheet.data_validations.dataValidation)


def test_round_trip_diff_apply_and_reimport(db: Database, exported) -> None:
    path = exported["甲组"]
    assert preview_sheet(db, ROUND, path) == []
    line = row_of(path, "市公安局", "1.1.1")
    set_cell(path, f"H{line}", 1.5)
    set_cell(path, f"I{line}", "两项制度未更新")
    set_cell(path, f"H{row_of(path, '市公安局', '2.1.1')}", "96%")
    diffs = preview_sheet(db, ROUND, path)
    assert [(d.unit, d.leaf, d.old, d.new) for d in diffs] == [
        ("市公安局", "1.1.1", "", "1.5"),
        ("市公安局", "2.1.1", "", "96%"),
    ]
    import_sheet(db, ROUND, path)
    units = {u.unit: u for u in compute_round_results(db, ROUND).result.units}
    # 公安局: (4-1.5) + 0 (是否 unscored) + 0 (得分 unscored) + 0.8*6 + 4 on 20 points
    assert f"{units['市公安局'].final:.2f}" == "11.30"
    assert import_sheet(db, ROUND, path).value == []  # the same workbook again changes nothing


@pytest.mark.parametrize(
    ("cell", "value", "fragment", "column"),
    [
        ("C", "9.9", "受保护的单元格被改动", "C"),
        ("H", "是", "", "H"),
        ("H", -1, "扣分不能为负数", "H"),
    ],
)
def test_bad_workbooks_are_refused_with_the_cell(db, exported, cell, value, fragment, column):
    path = exported["甲组"]
    line = row_of(path, "市公安局", "1.1.1")
    set_cell(path, f"H{row_of(path, '市财政局', '1.1.1')}", 1)  # a good change beside the bad
    set_cell(path, f"I{row_of(path, '市财政局', '1.1.1')}", "理由")
    set_cell(path, f"{cell}{line}", value)
    changes_before = len(list_changes(db))
    with pytest.raises(WorkbookError) as error:
        import_sheet(db, ROUND, path)
    assert f"第 {line} 行，{column} 列" in str(error.value)
    assert fragment in str(error.value)
    assert len(list_changes(db)) == changes_before  # nothing of the workbook was written


def test_score_above_points_is_refused_with_the_rule(db, exported) -> None:
    path = exported["甲组"]
    line = row_of(path, "市公安局", "1.2.1")
    set_cell(path, f"H{line}", 5)
    with pytest.raises(WorkbookError, match=f"第 {line} 行，H 列.*0 到 4"):
        import_sheet(db, ROUND, path)


def test_wrong_round_or_changed_assignment_is_refused(db, exported) -> None:
    with pytest.raises(WorkbookError, match="不是“别的批次”的"):
        import_sheet(db, "别的批次", exported["甲组"])
    assign(db, ROUND, "乙组", ["1.1.1"])
    with pytest.raises(WorkbookError, match="重新导出"):
        import_sheet(db, ROUND, exported["乙组"])


def test_the_sheets_validation_takes_what_its_instructions_ask_for(exported) -> None:
    """Seen (issue 17): deduction cells were validated as "a number ≥ 0", so Excel/WPS refused
    the "不适用" the sheet's own instructions tell the assessor to type there. Read back as
    Excel applies it: every value cell's rule names its own range's first cell and lets
    "不适用" through."""
    import re

    workbook = load_workbook(exported["甲组"])
    sheet = workbook["评分表"]
    instructions = " ".join(
        str(c.value) for row in sheet.iter_rows(max_row=2) for c in row if c.value
    )
    assert "不适用" in instructions
    covered = {}
    for rule in sheet.data_validations.dataValidation:
        cells = [str(c) for r in rule.sqref.ranges for c in [r.coord]]
        if rule.type == "list":
            assert "不适用" in rule.formula1
        else:
            assert rule.type == "custom" and '="不适用"' in rule.formula1
            first = re.search(r"OR\(([A-Z]+\d+)=", rule.formula1).group(1)
            assert first == min(cells, key=lambda a: int(a[1:]))  # relative to its first cell
        covered.update(dict.fromkeys(cells, rule))
    method_column = 6
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, method_column).value in ("扣分", "得分", "是否", "加分"):
            assert f"H{row}" in covered


def test_a_workbook_returned_untouched_imports_with_nothing_changed(
    db: Database, tmp_path: Path
) -> None:
    """Seen (issue 17): the program's own workbook, exported and returned untouched, was refused
    with over 100 errors — deductions the grid had accepted without a reason failed "有扣分的须
    填写扣分理由", and a unit named "=…" came back as a formula. What the program accepted must
    round-trip: no problem raised, nothing changed."""
    units = tmp_path / "units.xlsx"
    write_sheet(units, UNITS_HEADER, [(1, "", "执法部门", ""), (2, "市公安局", "执法部门", "")])
    workbook = load_workbook(units)
    set_value(workbook.active["B2"], "=市住建局(人防办)")  # typed as text, as a clerk's "'=…"
    workbook.save(units)
    import_units(db, units)
    import_framework(db, small_framework(tmp_path / "fw.xlsx"), "小体系")
    with db.transaction() as session:
        session.add(Assessor(name="甲组", department="市司法局"))
    create_round(db, name=ROUND, framework="小体系", year=2025, rules=Rules())
    assign(db, ROUND, "甲组", ["1", "2"])
    apply_named_changes(
        db,
        ROUND,
        [
            NamedChange("=市住建局(人防办)", "1.1.1", "甲组", CellValue(deduction=Decimal("1"))),
            NamedChange("市公安局", "1.1.1", "甲组", CellValue(deduction=Decimal("0.5"))),
        ],
        source="评分录入",
    )
    (path,) = export_sheets(db, ROUND, tmp_path / "out")
    assert ("=市住建局(人防办)", "1.1.1") in {(r[1], r[2]) for r in rows_of(path)}
    changes_before = len(list_changes(db))
    assert preview_sheet(db, ROUND, path) == []
    assert import_sheet(db, ROUND, path).value == []
    assert len(list_changes(db)) == changes_before


def test_a_discretionary_deduction_without_reason_comes_in_marked(db: Database, tmp_path) -> None:
    """As in the grid (issue 17): a 酌情 deduction in range without its reason is taken and
    marked 须补扣分理由, not refused; the preview says so beside the change."""
    import_units(db, small_units(tmp_path / "units.xlsx"))
    import_framework(db, small_framework(tmp_path / "fw.xlsx"), "小体系")
    with db.transaction() as session:
        session.add(Assessor(name="甲组", department="市财政局"))
    create_round(db, name=ROUND, framework="小体系", year=2025, rules=Rules())
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE round_nodes SET parameters = '酌情1-3' WHERE code = '2.1.2'"
        )
    assign(db, ROUND, "甲组", ["2"])
    (path,) = export_sheets(db, ROUND, tmp_path / "out")
    set_cell(path, f"H{row_of(path, '市公安局', '2.1.2')}", 2)
    [diff] = preview_sheet(db, ROUND, path)
    assert diff.new == "2" and REASON_PENDING in diff.warning
    assert len(import_sheet(db, ROUND, path).value) == 1
