"""Export and import again: the tree and the unit list come back identical."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("framework", ["法治政府建设指标体系", "法治云州示范创建指标体系"])
@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_framework_round_trip(run_cli: Cli, tmp_path: Path, framework: str) -> None:
    out = tmp_path / "细则.xlsx"
    code, _, err = run_cli("framework", "export", framework, "--out", str(out))
    assert code == 0, err
    code, _, err = run_cli("framework", "import", str(out), "--name", "再导入")
    assert code == 0, err
    original = json.loads(run_cli("framework", "show", framework, "--json")[1])["children"]
    again = json.loads(run_cli("framework", "show", "再导入", "--json")[1])["children"]
    assert again == original


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_units_round_trip(run_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "units.xlsx"
    assert run_cli("units", "export", "--out", str(out))[0] == 0
    before = json.loads(run_cli("units", "list", "--json")[1])
    code, stdout, err = run_cli("units", "import", str(out))
    assert code == 0, err
    assert "新增 0 个，更新 0 个，未变 80 个" in stdout
    assert json.loads(run_cli("units", "list", "--json")[1]) == before


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_results_export_matches_the_ranking(run_cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "排名.xlsx"
    code, _, err = run_cli("results", "--round", "2025年度法治政府建设考核", "--xlsx", str(out))
    assert code == 0, err
    ranking = json.loads(run_cli("results", "--round", "2025年度法治政府建设考核", "--json")[1])
    workbook = load_workbook(out)
    assert workbook.sheetnames[0] == "总排名"
    assert len(workbook.sheetnames) == 1 + len({u["category"] for u in ranking["units"]})
    sheet = workbook["总排名"]
    header = [c.value for c in sheet[2]]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 80
    final, grade = header.index("最终得分"), header.index("等次")
    for row, unit in zip(rows, ranking["units"], strict=True):
        assert (row[0], row[1], f"{row[final]:.2f}", row[grade]) == (
            unit["rank"],
            unit["unit"],
            unit["final"],
            unit["grade"],
        )


def test_a_named_sheet_is_read_and_an_unknown_one_is_refused(run_cli: Cli, tmp_path: Path) -> None:
    from tests.ui.test_units_page import two_sheet_list

    path = two_sheet_list(tmp_path / "名单.xlsx")
    code, _, err = run_cli("units", "import", str(path), "--sheet", "2027年名单")
    assert code != 0 and "没有名为“2027年名单”的工作表" in err and "名单.xlsx" in err
    assert json.loads(run_cli("units", "list", "--json")[1]) == []
    code, stdout, err = run_cli("units", "import", str(path), "--sheet", "2026年名单")
    assert code == 0, err
    assert "新增 2 个" in stdout
