"""problems commands: from a round, list with --today, the flow, refusals exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from app.demo.build import DEMO_ROUND
from tests.services.test_ledger import without_ledger


def test_ledger_from_the_command_line(run_cli, demo_db_file: Path, db_path: Path) -> None:
    without_ledger(demo_db_file, db_path)
    code, out, err = run_cli(
        "problems", "from-round", "--round", DEMO_ROUND, "--date", "2026-01-05"
    )
    assert code == 0, err
    created = int(out.split("登记 ")[1].split(" ")[0])
    code, out, _ = run_cli(
        "problems",
        "add",
        "--unit",
        "云州市民政局",
        "--source",
        "法治督察",
        "--text",
        "复议决定未履行",
        "--date",
        "2026-01-05",
        "--plan-due",
        "2026-03-01",
        "--result-due",
        "2026-06-01",
    )
    number = out.split("问题 ")[1].strip()
    assert code == 0 and number == f"2026-{created + 1:04d}"
    code, out, _ = run_cli("problems", "list", "--json", "--overdue", "--today", "2026-03-02")
    assert [p["number"] for p in json.loads(out)] == [number]
    code, _, err = run_cli("problems", "set-status", number, "已销号", "--reason", "好了")
    assert code == 2 and "核验通过" in err
    assert run_cli("problems", "report", number, "--text", "已履行", "--done")[0] == 0
    assert run_cli("problems", "verify", number, "--pass", "--reason", "到位")[0] == 0
    code, out, _ = run_cli(
        "problems", "list", "--json", "--unit", "云州市民政局", "--status", "已销号"
    )
    assert [p["number"] for p in json.loads(out)] == [number]
    code, out, _ = run_cli("problems", "history", number)
    assert "核验通过" in out and "待核验→已销号" in out
    code, out, _ = run_cli("problems", "stats")
    assert code == 0 and f"发现问题 {created + 1} 个，已销号 1 个" in out
    code, _, err = run_cli("problems", "verify", "2099-0001", "--pass", "--reason", "x")
    assert code == 2 and "没有编号" in err
