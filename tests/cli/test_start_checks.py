"""The checks at start (issue 15) are remembered for a file exactly as it passed them (issue 22):
the next command skips reading it through, and any write to the file, by the program or by
sqlite3 behind its back, brings the full checks and their warning back."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.access import state_verify
from app.services.maintenance import health, start_memo

Cli = Callable[..., tuple[int, str, str]]
WARNING = "数据与变更记录不一致"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each full check ran."""
    calls = {"file": 0, "state": 0}
    check_file, check_state = health.check_at_start, state_verify.verify_state

    def file_check(path: Path) -> None:
        calls["file"] += 1
        check_file(path)

    def state_check(*args: object, **kwargs: object) -> state_verify.StateReport:
        calls["state"] += 1
        return check_state(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(health, "check_at_start", file_check)
    monkeypatch.setattr(state_verify, "verify_state", state_check)
    return calls


def test_an_unchanged_file_is_checked_in_full_once(
    run_cli: Cli, demo_db_file: Path, db_path: Path, counted: dict[str, int]
) -> None:
    shutil.copy(demo_db_file, db_path)
    for _ in range(3):
        code, out, err = run_cli("units", "list")
        assert code == 0 and out and WARNING not in err
    assert counted == {"file": 1, "state": 1}
    assert start_memo.checked_as_is(db_path)


def test_a_write_behind_the_programs_back_is_checked_and_warned_again(
    run_cli: Cli, demo_db_file: Path, db_path: Path, counted: dict[str, int]
) -> None:
    shutil.copy(demo_db_file, db_path)
    assert run_cli("units", "list")[0] == 0
    before = db_path.stat()
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE score_entries SET deduction = '0' "
            "WHERE id = (SELECT min(id) FROM score_entries WHERE deduction != '0')"
        )
    connection.close()
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same time
    for _ in range(2):  # warned every time until it is resolved, never remembered as sound
        code, _, err = run_cli("units", "list")
        assert code == 0 and WARNING in err
    assert counted == {"file": 3, "state": 3}
    assert not start_memo.checked_as_is(db_path)


def test_a_write_by_the_program_is_checked_at_the_next_start(
    run_cli: Cli, demo_db_file: Path, db_path: Path, counted: dict[str, int]
) -> None:
    shutil.copy(demo_db_file, db_path)
    assert run_cli("units", "list")[0] == 0
    assert run_cli("assessor", "add", "新考核组")[0] == 0
    assert counted == {"file": 1, "state": 1}  # the file was as checked when `add` started
    code, _, err = run_cli("units", "list")
    assert code == 0 and WARNING not in err
    assert counted == {"file": 2, "state": 2}
