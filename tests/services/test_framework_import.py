"""Import with a preview: the tree and every problem before anything is written, then all or
nothing; the same for unit lists, which never lose a unit that has scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import WorkbookError
from app.models import ChangeLog
from app.models.database import Database
from app.scoring.types import Rules
from app.services.rounds.definition import create_round
from app.services.setup.framework_import import commit_framework, preview_framework
from app.services.setup.frameworks import get_framework_tree, list_frameworks
from app.services.setup.unit_import import commit_units, import_units_file, preview_units
from app.services.setup.units import import_units, list_units
from tests.workbooks import small_framework, small_units, write_sheet

HEADER = ["一级指标", "二级指标", "分值", "评分标准", "适用类别"]


def test_preview_shows_the_tree_and_recognised_rules_then_commits(
    db: Database, tmp_path: Path
) -> None:
    path = write_sheet(
        tmp_path / "细则.xlsx",
        HEADER,
        [
            ["依法行政（5分）", "权责清单", 2, "未公布的不得分", None],
            [None, "案卷评查", 3, "每发现一件不规范的扣0.5分", "执法部门"],
        ],
    )
    preview = preview_framework(db, path)
    assert preview.can_import and (preview.areas, preview.leaves, preview.points) == (1, 2, 5)
    assert [r.code for r in preview.rules] == ["1.1", "1.2"]
    assert "不得分" in preview.rules[0].note
    unknown = [p for p in preview.problems if "执法部门" in p.message]
    assert unknown and not unknown[0].blocking and unknown[0].column == "E"
    assert list_frameworks(db) == []  # a preview writes nothing
    info = commit_framework(db, preview, "2025年细则").value
    assert (info.areas, info.leaves, info.points) == (1, 2, 5)
    tree = get_framework_tree(db, "2025年细则")
    assert [c.method for c in tree[0].children] == ["是否", "扣分"]


def test_points_that_do_not_add_up_are_shown_and_may_be_accepted(
    db: Database, tmp_path: Path
) -> None:
    path = write_sheet(
        tmp_path / "细则.xlsx",
        HEADER,
        [["依法行政（10分）", "权责清单", 2, None, None], [None, "案卷评查", 3, None, None]],
    )
    preview = preview_framework(db, path)
    (problem,) = preview.problems
    assert not problem.blocking and "下级合计为 5" in problem.message
    assert (problem.sheet, problem.row, problem.column) == ("Sheet1", 2, "A")
    assert preview.can_import
    assert commit_framework(db, preview, "细则").value.points == 5  # the rows' sum is imported


def test_blocking_problems_refuse_the_commit_and_write_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = write_sheet(
        tmp_path / "细则.xlsx",
        HEADER,
        [
            ["依法行政", "权责清单", "两分", None, None],
            ["依法行政", "案卷评查", 3, None, None],
            ["依法行政", "案卷评查", 3, None, None],
        ],
    )
    preview = preview_framework(db, path)
    assert not preview.can_import
    messages = [(p.row, p.column, p.blocking) for p in preview.blocking]
    assert (2, "C", True) in messages and (4, "B", True) in messages
    assert preview.areas == 1  # the tree is still shown with the problems
    with pytest.raises(WorkbookError) as error:
        commit_framework(db, preview, "细则")
    assert "第 2 行" in str(error.value)
    assert list_frameworks(db) == []


def test_same_name_needs_replace(db: Database, tmp_path: Path) -> None:
    preview = preview_framework(db, small_framework(tmp_path / "f.xlsx"))
    commit_framework(db, preview, "细则")
    from app.errors import UserError

    with pytest.raises(UserError):
        commit_framework(db, preview, "细则")
    commit_framework(db, preview, "细则", replace=True)
    assert len(list_frameworks(db)) == 1


def test_unit_preview_lists_changes_new_categories_and_missing_units(
    db: Database, tmp_path: Path
) -> None:
    import_units(db, small_units(tmp_path / "u.xlsx"))
    path = write_sheet(
        tmp_path / "u2.xlsx",
        ["单位名称", "单位类别", "简称"],
        [
            ["市司法局", "政法部门", "司法局"],
            ["市公安局", "执法部门", "公安局"],
            ["市税务局", "垂管", None],
        ],
    )
    preview = preview_units(db, path)
    statuses = {row.record.name: (row.status, row.changes) for row in preview.rows}
    assert statuses["市司法局"] == ("更新", "类别：执法部门 → 政法部门")
    assert statuses["市公安局"][0] == "未变" and statuses["市税务局"][0] == "新增"
    assert preview.new_categories == ["政法部门", "垂管"]
    assert sorted(m.name for m in preview.missing) == ["市档案馆", "市财政局"]
    assert len(list_units(db)) == 4  # nothing written yet
    summary = commit_units(db, preview, deactivate_missing=True)
    assert (summary.added, summary.updated, summary.deactivated) == (1, 1, 2)
    units = {u.name: u for u in list_units(db)}
    assert len(units) == 5 and not units["市财政局"].active and units["市税务局"].active
    assert units["市司法局"].category == "政法部门"


@pytest.mark.sqlite_only  # the CLI on the test's file
def test_units_with_scores_are_never_deleted_by_a_reimport(
    db: Database, tmp_path: Path, run_cli
) -> None:
    import_units(db, small_units(tmp_path / "u.xlsx"))
    commit_framework(db, preview_framework(db, small_framework(tmp_path / "f.xlsx")), "细则")
    create_round(db, name="2025", framework="细则", year=2025, rules=Rules())
    only_one = write_sheet(tmp_path / "one.xlsx", ["单位名称"], [["市司法局"]])
    preview = preview_units(db, only_one)
    assert all(m.in_rounds for m in preview.missing)
    db.dispose()
    code, out, _ = run_cli("units", "import", str(only_one), "--deactivate-missing")
    assert code == 0 and "3 个单位已停用" in out
    units = list_units(db)
    assert len(units) == 4 and [u.name for u in units if u.active] == ["市司法局"]


def test_a_bad_unit_list_is_previewed_with_its_cells_and_refused(
    db: Database, tmp_path: Path
) -> None:
    path = write_sheet(tmp_path / "dup.xlsx", ["单位名称"], [["市司法局"], ["市司法局"]])
    preview = preview_units(db, path)
    assert not preview.can_import and preview.blocking[0].row == 3
    with pytest.raises(WorkbookError):
        import_units_file(db, path)
    assert list_units(db) == []
    with db.reading() as session:
        assert session.scalars(select(ChangeLog)).all() == []


def test_rows_that_are_not_records_are_said_in_the_preview_not_dropped(
    db: Database, tmp_path: Path
) -> None:
    from app.services.setup.framework_import import preview_framework
    from app.services.setup.unit_import import preview_units

    units = write_sheet(
        tmp_path / "名单.xlsx",
        ["序号", "单位名称", "单位类别"],
        [
            ["一、行政执法部门（2个）", None, None],
            [1, "市司法局", None],
            [2, "市公安局", None],
            [None, None, "备用"],
            ["合计", "2个", None],
            ["注：按机构改革后名称填写", None, None],
        ],
    )
    preview = preview_units(db, units)
    assert [r.record.category for r in preview.rows] == ["行政执法部门", "行政执法部门"]
    said = {p.row: p for p in preview.problems}
    assert set(said) == {2, 5, 6, 7} and all(p.passed_over for p in said.values())
    assert "合计行" in said[6].message and "说明行" in said[7].message
    assert "没有单位名称" in said[5].message and "行政执法部门" in said[2].message
    assert preview.can_import and preview.warnings == []
    framework = write_sheet(
        tmp_path / "细则.xlsx",
        ["一级指标", "二级指标", "分值"],
        [
            ["依法行政", "权责清单", 4],
            [None, "执法", 6],
            ["合计", None, 10],
            ["注：另附", None, None],
        ],
    )
    preview = preview_framework(db, framework)
    assert [(p.row, p.kind) for p in preview.problems] == [(4, "跳过"), (5, "跳过")]
    assert preview.can_import and preview.leaves == 2
