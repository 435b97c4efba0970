"""account commands and --user: a second account makes every run say who is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND


@pytest.fixture
def passwords(monkeypatch: pytest.MonkeyPatch):
    def set_passwords(new: str | None = None, current: str | None = None) -> None:
        for name, value in (("KAOPING_NEW_PASSWORD", new), ("KAOPING_PASSWORD", current)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    return set_passwords


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_accounts_login_and_roles_from_the_command_line(run_cli, passwords) -> None:
    passwords(new="admin-pw-1")
    code, out, err = run_cli("account", "add", "admin", "--role", "管理员")
    assert code == 0, err
    assert run_cli("units", "list", "--json")[0] == 0  # one account: no login yet
    passwords(new="staff-pw-1")
    code, out, err = run_cli("account", "add", "wang", "--role", "考核办")
    assert code == 0 and "需要登录" in out

    code, _, err = run_cli("units", "list", "--json")
    assert code == 2 and "--user" in err
    passwords(current="wrong")
    code, _, err = run_cli("--user", "wang", "units", "list", "--json")
    assert code == 2 and "不正确" in err
    passwords(current="staff-pw-1")
    assert run_cli("--user", "wang", "units", "list", "--json")[0] == 0
    code, _, err = run_cli(
        "--user", "wang", "round", "reopen", "--round", DEMO_ROUND, "--reason", "复核"
    )
    assert code == 2 and "无权" in err
    code, _, err = run_cli("--user", "wang", "account", "add", "zhao", "--role", "查看")
    assert code == 2 and "无权管理账户" in err

    passwords(current="admin-pw-1")
    code, out, _ = run_cli("--user", "admin", "account", "list", "--json")
    listed = {a["username"]: a for a in json.loads(out)}
    assert listed["wang"]["role"] == "考核办" and listed["admin"]["active"]
    code, out, _ = run_cli("--user", "admin", "audit", "list", "--json")
    assert code == 0
    users = {line["user"] for line in json.loads(out) if line.get("entity") == "账户"}
    assert users >= {"admin"}  # changes name the signed-in account


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_a_damaged_file_can_be_restored_from_the_command_line(run_cli, db_path: Path) -> None:
    code, out, _ = run_cli("backup", "create")
    backup = out.split("已备份到", 1)[1].strip()
    db_path.write_bytes(b"\0" * 8192)
    assert run_cli("units", "list")[0] == 2
    code, out, err = run_cli("backup", "restore", backup, "--reason", "数据库损坏")
    assert code == 0, err
    assert "损坏" in out
    code, out, _ = run_cli("units", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 80
