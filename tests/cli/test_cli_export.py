"""Export and import again: the tree and the unit list come back identical."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("framework", ["法治政府建设指标体系", "法治云州示范创建指标体系"])
def test_framework_round_trip(run_cli: Cli, tmp_path: Path, framework: str) -> None:
    assert run_cli("demo")[0] == 0
    out = tmp_path / "细则.xlsx"
    code, _, err = run_cli("framework", "export", framework, "--out", str(out))
    assert code == 0, err
    code, _, err = run_cli("framework", "import", str(out), "--name", "再导入")
    assert code == 0, err
    original = json.loads(run_cli("framework", "show", framework, "--json")[1])["children"]
    again = json.loads(run_cli("framework", "show", "再导入", "--json")[1])["children"]
    assert again == original


def test_units_round_trip(run_cli: Cli, tmp_path: Path) -> None:
    assert run_cli("demo")[0] == 0
    out = tmp_path / "units.xlsx"
    assert run_cli("units", "export", "--out", str(out))[0] == 0
    before = json.loads(run_cli("units", "list", "--json")[1])
    code, stdout, err = run_cli("units", "import", str(out))
    assert code == 0, err
    assert "新增 0 个，更新 0 个，未变 80 个" in stdout
    assert json.loads(run_cli("units", "list", "--json")[1]) == before
