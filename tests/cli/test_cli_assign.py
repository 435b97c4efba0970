"""assessor / assign: adding an assessor and a subtree × units, 回避 refused, removal logged,
and the sheets exported follow the assignment."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]
ROUND = "2025年度法治政府建设考核"


def work(run_cli: Cli) -> dict[str, dict]:
    rows = json.loads(run_cli("assign", "list", "--round", ROUND, "--json")[1])
    return {w["assessor"]: w for w in rows}


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_an_assessor_gets_a_subtree_for_two_units_and_loses_it(run_cli: Cli) -> None:
    code, _, err = run_cli("assessor", "add", "第三方评估组", "--department", "评估机构")
    assert code == 0, err
    code, out, err = run_cli(
        "assign", "add", "--round", ROUND, "--assessor", "第三方评估组",
        "--leaves", "1.1", "--units", "云州市教育局、云州市民政局",
    )  # fmt: skip
    assert code == 0, err
    mine = work(run_cli)["第三方评估组"]
    assert mine["units"] == ["云州市教育局", "云州市民政局"]
    assert mine["leaves"] and all(code.startswith("1.1.") for code in mine["leaves"])
    assert mine["cells"] == 2 * len(mine["leaves"])
    code, out, err = run_cli("assign", "remove", "--round", ROUND, "--assessor", "第三方评估组")
    assert code == 0 and "已取消" in out, err
    assert "第三方评估组" not in work(run_cli)
    changes = run_cli("audit", "list", "--json")[1]
    assert "分工" in changes and "删除" in changes


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_refusals_name_the_reason_and_change_nothing(run_cli: Cli) -> None:
    before = work(run_cli)
    own = before["司法局考核组"]["own_unit"]
    for args, message in (
        (("assessor", "add", "司法局考核组"), "已存在"),
        (("assessor", "add", "新组", "--unit", "不存在局"), "没有单位“不存在局”"),
        (
            ("assign", "add", "--round", ROUND, "--assessor", "司法局考核组", "--leaves", "1",
             "--units", own),
            "回避",
        ),
        (("assign", "add", "--round", ROUND, "--assessor", "无此人", "--leaves", "1"), "没有名为"),
        (("assign", "add", "--round", ROUND, "--assessor", "司法局考核组", "--leaves", "9.9"),
         "不存在"),
        (("assign", "remove", "--round", ROUND, "--assessor", "司法局考核组", "--leaves", "9"),
         "没有 9 的分工"),
    ):  # fmt: skip
        code, _, err = run_cli(*args)
        assert code == 2 and message in err, (args, err)
    assert work(run_cli) == before


def test_exported_sheets_follow_the_new_assignment(
    run_cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    """On a small round with two assessors' sheets (the demo's took seconds to write)."""
    from app.models.opening import open_database
    from tests.small_round import ROUND as SMALL_ROUND
    from tests.small_round import build_sheets_round

    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    build_sheets_round(db, tmp_path / "round", ["市司法局", "市公安局", "市财政局"])
    db.dispose()
    run_cli("assessor", "add", "第三方评估组")
    run_cli(
        "assign", "add", "--round", SMALL_ROUND, "--assessor", "第三方评估组", "--leaves", "1.1",
        "--units", "市公安局",
    )  # fmt: skip
    out = tmp_path / "sheets"
    code, _, err = run_cli("sheets", "export", "--round", SMALL_ROUND, "--out", str(out))
    assert code == 0, err
    assert any("第三方评估组" in p.name for p in out.glob("*.xlsx"))
