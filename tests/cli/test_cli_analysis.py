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
