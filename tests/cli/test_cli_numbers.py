"""Issue 15 §2: numbers an assessment could hold — at most 4 decimal places, below a million —
everywhere values enter. Seen: one deduction of 1e-61 made results, the report, notices and
the results page fail for the whole round (decimal.Inexact); 1e1000000 overflowed with a
traceback; 1e999999 was stored as a million-character string."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.entry.cells import CellInputError, parse_cell
from tests.workbooks import small_framework, small_scores, small_units

Cli = Callable[..., tuple[int, str, str]]
ROUND = "R"


@pytest.fixture
def ready(run_cli: Cli, tmp_path: Path) -> Cli:
    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    fw = str(small_framework(tmp_path / "fw.xlsx"))
    assert run_cli("framework", "import", fw, "--name", "小体系")[0] == 0
    code, _, err = run_cli(
        "round", "create", "--name", ROUND, "--framework", "小体系", "--year", "2025"
    )
    assert code == 0, err
    assert run_cli("assessor", "add", "甲组")[0] == 0
    return run_cli


@pytest.mark.parametrize(
    ("value", "said"),
    [("1e-61", "最多 4 位小数"), ("1e1000000", "过大"), ("1e999999", "过大"), (0.12345, "4 位")],
)
def test_a_scores_workbook_with_an_absurd_number_writes_nothing(
    ready: Cli, tmp_path: Path, value: object, said: str
) -> None:
    rows = [("市司法局", "1.1.1", "甲组", value, None, None, None, None, "抽查")]
    code, _, err = ready(
        "scores", "import", str(small_scores(tmp_path / "s.xlsx", rows)), "--round", ROUND
    )
    assert code == 2 and said in err and "第 2 行" in err and "Traceback" not in err
    code, out, err = ready("results", "--round", ROUND, "--json")
    assert code == 0, err  # the round still computes
    assert len(json.loads(out)["units"]) == 4


@pytest.mark.parametrize("typed", ["1e-61", "1e1000000", "0.00001", "2000000"])
def test_the_grid_refuses_them_as_they_are_typed(typed: str) -> None:
    with pytest.raises(CellInputError):
        parse_cell("扣分", typed)
    with pytest.raises(CellInputError):
        parse_cell("得分", typed)


def test_the_grid_keeps_ordinary_figures() -> None:
    assert parse_cell("扣分", "0.25").deduction == parse_cell("扣分", "0.2500").deduction


def test_an_objection_review_and_round_options_refuse_them(ready: Cli, capsys) -> None:
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal of an option's value
        ready("round", "create", "--name", "R2", "--framework", "小体系",
              "--year", "2025", "--bonus-cap", "1e999999")  # fmt: skip
    err = capsys.readouterr().err
    assert refused.value.code == 2 and "过大" in err and "Traceback" not in err
    code, _, err = ready("objection", "add", "--round", ROUND, "--unit", "市司法局",
                         "--leaf", "1.1.1", "--reason", "x", "--requested", "1e-61")  # fmt: skip
    assert code == 2 and "4 位小数" in err and "Traceback" not in err
