"""Issue 14 §3 from the command line: `round check`, and `round publish` refusing (exit 2)
until the gate is clear unless an administrator overrides it with a reason."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from app.demo.build import DEMO_ROUND

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_check_and_publish_refuse_until_clear_and_an_override_is_logged(run_cli: Cli) -> None:
    code, _, err = run_cli("round", "publish", "--round", DEMO_ROUND)
    assert code == 2 and "只能在“公示中”之后发布" in err  # seen: published from any state
    assert run_cli("round", "status", "--round", DEMO_ROUND, "--to", "审核中")[0] == 0
    code, out, err = run_cli("round", "status", "--round", DEMO_ROUND, "--to", "公示中")
    assert code == 0, err
    code, out, _ = run_cli("round", "check", "--round", DEMO_ROUND, "--json")
    report = json.loads(out)
    assert code == 0 and report["status"] == "公示中"
    [item] = report["blocking"]
    assert item == {
        "kind": "公示未结束",
        "unit": None,
        "leaf": None,
        "assessor": None,
        "message": item["message"],
    }
    code, _, err = run_cli("round", "publish", "--round", DEMO_ROUND)
    assert code == 2 and "公示期至" in err  # seen: the 公示 deadline was ignored
    code, _, err = run_cli("round", "publish", "--round", DEMO_ROUND, "--override")
    assert code == 2 and "--reason" in err
    code, out, err = run_cli(
        "round", "publish", "--round", DEMO_ROUND, "--override", "--reason", "市委要求提前发布"
    )
    assert code == 0 and "已越过 1 项问题" in out, err
    rounds = json.loads(run_cli("round", "list", "--json")[1])
    assert rounds[0]["status"] == "已发布"
    log = json.loads(run_cli("audit", "list", "--json", "--round", DEMO_ROUND)[1])
    override = next(r for r in log if r["action"] == "越过发布检查")
    assert override["reason"] == "市委要求提前发布"
    assert override["new"][0]["kind"] == "公示未结束"


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_check_in_words(run_cli: Cli) -> None:
    code, out, _ = run_cli("round", "check", "--round", DEMO_ROUND)
    assert code == 0 and "须先解决：公示未结束 1 项" in out


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_going_into_publicity_sets_its_end(run_cli: Cli) -> None:
    from datetime import date, timedelta

    assert run_cli("round", "status", "--round", DEMO_ROUND, "--to", "审核中")[0] == 0
    code, _, err = run_cli(
        "round", "status", "--round", DEMO_ROUND, "--to", "公示中", "--until", "2020-01-01"
    )
    assert code == 2 and "已经过去" in err
    end = (date.today() + timedelta(days=7)).isoformat()
    code, _, err = run_cli(
        "round", "status", "--round", DEMO_ROUND, "--to", "公示中", "--until", end
    )
    assert code == 0, err
    rounds = json.loads(run_cli("round", "list", "--json")[1])
    assert rounds[0]["deadlines"]["publication"] == end
    log = json.loads(run_cli("audit", "list", "--json", "--round", DEMO_ROUND)[1])
    assert any(r["action"] == "公示期" and r["new"] == end for r in log)
