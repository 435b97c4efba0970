"""Issue 15 §2, restore and backups: a restore is logged and its safety copy kept, an import
that changes nothing makes no backup, a locked file is not damaged, only an administrator
restores or redirects backups, the open file is never restored over itself, and a backup
folder blocked by a file stops an import with a message."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.services.maintenance import health
from app.services.maintenance.backups import list_backups
from tests.workbooks import small_framework, small_scores, small_units, write_sheet

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[2]
ROUND = "2025年度"
SCORES = [
    ("市司法局", "1.1.1", "甲组", 0.5, None, None, None, None, "制度未更新"),
    ("市公安局", "1.1.1", "甲组", 1, None, None, None, None, "多项制度缺失"),
    ("市财政局", "1.2.1", "甲组", None, 3, None, None, None, None),
]
MORE_SCORES = [("市档案馆", "1.1.1", "乙组", 2, None, None, None, None, "误导入")]


@pytest.fixture
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


@pytest.fixture
def year(run_cli: Cli, tmp_path: Path, own_settings: Path) -> Cli:
    """Units, a framework and a round with satisfaction, scored once."""
    assert run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))[0] == 0
    fw = small_framework(tmp_path / "fw.xlsx")
    assert run_cli("framework", "import", str(fw), "--name", "小体系")[0] == 0
    code, _, err = run_cli(
        "round", "create", "--name", ROUND, "--framework", "小体系", "--year", "2025",
        "--satisfaction-weight", "0.2",
    )  # fmt: skip
    assert code == 0, err
    for name in ("甲组", "乙组"):  # imports never create assessors (issue 14 §4)
        assert run_cli("assessor", "add", name)[0] == 0
    scores = small_scores(tmp_path / "s.xlsx", SCORES)
    assert run_cli("scores", "import", str(scores), "--round", ROUND)[0] == 0
    return run_cli


def backups_of(db_path: Path) -> list[str]:
    return [b.reason for b in list_backups(db_path.parent / "backups")]


def satisfaction(tmp_path: Path, name: str, value: float) -> Path:
    return write_sheet(tmp_path / name, ("单位名称", "满意度得分"), [("市司法局", value)])


def log_head(db_path: Path) -> tuple[int, str]:
    with sqlite3.connect(db_path) as connection:
        count, head = connection.execute(
            "SELECT count(*), (SELECT hash FROM change_log ORDER BY id DESC LIMIT 1) "
            "FROM change_log"
        ).fetchone()
    connection.close()
    return count, head


def results(run_cli: Cli) -> dict:
    code, out, err = run_cli("results", "--round", ROUND, "--json")
    assert code == 0, err
    return json.loads(out)


def results_in(path: Path) -> dict:
    from app.models.opening import open_database
    from app.services.review.results import compute_round_results, results_json

    db = open_database(path)
    try:
        return json.loads(json.dumps(results_json(compute_round_results(db, ROUND))))
    finally:
        db.dispose()


def test_an_import_that_changes_nothing_makes_no_backup(
    year: Cli, db_path: Path, tmp_path: Path
) -> None:
    before = backups_of(db_path)
    again = small_scores(tmp_path / "again.xlsx", SCORES)
    code, out, _ = year("scores", "import", str(again), "--round", ROUND)
    assert code == 0 and "0 项评分有变化" in out
    sheet = satisfaction(tmp_path, "sat.xlsx", 90)
    assert year("satisfaction", "import", str(sheet), "--round", ROUND)[0] == 0
    assert backups_of(db_path).count("导入满意度前") == 1  # it changed something: backed up
    for _ in range(3):
        code, out, _ = year("satisfaction", "import", str(sheet), "--round", ROUND)
        assert code == 0 and "0 个单位的满意度有变化" in out
    after = backups_of(db_path)
    assert after.count("导入满意度前") == 1 and after.count("导入评分前") == before.count(
        "导入评分前"
    )


def test_a_restore_is_logged_and_its_safety_copy_outlives_many_imports(
    year: Cli, db_path: Path, tmp_path: Path
) -> None:
    """The attack: import, restore an older backup, then ten satisfaction imports. The
    restore must be in the log, its 恢复前 copy must survive and hold the replaced state."""
    code, out, _ = year("backup", "create")
    older = out.split("已备份到", 1)[1].strip()
    more = small_scores(tmp_path / "more.xlsx", SCORES + MORE_SCORES)
    assert year("scores", "import", str(more), "--round", ROUND)[0] == 0
    replaced = results(year)
    replaced_count, replaced_head = log_head(db_path)

    code, out, err = year("backup", "restore", older, "--reason", "撤回误导入的评分")
    assert code == 0, err
    assert results(year) != replaced
    record = json.loads(year("audit", "list", "--json")[1])[-1]
    assert (record["entity"], record["action"]) == ("数据库", "恢复")
    assert record["reason"] == "撤回误导入的评分"
    assert record["user"]  # who: the single user's login here
    assert record["old"]["链头"] == replaced_head
    assert record["old"]["变更记录条数"] == replaced_count
    safety_name = record["old"]["被替换的数据另存为"]
    assert "恢复前" in safety_name and safety_name in out
    assert year("audit", "verify")[0] == 0

    for i in range(12):  # each changes something, so each makes a backup and rotates
        sheet = satisfaction(tmp_path, f"sat{i}.xlsx", 80 + i)
        assert year("satisfaction", "import", str(sheet), "--round", ROUND)[0] == 0
    listed = {b.path.name: b for b in list_backups(db_path.parent / "backups")}
    assert safety_name in listed  # never rotated away
    assert sum(1 for name in listed if "导入满意度前" in name) == 10
    copy = tmp_path / "safety-copy.db"  # read a copy: a backup itself is never opened to write
    copy.write_bytes(listed[safety_name].path.read_bytes())
    assert results_in(copy) == replaced  # it holds what the restore replaced
    assert year("audit", "verify")[0] == 0


def test_restore_needs_a_reason(year: Cli, db_path: Path) -> None:
    code, out, _ = year("backup", "create")
    backup = out.split("已备份到", 1)[1].strip()
    code, _, err = year("backup", "restore", backup, "--reason", "  ")
    assert code == 2 and "理由" in err


LOCK_HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
print("released", flush=True)
time.sleep(60)
"""


@pytest.fixture
def hold_lock(db_path: Path) -> Iterator[Callable[[float], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def hold(seconds: float) -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(db_path), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        return holder

    yield hold
    for holder in started:
        holder.kill()
        holder.wait()


def test_a_locked_healthy_database_is_in_use_not_damaged(
    year: Cli, db_path: Path, hold_lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: another program held the file; the start check said 已损坏, advised
    `backup restore`, which then ran for a user who does not exist and renamed the file."""
    code, out, _ = year("backup", "create")
    good = out.split("已备份到", 1)[1].strip()
    before = results(year)
    monkeypatch.setattr(health, "LOCK_WAIT_SECONDS", 1.0)
    holder = hold_lock(600)
    code, _, err = year("units", "list")
    assert code == 2
    assert "正被另一个程序使用" in err and "已损坏" not in err and str(db_path) in err
    code, _, err = year("--user", "nobody", "backup", "restore", good, "--reason", "x")
    assert code == 2 and "已损坏" not in err
    assert not list(db_path.parent.glob("*损坏*"))  # the live file was not renamed aside
    holder.kill()
    holder.wait()
    assert results(year) == before  # the other program gone, all is as it was


def test_a_briefly_locked_database_is_waited_for(
    year: Cli, db_path: Path, hold_lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "LOCK_WAIT_SECONDS", 20.0)
    holder = hold_lock(1.5)
    started = time.monotonic()
    code, _, err = year("results", "--round", ROUND, "--json")
    assert code == 0, err
    assert holder.stdout is not None and holder.stdout.readline().strip() == "released"
    assert time.monotonic() - started < 15


def test_only_an_administrator_restores_a_damaged_file_when_accounts_exist(
    year: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def as_(password: str | None, new: str | None = None) -> None:
        for name, value in (("KAOPING_PASSWORD", password), ("KAOPING_NEW_PASSWORD", new)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    as_(None, new="admin-pw-1")
    assert year("account", "add", "admin", "--role", "管理员")[0] == 0
    as_("admin-pw-1", new="staff-pw-1")
    assert year("--user", "admin", "account", "add", "wang", "--role", "考核办")[0] == 0
    code, out, err = year("--user", "admin", "backup", "create")
    assert code == 0, err
    backup = out.split("已备份到", 1)[1].strip()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page scribbled over
    db_path.write_bytes(bytes(data))
    damaged = db_path.read_bytes()

    def refused(*user: str) -> str:
        code, _, err = year(*user, "backup", "restore", backup, "--reason", "数据库损坏")
        assert code == 2
        assert db_path.read_bytes() == damaged and not list(db_path.parent.glob("*损坏-*"))
        return err

    as_(None)
    assert "管理员" in refused()
    as_("whatever-1")
    assert "不正确" in refused("--user", "nobody")
    as_("staff-pw-1")
    assert "无权" in refused("--user", "wang")
    as_("wrong-pw-1")
    assert "不正确" in refused("--user", "admin")
    as_("admin-pw-1")
    code, out, err = year("--user", "admin", "backup", "restore", backup, "--reason", "数据库损坏")
    assert code == 0, err
    assert len(list(db_path.parent.glob("*损坏-*"))) == 1  # the damaged file, kept aside
    record = json.loads(year("--user", "admin", "audit", "list", "--json")[1])[-1]
    assert (record["action"], record["user"], record["reason"]) == ("恢复", "admin", "数据库损坏")


def test_a_damaged_file_is_not_restored_for_a_user_who_does_not_exist(
    year: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = year("backup", "create")
    backup = out.split("已备份到", 1)[1].strip()
    db_path.write_bytes(b"\0" * 8192)  # destroyed
    monkeypatch.setenv("KAOPING_PASSWORD", "whatever-1")
    code, _, err = year("--user", "nobody", "backup", "restore", backup, "--reason", "损坏")
    assert code == 2 and "不正确" in err
    assert db_path.read_bytes() == b"\0" * 8192 and not list(db_path.parent.glob("*损坏-*"))
    code, out, err = year("backup", "restore", backup, "--reason", "损坏")  # the single user
    assert code == 0, err
    assert results(year)["round"] == ROUND


def test_only_an_administrator_redirects_backups_and_the_change_is_logged(
    year: Cli, db_path: Path, tmp_path: Path, own_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "admin-pw-1")
    assert year("account", "add", "admin", "--role", "管理员")[0] == 0
    monkeypatch.setenv("KAOPING_PASSWORD", "admin-pw-1")
    for name, role in (("wang", "考核办"), ("zhao", "查看")):
        monkeypatch.setenv("KAOPING_NEW_PASSWORD", f"{name}-pw-1")
        assert year("--user", "admin", "account", "add", name, "--role", role)[0] == 0
    elsewhere = tmp_path / "别人的U盘"
    for name in ("zhao", "wang"):
        monkeypatch.setenv("KAOPING_PASSWORD", f"{name}-pw-1")
        code, _, err = year("--user", name, "backup", "folder", str(elsewhere))
        assert code == 2 and "无权更改备份设置" in err
        code, _, err = year("--user", name, "backup", "folder", "--reset")
        assert code == 2 and "无权更改备份设置" in err
    assert not elsewhere.exists() and not own_settings.exists()
    monkeypatch.setenv("KAOPING_PASSWORD", "zhao-pw-1")
    code, out, _ = year("--user", "zhao", "backup", "folder")  # looking is allowed
    assert code == 0 and str(db_path.parent / "backups") in out

    monkeypatch.setenv("KAOPING_PASSWORD", "admin-pw-1")
    code, out, err = year("--user", "admin", "backup", "folder", str(elsewhere))
    assert code == 0 and str(elsewhere) in out, err
    record = json.loads(year("--user", "admin", "audit", "list", "--json")[1])[-1]
    assert (record["entity"], record["key"], record["user"]) == ("设置", "备份文件夹", "admin")
    assert record["old"] == str(db_path.parent / "backups") and record["new"] == str(elsewhere)


def test_restoring_the_open_file_over_itself_is_refused_at_once(
    year: Cli, db_path: Path, tmp_path: Path
) -> None:
    """It retried for 38 minutes; a symlink to the file is the same file."""
    names = [db_path]
    if sys.platform != "win32":  # symlinks need extra rights there
        names.append(tmp_path / "link.db")
        os.symlink(db_path, names[-1])
    before = results(year)
    for name in names:
        started = time.monotonic()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "app", "--db", str(db_path), "backup", "restore",
                 str(name), "--reason", "测试"],
                capture_output=True, text=True, cwd=ROOT, timeout=30,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail("restoring the open file over itself still waits on its own lock")
        assert done.returncode == 2
        assert "正在使用的数据库文件本身" in done.stderr and str(name) in done.stderr
        assert time.monotonic() - started < 30
    assert results(year) == before


def test_a_backup_folder_blocked_by_a_file_stops_the_import_with_a_message(
    year: Cli, tmp_path: Path, own_settings: Path
) -> None:
    before = results(year)
    blocked = tmp_path / "备份"
    blocked.write_text("not a folder")
    own_settings.write_text(json.dumps({"backup_folder": str(blocked)}), encoding="utf-8")
    new = small_scores(tmp_path / "new.xlsx", SCORES + MORE_SCORES)
    code, _, err = year("scores", "import", str(new), "--round", ROUND)
    assert code == 2 and str(blocked) in err and "文件" in err
    assert results(year) == before
