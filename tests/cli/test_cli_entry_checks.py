"""Plausibility at entry from the command line (issue 14 §4): a scores workbook breaking a rule
exits 2 naming file, sheet, row, column and the rule, and writes nothing; what is accepted but
odd is printed as a 提醒. And `problems from-round` leaves out what counts for nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes, load_grid
from tests.cells import by_ids
from tests.cli.test_cli_workflow import SCORES, add_assessors
from tests.services.test_ledger import without_ledger
from tests.workbooks import small_framework, small_scores, small_units

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def ready(run_cli: Cli, tmp_path: Path) -> Cli:
    run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))
    run_cli("framework", "import", str(small_framework(tmp_path / "fw.xlsx")), "--name", "小体系")
    code, _, err = run_cli(
        "round", "create", "--name", "R", "--framework", "小体系", "--year", "2025"
    )
    assert code == 0, err
    add_assessors(run_cli)
    code, _, err = run_cli(
        "scores", "import", str(small_scores(tmp_path / "ok.xlsx", SCORES)), "--round", "R"
    )
    assert code == 0, err
    return run_cli


def state(cli: Cli) -> tuple[str, str, str]:
    """Results, assessors and the change log: all must stay as they were."""
    return (
        cli("results", "--round", "R", "--json")[1],
        cli("assessor", "list", "--json")[1],
        cli("audit", "list", "--json")[1],
    )


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        # seen: 0.3 on a "每项0.5" leaf went in
        (("市财政局", "1.1.1", "甲组", 0.3, None, None, None, None, "x"), "D", "0.5 的整数倍"),
        # a negative number in the deduction column
        (("市财政局", "1.1.1", "甲组", -1, None, None, None, None, "x"), "D", "不能为负数"),
        # seen: 不适用 and a deduction on one row, the deduction dropped
        (("市财政局", "1.1.1", "甲组", 1, None, None, "是", None, "x"), "G", "又填了分值"),
        # seen: an unknown name created a new assessor and moved the mean
        (("市司法局", "1.2.1", "丙组", None, 1, None, None, None, None), "C", "没有名为“丙组”"),
        # seen: a rate typed as 85 read as 8500 %, full points
        (("市财政局", "2.1.1", "乙组", None, None, 85, None, None, None), "F", "是否指 85%？"),
    ],
)
def test_a_scores_workbook_breaking_a_rule_writes_nothing(
    ready: Cli, tmp_path: Path, row: tuple, column: str, fragment: str
) -> None:
    before = state(ready)
    good = ("市档案馆", "1.1.1", "甲组", 1, None, None, None, None, "应写入但不能写入")
    path = small_scores(tmp_path / "bad.xlsx", [good, row])
    code, _, err = ready("scores", "import", str(path), "--round", "R")
    assert code == 2
    assert f"文件 bad.xlsx，工作表“Sheet1”，第 3 行，{column} 列" in err
    assert fragment in err
    assert "未写入" in err
    assert state(ready) == before


def test_unknown_assessor_leaves_the_mean_alone(ready: Cli, tmp_path: Path) -> None:
    """The 得分 leaf 1.2.1 of 市司法局 has 3.5 from 甲组; a row from a misspelt 丙组 must
    neither create 丙组 nor average 1 into it."""
    row = ("市司法局", "1.2.1", "丙组", None, 1, None, None, None, None)
    ready("scores", "import", str(small_scores(tmp_path / "x.xlsx", [row])), "--round", "R")
    names = [a["name"] for a in json.loads(ready("assessor", "list", "--json")[1])]
    assert "丙组" not in names
    unit = next(
        u
        for u in json.loads(ready("results", "--round", "R", "--json")[1])["units"]
        if u["unit"] == "市司法局"
    )
    assert unit["final"] == "18.30"


def test_a_deduction_above_the_points_goes_in_with_a_warning(ready: Cli, tmp_path: Path) -> None:
    row = ("市财政局", "1.1.1", "甲组", 5, None, None, None, None, "多项制度缺失")
    code, out, err = ready(
        "scores", "import", str(small_scores(tmp_path / "big.xlsx", [row])), "--round", "R"
    )
    assert code == 0, err
    assert "1 项评分有变化" in out
    assert "提醒：文件 big.xlsx，工作表“Sheet1”，第 2 行，D 列" in out
    assert "扣分 5 超过分值，按扣完为止只扣 4 分" in out


def test_a_scores_workbook_entry_for_someone_unassigned_is_logged_as_such(
    run_cli: Cli, demo_db_file: Path, db_path: Path, tmp_path: Path
) -> None:
    """Seen: an assessor's scores on another assessor's indicator went in as theirs. The office
    may import them: accepted, said and logged as 代录. A name with no assignment in a round
    that has them is refused."""
    shutil.copy(demo_db_file, db_path)
    db = open_database(db_path)
    grid = load_grid(db, DEMO_ROUND)
    db.dispose()
    unit = next(u for u in grid.units if u.name == "云州市民政局")
    leaf = next(
        leaf
        for leaf in grid.leaves
        if leaf.method == "扣分" and leaf.area_code != "3" and grid.applies(leaf, unit)
    )
    other = next(
        a.name
        for a in grid.panel
        if not grid.assigned(a.id, unit.id, leaf.id) and grid.own_units.get(a.id) != unit.id
    )
    row = (unit.name, leaf.code, other, 0.5, None, None, None, None, "抽查发现问题")
    code, out, err = run_cli(
        "scores", "import", str(small_scores(tmp_path / "s.xlsx", [row])), "--round", DEMO_ROUND
    )
    assert code == 0, err
    assert f"提醒：代录：1 格未分配给“{other}”" in out
    code, out, _ = run_cli("audit", "list", "--round", DEMO_ROUND, "--json")
    last = json.loads(out)[-1]
    assert last["key"] == f"{unit.name}/{leaf.code}/{other}"
    assert "代录" in last["reason"]
    assert run_cli("assessor", "add", "第三方评估组")[0] == 0
    row = (unit.name, leaf.code, "第三方评估组", 0.5, None, None, None, None, "抽查发现问题")
    code, _, err = run_cli(
        "scores", "import", str(small_scores(tmp_path / "t.xlsx", [row])), "--round", DEMO_ROUND
    )
    assert code == 2 and "“第三方评估组”不是本批次的评分人" in err


def test_problems_from_round_skip_leaves_that_count_for_nothing(
    run_cli: Cli, demo_db_file: Path, db_path: Path
) -> None:
    """Seen: 103 of 1,379 problems came from deductions on leaves that do not apply to the
    unit (its category, or marked 不适用), though they count for nothing in the score."""
    without_ledger(demo_db_file, db_path)
    db = open_database(db_path)
    grid = load_grid(db, DEMO_ROUND)
    unit = next(u for u in grid.units if u.category != "行政执法部门")
    other_category = next(
        leaf for leaf in grid.leaves if leaf.method == "扣分" and not grid.applies(leaf, unit)
    )
    marked = next(
        leaf
        for leaf in grid.leaves
        if leaf.method == "扣分"
        and leaf.area_code == "3"  # scored by the panel: one marks it 不适用, one deducts
        and grid.applies(leaf, unit)
    )
    panel = [a.name for a in grid.panel if grid.assigned(a.id, unit.id, marked.id)]
    apply_changes(
        db,
        DEMO_ROUND,
        by_ids(
            db,
            DEMO_ROUND,
            NamedChange(
                unit.name,
                other_category.code,
                panel[0],
                CellValue(deduction=other_category.points, reason="未开展"),
            ),
            NamedChange(
                unit.name,
                marked.code,
                panel[0],
                CellValue(deduction=marked.points, reason="未开展"),
            ),
            NamedChange(
                unit.name, marked.code, panel[1], CellValue(not_applicable=True, reason="无此职责")
            ),
        ),
    )
    db.dispose()
    code, out, err = run_cli(
        "problems", "from-round", "--round", DEMO_ROUND, "--date", "2026-01-05"
    )
    assert code == 0, err
    code, out, _ = run_cli("problems", "list", "--unit", unit.name, "--json")
    refs = [p["source_ref"] for p in json.loads(out)]
    assert refs  # the unit's other deductions are problems
    assert not [r for r in refs if f" {other_category.code} " in r or f" {marked.code} " in r]
