"""Bad input exits 2, names file, sheet, row and column, and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli_workflow import SCORES, add_assessors
from tests.workbooks import small_framework, small_scores, small_units, write_sheet

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


def snapshot(cli: Cli) -> str:
    return cli("results", "--round", "R", "--json")[1]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (("市不存在局", "1.1.1", None, 1, None, None, None, None, None), "A", "市不存在局"),
        (("市司法局", "9.9.9", None, 1, None, None, None, None, None), "B", "9.9.9"),
        (("市司法局", "1.2.1", None, None, 5, None, None, None, None), "E", "0 到 4"),
        (("市司法局", "1.1.2", None, None, 2, None, None, None, None), "E", "是否"),
        (("市司法局", "1.1.1", None, None, None, None, None, "是", None), "H", "否决"),
        (("市司法局", "1.1", None, 1, None, None, None, None, None), "B", "末级"),
        (("市司法局", "1.1.1", None, "一分", None, None, None, None, None), "D", ""),
    ],
)
def test_bad_score_rows_are_refused_with_their_cell(
    ready: Cli, tmp_path: Path, row: tuple, column: str, fragment: str
) -> None:
    before = snapshot(ready)
    good = ("市财政局", "1.1.1", None, 2, None, None, None, None, "应写入但不能写入")
    path = small_scores(tmp_path / "bad.xlsx", [good, row])
    code, _out, err = ready("scores", "import", str(path), "--round", "R")
    assert code == 2
    assert "bad.xlsx" in err and "Sheet1" in err
    assert f"第 3 行，{column} 列" in err
    assert fragment in err
    assert "未写入" in err
    assert snapshot(ready) == before


def test_two_values_from_one_assessor_are_refused(ready: Cli, tmp_path: Path) -> None:
    rows = [
        ("市司法局", "1.2.1", "甲组", None, 3, None, None, None, None),
        ("市司法局", "1.2.1", "甲组", None, 2, None, None, None, None),
    ]
    code, _, err = ready(
        "scores", "import", str(small_scores(tmp_path / "d.xlsx", rows)), "--round", "R"
    )
    assert code == 2
    assert "第 2、3 行" in err


def test_framework_whose_stated_points_disagree_is_refused(run_cli: Cli, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "fw.xlsx",
        ("一级指标", "二级指标", "分值"),
        [("依法履职（20分）", "制度建设", 10), (None, "执法监督", 9.5)],
    )
    code, _, err = run_cli("framework", "import", str(path), "--name", "X")
    assert code == 2
    assert "依法履职" in err and "fw.xlsx" in err
    assert json.loads(run_cli("framework", "list", "--json")[1]) == []


def test_missing_columns_and_missing_files_are_named(run_cli: Cli, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "nohead.xlsx", ("名称", "类型"), [("a", "b")])
    code, _, err = run_cli("units", "import", str(path))
    assert code == 2
    assert "nohead.xlsx" in err and "单位名称" in err
    code, _, err = run_cli("units", "import", str(tmp_path / "absent.xlsx"))
    assert code == 2
    assert "absent.xlsx" in err


def test_unknown_names_exit_2(run_cli: Cli) -> None:
    code, _, err = run_cli("results", "--round", "没有的批次", "--json")
    assert code == 2 and "没有的批次" in err
    code, _, err = run_cli("round", "create", "--name", "R", "--framework", "无", "--year", "2025")
    assert code == 2 and "无" in err
    code, _, err = run_cli(
        "round",
        "create",
        "--name",
        "R",
        "--framework",
        "无",
        "--year",
        "2025",
        "--grades",
        "优秀90",
    )
    assert code == 2 and "优秀90" in err


def test_demo_refuses_a_database_with_data(ready: Cli) -> None:
    code, _, err = ready("demo")
    assert code == 2
    assert "已有数据" in err
