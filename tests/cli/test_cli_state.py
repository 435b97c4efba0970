"""Issue 15 §1 from the command line: `audit verify` proves the data is what the change log
describes (exit 2 naming each difference otherwise), `check` includes it, and an administrator
can accept an edit made outside with a logged reason."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.small_round import ROUND

Cli = Callable[..., tuple[int, str, str]]
UNIT = "市公安局"


@pytest.fixture
def round_file(small_copy: Path) -> Path:
    """A small round's file (tests/conftest.py): each command checked the demo's 16,000-record
    chain, several times a test."""
    return small_copy


def edited_cell(path: Path) -> tuple[str, str, str]:
    """Set one of the unit's deductions to 0 with sqlite3: (leaf, assessor, value before)."""
    with sqlite3.connect(path) as connection:
        entry, leaf, assessor, value = connection.execute(
            "SELECT e.id, n.code, a.name, e.deduction FROM score_entries e "
            "JOIN units u ON u.id = e.unit_id JOIN round_nodes n ON n.id = e.node_id "
            "JOIN assessors a ON a.id = e.assessor_id WHERE e.deduction != '0' AND u.name = ? "
            "ORDER BY e.id LIMIT 1",
            (UNIT,),
        ).fetchone()
        connection.execute("UPDATE score_entries SET deduction = '0' WHERE id = ?", (entry,))
    connection.close()
    return leaf, assessor, value


def test_audit_verify_says_the_chain_and_the_state_are_whole(
    run_cli: Cli, round_file: Path
) -> None:
    code, out, err = run_cli("audit", "verify")
    assert code == 0, err
    assert "变更记录链完整" in out and "数据与变更记录一致" in out
    code, out, _ = run_cli("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["chain"]["ok"] and report["state"]["ok"]
    assert report["state"]["differences"] == [] and len(report["state"]["digest"]) == 64


def test_a_score_changed_with_sqlite_fails_verify_and_check_by_name(
    run_cli: Cli, round_file: Path
) -> None:
    leaf, assessor, value = edited_cell(round_file)
    code, out, err = run_cli("audit", "verify")
    assert code == 2  # seen: "变更记录链完整" and exit 0 after exactly this edit
    assert "变更记录链完整" in out and "数据与变更记录不一致" in err
    line = next(line for line in err.splitlines() if leaf in line)
    assert UNIT in line and assessor in line and f"变更记录为 扣分 {value}" in line
    assert "库中为 扣分 0" in line
    code, out, _ = run_cli("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 2 and not report["ok"] and report["chain"]["ok"]
    [difference] = report["state"]["differences"]
    assert {k: difference[k] for k in ("kind", "round", "unit", "leaf", "assessor")} == {
        "kind": "评分",
        "round": ROUND,
        "unit": UNIT,
        "leaf": leaf,
        "assessor": assessor,
    }
    code, _, err = run_cli("check")
    assert code == 2 and "数据与变更记录不一致" in err and leaf in err


def test_an_account_made_administrator_fails_verify_and_check(
    run_cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "s3cret-pw")
    assert run_cli("account", "add", "admin", "--role", "管理员")[0] == 0
    monkeypatch.setenv("KAOPING_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "pass-zhao")
    assert run_cli("--user", "admin", "account", "add", "zhao", "--role", "查看")[0] == 0
    with sqlite3.connect(db_path) as connection:  # seen: passed audit verify and check
        connection.execute("UPDATE accounts SET role = '管理员' WHERE username = 'zhao'")
    connection.close()
    code, _, err = run_cli("--user", "admin", "audit", "verify")
    assert code == 2
    line = next(line for line in err.splitlines() if "角色" in line)
    assert "zhao" in line and "封存时为 查看" in line and "现在为 管理员" in line
    code, _, err = run_cli("--user", "admin", "check")
    assert code == 2 and "zhao" in err


def test_the_publication_gate_blocks_tampered_data(run_cli: Cli, round_file: Path) -> None:
    leaf, assessor, _ = edited_cell(round_file)
    code, out, _ = run_cli("round", "check", "--round", ROUND, "--json")
    report = json.loads(out)
    assert code == 0  # `round check` lists; `round publish` is what refuses
    tampered = [item for item in report["blocking"] if item["kind"] == "数据被改动"]
    assert [(i["unit"], i["leaf"], i["assessor"]) for i in tampered] == [(UNIT, leaf, assessor)]


def test_an_administrator_reseals_with_a_reason(run_cli: Cli, round_file: Path) -> None:
    edited_cell(round_file)
    code, out, err = run_cli("audit", "reseal", "--reason", "核实为经批准的更正")
    assert code == 0 and "确认了 1 处" in out, err
    assert run_cli("audit", "verify")[0] == 0
    logged = json.loads(run_cli("audit", "list", "--json")[1])[-1]
    assert (logged["action"], logged["reason"]) == ("确认并重新封存", "核实为经批准的更正")
    code, out, _ = run_cli("audit", "reseal", "--reason", "再来一次")
    assert code == 0 and "无需重新封存" in out
