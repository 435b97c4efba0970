"""The scripted year: units, framework, round, scores, satisfaction, results — by the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.workbooks import small_framework, small_scores, small_units, write_sheet

Cli = Callable[..., tuple[int, str, str]]
GRADES = "优秀:18,良好:15,合格:12,不合格:0"
SCORES = [
    ("市司法局", "1.1.1", "甲组", 0.5, None, None, None, None, "制度未更新"),
    ("市司法局", "1.1.1", "甲组", 1, None, None, None, None, "文件未备案"),
    ("市司法局", "1.1.2", "甲组", None, "是", None, None, None, None),
    ("市司法局", "1.2.1", "甲组", None, 3.5, None, None, None, None),
    ("市司法局", "2.1.1", "甲组", None, None, "96%", None, None, None),
    ("市司法局", "3.1.1", "甲组", None, 1.5, None, None, None, None),
    ("市公安局", "1.1.1", "甲组", 5, None, None, None, None, "多项制度缺失"),
    ("市公安局", "1.1.2", "甲组", None, "否", None, None, None, None),
    ("市公安局", "1.2.1", "甲组", None, 4, None, None, None, None),
    ("市公安局", "2.1.1", "甲组", None, None, 1, None, None, None),
    ("市公安局", "2.1.2", "甲组", 1, None, None, None, None, "未公开征求意见"),
    ("市公安局", "2.1.2", "乙组", 2, None, None, None, None, "未听证"),
    ("市公安局", "3.2.1", "甲组", None, None, None, None, "是", "重大违法案件"),
    ("市财政局", "1.1.2", "甲组", None, "是", None, None, None, None),
    ("市财政局", "2.1.1", "甲组", None, None, 0.9, None, None, None),
    ("市财政局", "2.1.2", "甲组", None, None, None, "是", None, None),
    ("市档案馆", "1.1.2", "甲组", None, "是", None, None, None, None),
]


@pytest.fixture
def scored_round(run_cli: Cli, tmp_path: Path) -> Cli:
    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    code, _out, err = run_cli(
        "framework", "import", str(small_framework(tmp_path / "fw.xlsx")), "--name", "小体系"
    )
    assert code == 0, err
    code, _, err = run_cli(
        "round",
        "create",
        "--name",
        "2025年度",
        "--framework",
        "小体系",
        "--year",
        "2025",
        "--grades",
        GRADES,
    )
    assert code == 0, err
    add_assessors(run_cli)
    code, _, err = run_cli(
        "scores", "import", str(small_scores(tmp_path / "s.xlsx", SCORES)), "--round", "2025年度"
    )
    assert code == 0, err
    return run_cli


def add_assessors(run_cli: Cli) -> None:
    """The assessors SCORES names: an import never creates one (issue 14 §4)."""
    for name in ("甲组", "乙组"):
        code, _, err = run_cli("assessor", "add", name)
        assert code == 0, err


def results(run_cli: Cli) -> dict:
    code, out, err = run_cli("results", "--round", "2025年度", "--json")
    assert code == 0, err
    return json.loads(out)


def test_results_follow_the_scoring_contract(scored_round: Cli) -> None:
    data = results(scored_round)
    assert data["round"] == "2025年度"
    assert data["full_marks"] == "20.00"
    rows = {u["unit"]: u for u in data["units"]}
    # A vetoed unit stands after every unit that is not vetoed (issue 14 §2).
    assert [u["unit"] for u in data["units"]] == ["市司法局", "市财政局", "市档案馆", "市公安局"]
    # 司法局: (4-1.5) + 2 + 3.5 + 0.8*6 + 4 = 16.8, bonus 1.5
    assert rows["市司法局"]["final"] == "18.30"
    assert rows["市司法局"]["bonus"] == "1.50"
    assert rows["市司法局"]["areas"] == {"1": "8.00", "2": "8.80", "3": "0.00"}
    assert rows["市司法局"]["grade"] == "优秀"
    # 财政局: 1.2.1 not for its category, 2.1.2 marked N/A: (4+2+3)/12*20 = 15
    assert rows["市财政局"]["final"] == "15.00"
    assert rows["市财政局"]["grade"] == "良好"
    # 公安局: 0 + 0 + 4 + 6 + mean(3, 2) = 12.5, vetoed
    assert rows["市公安局"]["final"] == "12.50"
    assert rows["市公安局"]["veto"] is True
    assert rows["市公安局"]["grade"] == "不合格"
    # 档案馆: 分档 leaf unscored counts as missing: (4+2+0+4)/16*20 = 12.5
    assert rows["市档案馆"]["final"] == "12.50"
    assert rows["市档案馆"]["missing"] == 1
    assert rows["市档案馆"]["grade"] == "合格"
    assert [rows[n]["rank"] for n in ("市司法局", "市财政局", "市档案馆", "市公安局")] == [
        1,
        2,
        3,
        4,
    ]
    assert rows["市档案馆"]["incomplete"] == ["未评"]
    assert rows["市公安局"]["category_rank"] == 2
    assert rows["市档案馆"]["category_rank"] == 2
    assert rows["市档案馆"]["satisfaction"] is None


def test_reimporting_the_same_scores_changes_nothing(scored_round: Cli, tmp_path: Path) -> None:
    before = results(scored_round)
    code, out, _ = scored_round(
        "scores",
        "import",
        str(small_scores(tmp_path / "again.xlsx", SCORES)),
        "--round",
        "2025年度",
    )
    assert code == 0
    assert "0 项评分有变化" in out
    assert results(scored_round) == before


def test_satisfaction_is_weighted_into_the_final(scored_round: Cli, tmp_path: Path) -> None:
    # Same set-up, but a round with a satisfaction weight of 20 %.
    code, _, err = scored_round(
        "round",
        "create",
        "--name",
        "带满意度",
        "--framework",
        "小体系",
        "--year",
        "2025",
        "--satisfaction-weight",
        "0.2",
    )
    assert code == 0, err
    rows = [
        (u, c, a, d, s, m, na, v, r) for (u, c, a, d, s, m, na, v, r) in SCORES if u == "市司法局"
    ]
    scored_round(
        "scores", "import", str(small_scores(tmp_path / "s2.xlsx", rows)), "--round", "带满意度"
    )
    sheet = write_sheet(tmp_path / "sat.xlsx", ("单位名称", "满意度得分"), [("市司法局", 90.5)])
    code, _, err = scored_round("satisfaction", "import", str(sheet), "--round", "带满意度")
    assert code == 0, err
    code, out, _ = scored_round("results", "--round", "带满意度", "--json")
    unit = next(u for u in json.loads(out)["units"] if u["unit"] == "市司法局")
    # 0.8 * 18.3 + 0.2 * 90.5 = 14.64 + 18.1 = 32.74
    assert unit["final"] == "32.74"
    assert unit["satisfaction"] == "90.50"


def test_list_commands_print_json(scored_round: Cli) -> None:
    code, out, _ = scored_round("units", "list", "--json")
    assert [u["name"] for u in json.loads(out)] == ["市司法局", "市公安局", "市财政局", "市档案馆"]
    assert json.loads(out)[0]["category"] == "执法部门"
    code, out, _ = scored_round("framework", "list", "--json")
    assert json.loads(out) == [{"name": "小体系", "areas": 3, "leaves": 7, "points": "20.00"}]
    code, out, _ = scored_round("round", "list", "--json")
    assert json.loads(out)[0]["name"] == "2025年度"
    assert json.loads(out)[0]["units"] == 4
    code, out, _ = scored_round("framework", "show", "小体系", "--json")
    tree = json.loads(out)["children"]
    assert tree[1]["children"][0]["children"][0]["method"] == "分档"
    assert tree[0]["points"] == "10.00"
    code, out, err = scored_round("check")
    assert code == 0, err


def test_the_demo_command_fills_an_empty_file(demo_command: tuple[Path, int, str, str]) -> None:
    """`demo` on a new file (run once for the whole test run: the demo every test copies)."""
    _, code, out, err = demo_command
    assert code == 0, err
    assert "演示数据已生成：80 个单位、2 套指标体系" in out


def test_sheets_export_and_import_from_the_cli(run_cli: Cli, db_path: Path, tmp_path: Path) -> None:
    """On a small round with two assessors' sheets (the demo's five took seconds to write)."""
    from app.models.opening import open_database
    from tests.small_round import ROUND, build_sheets_round

    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    build_sheets_round(db, tmp_path / "round", ["市司法局", "市公安局", "市财政局"])
    db.dispose()
    out_dir = tmp_path / "sheets"
    code, out, err = run_cli("sheets", "export", "--round", ROUND, "--out", str(out_dir))
    assert code == 0, err
    files = sorted(out_dir.glob("*.xlsx"))
    assert len(files) == 2  # one per assessor
    code, out, err = run_cli("sheets", "import", "--round", ROUND, str(files[0]))
    assert code == 0, err
    assert "0 格有变化" in out
    files[1].write_bytes(b"not a workbook")
    code, _, err = run_cli("sheets", "import", "--round", ROUND, str(files[1]))
    assert code == 2 and files[1].name in err
