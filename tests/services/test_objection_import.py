"""Objections written by the units in their 初步结果 workbooks, read back: previewed, recorded
per file all or nothing, never twice, and a file of another round, unit or shape refused."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.io.exchange.prelim_workbook import HELP, PrelimLeaf, write_prelim_workbook
from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.services.changes import Topic
from app.services.review.objection_import import import_objection_files, preview_objection_files
from app.services.review.objections import list_objections, objection_choices
from app.services.review.prelim_results import export_prelim
from tests.publishing import publish_now

UNIT = "云州市民政局"


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def export_for(db, folder: Path, *units: str) -> dict[str, Path]:
    paths = export_prelim(db, DEMO_ROUND, folder, units=units).value
    assert len(paths) == len(units)
    return {next(u for u in units if f"-{u}-" in p.name): p for p in paths}


def leaf_rows(path: Path) -> dict[str, tuple[int, Decimal, object]]:
    """The leaf rows as the unit sees them: code → (row, 分值, 得分)."""
    workbook = load_workbook(path)
    sheet = workbook["初步结果"]
    signed = dict(workbook["签名"].values)
    assert sheet.cell(signed["表头行"], 1).value == "指标编码"
    found = {}
    for row in range(signed["表头行"] + 1, signed["表头行"] + signed["指标数"] + 1):
        code = sheet.cell(row, 1).value
        found[code] = (row, Decimal(str(sheet.cell(row, 4).value)), sheet.cell(row, 5).value)
    return found


def fill(path: Path, written: dict[str, tuple[object, object]]) -> Path:
    """What a unit types into the yellow cells: code → (申辩理由, 申请分值)."""
    rows = leaf_rows(path)
    workbook = load_workbook(path)
    sheet = workbook["初步结果"]
    for code, (reason, requested) in written.items():
        sheet.cell(rows[code][0], 8).value = reason
        sheet.cell(rows[code][0], 9).value = requested
    workbook.save(path)
    return path


def test_the_sheet_says_where_to_write_and_protects_the_rest(demo, tmp_path: Path) -> None:
    path = export_for(demo, tmp_path, UNIT)[UNIT]
    workbook = load_workbook(path)
    sheet = workbook["初步结果"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert HELP in texts and "申辩理由" in HELP and "0 到分值之间" in HELP
    assert sheet.protection.sheet and workbook["签名"].sheet_state == "veryHidden"
    row = next(iter(leaf_rows(path).values()))[0]
    assert not sheet.cell(row, 8).protection.locked and sheet.cell(row, 1).protection.locked


def test_objections_written_in_the_sheet_are_previewed_then_recorded_once(
    demo, tmp_path: Path
) -> None:
    path = export_for(demo, tmp_path, UNIT)[UNIT]
    rows = leaf_rows(path)
    (first, (_, _, score)), (second, (_, points, _)) = list(rows.items())[:2]
    fill(path, {first: ("已按要求整改，见附件", None), second: ("材料已补交", float(points))})

    [previewed] = preview_objection_files(demo, DEMO_ROUND, [path])
    assert previewed.unit == UNIT and not previewed.refused
    assert [(o.leaf, o.reason, o.requested) for o in previewed.new] == [
        (first, "已按要求整改，见附件", None),
        (second, "材料已补交", points),
    ]
    assert previewed.new[0].score == Decimal(str(score))  # the score the sheet showed
    assert list_objections(demo, DEMO_ROUND) == []  # a preview writes nothing

    done = import_objection_files(demo, DEMO_ROUND, [path])
    assert done.changes.touches(Topic.OBJECTIONS)
    recorded = list_objections(demo, DEMO_ROUND)
    assert [(o.unit, o.leaf, o.reason, o.requested) for o in recorded] == [
        (UNIT, first, "已按要求整改，见附件", None),
        (UNIT, second, "材料已补交", points),
    ]
    assert recorded[0].score_before == Decimal(str(score))
    logged = [c for c in list_changes(demo) if c.entity == "申辩" and c.action == "新增"]
    assert len(logged) == 2

    [again] = preview_objection_files(demo, DEMO_ROUND, [path])
    assert again.new == [] and all(o.recorded for o in again.objections)
    assert not import_objection_files(demo, DEMO_ROUND, [path]).changes
    assert len(list_objections(demo, DEMO_ROUND)) == 2
    # the same file twice in one batch: once
    import_objection_files(demo, DEMO_ROUND, [path, path])
    assert len(list_objections(demo, DEMO_ROUND)) == 2


def test_a_bad_row_refuses_its_file_and_the_good_file_goes_in(demo, tmp_path: Path) -> None:
    other = next(u for u in objection_choices(demo, DEMO_ROUND).units if u != UNIT)
    paths = export_for(demo, tmp_path, UNIT, other)
    mine = list(leaf_rows(paths[UNIT]).items())
    (good, _), (too_much, (too_much_row, points, _)), (no_reason, (no_reason_row, _, _)) = mine[:3]
    fill(
        paths[UNIT],
        {good: ("理由一", None), too_much: ("理由二", float(points) + 1), no_reason: (None, 0)},
    )
    theirs = next(iter(leaf_rows(paths[other])))
    fill(paths[other], {theirs: ("他们的理由", None)})

    preview = preview_objection_files(demo, DEMO_ROUND, [paths[UNIT], paths[other]])
    assert [f.refused for f in preview] == [True, False]
    where = {(p.location.sheet, p.location.row, p.location.column) for p in preview[0].problems}
    assert where == {("初步结果", too_much_row, "I"), ("初步结果", no_reason_row, "H")}
    assert all(p.location.file == str(paths[UNIT]) for p in preview[0].problems)
    assert preview[0].new == []

    files = import_objection_files(demo, DEMO_ROUND, [paths[UNIT], paths[other]]).value
    assert [f.refused for f in files] == [True, False]
    assert [(o.unit, o.leaf) for o in list_objections(demo, DEMO_ROUND)] == [(other, theirs)]


def signed_file(path: Path, round_name: str, unit: str, code: str = "1.1.1") -> Path:
    """A workbook signed for another round or unit, as a file from elsewhere would be."""
    write_prelim_workbook(
        path,
        "初步结果",
        [],
        [PrelimLeaf(code, "一级", "指标", 2.0, 1.0, "")],
        round_name=round_name,
        unit=unit,
    )
    workbook = load_workbook(path)
    workbook["初步结果"].cell(4, 8).value = "理由"
    workbook.save(path)
    return path


def test_files_of_another_round_or_unit_or_edited_are_refused(demo, tmp_path: Path) -> None:
    leaf = objection_choices(demo, DEMO_ROUND).leaves[0][0]
    other_round = signed_file(tmp_path / "旧.xlsx", "2019年度考核", UNIT, leaf)
    stranger = signed_file(tmp_path / "外.xlsx", DEMO_ROUND, "不参加考核的局", leaf)
    no_leaf = signed_file(tmp_path / "无.xlsx", DEMO_ROUND, UNIT, "9.9.9")
    edited = export_for(demo, tmp_path, UNIT)[UNIT]
    workbook = load_workbook(edited)
    workbook["初步结果"].delete_rows(next(iter(leaf_rows(edited).values()))[0])
    workbook.save(edited)

    files = preview_objection_files(demo, DEMO_ROUND, [other_round, stranger, no_leaf, edited])
    messages = [" ".join(str(p) for p in f.problems) for f in files]
    assert all(f.refused for f in files)
    assert "2019年度考核" in messages[0] and "旧.xlsx" in messages[0]
    assert "不参加考核的局" in messages[1] and files[1].unit == "不参加考核的局"
    assert "9.9.9" in messages[2] and files[2].problems[0].location.column == "A"
    assert "结构被改动" in messages[3]
    import_objection_files(demo, DEMO_ROUND, [other_round, stranger, no_leaf, edited])
    assert list_objections(demo, DEMO_ROUND) == []


def test_a_published_round_takes_no_objection_files(demo, tmp_path: Path) -> None:
    path = export_for(demo, tmp_path, UNIT)[UNIT]
    fill(path, {next(iter(leaf_rows(path))): ("理由", None)})
    publish_now(demo, DEMO_ROUND)
    with pytest.raises(UserError, match="只读"):
        preview_objection_files(demo, DEMO_ROUND, [path])
    with pytest.raises(UserError, match="只读"):
        import_objection_files(demo, DEMO_ROUND, [path])


def test_the_command_line_imports_and_names_the_refused_file(
    demo_copy: Path, db_path: Path, tmp_path: Path, run_cli
) -> None:
    db = open_database(db_path)
    path = export_for(db, tmp_path, UNIT)[UNIT]
    code = next(iter(leaf_rows(path)))
    fill(path, {code: ("已整改", None)})
    bad = signed_file(tmp_path / "旧.xlsx", "2019年度考核", UNIT, code)
    db.dispose()
    status, out, err = run_cli("objection", "import", "--round", DEMO_ROUND, str(path), str(bad))
    assert status == 2
    assert f"{UNIT} 新增申辩 1 条" in out and code in out
    assert "旧.xlsx：有问题，未导入" in err and "2019年度考核" in err
    status, out, _ = run_cli("objection", "import", "--round", DEMO_ROUND, str(path))
    assert status == 0 and "新增申辩 0 条，1 条已导入过（跳过）" in out
