"""Names are kept as written and compared by their key (issue 17 §1): "（）" in an official unit,
category, indicator or assessor name reaches the notices and the 通报 unchanged, and a workbook
writing "()" still finds a name stored with "（）" (and the other way round)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import UserError, WorkbookError
from app.models.database import Database
from app.models.opening import open_database
from app.services.entry.assignment_admin import add_assessor, list_assessors
from app.services.entry.grid import load_grid
from app.services.entry.scores import import_satisfaction, import_scores
from app.services.publishing.notices import RECTIFICATION, issue_notices, preview_notice
from app.services.publishing.reports import write_report
from app.services.review.findings import round_findings
from app.services.review.results import compute_round_results
from app.services.setup.units import import_units, list_categories, list_units
from tests.documents.pdfcheck import compact, text_of
from tests.publishing import publish_now
from tests.small_round import ROUND, build_small_round
from tests.workbooks import SCORES_HEADER, UNITS_HEADER, write_sheet

UNITS = ["市司法局（市政府法制办）", "市住建局（市人防办）"]
CATEGORY = "执法部门（一类）"
ASSESSOR = "市委依法治市办考核组"
AREAS = (
    ("依法履职（法治政府）", "制度建设（规范性文件）", "备案审查（含清理）"),
    ("依法决策（重大行政决策）", "决策程序", "公众参与（听证）"),
)
REASON = "未按期报备（见附件）"
ON = date(2026, 1, 5)


@pytest.fixture
def db(db_path: Path, tmp_path: Path):
    database = open_database(db_path)
    build_small_round(
        database, tmp_path, UNITS, category=CATEGORY, areas=AREAS, assessor=ASSESSOR, reason=REASON
    )
    yield database
    database.dispose()


def test_names_are_stored_as_written(db: Database) -> None:
    """Seen: the unit list's "（）" became "()" at import (an indicator's did not)."""
    assert [(u.name, u.category) for u in list_units(db)] == [(n, CATEGORY) for n in UNITS]
    assert list_categories(db) == [CATEGORY]
    assert [a.name for a in list_assessors(db)] == [ASSESSOR]
    grid = load_grid(db, ROUND)
    assert [leaf.name for leaf in grid.leaves] == [names[2] for names in AREAS]


def test_names_reach_the_notice_and_the_report_unchanged(db: Database, tmp_path: Path) -> None:
    _, findings = round_findings(db, ROUND)
    assert [f.unit for f in findings] == UNITS
    assert {(x.area_name, x.leaf_name, x.assessor, x.reason) for x in findings[0].findings} == {
        (area, leaf, ASSESSOR, REASON) for area, _, leaf in AREAS
    }
    preview = preview_notice(db, ROUND, UNITS[0], RECTIFICATION, tmp_path / "预览.pdf", ON)
    said = compact(text_of(preview))
    assert f"关于{UNITS[0]}2025年度" in said and f"{UNITS[0]}：" in said
    for area, _, leaf in AREAS:
        assert area in said and leaf in said
    assert f"{REASON}（{ASSESSOR}，扣1分）" in said
    publish_now(db, ROUND)
    issued = issue_notices(db, ROUND, RECTIFICATION, tmp_path / "印发", issued_on=ON)
    assert [n.unit for n in issued] == UNITS
    assert UNITS[1] in issued[1].path.name  # full-width brackets are fine in a file name
    assert f"关于{UNITS[1]}" in compact(text_of(issued[1].path, pages=1))
    pdf, xlsx = tmp_path / "通报.pdf", tmp_path / "通报.xlsx"
    annex = tmp_path / "通报-附件2.pdf"  # the score sheets are a volume of their own (issue 17)
    write_report(db, ROUND, pdf, xlsx, annex=annex, issued_on=ON)
    report = compact(text_of(pdf)) + compact(text_of(annex))
    for name in (*UNITS, CATEGORY, AREAS[0][0], AREAS[1][2]):
        assert name in report, name
    assert "(" not in report.replace("（", "")
    book = load_workbook(xlsx, read_only=True)
    cells = {str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row}
    book.close()
    assert set(UNITS) <= cells


def test_an_assessor_is_found_as_written(db_path: Path, tmp_path: Path) -> None:
    """Seen: an assessor added as "考核组（一组）" was not found by a scores workbook naming it
    so, the workbook's name having become "考核组(一组)"; and a second "考核组(一组)" could be
    added beside it."""
    db = open_database(db_path)
    build_small_round(db, tmp_path, UNITS, assessor="考核组（一组）", reason=REASON)
    _, findings = round_findings(db, ROUND)
    assert {x.assessor for f in findings for x in f.findings} == {"考核组（一组）"}
    said = compact(text_of(preview_notice(db, ROUND, UNITS[1], RECTIFICATION, tmp_path / "p.pdf")))
    assert f"{REASON}（考核组（一组），扣1分）" in said
    sheet = write_sheet(
        tmp_path / "改分.xlsx",
        SCORES_HEADER,
        [(UNITS[1], "2.1.1", "考核组(一组)", 2, None, None, None, None, "未听证")],
    )
    assert import_scores(db, sheet, ROUND).changed_keys == 1
    with pytest.raises(UserError, match="已存在"):
        add_assessor(db, "考核组(一组)")
    assert [a.name for a in list_assessors(db)] == ["考核组（一组）"]
    db.dispose()


def test_a_workbook_writing_ascii_brackets_finds_the_full_width_names(
    db: Database, tmp_path: Path
) -> None:
    ascii_unit = UNITS[0].replace("（", "(").replace("）", ")")
    before = {u.unit: u.final for u in compute_round_results(db, ROUND).result.units}
    sheet = write_sheet(
        tmp_path / "改分.xlsx",
        SCORES_HEADER,
        [(f" {ascii_unit} ", "1.1.1", ASSESSOR, 3, None, None, None, None, "又发现两例")],
    )
    assert import_scores(db, sheet, ROUND).changed_keys == 1
    after = {u.unit: u.final for u in compute_round_results(db, ROUND).result.units}
    assert after[UNITS[0]] == before[UNITS[0]] - 2 and after[UNITS[1]] == before[UNITS[1]]
    survey = write_sheet(tmp_path / "满意度.xlsx", ("单位名称", "满意度得分"), [(ascii_unit, 90)])
    assert import_satisfaction(db, survey, ROUND).changed == 1
    units = import_units(
        db,
        write_sheet(
            tmp_path / "再导入.xlsx",
            UNITS_HEADER,
            [(1, ascii_unit, "执法部门(一类)", None), (2, UNITS[1], CATEGORY, None)],
        ),
    )
    assert (units.added, units.categories_added) == (0, [])
    assert [(u.name, u.category) for u in list_units(db)] == [(n, CATEGORY) for n in UNITS]


def test_names_stored_with_ascii_brackets_are_found_by_full_width_ones(
    db_path: Path, tmp_path: Path
) -> None:
    """Data from before: units, category and assessor stored with "()"; today's workbooks
    write "（）", the framework's 适用类别 too, and every leaf still applies."""
    db = open_database(db_path)
    old = [n.replace("（", "(").replace("）", ")") for n in UNITS]
    build_small_round(
        db, tmp_path, old, category="执法部门(一类)", assessor="考核组(一组)", areas=AREAS
    )
    sheet = write_sheet(
        tmp_path / "改分.xlsx",
        SCORES_HEADER,
        [(UNITS[1], "2.1.1", "考核组（一组）", 2, None, None, None, None, "未听证")],
    )
    assert import_scores(db, sheet, ROUND).changed_keys == 1
    grid = load_grid(db, ROUND)
    assert all(grid.applies(leaf, unit) for leaf in grid.leaves for unit in grid.units)
    assert [u.name for u in list_units(db)] == old  # matched, never renamed
    db.dispose()


def test_a_leaf_for_a_category_written_the_other_way_applies(db_path: Path, tmp_path: Path) -> None:
    """The framework's 适用类别 "执法部门(一类)" names the category stored as "执法部门（一类）":
    the engine compares them as stored, so the round's copy of the tree names it so."""
    from app.scoring.types import Rules
    from app.services.rounds.definition import create_round
    from app.services.setup.frameworks import import_framework
    from tests.workbooks import FRAMEWORK_HEADER

    db = open_database(db_path)
    import_units(
        db,
        write_sheet(
            tmp_path / "u.xlsx",
            UNITS_HEADER,
            [(1, UNITS[0], CATEGORY, None), (2, "市档案馆", "其他", None)],
        ),
    )
    rows = [
        ("依法履职", "制度建设", "执法案卷", 10, "扣分", None, None, "执法部门(一类)"),
        ("依法履职", "制度建设", "普法", 10, "扣分", None, None, None),
    ]
    import_framework(db, write_sheet(tmp_path / "f.xlsx", FRAMEWORK_HEADER, rows), "体系")
    create_round(db, name=ROUND, framework="体系", year=2025, rules=Rules())
    grid = load_grid(db, ROUND)
    units = {u.name: u for u in grid.units}
    case_file = next(leaf for leaf in grid.leaves if leaf.name == "执法案卷")
    assert grid.applies(case_file, units[UNITS[0]]) and not grid.applies(
        case_file, units["市档案馆"]
    )
    db.dispose()


def test_units_alike_but_for_their_brackets_are_one_unit(db: Database, tmp_path: Path) -> None:
    twice = write_sheet(
        tmp_path / "重复.xlsx",
        UNITS_HEADER,
        [(1, "市档案馆（市史志办）", None, None), (2, "市档案馆(市史志办)", None, None)],
    )
    with pytest.raises(WorkbookError, match="重复"):
        import_units(db, twice)
