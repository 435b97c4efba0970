"""`analysis compare | robustness | assessors` (issue 20): the JSON shapes the issue gives,
bad options refused with a message, and `results` still without numpy."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from app.demo.build import DEMO_ROUND

Run = Callable[..., tuple[int, str, str]]


def test_robustness_and_assessors_json(demo_copy: Path, run_cli: Run) -> None:
    code, out, err = run_cli(
        "analysis", "robustness", "--round", DEMO_ROUND, "--runs", "60", "--seed", "7",
        "--weights", "0.1", "--no-dropout", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["runs"] == 60 and data["seed"] == 7 and data["options"]["weights"] == "0.10"
    assert "dropout" not in data["varied"] and "weights" in data["varied"]
    unit = data["units"][0]
    assert set(unit) >= {"unit", "rank", "median_rank", "interval", "grade_kept", "sensitive"}
    again = json.loads(run_cli(
        "analysis", "robustness", "--round", DEMO_ROUND, "--runs", "60", "--seed", "7",
        "--weights", "0.1", "--no-dropout", "--json")[1])  # fmt: skip
    assert again == data
    code, out, err = run_cli("analysis", "assessors", "--round", DEMO_ROUND, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data["alpha"]) >= {"overall", "areas", "interval"}
    assert set(data["assessors"][0]) >= {
        "assessor", "cells", "leniency", "leniency_rate", "interval", "flag",
        "ranks_changed_without",
    }  # fmt: skip


def test_bad_options_are_refused_in_words(demo_copy: Path, run_cli: Run) -> None:
    code, _, err = run_cli("analysis", "robustness", "--round", DEMO_ROUND, "--runs", "0")
    assert code != 0 and "--runs" in err
    code, _, err = run_cli("analysis", "compare", "--round", DEMO_ROUND, "--with", DEMO_ROUND)
    assert code != 0 and "不能重复" in err
    code, _, err = run_cli(
        "analysis", "compare", "--round", DEMO_ROUND, "--with", "2024年度", "--unit-link", "旧=新"
    )
    assert code != 0 and "批次名称:原名称=现名称" in err
    code, _, err = run_cli("analysis", "compare", "--round", DEMO_ROUND, "--with", "没有的批次")
    assert code != 0 and "没有的批次" in err


def test_the_analysis_modules_load_numpy_only_when_they_run() -> None:
    """numpy is imported inside the analysis code paths alone, so the other commands start
    as fast as before. (openpyxl itself imports numpy when it is installed: any command that
    loads openpyxl has it anyway; this keeps the analysis from adding it anywhere else.)"""
    modules = [
        "app.scoring.analysis.robustness", "app.scoring.analysis.agreement",
        "app.scoring.analysis.compare", "app.services.analysis.robustness",
        "app.services.analysis.assessors", "app.services.analysis.compare",
        "app.services.analysis.words",
    ]  # fmt: skip
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('numpy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2], check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_links_are_kept_listed_used_by_compare_and_removed(
    db_path: Path, tmp_path: Path, run_cli: Run
) -> None:
    from app.io.records import RowSource, UnitRecord
    from app.models.opening import open_database
    from app.scoring.types import Rules
    from app.services.rounds.definition import create_round
    from app.services.setup.units import save_units
    from tests.small_round import FRAMEWORK, ROUND, build_small_round

    db = open_database(db_path)
    build_small_round(db, tmp_path, ["市公安局", "市自然资源局"])
    with db.transaction() as session:
        save_units(session, [UnitRecord("市国土局", "执法部门", None, 9,
                                        RowSource("测试", "单位", 9))], source="测试")  # fmt: skip
    create_round(db, name="2024年度", framework=FRAMEWORK, year=2024, rules=Rules(),
                 units=["市公安局", "市国土局"])  # fmt: skip
    db.dispose()
    link = "2024年度:市国土局=市自然资源局"
    code, out, err = run_cli("analysis", "links", "add", "--round", ROUND, "--unit-link", link,
                             "--reason", "机构改革")  # fmt: skip
    assert code == 0, err
    assert "已添加" in out
    code, out, err = run_cli("analysis", "links", "list", "--round", ROUND, "--json")
    assert json.loads(out) == [{"kind": "unit", "with": "2024年度", "from": "市国土局",
                                "to": "市自然资源局", "by": json.loads(out)[0]["by"]}]  # fmt: skip
    compare = ("analysis", "compare", "--round", ROUND, "--with", "2024年度", "--json")
    data = json.loads(run_cli(*compare)[1])
    row = next(u for u in data["units"] if u["unit"] == "市自然资源局")
    assert row["match"] == [{"how": "更名", "from": ["市国土局"]}]
    data = json.loads(run_cli(*compare, "--no-saved-links")[1])
    assert data["unmatched"]["2024年度"]["units_gone"] == ["市国土局"]
    code, out, err = run_cli("analysis", "links", "remove", "--round", ROUND, "--unit-link", link)
    assert code == 0 and "已删除" in out
    assert json.loads(run_cli("analysis", "links", "list", "--round", ROUND, "--json")[1]) == []
    code, _, err = run_cli("analysis", "links", "add", "--round", ROUND,
                           "--unit-link", "2024年度:市财政局=市公安局")  # fmt: skip
    assert code != 0 and "市财政局" in err
