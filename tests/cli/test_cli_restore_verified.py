"""Issue 15 §1: the state check runs before a backup is restored — a backup whose data was
changed outside the program is refused, naming why; an untouched one restores."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.usefixtures("demo_copy")
def test_a_tampered_backup_is_not_restored(run_cli: Cli, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.db", tmp_path / "bad.db"
    assert run_cli("backup", "create", "--out", str(good))[0] == 0
    assert run_cli("backup", "create", "--out", str(bad))[0] == 0
    with sqlite3.connect(bad) as connection:  # a score changed behind the program's back
        connection.execute(
            "UPDATE score_entries SET deduction = '0' WHERE id = "
            "(SELECT MIN(id) FROM score_entries WHERE deduction NOT IN ('0', '0.0'))"
        )
    code, _, err = run_cli("backup", "restore", str(bad), "--reason", "试恢复")
    assert code == 2 and "未通过校验" in err and "bad.db" in err
    code, _, err = run_cli("backup", "restore", str(good), "--reason", "撤回误导入")
    assert code == 0, err
